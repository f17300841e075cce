"""Amounts in 大写 (中国人民银行《支付结算办法》附一), numerals of periods, dates."""

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.documents.text import (
    AMOUNT_MAX_FEN,
    amount_render,
    amount_render_capital,
    amount_render_figures,
    clause_render,
    date_render,
    datetime_render,
    number_render_chinese,
    period_render,
    proves_render,
    sentence_render,
)


@pytest.mark.parametrize(
    ("fen", "capital"),
    [
        (0, "人民币零元整"),
        (5, "人民币伍分"),  # 0.05: no 零元 before the 分
        (50, "人民币伍角"),
        (1_000, "人民币壹拾元整"),  # 10.00: 壹 before a leading 拾
        (1_001_050, "人民币壹万零壹拾元伍角"),  # 10010.50
        (100_000_000, "人民币壹佰万元整"),  # 1,000,000.00
        (10_000_000_000, "人民币壹亿元整"),  # 1 亿
        (300_000, "人民币叁仟元整"),
        (105, "人民币壹元零伍分"),  # the zero 角 between 元 and 分 is written
        (168_032, "人民币壹仟陆佰捌拾元叁角贰分"),
        (10_700_053, "人民币壹拾万柒仟元伍角叁分"),
        (11_000_000, "人民币壹拾壹万元整"),
        (10_000_000_100, "人民币壹亿零壹元整"),
        (10_001_000_000, "人民币壹亿零壹万元整"),
        (200_050_000_000, "人民币贰拾亿零伍拾万元整"),
        (100_100_000, "人民币壹佰万壹仟元整"),
        (48_000, "人民币肆佰捌拾元整"),
        (AMOUNT_MAX_FEN, "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amount_capital(fen, capital):
    assert amount_render_capital(fen=fen) == capital


@pytest.mark.parametrize(
    ("fen", "figures"),
    [
        (0, "¥0.00"),
        (5, "¥0.05"),
        (1_000, "¥10.00"),
        (1_001_050, "¥10,010.50"),
        (100_000_000, "¥1,000,000.00"),
    ],
)
def test_amount_figures(fen, figures):
    assert amount_render_figures(fen=fen) == figures


def test_amount_both_forms():
    assert amount_render(fen=300_000) == "人民币叁仟元整（¥3,000.00）"


@pytest.mark.parametrize("fen", [-1, AMOUNT_MAX_FEN + 1])
def test_amount_out_of_range_is_refused(fen):
    with pytest.raises(ValueError):
        amount_render_capital(fen=fen)


CAPITAL_VALUE = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
SMALL_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _capital_parse(text: str) -> int:
    """Read a 大写 amount back into fen (an independent reading, to test the writer against)."""
    assert text.startswith("人民币")
    body = text.removeprefix("人民币")
    yuan_text, _, cents_text = body.partition("元") if "元" in body else ("", "", body)
    total = 0
    section = 0
    digit = 0
    for char in yuan_text:
        if char in CAPITAL_VALUE:
            digit = CAPITAL_VALUE[char]
        elif char in SMALL_UNITS:
            section += digit * SMALL_UNITS[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        elif char == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
    yuan = total + section + digit
    cents = 0
    for value, unit in re.findall("([壹贰叁肆伍陆柒捌玖])([角分])", cents_text):
        cents += CAPITAL_VALUE[value] * (10 if unit == "角" else 1)
    return yuan * 100 + cents


@given(st.integers(min_value=0, max_value=AMOUNT_MAX_FEN))
def test_amount_capital_reads_back_and_follows_the_rules(fen):
    text = amount_render_capital(fen=fen)
    assert _capital_parse(text) == fen
    assert "零零" not in text
    assert not text.startswith("人民币拾")  # always 壹拾
    assert "零元" not in text or text == "人民币零元整"
    assert text.endswith(("整", "角", "分"))
    assert text.endswith("整") == (fen % 100 == 0)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "零"),
        (5, "五"),
        (10, "十"),
        (15, "十五"),
        (60, "六十"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1001, "一千零一"),
    ],
)
def test_number_render_chinese(value, text):
    assert number_render_chinese(value=value) == text


def test_dates_as_documents_print_them():
    assert date_render(on=dt.date(2026, 11, 26)) == "2026年11月26日"
    assert date_render(on=dt.date(2026, 1, 5)) == "2026年1月5日"
    assert datetime_render(at=dt.datetime(2026, 9, 3, 9, 5)) == "2026年9月3日9时05分"
    start, end = dt.datetime(2026, 9, 3, 9, 30), dt.datetime(2026, 9, 3, 10, 40)
    assert period_render(start=start, end=end) == "2026年9月3日9时30分至10时40分"
    assert (
        period_render(start=start, end=end + dt.timedelta(days=1))
        == "2026年9月3日9时30分至2026年9月4日10时40分"
    )


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("同意承办机构意见", "同意承办机构意见。"),
        ("同意承办机构意见。", "同意承办机构意见。"),
        ("维持拟作出的处罚决定。。", "维持拟作出的处罚决定。"),
        ("维持拟作出的处罚决定，", "维持拟作出的处罚决定。"),
        ("  维持；  ", "维持。"),
        ("是否申请回避？", "是否申请回避？"),
        ("", ""),
        ("。", ""),
    ],
)
def test_user_text_ends_a_sentence_with_one_mark(typed, sentence):
    """集体讨论 summaries ended in "。。" (issue 13): the document's mark replaces the user's."""
    assert sentence_render(typed) == sentence


def test_a_clause_loses_its_closing_mark_and_what_it_proves_its_repeated_verb():
    assert clause_render("经营超过保质期的食品。") == "经营超过保质期的食品"
    # 决定书 printed "现场照片，证明证明涉案商品" when the officer typed 证明 himself.
    assert proves_render("证明涉案商品。") == "涉案商品"
    assert proves_render("用以证明：进货情况") == "进货情况"
    assert proves_render("涉案商品的来源") == "涉案商品的来源"
