"""The public text of a 征收征用 or other-act decision, a pure function of the decision: a natural
person named 某 wherever written, their identity number, phone and address never shown (政府信息公开
条例第十五条: 个人隐私); an organisation keeps its name and code; an expropriation's scope stays as
written (the decision is announced with it); due 20 working days after the decision (118号;
第二十六条); a lawful withholding (第十四条、第十五条) is the reason not to publish."""

import pytest

from sanxiang.procedure.other_acts.decision_rules import Withholding
from sanxiang.procedure.other_acts.publication import (
    ActPublicationDecision,
    DecisionParty,
    act_display_period,
    act_publication_content,
    act_publication_due,
    act_publication_refusals,
    act_sensitive_values,
    act_withdrawal_due,
)
from sanxiang.procedure.publication import leaks
from tests.procedure.permit.support import CALENDAR, D

PERSON = DecisionParty(kind="natural_person", name="刘建国", id_number="150626198005200011", phone="13912345678",
                  address="乌审旗嘎鲁图镇团结路12号")


def decision(**overrides) -> ActPublicationDecision:
    values = dict(procedure="other_act", kind_label="行政确认", title="行政确认决定书", decided_on=D(2026, 9, 25),
                  number="乌人社确〔2026〕1号", agency_name="乌审旗人力资源和社会保障局", party=PERSON, matter="刘建国工伤认定",
                  bases=("《工伤保险条例》第十四条第一项",),
                  content="认定刘建国（电话13912345678，住乌审旗嘎鲁图镇团结路12号）受到的事故伤害为工伤", region="150626")
    return ActPublicationDecision(**(values | overrides))


def test_a_natural_person_is_named_masked_and_their_identifiers_never_shown():
    public = act_publication_content(decision()).public
    assert public["party_name"] == "刘某某" and public["party_kind"] == "自然人" and public["party_credit_code"] == ""
    assert "刘某某" in public["content"] and "工伤" in public["content"] and public["title"] == "刘某某工伤认定"
    assert leaks("\n".join(public.values()), act_sensitive_values(decision())) == []
    assert public["kinds_label"] == "行政确认决定" and public["violation_type"] == "行政确认"


def test_an_organisation_keeps_its_name_and_an_expropriations_scope_stays_as_written():
    company = DecisionParty(kind="organization", name="乌审旗草原味道餐饮有限公司", credit_code="91150626MA0N7XQ45K",
                       legal_representative="巴特尔", address="乌审旗嘎鲁图镇团结路12号")
    levy = decision(procedure="expropriation", kind_label="征收", title="征收决定书", party=company,
                    scope="团结路12号房屋一处", content="决定征收：团结路12号房屋一处", grounds="为了棚户区改造的公共利益需要")
    public = act_publication_content(levy).public
    assert (public["party_name"], public["party_credit_code"], public["legal_representative"]) == (
        "乌审旗草原味道餐饮有限公司", "91150626MA0N7XQ45K", "巴特尔")
    assert public["content"] == "决定征收：团结路12号房屋一处" and public["facts"] == "为了棚户区改造的公共利益需要"


def test_due_in_20_working_days_displayed_by_the_platform_rule_and_withdrawn_in_3():
    due = act_publication_due(decision(), calendar=CALENDAR)
    # From Friday 09-25: 3 days of September, National Day off, Saturday 10-10 worked → 10-29.
    assert due.date == D(2026, 10, 29) and "118号" in due.basis and "第二十六条" in due.basis
    period = act_display_period(decision())
    assert period.months == 36 and period.ends_on == D(2029, 9, 24) and period.basis.startswith("系统规则")
    withdrawal = act_withdrawal_due(decision(), changed_on=D(2026, 9, 30), calendar=CALENDAR)
    assert withdrawal.date == D(2026, 10, 10) and "118号" in withdrawal.basis  # 10-08, 10-09, Saturday 10-10


@pytest.mark.parametrize(("ground", "said"), [("privacy", "个人隐私"), ("state_secret", "国家秘密")])
def test_a_lawful_withholding_is_the_reason_not_to_publish(ground, said):
    assert act_publication_refusals(decision()) == []
    [refusal] = act_publication_refusals(decision(withholding=Withholding(ground, "本人不同意公开", D(2026, 9, 26))))
    assert said in refusal.message and "第十四条" in refusal.legal_basis and "本人不同意公开" in refusal.message
