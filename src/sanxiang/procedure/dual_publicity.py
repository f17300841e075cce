"""“双公示” (dual publicity) as code: the fields of the 行政处罚 (CF_*) and 行政许可 (XK_*) data
that agencies send to 信用中国, and every reason a row would be refused.

Basis: 国办发〔2015〕51号第十八条 puts 行政许可 and 行政处罚 information online within 7 working days
and sends it to the credit platform; the field codes and names are those of legal_rules §5, which
match across the public codebases that exchange data with 信用中国 [V-code]. The official PDF of the
standard was not at hand, so two things here are this platform's reading rather than the text:

- Required flags follow §5 ("required" there). 行政相对人类别 is also required, because the rules
  for organisations and natural persons hang on it; 统一社会信用代码 is required for
  法人及非法人组织 (§5 "required for organisations").
- Maximum lengths are those seen in the exchange tables of those codebases (e.g. 文号 128, names
  200, agency codes 18); free-text fields have generous limits. (unverified against the PDF)

The natural person's 证件号码 (CF_XDR_ZJHM / XK_XDR_ZJHM) is not required here: the public
export never carries it (see `sanxiang.publication.dual_publicity`), and where the credit platform
needs it the agency sends it through its own credit channel.

Pure Python: the Django side builds rows (plain dicts of field code → text) and asks
`dual_publicity_row_problems` what is wrong with each.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sanxiang.procedure.identifiers import credit_code_normalize, credit_code_validate
from sanxiang.procedure.violations import Violation

DUAL_PUBLICITY_BASIS = "国办发〔2015〕51号第十八条；“双公示”数据标准（行政处罚CF_*、行政许可XK_*）"

# 行政相对人类别 as the standard spells them (§5: values seen).
PARTY_ORGANIZATION = "法人及非法人组织"
PARTY_NATURAL_PERSON = "自然人"
PARTY_INDIVIDUAL_BUSINESS = "个体工商户"
PARTY_KINDS = (PARTY_ORGANIZATION, PARTY_NATURAL_PERSON, PARTY_INDIVIDUAL_BUSINESS)
# The same three, keyed as the platform's own party kinds.
PARTY_LABELS: dict[str, str] = {
    "natural_person": PARTY_NATURAL_PERSON,
    "individual_business": PARTY_INDIVIDUAL_BUSINESS,
    "organization": PARTY_ORGANIZATION,
}


@dataclass(frozen=True)
class DecisionParty:
    """The party of a decision (a licensee, the party of 征收征用 or of another act) as the case knows
    it; what of it is public is each kind of decision's rules' (`permit_publication_content`,
    `act_publication_content`)."""

    kind: str  # a key of PARTY_LABELS
    name: str
    credit_code: str = ""  # organisations and individual businesses
    legal_representative: str = ""  # organisations
    id_number: str = ""
    address: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        if self.kind not in PARTY_LABELS:
            raise ValueError(f"unknown party kind: {self.kind!r}")

    @property
    def natural(self) -> bool:
        return self.kind in ("natural_person", "individual_business")

# 许可类别 (XK_XKLB): the code list seen, by code and by name; either is accepted.
PERMIT_CATEGORIES: dict[str, str] = {
    "01": "普通",
    "02": "特许",
    "03": "认可",
    "04": "核准",
    "05": "登记",
    "06": "其他",
}

# Amounts are in 万元 (10,000 yuan) as decimal(18,6): 12 digits before the point, 6 after.
# One fen is 0.000001 万元, so any amount in fen is exact in six decimals.
FEN_PER_WAN_YUAN = 1_000_000
_AMOUNT = re.compile(r"\d{1,12}(?:\.\d{1,6})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

TEXT, CREDIT_CODE, DATE, AMOUNT, PARTY_KIND, PERMIT_CATEGORY = (
    "text", "credit_code", "date", "amount", "party_kind", "permit_category"
)


@dataclass(frozen=True)
class DualPublicityField:
    code: str
    name: str
    required: bool = False
    max_length: int | None = None
    kind: str = TEXT
    note: str = ""


def _party_fields(prefix: str) -> tuple[DualPublicityField, ...]:
    """The party block, the same in both layouts but for the prefix."""
    f = DualPublicityField
    return (
        f(f"{prefix}_XDR_MC", "行政相对人名称", True, 200),
        f(f"{prefix}_XDR_LB", "行政相对人类别", True, 16, PARTY_KIND, "法人及非法人组织、自然人或者个体工商户"),
        f(f"{prefix}_XDR_SHXYM", "行政相对人代码_1（统一社会信用代码）", False, 18, CREDIT_CODE,
          "法人及非法人组织必填；自然人不填"),
        f(f"{prefix}_XDR_GSZC", "行政相对人代码_2（工商注册号）", False, 50, TEXT, "自然人不填"),
        f(f"{prefix}_XDR_ZZJG", "行政相对人代码_3（组织机构代码）", False, 32, TEXT, "自然人不填"),
        f(f"{prefix}_XDR_SWDJ", "行政相对人代码_4（税务登记号）", False, 32, TEXT, "自然人不填"),
        f(f"{prefix}_XDR_SYDW", "行政相对人代码_5（事业单位证书号）", False, 120, TEXT, "自然人不填"),
        f(f"{prefix}_XDR_SHZZ", "行政相对人代码_6（社会组织登记证号）", False, 50, TEXT, "自然人不填"),
        f(f"{prefix}_FRDB", "法定代表人", False, 50),
        f(f"{prefix}_FR_ZJLX", "法定代表人证件类型", False, 64),
        f(f"{prefix}_FR_ZJHM", "法定代表人证件号码", False, 64, TEXT, "共享不公示"),
        f(f"{prefix}_XDR_ZJLX", "证件类型", False, 64, TEXT, "自然人"),
        f(f"{prefix}_XDR_ZJHM", "证件号码", False, 64, TEXT, "自然人；共享不公示，本平台的公开数据不含"),
    )


_F = DualPublicityField

# §5.1, in the standard's order.
CF_FIELDS: tuple[DualPublicityField, ...] = (
    *_party_fields("CF"),
    _F("CF_WSH", "行政处罚决定书文号", True, 128),
    _F("CF_WFXW", "违法行为类型", True, 2000),
    _F("CF_SY", "违法事实", True, 5000),
    _F("CF_YJ", "处罚依据", True, 2000),
    _F("CF_CFLB", "处罚类别", True, 200, TEXT, "行政处罚法第九条的种类"),
    _F("CF_NR", "处罚内容", True, 4000),
    _F("CF_NR_FK", "罚款金额（万元）", False, None, AMOUNT),
    _F("CF_NR_WFFF", "没收违法所得、没收非法财物的金额（万元）", False, None, AMOUNT),
    _F("CF_NR_ZKDX", "暂扣或吊销证照名称及编号", False, 200),
    _F("CF_JDRQ", "处罚决定日期", True, None, DATE),
    _F("CF_YXQ", "处罚有效期", False, None, DATE),
    _F("CF_GSJZQ", "公示截止期", False, None, DATE),
    _F("CF_CFJG", "处罚机关", True, 200),
    _F("CF_CFJGDM", "处罚机关统一社会信用代码", False, 18, CREDIT_CODE),
    _F("CF_SJLY", "数据来源单位", True, 200),
    _F("CF_SJLYDM", "数据来源单位统一社会信用代码", False, 18, CREDIT_CODE),
    _F("BZ", "备注", False, 512),
)

# §5.2. Validity (有效期自/至) is not required here: some provincial platforms require it, but the
# public read model holds no permit validity yet (see the selector).
XK_FIELDS: tuple[DualPublicityField, ...] = (
    *_party_fields("XK"),
    _F("XK_XKWS", "行政许可决定文书名称", True, 200),
    _F("XK_WSH", "行政许可决定文书号", True, 128),
    _F("XK_XKLB", "许可类别", True, 16, PERMIT_CATEGORY, "普通、特许、认可、核准、登记、其他（或代码01–06）"),
    _F("XK_XKZS", "许可证书名称", False, 200),
    _F("XK_XKBH", "许可编号", False, 64),
    _F("XK_NR", "许可内容", True, 4000),
    _F("XK_JDRQ", "许可决定日期", True, None, DATE),
    _F("XK_YXQZ", "有效期自", False, None, DATE),
    _F("XK_YXQZI", "有效期至", False, None, DATE),
    _F("XK_XKJG", "许可机关", True, 200),
    _F("XK_XKJGDM", "许可机关统一社会信用代码", False, 18, CREDIT_CODE),
    _F("XK_ZT", "当前状态", False, 2, TEXT, "1为有效"),
    _F("XK_LYDW", "数据来源单位", True, 200),
    _F("XK_LYDWDM", "数据来源单位统一社会信用代码", False, 18, CREDIT_CODE),
    _F("BZ", "备注", False, 512),
)

LAYOUTS: dict[str, tuple[DualPublicityField, ...]] = {"CF": CF_FIELDS, "XK": XK_FIELDS}
LAYOUT_LABELS: dict[str, str] = {"CF": "行政处罚", "XK": "行政许可"}
# The party codes a natural person does not have (§5: "organisation codes (3–8) are sent empty").
ORGANIZATION_CODE_SUFFIXES = ("XDR_SHXYM", "XDR_GSZC", "XDR_ZZJG", "XDR_SWDJ", "XDR_SYDW", "XDR_SHZZ")


def dual_publicity_fields(layout: str) -> tuple[DualPublicityField, ...]:
    try:
        return LAYOUTS[layout]
    except KeyError:
        raise ValueError(f"unknown dual-publicity layout {layout!r}: use CF or XK") from None


def dual_publicity_codes(layout: str) -> list[str]:
    return [f.code for f in dual_publicity_fields(layout)]


def wan_yuan_from_fen(fen: int) -> str:
    """200050 fen (2000.50 元) → "0.200050": 万元 with six decimals, through Decimal, never float."""
    if isinstance(fen, bool) or not isinstance(fen, int) or fen < 0:
        raise ValueError(f"an amount in fen must be a non-negative int, got {fen!r}")
    return f"{Decimal(fen).scaleb(-6):.6f}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value).strip()


def _label(field: DualPublicityField) -> str:
    return f"{field.name}（{field.code}）"


def _problem(code: str, field: DualPublicityField, message: str, basis: str = DUAL_PUBLICITY_BASIS) -> Violation:
    return Violation(f"dual_publicity.{code}", f"{_label(field)}{message}", basis, field.code)


def _date_of(value: str) -> dt.date | None:
    if not _DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _value_problems(field: DualPublicityField, value: str) -> list[Violation]:
    problems = []
    if field.max_length is not None and len(value) > field.max_length:
        problems.append(
            _problem("length", field, f"不能超过{field.max_length}个字符，当前为{len(value)}个字符")
        )
    if field.kind == DATE and _date_of(value) is None:
        problems.append(_problem("date", field, f"应为YYYY-MM-DD格式的有效日期，当前为“{value}”"))
    elif field.kind == AMOUNT and not _AMOUNT.fullmatch(value):
        problems.append(
            _problem("amount", field, f"应为以万元为单位的非负数，最多12位整数、6位小数，当前为“{value}”")
        )
    elif field.kind == PARTY_KIND and value not in PARTY_KINDS:
        problems.append(_problem("party_kind", field, f"只能是{'、'.join(PARTY_KINDS)}，当前为“{value}”"))
    elif field.kind == PERMIT_CATEGORY and value not in PERMIT_CATEGORIES and value not in PERMIT_CATEGORIES.values():
        problems.append(
            _problem("permit_category", field, f"只能是{'、'.join(PERMIT_CATEGORIES.values())}，当前为“{value}”")
        )
    elif field.kind == CREDIT_CODE:
        if value != credit_code_normalize(value):
            # The check below reads it in upper case; the platform compares codes as sent.
            problems.append(_problem("credit_code.case", field, "中的字母应当大写"))
        problems += [
            Violation(v.code, f"{_label(field)}：{v.message}", v.legal_basis, field.code)
            for v in credit_code_validate(value, field=field.code)
        ]
    return problems


def dual_publicity_row_problems(row: Mapping[str, Any], *, layout: str) -> list[Violation]:
    """Every reason the credit platform would refuse `row` (field code → value), or [] if none.

    Reported: missing required fields; values over the maximum length; 统一社会信用代码 that
    fail GB 32100 (the party's, the agency's, the data source's) wherever given, and the party's
    missing where it is an organisation; dates not YYYY-MM-DD; amounts not decimal 万元 with at
    most six decimals; a 行政相对人类别 outside the three of the standard; organisation codes
    given for a natural person; a fine listed without its amount; periods that end before they
    start."""
    fields = dual_publicity_fields(layout)
    by_code = {f.code: f for f in fields}
    values = {f.code: _text(row.get(f.code)) for f in fields}
    problems: list[Violation] = []
    for field in fields:
        value = values[field.code]
        if not value:
            if field.required:
                problems.append(_problem("required", field, "必须填写"))
            continue
        problems += _value_problems(field, value)

    party_kind = values[f"{layout}_XDR_LB"]
    credit_code = by_code[f"{layout}_XDR_SHXYM"]
    if party_kind == PARTY_ORGANIZATION and not values[credit_code.code]:
        problems.append(_problem("credit_code.required", credit_code, "在行政相对人为法人及非法人组织时必须填写"))
    if party_kind == PARTY_NATURAL_PERSON:
        for suffix in ORGANIZATION_CODE_SUFFIXES:
            field = by_code[f"{layout}_{suffix}"]
            if values[field.code]:
                problems.append(_problem("natural_person_code", field, "在行政相对人为自然人时应当为空"))

    if layout == "CF":
        if "罚款" in values["CF_CFLB"] and not values["CF_NR_FK"]:
            problems.append(_problem("fine_amount", by_code["CF_NR_FK"], "在处罚类别含罚款时必须填写"))
        problems += _order_problems(values, by_code, "CF_JDRQ", "CF_GSJZQ", "不能早于处罚决定日期")
        problems += _order_problems(values, by_code, "CF_JDRQ", "CF_YXQ", "不能早于处罚决定日期")
    else:
        problems += _order_problems(values, by_code, "XK_YXQZ", "XK_YXQZI", "不能早于有效期自")
    return problems


def _order_problems(
    values: dict[str, str], by_code: dict[str, DualPublicityField], first: str, then: str, message: str
) -> list[Violation]:
    start, end = _date_of(values[first]), _date_of(values[then])
    if start is not None and end is not None and end < start:
        return [_problem("date_order", by_code[then], message)]
    return []


__all__ = [
    "CF_FIELDS",
    "DUAL_PUBLICITY_BASIS",
    "FEN_PER_WAN_YUAN",
    "LAYOUTS",
    "LAYOUT_LABELS",
    "PARTY_INDIVIDUAL_BUSINESS",
    "PARTY_KINDS",
    "PARTY_NATURAL_PERSON",
    "PARTY_ORGANIZATION",
    "PERMIT_CATEGORIES",
    "XK_FIELDS",
    "DualPublicityField",
    "dual_publicity_codes",
    "dual_publicity_fields",
    "dual_publicity_row_problems",
    "wan_yuan_from_fen",
]
