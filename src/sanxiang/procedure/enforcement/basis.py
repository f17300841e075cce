"""Citations of 行政强制执行, written the way documents and refusals print them."""

from sanxiang.procedure.penalty.basis import (
    CIVIL_PROCEDURE_LAW,
    COMPULSION_LAW,
    GUIDELINE_118,
    article,
    chinese_numeral,
)

PLATFORM_RULE = "系统规则"


def compulsion_article(*numbers: int, detail: str = "") -> str:
    """`compulsion_article(35)` → 《中华人民共和国行政强制法》第三十五条."""
    return article(COMPULSION_LAW, *numbers, detail=detail)


def platform_rule(text: str) -> str:
    """A rule of this platform, never presented as law (e.g. what must be recorded to check a law)."""
    return f"{PLATFORM_RULE}：{text}"


__all__ = [
    "CIVIL_PROCEDURE_LAW",
    "COMPULSION_LAW",
    "GUIDELINE_118",
    "PLATFORM_RULE",
    "article",
    "chinese_numeral",
    "compulsion_article",
    "platform_rule",
]
