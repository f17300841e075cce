"""Publication of compulsory decisions (行政强制决定的事后公开, legal_rules §1.1 and §4.2): 查封、扣押、
冻结决定 and 强制执行、代履行决定 — what is published, what is hidden, what is never published, and
the days to publish, withdraw and take down.

The measures are walked through the engine (tests.procedure.coercion.builders); the enforcement
cases are the lawful cases of tests.procedure.enforcement.support. The redaction is the penalty's;
the property test at the end shows that no value the case knows as personal ever reaches the public
text, wherever it is written.
"""

import datetime as dt
import string
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.procedure.coercion import Extension
from sanxiang.procedure.enforcement import Substitute
from sanxiang.procedure.identifiers import id_number_check_character
from sanxiang.procedure.parameters import ParameterPeriod, parameters_default
from sanxiang.procedure.publication import leaks, text_redact
from sanxiang.procedure.publication_coercion import (
    CompulsoryDecision,
    CompulsoryParty,
    DecidingAgency,
    compulsory_content_withdrawn,
    compulsory_display_period,
    compulsory_publication_content,
    compulsory_publication_due,
    compulsory_publication_refusals,
    compulsory_sensitive_values,
    compulsory_withdrawal_due,
    enforcement_publication_decision,
    measure_publication_decision,
)
from tests.procedure.coercion.builders import TAKEN_AT, TAKEN_ON, head, in_force, proposed, step, taking
from tests.procedure.enforcement.support import CALENDAR as HOLIDAY_CALENDAR
from tests.procedure.enforcement.support import executing, pending
from tests.procedure.test_penalty_support import CALENDAR

D = dt.date
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
GUIDELINE = "国办发〔2018〕118号"

AGENCY = DecidingAgency("乌审旗市场监督管理局", "11150626MB1234567X", "乌审旗嘎鲁图镇统万路1号", "0477-7212345")
ID_NUMBER = "150626198001011234"
PERSON = CompulsoryParty(
    kind="natural_person",
    name="巴特尔",
    id_number=ID_NUMBER,
    address="乌审旗嘎鲁图镇团结路12号3单元201室",
    phone="13912345678",
    bank_accounts=("6222021234567890123",),
)
COMPANY = CompulsoryParty(
    kind="organization",
    name="乌审旗草原味道餐饮有限公司",
    credit_code="91150626MA0N1234X5",
    legal_representative="乌云",
    address="乌审旗嘎鲁图镇萨拉乌苏大街8号",
    phone="0477-7298765",
    # A basic account in a layout no pattern knows: hidden because the case names it.
    bank_accounts=("NRA0601-8812AB",),
)
REASON = f"当事人巴特尔（公民身份号码{ID_NUMBER}，电话13912345678）涉嫌销售过期食品，证人王小明在场"


def seizure(party: CompulsoryParty = PERSON, measure=None, **texts) -> CompulsoryDecision:
    values = dict(number="乌市监强〔2026〕3号", reason=REASON, basis="《中华人民共和国食品安全法》第一百一十条",
                  items="过期牛奶12箱（存放于乌审旗嘎鲁图镇团结路12号3单元201室）", third_parties=("王小明",))
    return measure_publication_decision(measure or in_force("seizure"), calendar=CALENDAR, agency=AGENCY,
                                        party=party, **(values | texts))


def codes(violations) -> list[str]:
    return [v.code for v in violations]


# --- what is published --------------------------------------------------------------------------


