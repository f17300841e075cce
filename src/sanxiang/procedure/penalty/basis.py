"""Citations, written the way documents and refusals print them."""

PENALTY_LAW = "《中华人民共和国行政处罚法》"
CIVIL_PROCEDURE_LAW = "《中华人民共和国民事诉讼法》"
COMPULSION_LAW = "《中华人民共和国行政强制法》"
GUIDELINE_118 = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"

DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1–999 as written in article numbers: 10 → 十, 15 → 十五, 58 → 五十八, 105 → 一百零五."""
    if not 0 < n < 1000:
        raise ValueError(f"article number out of range: {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = f"{DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    if ones:
        text += DIGITS[ones]
    return text


def article(law: str, *numbers: int, detail: str = "") -> str:
    """`article(PENALTY_LAW, 44, 62)` → 《中华人民共和国行政处罚法》第四十四条、第六十二条."""
    return law + "、".join(f"第{chinese_numeral(n)}条" for n in numbers) + detail


def penalty_article(*numbers: int, detail: str = "") -> str:
    return article(PENALTY_LAW, *numbers, detail=detail)
