"""Publication rules (行政执法公示): redaction, what is never published, and the periods.

Redaction is tested as a property: random valid personal values, put anywhere in random Chinese
text, never survive; the values to keep always do.
"""

import datetime as dt
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.procedure.calendar import working_day_calendar_default
from sanxiang.procedure.identifiers import id_number_check_character
from sanxiang.procedure.publication import (
    PublicationFacts,
    display_period,
    name_masked,
    publication_due,
    publication_refusals,
    text_redact,
    withdrawal_due,
)

D = dt.date
CALENDAR = working_day_calendar_default()
FILLER = "经查当事人于本月在经营场所销售过期食品并拒不改正现场检查笔录询问笔录证实违法事实清楚证据确凿"


@st.composite
def id_numbers(draw) -> str:
    birth = draw(st.dates(min_value=D(1940, 1, 1), max_value=D(2010, 12, 31)))
    region = draw(st.sampled_from(["150626", "110105", "440305", "510107"]))
    first17 = f"{region}{birth:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + id_number_check_character(first17)


mobiles = st.builds(lambda p, n: f"1{p}{n:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1))
bank_cards = st.builds(lambda n, k: ("62" + f"{n:017d}")[:k], st.integers(0, 10**17 - 1), st.integers(16, 19))
addresses = st.builds(
    lambda town, road, no, room: f"乌审旗{town}{road}{no}号{room}室",
    st.sampled_from(["嘎鲁图镇", "图克镇", "无定河镇", "苏力德苏木"]),
    st.sampled_from(["团结路", "萨拉乌苏大街", "统万路", "草原街"]),
    st.integers(1, 999),
    st.integers(101, 2999),
)
plates = st.builds(lambda p, letter, n: f"{p}{letter}{n}", st.sampled_from("蒙京冀晋陕"), st.sampled_from("ABCKLM"),
                   st.text(alphabet=string.digits + "ABCDEFGHJK", min_size=5, max_size=5))
fillers = st.text(alphabet=FILLER + "，。；", min_size=0, max_size=30)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.one_of(id_numbers(), mobiles, bank_cards, addresses, plates), min_size=1, max_size=5),
    gaps=st.lists(fillers, min_size=6, max_size=6),
)
def test_personal_values_anywhere_in_free_text_are_hidden(values, gaps):
    """浙江办法第七条; 个人信息保护法第二十八条: ID numbers, phones, bank accounts, natural persons'
    addresses and plates never survive redaction, whatever surrounds them."""
    text = gaps[0] + "".join(v + gaps[i + 1] for i, v in enumerate(values))
    redacted = text_redact(text, field="facts", keep=["91150626MA0N1234X5"])
    assert [v for v in values if v in redacted.text] == []
    assert len(redacted.redactions) >= 1
    for r in redacted.redactions:
        assert r.digest and text[r.start:r.end] not in redacted.text


@settings(max_examples=200, deadline=None)
@given(name=st.text(alphabet="王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗建国秀英桂兰海燕志强", min_size=2, max_size=3),
       gaps=st.lists(fillers, min_size=3, max_size=3))
def test_third_parties_are_masked_and_the_party_is_kept(name, gaps):
    """Third parties' names are hidden (surname + 某); the punished party's own name stays."""
    party = "巴特尔"
    text = f"{gaps[0]}当事人{party}{gaps[1]}证人{name}证实{gaps[2]}"
    redacted = text_redact(text, field="facts", keep=[party], third_parties=[name])
    assert party in redacted.text
    assert name not in redacted.text.replace(party, "")
    assert name_masked(name) in redacted.text


def test_what_stays_public():
    """Organisation names, credit codes, the legal representative and the agency's own phone are kept."""
    text = "乌审旗草原味道餐饮有限公司（统一社会信用代码91150626MA0N1234X5，法定代表人巴特尔），本局电话0477-7212345。"
    kept = ["乌审旗草原味道餐饮有限公司", "91150626MA0N1234X5", "巴特尔", "0477-7212345"]
    assert text_redact(text, field="facts", keep=kept).text == text


def test_a_longer_value_that_contains_a_kept_one_is_still_hidden():
    """A natural person living at the company's address: the address with the flat is hidden."""
    text = "住乌审旗嘎鲁图镇团结路12号3单元201室"
    redacted = text_redact(text, field="facts", keep=["乌审旗嘎鲁图镇团结路12号"])
    assert "201室" not in redacted.text and redacted.text.startswith("住")


def test_health_data_is_hidden():
    assert "糖尿病" not in text_redact("当事人称其患有糖尿病，请求从轻。", field="facts").text


def facts(**changes) -> PublicationFacts:
    base = {"decided_on": D(2026, 3, 25), "act_date": D(2026, 3, 2), "kinds": frozenset({"fine"}), "fine_fen": 300000,
            "sector": "市场监管"}
    return PublicationFacts(**(base | changes))