def test_a_seizure_publishes_agency_party_category_and_conclusion_and_hides_the_persons_data():
    """118号 (事后公开): at least 执法机关、执法对象、执法类别、执法结论; 浙江办法第七条第一项 and
    个人信息保护法第二十八条: a natural person's ID number, phone, address and accounts are hidden, the
    third parties' names too; the party's own name stays."""
    decision = seizure()
    assert compulsory_publication_refusals(decision) == []
    content = compulsory_publication_content(decision)
    assert (content.agency_name, content.party_name, content.party_kind) == ("乌审旗市场监督管理局", "巴特尔", "自然人")
    assert (content.category, content.kind_label) == ("行政强制措施", "扣押")
    assert content.conclusion == "扣押过期牛奶12箱（存放于［住址已隐去］）；期限30日，自2026年3月2日起，至2026年4月1日止"
    assert content.reason == "当事人巴特尔（公民身份号码［证件号码已隐去］，电话［电话号码已隐去］）涉嫌销售过期食品，证人王某某在场"
    assert content.decided_on == TAKEN_ON and content.number == "乌市监强〔2026〕3号"
    assert content.party_credit_code == "" and content.legal_representative == ""
    public = "\n".join(content.texts().values())
    for value in (ID_NUMBER, "13912345678", "团结路12号3单元201室", "王小明"):
        assert value not in public
    assert {r.kind for r in content.redactions} == {"id_number", "phone", "third_party", "address"}
    assert all(r.digest and len(r.digest) == 16 for r in content.redactions)
    assert leaks(public, compulsory_sensitive_values(decision)) == []


def test_an_organisation_keeps_its_name_code_representative_and_address_but_never_its_accounts():
    """浙江办法第七条第二项: the bank accounts of legal persons are hidden; the name, 统一社会信用代码,
    法定代表人 and the business address stay (legal_rules §4.2)."""
    decision = seizure(
        COMPANY,
        reason="当事人在乌审旗嘎鲁图镇萨拉乌苏大街8号储存过期食品，货款经基本户NRA0601-8812AB结算",
        items="冷库1间（乌审旗嘎鲁图镇萨拉乌苏大街8号）",
        third_parties=(),
    )
    content = compulsory_publication_content(decision)
    assert (content.party_name, content.party_credit_code, content.legal_representative) == (
        "乌审旗草原味道餐饮有限公司", "91150626MA0N1234X5", "乌云")
    assert content.party_kind == "法人及非法人组织"
    assert "乌审旗嘎鲁图镇萨拉乌苏大街8号" in content.reason and "乌审旗嘎鲁图镇萨拉乌苏大街8号" in content.conclusion
    assert "NRA0601-8812AB" not in content.reason and "［银行账号已隐去］" in content.reason
    assert content.conclusion.startswith("扣押冷库1间")


def test_an_individual_business_publishes_its_credit_code_and_hides_the_operators_address():
    party = replace(PERSON, kind="individual_business", name="巴特尔（乌审旗巴特尔副食店）", credit_code="92150626MA0N5678Y1")
    content = compulsory_publication_content(seizure(party))
    assert (content.party_kind, content.party_credit_code) == ("个体工商户", "92150626MA0N5678Y1")
    assert "团结路12号" not in content.conclusion


def test_a_freeze_never_publishes_the_account_and_a_persons_amount_only_if_the_parameter_says_so():
    """冻结决定书 states 冻结的账号和数额 (行政强制法第三十一条第二款): the account is never published,
    whoever the party (浙江办法第七条); the amount of an organisation is; a natural person's is not
    (个人信息保护法第二十八条: financial accounts are sensitive; parameter
    publication.coercion.freeze_amount_published_for_natural_persons, a platform rule)."""
    freeze = in_force("freeze")
    person = measure_publication_decision(freeze, calendar=CALENDAR, agency=AGENCY, party=PERSON,
                                          freeze_amount_fen=500_000, items="冻结账户6222021234567890123",
                                          reason="冻结账户6222021234567890123内存款")
    content = compulsory_publication_content(person)
    assert content.conclusion == "冻结存款、汇款；期限30日，自2026年3月2日起，至2026年4月1日止"
    assert "6222021234567890123" not in "".join(content.texts().values())
    company = measure_publication_decision(freeze, calendar=CALENDAR, agency=AGENCY, party=COMPANY,
                                           freeze_amount_fen=12_345_678_901_00, items="NRA0601-8812AB")
    conclusion = compulsory_publication_content(company).conclusion
    # A long amount is an amount, not a number to hide; the account given as items is not printed.
    assert conclusion.startswith("冻结存款、汇款12345678901元；") and "NRA0601" not in conclusion
    # A county that publishes natural persons' amounts sets the parameter.
    local = parameters_default().with_overrides({
        "publication.coercion.freeze_amount_published_for_natural_persons": [
            ParameterPeriod(start=D(2024, 1, 1), value=True, region="1506", reference="某地方规定")]
    })
    assert compulsory_publication_content(person, parameters=local).conclusion.startswith("冻结存款、汇款5000元；")


