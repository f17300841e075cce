"""The “双公示” field lists and row checks (legal_rules §5): every problem of a row is reported,
each against its field, and a complete row has none."""

import pytest

from sanxiang.procedure.dual_publicity import (
    CF_FIELDS,
    XK_FIELDS,
    dual_publicity_codes,
    dual_publicity_row_problems,
    wan_yuan_from_fen,
)

COMPANY_CODE = "91350100M000100Y43"  # legal_rules §6.1 vectors
AGENCY_CODE = "11230500001755309F"
BAD_CODE = "91350100M000100Y44"  # check character off by one


def cf_row(**values) -> dict[str, str]:
    row = dict.fromkeys(dual_publicity_codes("CF"), "")
    row |= {
        "CF_XDR_MC": "乌审旗草原味道餐饮有限公司",
        "CF_XDR_LB": "法人及非法人组织",
        "CF_XDR_SHXYM": COMPANY_CODE,
        "CF_FRDB": "巴特尔",
        "CF_WSH": "乌市监处罚〔2026〕12号",
        "CF_WFXW": "经营过期食品",
        "CF_SY": "经查，当事人于2026年3月2日经营超过保质期的食品。",
        "CF_YJ": "《中华人民共和国食品安全法》第一百二十四条",
        "CF_CFLB": "警告、罚款",
        "CF_NR": "警告，罚款人民币5000元。",
        "CF_NR_FK": "0.500000",
        "CF_JDRQ": "2026-03-25",
        "CF_GSJZQ": "2027-03-25",
        "CF_CFJG": "乌审旗市场监督管理局",
        "CF_CFJGDM": AGENCY_CODE,
        "CF_SJLY": "乌审旗市场监督管理局",
        "CF_SJLYDM": AGENCY_CODE,
    }
    return row | values


def xk_row(**values) -> dict[str, str]:
    row = dict.fromkeys(dual_publicity_codes("XK"), "")
    row |= {
        "XK_XDR_MC": "乌审旗草原味道餐饮有限公司",
        "XK_XDR_LB": "法人及非法人组织",
        "XK_XDR_SHXYM": COMPANY_CODE,
        "XK_XKWS": "准予行政许可决定书",
        "XK_WSH": "乌市监许〔2026〕3号",
        "XK_XKLB": "普通",
        "XK_NR": "准予食品经营许可",
        "XK_JDRQ": "2026-03-25",
        "XK_YXQZ": "2026-03-25",
        "XK_YXQZI": "2031-03-24",
        "XK_XKJG": "乌审旗市场监督管理局",
        "XK_XKJGDM": AGENCY_CODE,
        "XK_ZT": "1",
        "XK_LYDW": "乌审旗市场监督管理局",
        "XK_LYDWDM": AGENCY_CODE,
    }
    return row | values


def codes(problems) -> set[tuple[str | None, str]]:
    return {(p.field, p.code) for p in problems}


def test_the_field_lists_follow_section_5():
    cf = [f.code for f in CF_FIELDS]
    assert cf[:3] == ["CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM"] and cf[-1] == "BZ" and len(cf) == 30
    required = {f.code for f in CF_FIELDS if f.required}
    assert required == {
        "CF_XDR_MC", "CF_XDR_LB", "CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_JDRQ", "CF_CFJG",
        "CF_SJLY",
    }
    xk = [f.code for f in XK_FIELDS]
    assert {"XK_XKWS", "XK_WSH", "XK_XKLB", "XK_XKZS", "XK_XKBH", "XK_NR", "XK_JDRQ", "XK_YXQZ", "XK_YXQZI",
            "XK_XKJG", "XK_XKJGDM", "XK_ZT", "XK_LYDW", "XK_LYDWDM", "BZ"} <= set(xk)
    assert len(cf) == len(set(cf)) and len(xk) == len(set(xk))


def test_complete_rows_have_no_problem():
    assert dual_publicity_row_problems(cf_row(), layout="CF") == []
    assert dual_publicity_row_problems(xk_row(), layout="XK") == []
    natural = cf_row(CF_XDR_MC="张三", CF_XDR_LB="自然人", CF_XDR_SHXYM="", CF_FRDB="", CF_XDR_ZJLX="身份证")
    assert dual_publicity_row_problems(natural, layout="CF") == []
    # 个体工商户 may be known by an ID number only: no credit code is demanded.
    assert dual_publicity_row_problems(cf_row(CF_XDR_LB="个体工商户", CF_XDR_SHXYM=""), layout="CF") == []


@pytest.mark.parametrize("code", [f.code for f in CF_FIELDS if f.required])
def test_each_missing_required_field_is_reported(code):
    problems = dual_publicity_row_problems(cf_row(**{code: ""}), layout="CF")
    assert ("dual_publicity.required" in {p.code for p in problems if p.field == code}), problems
    assert all(p.legal_basis for p in problems)


def test_a_missing_key_counts_as_empty():
    row = cf_row()
    del row["CF_WSH"]
    assert codes(dual_publicity_row_problems(row, layout="CF")) == {("CF_WSH", "dual_publicity.required")}


def test_an_over_long_document_number_is_reported():
    problems = dual_publicity_row_problems(cf_row(CF_WSH="乌" * 129), layout="CF")
    assert codes(problems) == {("CF_WSH", "dual_publicity.length")}
    assert "128" in problems[0].message and "129" in problems[0].message
    assert dual_publicity_row_problems(cf_row(CF_WSH="乌" * 128), layout="CF") == []


