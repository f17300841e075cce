"""Check algorithms of Chinese identifiers.

- 统一社会信用代码 (credit code): GB 32100-2015, with the embedded 组织机构代码 of GB 11714-1997.
- 公民身份号码 (citizen ID number): GB 11643-1999, ISO 7064 MOD 11-2.

Each check returns every problem it finds, each with a message saying what is wrong.
"""

import datetime as dt

from sanxiang.procedure.violations import Violation

GB_32100 = "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》"
GB_11714 = "GB 11714-1997《全国组织机构代码编制规则》"
GB_11643 = "GB 11643-1999《公民身份号码》"

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORGANIZATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
ID_NUMBER_CHECK_CHARACTERS = "10X98765432"

# 登记管理部门码 and the 机构类别码 allowed under each (GB 32100-2015 表1).
CREDIT_CODE_DEPARTMENTS: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
    "2": "19",  # 外交
    "3": "12345",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "129",  # 工会
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "12349",  # 农业
    "Y": "1",  # 其他
}

# First two digits of GB/T 2260 administrative-division codes (provinces and equivalents).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


def credit_code_normalize(value: str) -> str:
    return value.strip().upper()


def credit_code_check_character(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def organization_code_check_character(first8: str) -> str:
    total = sum(int(ch, 36) * w for ch, w in zip(first8, ORGANIZATION_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def region_code_validate(code: str, *, field: str, what: str) -> list[Violation]:
    if len(code) != 6 or not code.isdigit():
        return [Violation("region_code.format", f"{what}应为6位数字，当前为“{code}”", "GB/T 2260", field)]
    if code[:2] not in PROVINCE_CODES:
        return [
            Violation(
                "region_code.province",
                f"{what}“{code}”的前两位“{code[:2]}”不是有效的省级行政区划代码",
                "GB/T 2260《中华人民共和国行政区划代码》",
                field,
            )
        ]
    return []


def credit_code_validate(
    value: str, *, field: str = "credit_code", check_organization_code: bool = True
) -> list[Violation]:
    """Every reason why `value` is not a valid 统一社会信用代码, or [] if it is."""
    code = credit_code_normalize(value)
    if not code:
        return [Violation("credit_code.empty", "请填写统一社会信用代码", GB_32100, field)]
    if len(code) != 18:
        return [
            Violation(
                "credit_code.length", f"统一社会信用代码应为18位，当前为{len(code)}位", GB_32100, field
            )
        ]
    bad = [(i + 1, ch) for i, ch in enumerate(code) if ch not in CREDIT_CODE_ALPHABET]
    if bad:
        listed = "、".join(f"第{pos}位“{ch}”" for pos, ch in bad)
        return [
            Violation(
                "credit_code.character",
                f"统一社会信用代码含有不允许的字符：{listed}（只能使用数字和除I、O、S、V、Z以外的大写字母）",
                GB_32100,
                field,
            )
        ]
    violations: list[Violation] = []
    department, category = code[0], code[1]
    if department not in CREDIT_CODE_DEPARTMENTS:
        violations.append(
            Violation("credit_code.department", f"第1位登记管理部门码“{department}”不存在", GB_32100, field)
        )
    elif category not in CREDIT_CODE_DEPARTMENTS[department]:
        violations.append(
            Violation(
                "credit_code.category",
                f"第2位机构类别码“{category}”不属于登记管理部门“{department}”",
                GB_32100,
                field,
            )
        )
    violations += region_code_validate(code[2:8], field=field, what="第3–8位登记管理机关行政区划码")
    if check_organization_code:
        organization_code = code[8:17]
        if not all(ch.isdigit() or "A" <= ch <= "Z" for ch in organization_code[:8]) or not (
            organization_code[8].isdigit() or organization_code[8] == "X"
        ):
            violations.append(
                Violation(
                    "credit_code.organization_code",
                    f"第9–17位主体标识码“{organization_code}”格式不正确",
                    GB_11714,
                    field,
                )
            )
        else:
            expected = organization_code_check_character(organization_code[:8])
            if organization_code[8] != expected:
                violations.append(
                    Violation(
                        "credit_code.organization_code",
                        f"第9–17位主体标识码（组织机构代码）的校验位应为“{expected}”，实际为“{organization_code[8]}”",
                        GB_11714,
                        field,
                    )
                )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        violations.append(
            Violation(
                "credit_code.check",
                f"第18位校验码应为“{expected}”，实际为“{code[17]}”，请核对是否有字符录入错误",
                GB_32100,
                field,
            )
        )
    return violations


def id_number_normalize(value: str) -> str:
    return value.strip().upper()


def id_number_check_character(first17: str) -> str:
    return ID_NUMBER_CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, ID_NUMBER_WEIGHTS, strict=True)) % 11]


def id_number_birth_date(value: str) -> dt.date | None:
    code = id_number_normalize(value)
    try:
        return dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return None


def id_number_validate(value: str, *, field: str = "id_number", today: dt.date | None = None) -> list[Violation]:
    """Every reason why `value` is not a valid 18-digit 公民身份号码, or [] if it is."""
    code = id_number_normalize(value)
    if not code:
        return [Violation("id_number.empty", "请填写公民身份号码", GB_11643, field)]
    if len(code) != 18:
        return [Violation("id_number.length", f"公民身份号码应为18位，当前为{len(code)}位", GB_11643, field)]
    # ASCII digits: str.isdigit() also takes "²" (which int() refuses) and full-width "１".
    if not (code[:17].isascii() and code[:17].isdigit()) or not ("0" <= code[17] <= "9" or code[17] == "X"):
        return [
            Violation(
                "id_number.character", "公民身份号码前17位应为数字，第18位应为数字或X", GB_11643, field
            )
        ]
    violations = region_code_validate(code[:6], field=field, what="前6位地址码")
    birth = id_number_birth_date(code)
    today = today or dt.date.today()
    if birth is None:
        violations.append(
            Violation("id_number.birth_date", f"第7–14位出生日期“{code[6:14]}”不是有效日期", GB_11643, field)
        )
    elif birth > today or birth.year < 1850:
        violations.append(
            Violation("id_number.birth_date", f"第7–14位出生日期“{code[6:14]}”不合理", GB_11643, field)
        )
    expected = id_number_check_character(code[:17])
    if code[17] != expected:
        violations.append(
            Violation(
                "id_number.check",
                f"第18位校验码应为“{expected}”，实际为“{code[17]}”，请核对是否有数字录入错误",
                GB_11643,
                field,
            )
        )
    return violations


def id_number_mask(value: str) -> str:
    """An 18-character 居民身份证号码: the first 6 and last 4 characters kept, as is common practice
    for display (the 双公示 rule). Any other number (a passport, a permit, a 15-digit card) keeps
    at most its last 4 characters and never more than a third of it: 6 + 4 of an 11-character
    permit number would show 10 of its 11 characters (a platform rule)."""
    code = id_number_normalize(value)
    if len(code) == 18:
        return code[:6] + "*" * 8 + code[-4:]
    kept = min(4, len(code) // 3)
    return "*" * (len(code) - kept) + (code[-kept:] if kept else "")