def test_the_conclusion_follows_the_measure_extension_and_release():
    """行政强制法第二十五条第一款 (one extension of at most 30 days) and 第二十八条 (release): the public
    text is updated when the measure changes (118号: 发布、撤销和更新机制)."""
    measure = replace(in_force(), records=in_force().records | {"extension_approval", "extension_notice",
                                                                "release_decision", "return_record"})
    extension = Extension(decided_on=TAKEN_ON + 25 * DAY, days=30, reason="需鉴定的物品较多，情况复杂",
                          approved_by_head=True, notice_served_on=TAKEN_ON + 25 * DAY)
    extended = step(measure, "coercion_extend", TAKEN_ON + 25 * DAY, extension=extension)
    text = compulsory_publication_content(seizure(measure=extended, items="过期牛奶12箱")).conclusion
    assert text == "扣押过期牛奶12箱；期限30日，自2026年3月2日起，经批准延长30日，至2026年5月1日止"
    released = step(extended, "coercion_release", TAKEN_ON + 40 * DAY, ended_on=TAKEN_ON + 40 * DAY)
    text = compulsory_publication_content(seizure(measure=released, items="过期牛奶12箱")).conclusion
    assert text.endswith("；已于2026年4月11日解除")


def test_an_execution_decision_publishes_its_way_the_duty_and_the_decision_enforced():
    """行政强制法第十二条、第三十七条: the category is 行政强制执行 and the conclusion the way of
    execution; the money owed and the decision enforced (its number) are public."""
    case = executing()
    decision = enforcement_publication_decision(case, kind="execution", agency=AGENCY, party=COMPANY,
                                                number="乌市监执〔2026〕1号", reason="逾期不缴纳罚款，经催告仍未履行")
    assert compulsory_publication_refusals(decision) == []
    content = compulsory_publication_content(decision)
    assert (content.category, content.kind_label, content.decided_on) == ("行政强制执行", "强制执行", D(2026, 5, 20))
    assert content.conclusion == (
        "强制执行方式：划拨存款、汇款；履行义务：金钱给付义务（罚款等）；金额5000元；所执行的决定：某市监罚〔2026〕12号"
    )


def test_a_substitute_decision_is_published_as_execution_and_names_no_one_but_the_party():
    """行政强制法第五十条、第五十一条: 代履行 is a way of execution; the duty performed is public,
    the third party who performs it and the people present are not named."""
    owed = replace(pending().decision, obligation="act", principal_fen=0)
    case = replace(pending(), decision=owed, substitute=Substitute(decided_on=D(2026, 6, 1), third_party="李建国"))
    decision = enforcement_publication_decision(case, kind="substitute", agency=AGENCY, party=PERSON,
                                                duty="清除占道堆放的建材，由李建国组织清运", third_parties=("李建国",))
    content = compulsory_publication_content(decision)
    assert content.conclusion == "代履行；履行义务：清除占道堆放的建材，由李某某组织清运；所执行的决定：某市监罚〔2026〕12号"
    assert "李建国" not in "".join(content.texts().values())
    with pytest.raises(ValueError):
        enforcement_publication_decision(case, kind="court_application", agency=AGENCY, party=PERSON)


# --- what is never published --------------------------------------------------------------------


