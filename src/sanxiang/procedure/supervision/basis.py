"""Citations of the supervision rules: the national regulation by article, and the provincial
regulations whose numbers fill its "规定时限"."""

REGULATION = "《行政执法监督条例》"


def regulation_article(number: int, *, detail: str = "") -> str:
    """《行政执法监督条例》第N条 (articles written in Chinese numerals, as the text prints them)."""
    return f"{REGULATION}第{_chinese_number(number)}条{detail}"


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else digits[tens]
    return f"{head}十{digits[ones] if ones else ''}"


SICHUAN = "《四川省行政执法监督条例》"
HEBEI = "《河北省行政执法监督条例》"
SHANDONG = "《山东省行政执法监督条例》"

# Supervisors act at least two together, each showing a supervision certificate, and record the
# whole process; a supervisor with an interest in the matter withdraws. The national regulation does
# not say it in these words; the provincial regulations do.
SUPERVISORS_ACT_IN_PAIRS = f"{SICHUAN}第二十九条；{HEBEI}第十九条"
SUPERVISOR_RECUSAL = f"{SICHUAN}第三十条；{HEBEI}第十八条"

# The citations the supervision pages show (templates receive them through the context processor
# `sanxiang.supervision.context_processors.supervision_basis`; a page never writes an article itself).
PAGE_BASIS: dict[str, str] = {
    "coordination": f"{REGULATION}第七条、第十三条",
    "coordination_dispute": regulation_article(13),
    "not_supervised_again": regulation_article(33),
    "read_grant": regulation_article(22, detail="第四项"),
    "public_notice": regulation_article(31),
    "filing": f"{SICHUAN}第三十六条等",
    # Issue 14, item 5: the annual supervision plan (日常监督, national 第十五条; the annual plan itself
    # is a provincial rule, Shandong 第二十条) and 执法质效评议 (national 第十九条: standards, process
    # and results published).
    "plan": f"{REGULATION}第十五条；{SHANDONG}第二十条",
    "evaluation": regulation_article(19),
}
