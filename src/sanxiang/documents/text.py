"""How numbers, money and dates are written in Chinese enforcement documents.

Money is integer fen (分) everywhere in Sanxiang and never passes through float. Amounts are printed
twice, as a 大写 (capital-numeral) amount and in figures, the way 罚没 documents and bank slips
write them: 罚款人民币叁仟元整（¥3,000.00）. The 大写 rules follow 中国人民银行《支付结算办法》附一
《正确填写票据和结算凭证的基本规定》: "人民币" before the amount, 壹 before a leading 拾 (壹拾元),
one 零 for any run of zeros inside the amount, and 整 after an amount that ends at 元.
"""

import datetime as dt

CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CAPITAL_UNITS = ("", "拾", "佰", "仟")
# A section is four digits: 元, 万, 亿. Amounts stop below 一万亿元, which no fine or confiscation
# reaches (above it, 万亿 would need 万 and 亿 sections read together: 壹万贰仟亿).
CAPITAL_SECTIONS = ("", "万", "亿")
LOWER_DIGITS = "零一二三四五六七八九"
LOWER_UNITS = ("", "十", "百", "千")

AMOUNT_MAX_FEN = 10**14 - 1  # 9999,9999,9999.99 元


def _section_capital(value: int) -> str:
    """0 < value < 10000 → its 大写 without the section unit; a zero inside becomes one 零."""
    digits = f"{value:04d}"
    text = ""
    pending_zero = False
    for position, char in enumerate(digits):
        digit = int(char)
        unit = CAPITAL_UNITS[3 - position]
        if digit == 0:
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += "零"
            pending_zero = False
        text += CAPITAL_DIGITS[digit] + unit
    return text


def _integer_capital(value: int) -> str:
    """Whole yuan in 大写: 10010 → 壹万零壹拾, 100000000 → 壹亿, 10 → 壹拾 (never a bare 拾)."""
    if value == 0:
        return "零"
    sections = []
    rest = value
    while rest:
        rest, section = divmod(rest, 10000)
        sections.append(section)
    text = ""
    needs_zero = False
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            needs_zero = bool(text)
            continue
        # A gap before this section (a whole zero section, or fewer than four digits in it after a
        # higher section) is read as one 零: 1,0000,0001 → 壹亿零壹, 1,0010 → 壹万零壹拾.
        if text and (needs_zero or section < 1000):
            text += "零"
        text += _section_capital(section) + CAPITAL_SECTIONS[index]
        needs_zero = False
    return text


def amount_render_capital(*, fen: int) -> str:
    """Integer fen → 人民币大写: 300000 → 人民币叁仟元整, 5 → 人民币伍分, 1001050 → 人民币壹万零壹拾元伍角."""
    if fen < 0:
        raise ValueError(f"金额不能为负数：{fen}")
    if fen > AMOUNT_MAX_FEN:
        raise ValueError(f"金额超出可书写的范围：{fen}")
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "人民币零元整"
    text = "人民币"
    if yuan:
        text += _integer_capital(yuan) + "元"
    if cents == 0:
        return text + "整"
    if jiao:
        text += CAPITAL_DIGITS[jiao] + "角"
    elif yuan:
        # 壹元零伍分: the zero 角 between 元 and 分 must be written.
        text += "零"
    if fen_digit:
        text += CAPITAL_DIGITS[fen_digit] + "分"
    return text


def amount_render_figures(*, fen: int) -> str:
    """Integer fen → figures with thousands separators and two decimals: 1000000 → ¥10,000.00."""
    if fen < 0:
        raise ValueError(f"金额不能为负数：{fen}")
    yuan, cents = divmod(fen, 100)
    return f"¥{yuan:,}.{cents:02d}"


def amount_render(*, fen: int) -> str:
    """Both forms, as documents print an amount: 人民币叁仟元整（¥3,000.00）."""
    return f"{amount_render_capital(fen=fen)}（{amount_render_figures(fen=fen)}）"


def number_render_chinese(*, value: int) -> str:
    """0–9999 in ordinary numerals, as periods are written: 15 → 十五, 60 → 六十, 105 → 一百零五."""
    if not 0 <= value < 10000:
        raise ValueError(f"数字超出范围：{value}")
    if value == 0:
        return "零"
    digits = f"{value:04d}".lstrip("0")
    text = ""
    pending_zero = False
    for position, char in enumerate(digits):
        digit = int(char)
        unit = LOWER_UNITS[len(digits) - 1 - position]
        if digit == 0:
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += "零"
            pending_zero = False
        text += LOWER_DIGITS[digit] + unit
    # 十五 rather than 一十五 when ten is the leading unit.
    return text[1:] if text.startswith("一十") else text


def date_render(*, on: dt.date) -> str:
    """2026-11-26 → 2026年11月26日 (Arabic numerals, no leading zeros, as GB/T 9704-2012 dates)."""
    return f"{on.year}年{on.month}月{on.day}日"


def datetime_render(*, at: dt.datetime) -> str:
    """2026-09-03 09:05 → 2026年9月3日9时05分: the hour and minute of 笔录 and hearings."""
    return f"{date_render(on=at.date())}{at.hour}时{at.minute:02d}分"


def period_render(*, start: dt.datetime, end: dt.datetime) -> str:
    """The span of a 笔录: 2026年9月3日9时30分至10时40分 (the date once when it does not change)."""
    if end.date() == start.date():
        return f"{datetime_render(at=start)}至{end.hour}时{end.minute:02d}分"
    return f"{datetime_render(at=start)}至{datetime_render(at=end)}"


# Punctuation that may end what a user typed. A sentence the document writes around the user's text
# adds its own mark, so whatever the user ended with is taken off first: "决定。" + "。" must not
# print "决定。。", nor "决定，" + "。" print "决定，。".
CLAUSE_ENDINGS = "。．.，,；;：:、 \u3000\t\r\n"
SENTENCE_MARKS = "。！？!?"


def clause_render(text: str) -> str:
    """User text as a clause inside a sentence: stripped, without its closing punctuation."""
    return text.strip().rstrip(CLAUSE_ENDINGS)


def sentence_render(text: str, *, mark: str = "。") -> str:
    """User text as a whole sentence ending with exactly one mark: "同意" → "同意。", "同意。。" →
    "同意。", "同意，" → "同意。"; a question or an exclamation keeps its own mark; empty stays empty."""
    stripped = text.strip()
    if not stripped:
        return ""
    clause = clause_render(stripped)
    if clause and clause[-1] in SENTENCE_MARKS:
        return clause
    return clause + mark if clause else ""


PROVES_PREFIXES = ("用以证明", "用于证明", "以证明", "证明")


def proves_render(text: str) -> str:
    """What a piece of evidence proves, as it follows "证明" in a list: the officer may have typed
    "证明现场情况" already, which must not print "证明证明现场情况"."""
    clause = clause_render(text)
    for prefix in PROVES_PREFIXES:
        if clause.startswith(prefix):
            return clause_render(clause[len(prefix):].lstrip("：:，, "))
    return clause
