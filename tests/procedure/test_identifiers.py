"""GB 32100-2015 (统一社会信用代码) and GB 11643-1999 (公民身份号码) check algorithms, with the
vectors of legal_rules.md §6."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.procedure.identifiers import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
    credit_code_validate,
    id_number_check_character,
    id_number_mask,
    id_number_validate,
    organization_code_check_character,
)

VALID_CREDIT_CODES = ["91350100M000100Y43", "11230500001755309F", "91512081MA62K0260E"]
VALID_ID_NUMBERS = ["11010519491231002X", "440524188001010014", "513101198201130014"]


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_reference_credit_codes_are_accepted(code):
    assert credit_code_validate(code) == []


def test_gb_worked_example_with_wrong_check_character_is_rejected():
    # GB 32100 prints the example as "…Y4Z"; Z is not even in the code's alphabet.
    violations = credit_code_validate("91350100M000100Y4Z")
    assert [v.code for v in violations] == ["credit_code.character"]
    assert "第18位“Z”" in violations[0].message
    assert violations[0].legal_basis.startswith("GB 32100-2015")


def test_blog_example_fails_both_checks_and_says_which_character_is_expected():
    violations = credit_code_validate("91310115MA1H8R7C6D")
    assert {v.code for v in violations} == {"credit_code.organization_code", "credit_code.check"}
    check = next(v for v in violations if v.code == "credit_code.check")
    assert check.message.startswith("第18位校验码应为“7”，实际为“D”")


def test_credit_code_length_and_case_are_reported_in_chinese():
    assert credit_code_validate("9135010")[0].message == "统一社会信用代码应为18位，当前为7位"
    assert credit_code_validate(" 91350100m000100y43 ") == []


def test_credit_code_reports_every_reason_at_once():
    # wrong department code, wrong region, wrong check character: all three are reported.
    # 'B' is in the alphabet but is no registering department; 99 is no province.
    code = "B1990000" + "M000100Y4" + "0"
    codes = {v.code for v in credit_code_validate(code)}
    assert {"credit_code.department", "region_code.province", "credit_code.check"} <= codes


@pytest.mark.parametrize("number", VALID_ID_NUMBERS)
def test_reference_id_numbers_are_accepted(number):
    assert id_number_validate(number) == []


def test_lowercase_x_is_normalised():
    assert id_number_validate("11010519491231002x") == []


def test_id_number_with_impossible_birth_date_is_rejected():
    first17 = "15062619850230" + "001"  # 30 February
    number = first17 + id_number_check_character(first17)
    violations = id_number_validate(number)
    assert [v.code for v in violations] == ["id_number.birth_date"]
    assert "19850230" in violations[0].message


def test_id_number_born_in_the_future_is_rejected():
    first17 = "150626" + "20300101" + "001"
    number = first17 + id_number_check_character(first17)
    assert [v.code for v in id_number_validate(number, today=dt.date(2026, 11, 26))] == ["id_number.birth_date"]


def test_masking_keeps_region_and_last_four():
    assert id_number_mask("11010519491231002X") == "110105********002X"
    # Other numbers keep at most their last 4 characters, and never more than a third.
    assert id_number_mask("H0123456789") == "********789"  # an old 港澳通行证 number: 3 of 11 shown
    assert id_number_mask("110105491231002") == "***********1002"
    assert id_number_mask("E1234567") == "******67"
    assert id_number_mask("AB") == "**"


# Property tests: every valid code, and every single-character change of it ---------------------

organization_bodies = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8)
departments = st.sampled_from(["11", "12", "13", "19", "31", "51", "91", "92", "93", "N1", "Y1"])
regions = st.sampled_from(["110105", "150626", "150602", "440305", "350100", "650102"])


@st.composite
def valid_credit_codes(draw):
    body = draw(organization_bodies)
    first17 = draw(departments) + draw(regions) + body + organization_code_check_character(body)
    return first17 + credit_code_check_character(first17)


@st.composite
def valid_id_numbers(draw):
    birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)))
    serial = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{draw(regions)}{birth:%Y%m%d}{serial:03d}"
    return first17 + id_number_check_character(first17)


@given(valid_credit_codes())
def test_generated_credit_codes_are_valid(code):
    assert credit_code_validate(code) == []


@given(valid_credit_codes(), st.integers(min_value=0, max_value=17), st.sampled_from(list(CREDIT_CODE_ALPHABET + "IOSVZ")))
def test_every_single_character_change_of_a_credit_code_is_rejected(code, position, replacement):
    if code[position] == replacement:
        replacement = CREDIT_CODE_ALPHABET[(CREDIT_CODE_ALPHABET.index(replacement) + 1) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    assert credit_code_validate(changed, check_organization_code=False) != []


@given(valid_id_numbers())
def test_generated_id_numbers_are_valid(number):
    assert id_number_validate(number) == []


@given(valid_id_numbers(), st.integers(min_value=0, max_value=17), st.sampled_from(list("0123456789X")))
def test_every_single_character_change_of_an_id_number_is_rejected(number, position, replacement):
    if number[position] == replacement:
        replacement = "0123456789X"[("0123456789X".index(replacement) + 1) % 11]
    changed = number[:position] + replacement + number[position + 1 :]
    assert id_number_validate(changed) != []


@pytest.mark.parametrize("replacement", ["²", "１", "٣"])
def test_an_id_number_with_a_digit_that_is_not_ascii_is_refused_not_an_error(replacement):
    """str.isdigit() takes "²" (which int() refuses: a ValueError, a 500 on a form) and full-width
    or Arabic-Indic digits (which int() reads): only 0-9 are the digits of GB 11643."""
    for position in (0, 8, 16):
        number = VALID_ID_NUMBERS[1][:position] + replacement + VALID_ID_NUMBERS[1][position + 1:]
        assert [v.code for v in id_number_validate(number)] == ["id_number.character"], number
    assert [v.code for v in id_number_validate(VALID_ID_NUMBERS[1][:17] + replacement)] == ["id_number.character"]

