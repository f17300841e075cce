"""How the freeze form's account lines become accounts: the amount is read strictly (digits, at most
two decimals, within what a 冻结决定书 can print), never through Decimal's exponents, NaN or
infinity, so that no amount typed can later make a document fail."""

import pytest

from sanxiang.procedure.coercion.texts import AMOUNT_MAX_FEN, Account, account_line_problems, amount_fen_parse

BANK = "中国农业银行乌审旗支行，乌审旗草原味道餐饮有限公司，6228480000000001，"


@pytest.mark.parametrize(
    ("text", "fen"),
    [("30000", 3_000_000), ("30000元", 3_000_000), (" 30000.5 ", 3_000_050), ("0.01", 1), ("000100", 10_000),
     ("999999999999.99", AMOUNT_MAX_FEN)],
)
def test_an_amount_of_yuan_is_read_in_fen(text, fen):
    assert amount_fen_parse(text) == fen


@pytest.mark.parametrize(
    "text",
    ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "1e30", "1E3", "1e5000", "1e999999999", "-5", "+5", "0",
     "0.00", "0.001", "1000000000000", "3万", "30 000", "３００", "", "元", "30000.", ".5", "1_000"],
)
def test_anything_else_is_no_amount(text):
    assert amount_fen_parse(text) is None


def test_each_bad_line_is_named_with_what_is_wrong_with_it():
    lines = [BANK + "30000", BANK + "NaN", "中国农业银行乌审旗支行，6228480000000001", BANK + "1e30", "  "]
    accounts, bad = account_line_problems(lines)
    assert accounts == (Account("中国农业银行乌审旗支行", "乌审旗草原味道餐饮有限公司", "6228480000000001", 3_000_000),)
    assert bad == [("amount", BANK + "NaN"), ("fields", "中国农业银行乌审旗支行，6228480000000001"), ("amount", BANK + "1e30")]


def test_an_account_stored_with_an_amount_out_of_range_is_incomplete():
    """A decision cannot state such an amount (行政强制法第三十一条第二款: 冻结的账号和数额): the
    element is missing, and the take is refused rather than failing while printing."""
    assert Account("银行", "户名", "1", AMOUNT_MAX_FEN).complete
    assert not Account("银行", "户名", "1", AMOUNT_MAX_FEN + 1).complete
    assert not Account("银行", "户名", "1", 10**32).complete
    assert not Account("银行", "户名", "1", 0).complete