def test_a_minors_case_is_never_published_and_an_adults_is():
    """未成年人保护法第一百零三条 (with 行政处罚法第四十八条, shared with the penalty rules): a party under
    18 at the act is never published. Lawful path: a party of 18 completed years is."""
    minor_id = "150626" + "20090303" + "123"
    minor = replace(PERSON, id_number=minor_id + id_number_check_character(minor_id))
    refused = compulsory_publication_refusals(seizure(minor, act_date=D(2026, 2, 20)))
    assert codes(refused) == ["publication.minor"]
    assert refused[0].message == "当事人在违法行为发生时未满18周岁，不予公开"
    assert refused[0].legal_basis.startswith("《中华人民共和国未成年人保护法》第一百零三条")
    # No date of the act known: the age on the decision's day is read, and the message says so.
    unknown_act = compulsory_publication_refusals(seizure(minor))
    assert codes(unknown_act) == ["publication.minor"] and unknown_act[0].message == "当事人在作出决定时未满18周岁，不予公开"
    adult = replace(PERSON, id_number="", birth_date=D(2008, 1, 1))
    assert compulsory_publication_refusals(seizure(adult, act_date=D(2026, 2, 20))) == []


def test_secrets_or_privacy_keep_a_decision_unpublished():
    """政府信息公开条例第十四条、第十五条."""
    refused = compulsory_publication_refusals(seizure(secrets_or_privacy=True))
    assert codes(refused) == ["publication.secrets"] and "第十五条" in refused[0].legal_basis
    assert compulsory_publication_refusals(seizure(secrets_or_privacy=False)) == []


def test_no_decision_no_publication_and_every_reason_is_given():
    """Nothing is published before a measure is taken, or for a declined one; reasons are all given."""
    not_made = seizure(measure=proposed())
    assert codes(compulsory_publication_refusals(not_made)) == ["publication.coercion.not_made"]
    assert compulsory_publication_refusals(not_made)[0].message == "尚未作出扣押决定，没有可以公开的执法决定信息"
    with pytest.raises(ValueError):
        compulsory_publication_content(not_made)
    no_execution = enforcement_publication_decision(pending(), kind="execution", agency=AGENCY, party=PERSON)
    assert codes(compulsory_publication_refusals(no_execution)) == ["publication.coercion.not_made"]


def emergency_taken():
    measure = taking(state="proposed", approval=None, emergency_reason="当事人正在转移涉案物品")
    return step(measure, "coercion_take_emergency", TAKEN_ON)


def test_an_emergency_measure_is_published_once_approved_and_not_if_the_head_refused():
    """行政强制法第十九条: 补办批准手续 within 24 hours; a measure the head refuses is released at once.
    Held back until approved, and never published once refused (platform rules, labelled so)."""
    taken = emergency_taken()
    waiting = compulsory_publication_refusals(seizure(measure=taken, secrets_or_privacy=True))
    assert codes(waiting) == ["publication.coercion.awaiting_approval", "publication.secrets"]
    assert waiting[0].legal_basis.startswith("系统规则：") and "第十九条" in waiting[0].legal_basis
    records = taken.records | {"emergency_report", "release_decision", "return_record"}
    refused = replace(taken, records=records, approval=head(at=TAKEN_AT + 2 * HOUR, approved=False))
    released = step(refused, "coercion_release", TAKEN_ON)
    found = compulsory_publication_refusals(seizure(measure=released))
    assert codes(found) == ["publication.coercion.disapproved"] and found[0].legal_basis.startswith("系统规则：")
    # Lawful path: approved within 24 hours, then published.
    approved = step(replace(taken, records=records, approval=head(at=TAKEN_AT + 3 * HOUR)),
                    "coercion_confirm_emergency", TAKEN_ON)
    assert compulsory_publication_refusals(seizure(measure=approved)) == []


# --- when ---------------------------------------------------------------------------------------