@pytest.mark.parametrize("code", ["CF_XDR_SHXYM", "CF_CFJGDM", "CF_SJLYDM"])
def test_a_wrong_credit_code_is_reported_wherever_it_is_given(code):
    problems = dual_publicity_row_problems(cf_row(**{code: BAD_CODE}), layout="CF")
    assert codes(problems) == {(code, "credit_code.check")}
    assert "GB 32100" in problems[0].legal_basis and "第18位" in problems[0].message


def test_credit_codes_of_every_kind_of_error():
    for value, expected in (
        ("9135010", "credit_code.length"),
        ("91350100M000100YO3", "credit_code.character"),
        ("91350100m000100y43", "dual_publicity.credit_code.case"),
    ):
        found = {p.code for p in dual_publicity_row_problems(cf_row(CF_XDR_SHXYM=value), layout="CF")}
        assert expected in found, (value, found)


def test_an_organisation_needs_its_credit_code_and_a_natural_person_has_none():
    problems = dual_publicity_row_problems(cf_row(CF_XDR_SHXYM=""), layout="CF")
    assert codes(problems) == {("CF_XDR_SHXYM", "dual_publicity.credit_code.required")}
    person = cf_row(CF_XDR_LB="自然人", CF_XDR_ZZJG="M0001004", CF_XDR_SWDJ="150626000000001")
    assert codes(dual_publicity_row_problems(person, layout="CF")) == {
        ("CF_XDR_SHXYM", "dual_publicity.natural_person_code"),
        ("CF_XDR_ZZJG", "dual_publicity.natural_person_code"),
        ("CF_XDR_SWDJ", "dual_publicity.natural_person_code"),
    }


def test_party_category_must_be_one_of_the_three():
    problems = dual_publicity_row_problems(cf_row(CF_XDR_LB="企业"), layout="CF")
    assert codes(problems) == {("CF_XDR_LB", "dual_publicity.party_kind")}


@pytest.mark.parametrize("value", ["2026/03/25", "20260325", "2026-02-30", "2026-3-5", "26-03-25"])
def test_dates_must_be_real_yyyy_mm_dd(value):
    assert codes(dual_publicity_row_problems(cf_row(CF_JDRQ=value, CF_GSJZQ=""), layout="CF")) == {
        ("CF_JDRQ", "dual_publicity.date")
    }


@pytest.mark.parametrize("value", ["0.5", "12", "0.000001", "123456789012.123456"])
def test_amounts_in_wan_yuan_with_up_to_six_decimals_pass(value):
    assert dual_publicity_row_problems(cf_row(CF_NR_FK=value, CF_NR_WFFF=value), layout="CF") == []


@pytest.mark.parametrize("value", ["0.0000001", "-1", "1,000", "5000元", "1e3", "1234567890123"])
def test_amounts_that_are_not_decimal_wan_yuan_are_reported(value):
    assert codes(dual_publicity_row_problems(cf_row(CF_NR_FK=value), layout="CF")) == {
        ("CF_NR_FK", "dual_publicity.amount")
    }


def test_a_fine_without_its_amount_and_a_display_end_before_the_decision():
    problems = dual_publicity_row_problems(cf_row(CF_NR_FK="", CF_GSJZQ="2026-03-24"), layout="CF")
    assert codes(problems) == {("CF_NR_FK", "dual_publicity.fine_amount"), ("CF_GSJZQ", "dual_publicity.date_order")}


def test_every_problem_of_a_row_is_reported_at_once():
    row = cf_row(CF_XDR_MC="", CF_WSH="号" * 200, CF_CFJGDM=BAD_CODE, CF_JDRQ="2026.03.25", CF_NR_FK="五千")
    assert codes(dual_publicity_row_problems(row, layout="CF")) == {
        ("CF_XDR_MC", "dual_publicity.required"),
        ("CF_WSH", "dual_publicity.length"),
        ("CF_CFJGDM", "credit_code.check"),
        ("CF_JDRQ", "dual_publicity.date"),
        ("CF_NR_FK", "dual_publicity.amount"),
    }


def test_permit_rows():
    assert dual_publicity_row_problems(xk_row(XK_XKLB="01"), layout="XK") == []
    assert codes(dual_publicity_row_problems(xk_row(XK_XKLB="许可"), layout="XK")) == {
        ("XK_XKLB", "dual_publicity.permit_category")
    }
    assert codes(dual_publicity_row_problems(xk_row(XK_YXQZI="2026-01-01"), layout="XK")) == {
        ("XK_YXQZI", "dual_publicity.date_order")
    }
    assert codes(dual_publicity_row_problems(xk_row(XK_XKJGDM=BAD_CODE, XK_WSH=""), layout="XK")) == {
        ("XK_XKJGDM", "credit_code.check"),
        ("XK_WSH", "dual_publicity.required"),
    }


def test_unknown_layout_is_an_error():
    with pytest.raises(ValueError):
        dual_publicity_row_problems({}, layout="ZZ")


@pytest.mark.parametrize(
    ("fen", "expected"),
    [(1_000_000, "1.000000"), (200_050, "0.200050"), (1, "0.000001"), (0, "0.000000"), (123_456_789_012, "123456.789012")],
)
def test_fen_to_wan_yuan_is_exact(fen, expected):
    assert wan_yuan_from_fen(fen) == expected


@pytest.mark.parametrize("bad", [-1, 1.5, True, "100"])
def test_fen_to_wan_yuan_refuses_what_is_not_fen(bad):
    with pytest.raises(ValueError):
        wan_yuan_from_fen(bad)