def test_never_published_minors_secrets_warnings_and_summary():
    """未成年人保护法第一百零三条 with 行政处罚法第四十八条, 政府信息公开条例第十四条、第十五条,
    市场监管行政处罚信息公示规定第二条."""
    assert publication_refusals(facts()) == []
    minor = publication_refusals(facts(party_kind="natural_person", party_birth_date=D(2009, 3, 3)))
    assert [v.code for v in minor] == ["publication.minor"]
    assert minor[0].message == "当事人在违法行为发生时未满18周岁，不予公开"
    # National law, not a province's rule that does not apply in this county.
    assert minor[0].legal_basis.startswith("《中华人民共和国未成年人保护法》第一百零三条")
    assert "《中华人民共和国行政处罚法》第四十八条" in minor[0].legal_basis
    assert "浙江" not in minor[0].legal_basis
    # 周岁 as the engine reads it (第三十条): on the 18th birthday itself the years are not yet
    # completed; from the next day they are.
    birthday = facts(party_kind="natural_person", party_birth_date=D(2008, 3, 2))
    assert [v.code for v in publication_refusals(birthday)] == ["publication.minor"]
    adult = facts(party_kind="natural_person", party_birth_date=D(2008, 3, 1))
    assert publication_refusals(adult) == []
    assert [v.code for v in publication_refusals(facts(secrets_or_privacy=True))] == ["publication.secrets"]
    warning = publication_refusals(facts(kinds=frozenset({"warning"}), fine_fen=0))
    assert [v.code for v in warning] == ["publication.warning_only"]
    assert "第二条" in warning[0].legal_basis
    assert publication_refusals(facts(kinds=frozenset({"warning"}), fine_fen=0, sector="生态环境")) == []
    assert [v.code for v in publication_refusals(facts(procedure="summary"))] == ["publication.summary_procedure"]


def test_publish_within_seven_working_days_and_withdraw_within_three_across_holidays():
    """118号: 7 working days; 行政处罚法第四十八条: withdrawn within 3 working days."""
    assert publication_due(facts(), calendar=CALENDAR).date == D(2026, 4, 3)
    national_day = publication_due(facts(decided_on=D(2026, 9, 29)), calendar=CALENDAR)
    assert national_day.date == D(2026, 10, 14)  # 国庆 Oct 1-7 off; Sat Oct 10 is worked
    assert publication_due(facts(decision_kind="other"), calendar=CALENDAR).date == D(2026, 4, 23)
    assert withdrawal_due(D(2026, 4, 2), facts(), calendar=CALENDAR).date == D(2026, 4, 8)
    assert withdrawal_due(D(2026, 4, 2), facts(), calendar=CALENDAR).basis.startswith("《中华人民共和国行政处罚法》第四十八条")


def test_the_longest_display_period_applies():
    """市场监管行政处罚信息公示规定第十三条: 3 months for a lower fine or 通报批评, 3 years otherwise; the
    longest period of the kinds imposed applies."""
    start = D(2026, 4, 1)
    assert display_period(facts(), starts_on=start).months == 3
    assert display_period(facts(fine_fen=5_000_000), starts_on=start).months == 36
    assert display_period(facts(fine_fen=5_000_000, sector="生态环境"), starts_on=start).months == 12
    revoked = display_period(facts(kinds=frozenset({"fine", "revoke_permit"}), sector="生态环境"), starts_on=start)
    assert (revoked.months, revoked.ends_on) == (36, D(2029, 3, 31))


def test_rural_and_estate_addresses_and_patients_are_hidden():
    """Found in review: addresses without a house number, and health data without 患有."""
    for text, hidden in (
        ("住乌审旗图克镇沙尔利格嘎查三组，", "沙尔利格嘎查三组"),
        ("住萨拉乌苏社区3号楼2单元501室。", "501室"),
        ("当事人系糖尿病患者。", "糖尿病"),
    ):
        assert hidden not in text_redact(text, field="facts").text, text


def test_a_date_before_the_rules_took_effect_holds_the_draft_back_with_the_reason_never_an_exception():
    """Issue 10 item 2: a parameter without a value on the decision's date is a violation with its
    reason (here 行政处罚法第四十八条's 3 working days to withdraw, in force from 2021-07-15, and the
    118号 publication rules, from 2018-12-05), never an exception that breaks the decision step."""
    old = facts(decided_on=D(2017, 6, 1), act_date=D(2017, 5, 2))
    refusals = publication_refusals(old)
    assert [v.code for v in refusals] == ["parameter.missing.publication.minor_age_years"]
    assert "2017-06-01" in refusals[0].message and "2018-12-05" in refusals[0].message
    due = publication_due(old, calendar=CALENDAR)
    assert due.date == D(2017, 6, 1) and due.estimated and "2018-12-05" in due.basis
    withdrawal = withdrawal_due(D(2020, 1, 6), facts(decided_on=D(2019, 6, 3), act_date=D(2019, 5, 2)),
                                calendar=CALENDAR)
    assert withdrawal.estimated and "2021-07-15" in withdrawal.basis
    # 2020: the low-fine rule (from 2021-09-01) was not yet in force, so a small fine is a fine.
    early = facts(decided_on=D(2020, 6, 1), act_date=D(2020, 5, 2), fine_fen=10000)
    assert publication_refusals(early) == []
    assert display_period(early, starts_on=D(2020, 6, 1)).months > 0


@pytest.mark.parametrize("text, names, expected", [
    ("王大明涉嫌经营超过保质期的食品案", ["王大明"], "王某某涉嫌经营超过保质期的食品案"),
    ("欧阳娜娜涉嫌无证经营案", ["欧阳娜娜", "欧阳娜娜"], "欧阳某某涉嫌无证经营案"),
    ("买买提·艾力涉嫌无证经营案；买买提到场", ["买买提·艾力"], "买某某涉嫌无证经营案；买某某到场"),
    ("王\u200b大明涉嫌无证经营案", ["王大明"], "王某某涉嫌无证经营案"),
    ("涉嫌无证经营案", ["王大明", "", "王"], "涉嫌无证经营案"),
])
def test_names_are_masked_wherever_they_appear_in_a_text(text, names, expected):
    from sanxiang.procedure.publication import names_masked_in

    assert names_masked_in(text, names) == expected