def test_published_within_20_working_days_across_the_national_day_holidays():
    """118号: other enforcement decisions within 20 working days (parameter
    publication.coercion.decision_working_days, unverified). 2026-09-29 + 20 working days, with
    10-01..07 off and Saturday 10-10 worked: 11-02."""
    decision = replace(seizure(), decided_on=D(2026, 9, 29))
    due = compulsory_publication_due(decision, calendar=HOLIDAY_CALENDAR)
    assert due.date == D(2026, 11, 2) and not due.estimated
    assert due.basis.startswith(GUIDELINE) and "行政处罚法" not in due.basis
    assert parameters_default()["publication.coercion.decision_working_days"].unverified
    # A county's own period wins inside its region only.
    local = parameters_default().with_overrides({
        "publication.coercion.decision_working_days": [
            ParameterPeriod(start=D(2024, 1, 1), value=7, region="150626", reference="某旗规定：7个工作日")]
    })
    assert compulsory_publication_due(decision, calendar=HOLIDAY_CALENDAR, parameters=local).date == D(2026, 10, 14)
    elsewhere = replace(decision, region="110105")
    assert compulsory_publication_due(elsewhere, calendar=HOLIDAY_CALENDAR, parameters=local).date == D(2026, 11, 2)


def test_a_decision_before_118_has_no_period_and_says_why_never_an_exception():
    old = replace(seizure(), decided_on=D(2017, 6, 1))
    due = compulsory_publication_due(old, calendar=HOLIDAY_CALENDAR)
    assert due.date == D(2017, 6, 1) and due.estimated and "2018-12-05" in due.basis


def test_withdrawn_within_3_working_days_a_platform_rule_not_the_penalty_law():
    """118号: a decision revoked, held unlawful or to be remade is taken down promptly; the platform
    counts 3 working days after the penalty rule, and labels it a platform rule. 2026-09-30 + 3
    working days: 10-08, 10-09, Saturday 10-10 (worked)."""
    due = compulsory_withdrawal_due(seizure(), changed_on=D(2026, 9, 30), calendar=HOLIDAY_CALENDAR)
    assert due.date == D(2026, 10, 10)
    assert due.basis.startswith(GUIDELINE) and "系统规则" in due.basis


def test_what_stays_public_after_withdrawal():
    """As for a withdrawn penalty: the fact of the withdrawal with its reason; the conclusion goes
    and a natural person's name is masked. The statement is redacted too."""
    decision = seizure()
    content = compulsory_publication_content(decision)
    withdrawn = compulsory_content_withdrawn(decision, content, ground="unlawful", changed_on=D(2026, 4, 2),
                                             statement="行政复议机关认定王小明所述属实，电话13912345678")
    assert withdrawn.withdrawal_notice == (
        "本决定已于2026年4月2日被依法确认违法，原公开信息撤回。行政复议机关认定王某某所述属实，电话［电话号码已隐去］")
    assert (withdrawn.reason, withdrawn.basis, withdrawn.conclusion) == ("", "", "")
    assert (withdrawn.party_name, withdrawn.number, withdrawn.agency_name) == ("巴某某", content.number, content.agency_name)
    company = seizure(COMPANY, third_parties=())
    kept = compulsory_content_withdrawn(company, compulsory_publication_content(company), ground="remade",
                                        changed_on=D(2026, 4, 2))
    assert kept.party_name == "乌审旗草原味道餐饮有限公司" and "责令重新作出" in kept.withdrawal_notice
    with pytest.raises(ValueError):
        compulsory_content_withdrawn(decision, content, ground="released", changed_on=D(2026, 4, 2))


def test_display_period_is_a_parameter_by_party_kind():
    """No national period (legal_rules §4.3): 12 months by default (platform rule, unverified), a
    county sets its own (e.g. 自然人2年、法人5年)."""
    period = compulsory_display_period(seizure())
    assert (period.months, period.ends_on) == (12, D(2027, 3, 1))
    assert period.basis.startswith("系统规则") and parameters_default()["publication.coercion.display_months"].unverified
    local = parameters_default().with_overrides({
        "publication.coercion.display_months": [
            ParameterPeriod(start=D(2020, 1, 1), region="1506", reference="某市规定",
                            value={"natural_person": 24, "individual_business": 24, "organization": 60})]
    })
    assert compulsory_display_period(seizure(), parameters=local).months == 24
    assert compulsory_display_period(seizure(COMPANY), parameters=local).ends_on == D(2031, 3, 1)
    # A local table that names no individual businesses gives them the natural persons' period.
    short = parameters_default().with_overrides({
        "publication.coercion.display_months": [
            ParameterPeriod(start=D(2020, 1, 1), value={"natural_person": 6, "organization": 60})]
    })
    shop = replace(PERSON, kind="individual_business", credit_code="92150626MA0N5678Y1")
    assert compulsory_display_period(seizure(shop), parameters=short).months == 6


def test_bad_input_is_an_error_not_a_silent_publication():
    with pytest.raises(ValueError):
        CompulsoryParty(kind="person", name="巴特尔")
    with pytest.raises(ValueError):
        replace(seizure(), kind="detention")
    with pytest.raises(ValueError):
        replace(seizure(), decided_on=None)


# --- the shared redaction, as extended for these decisions ---------------------------------------


def test_values_the_case_knows_are_hidden_in_any_layout_and_a_kept_address_stays_after_other_words():
    """text_redact(known=…): an account or a phone the case names is hidden however it is written,
    where no pattern would see it; an organisation's kept address stays even when the words before
    it run into it ("当事人在乌审旗…"), while a longer address (down to a flat) is still hidden."""
    text = "当事人在乌审旗嘎鲁图镇萨拉乌苏大街8号经营，账户NRA0601-8812AB，联系139.1234.5678，住萨拉乌苏大街8号3单元201室"
    kept = "乌审旗嘎鲁图镇萨拉乌苏大街8号"
    redacted = text_redact(text, field="reason", keep=[kept],
                           known={"bank_account": ["NRA0601-8812AB"], "phone": ["139.1234.5678"]})
    assert redacted.text == (
        "当事人在乌审旗嘎鲁图镇萨拉乌苏大街8号经营，账户［银行账号已隐去］，联系［电话号码已隐去］，住［住址已隐去］")
    assert [r.kind for r in redacted.redactions] == ["bank_account", "phone", "address"]
    # Without `known`, the patterns alone miss both: that is why the case's values are handed in.
    plain = text_redact(text, field="reason", keep=[kept]).text
    assert "NRA0601-8812AB" in plain and "139.1234.5678" in plain
    with pytest.raises(ValueError):
        text_redact(text, field="reason", known={"passport": ["E12345678"]})


# --- the property: nothing the case knows as personal is ever published ----------------------------

FILLER = "经查当事人于本月在经营场所销售过期食品并拒不改正现场检查笔录询问笔录证实违法事实清楚证据确凿"
NAME_CHARACTERS = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗建国秀英桂兰海燕志强"  # none in FILLER, AGENCY, parties


@st.composite
def id_numbers(draw) -> str:
    birth = draw(st.dates(min_value=D(1940, 1, 1), max_value=D(2000, 12, 31)))
    first17 = f"{draw(st.sampled_from(['150626', '110105', '440305']))}{birth:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + id_number_check_character(first17)


phones = st.one_of(
    st.builds(lambda p, n: f"1{p}{n:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1)),
    st.builds(lambda n: f"0477-{n:07d}", st.integers(10**6, 10**7 - 1)),
    st.builds(lambda n: f"139.{n // 10000:04d}.{n % 10000:04d}", st.integers(0, 10**8 - 1)),  # no pattern knows it
)
accounts = st.one_of(
    st.builds(lambda n, k: ("62" + f"{n:017d}")[:k], st.integers(0, 10**17 - 1), st.integers(16, 19)),
    st.builds(lambda n: " ".join(f"{n:016d}"[i:i + 4] for i in range(0, 16, 4)), st.integers(10**15, 10**16 - 1)),
    st.builds(lambda a, n: f"{a}{n:08d}", st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=4),
              st.integers(0, 10**8 - 1)),
)
addresses = st.builds(
    lambda town, road, no, room: f"乌审旗{town}{road}{no}号{room}室",
    st.sampled_from(["嘎鲁图镇", "图克镇", "无定河镇"]),
    st.sampled_from(["团结路", "统万路", "草原街"]),
    st.integers(1, 999),
    st.integers(101, 2999),
)
names = st.text(alphabet=NAME_CHARACTERS, min_size=2, max_size=3)
fillers = st.text(alphabet=FILLER + "，。；（）", min_size=0, max_size=12)
# Between two values at least one character: two third parties written as one run ("王李张" for 王李
# and 李张) cannot be told apart by anyone, and no case file writes names so.
separators = st.text(alphabet=FILLER + "，。；（）", min_size=1, max_size=12)


@st.composite
def cases(draw):
    kind = draw(st.sampled_from(["natural_person", "individual_business", "organization"]))
    party = CompulsoryParty(
        kind=kind,
        name="巴特尔" if kind == "natural_person" else "乌审旗草原味道餐饮有限公司",
        credit_code="" if kind == "natural_person" else "91150626MA0N1234X5",
        legal_representative="乌云" if kind == "organization" else "",
        id_number=draw(id_numbers()) if kind != "organization" else "",
        address=draw(addresses),
        phone=draw(phones),
        bank_accounts=tuple(draw(st.lists(accounts, min_size=1, max_size=2))),
    )
    third_parties = tuple(draw(st.lists(names, min_size=0, max_size=2)))
    sensitive = [party.phone, *party.bank_accounts, *third_parties]
    sensitive += [party.id_number, party.address] if kind != "organization" else []
    sensitive = [v for v in sensitive if v]

    def text() -> str:
        values = draw(st.lists(st.sampled_from(sensitive), max_size=4))
        return draw(fillers) + "".join(v + draw(separators) for v in values)

    return party, third_parties, sensitive, {"reason": text(), "basis": text(), "items": text(), "number": text()}


@settings(max_examples=250, deadline=None)
@given(case=cases(), which=st.sampled_from(["seal_up", "seizure", "freeze", "execution", "substitute"]),
       changed=st.booleans())
def test_no_published_compulsory_content_ever_shows_a_hidden_value(case, which, changed):
    """浙江办法第七条; 个人信息保护法第二十五条、第二十八条: whatever the texts of the case hold and
    wherever, the public content of a compulsory decision (and of its withdrawal) never shows a
    natural person's ID number or address, the party's phone or bank account, or a third party's
    name; the party's name and an organisation's credit code always stay."""
    party, third_parties, sensitive, texts = case
    if which in ("execution", "substitute"):
        snapshot = replace(executing(), substitute=Substitute(decided_on=D(2026, 6, 1)))
        decision = enforcement_publication_decision(
            snapshot, kind=which, agency=AGENCY, party=party, third_parties=third_parties,
            number=texts["number"], reason=texts["reason"], basis=texts["basis"], duty=texts["items"])
    else:
        decision = measure_publication_decision(
            in_force(which), calendar=CALENDAR, agency=AGENCY, party=party, third_parties=third_parties,
            freeze_amount_fen=500_000, **texts)
    content = compulsory_publication_content(decision)
    if changed:
        content = compulsory_content_withdrawn(decision, content, ground="revoked", changed_on=D(2026, 7, 1),
                                               statement=texts["reason"])
    public = "\n".join(content.texts().values())
    assert [v for v in sensitive if v in public] == []
    assert leaks(public, compulsory_sensitive_values(decision)) == []
    assert set(sensitive) <= set(compulsory_sensitive_values(decision))
    if party.kind != "natural_person" or not changed:
        assert party.name in public
    if party.kind != "natural_person":
        assert party.credit_code in public
