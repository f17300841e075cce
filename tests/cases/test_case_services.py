"""The penalty workflow through its service: the lawful path of an ordinary case from the lead to
the archive, and refusals with their messages and legal basis."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from sanxiang.cases.models import Case, DocumentCounter, IssuedDocument
from sanxiang.cases.selectors import case_snapshot_build
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from tests.cases.support import (
    FIRST_DECISION_DAY,
    LAW,
    NOTICE_SERVED,
    OPEN,
    OPENED,
    PENALTY,
    WINDOW_END,
    D,
    discussion_data,
    end_investigation_data,
    inquiry,
    lead_make,
    notice_data,
    perform,
    review_data,
    submit_data,
    to_decided,
    to_investigating,
    to_notified,
    world_make,
)
from tests.factories import certificate_make, id_number, officer_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world_make()


def test_the_lawful_ordinary_path_reaches_the_archive(w):
    case = to_decided(w)
    assert case.state == "decided"
    case = perform(case, "serve", D(2026, 3, 26), w.officer, method="direct", served_on=D(2026, 3, 26),
                   place="当事人经营场所", signed_by="巴特尔")
    case = perform(case, "record_payment", D(2026, 3, 30), w.officer, paid_on=D(2026, 3, 30), amount_yuan="3000",
                   receipt="NO.123")
    case = perform(case, "complete_execution", D(2026, 3, 31), w.officer)
    case = perform(case, "close", D(2026, 3, 31), w.head, execution="当事人已缴纳罚款3000元", handler_opinion="建议结案",
                   head_opinion="同意结案")
    case = perform(case, "archive", D(2026, 4, 1), w.officer)
    assert Case.objects.get(pk=case.pk).state == "archived"
    assert list(IssuedDocument.objects.filter(case=case).values_list("kind", "number")) == [
        ("opening_approval", ""),
        ("inquiry_record", ""),
        ("investigation_report", ""),
        ("advance_notice", "乌市监罚告〔2026〕1号"),
        ("service_receipt", ""),
        ("decision_document", "乌市监罚决〔2026〕1号"),
        ("service_receipt", ""),
        ("closing_approval", ""),
    ]
    snapshot = case_snapshot_build(case)
    assert snapshot.opened_on == OPENED and snapshot.decided_on == FIRST_DECISION_DAY


# --- refusals through the service: every reason, with its legal basis, and nothing left behind ---


def refusal(call, code: str):
    with pytest.raises(Refused) as refused:
        call()
    found = [v for v in refused.value.violations if v.code == code]
    assert found, f"expected {code}, got " + "; ".join(f"{v.code}: {v.message}" for v in refused.value.violations)
    return found[0], refused.value.violations


def test_a_refused_step_leaves_no_state_document_number_or_entry(w):
    case = to_investigating(w)
    before = (Entry.objects.count(), IssuedDocument.objects.count(), EvidenceRecord.objects.count())
    shown_not = inquiry(w, D(2026, 3, 10), certificate_shown=False, officer_ids=[str(w.zhang.pk)])
    violation, every = refusal(
        lambda: perform(case, "record_inquiry", D(2026, 3, 10), w.officer, **shown_not),
        "penalty.investigation.certificate_not_shown",
    )
    # §8.1 items 1 and 2 at once: every reason is given, each with its article.
    assert violation.message == "本次询问未记录向当事人或者有关人员出示执法证件，笔录不能保存"
    assert violation.legal_basis == f"{LAW}第五十五条第一款"
    too_few = next(v for v in every if v.code == "penalty.investigation.act_too_few_officers")
    assert too_few.message == "本次询问须由不少于2名持有有效执法证件的执法人员进行，实际为1名"
    assert (Entry.objects.count(), IssuedDocument.objects.count(), EvidenceRecord.objects.count()) == before
    case.refresh_from_db()
    assert case_snapshot_build(case).investigative_acts == ()
    # The lawful act right beside it is recorded, with its 询问笔录.
    perform(case, "record_inquiry", D(2026, 3, 10), w.officer, **inquiry(w, D(2026, 3, 10)))
    assert IssuedDocument.objects.filter(case=case, kind="inquiry_record").count() == 1


def test_item1_investigation_needs_two_officers_with_valid_certificates(w):
    # Valid when the case is registered (an officer who cannot act is refused then), expired by
    # the day the investigation starts.
    expired = officer_make(agency=w.agency, certificate=False, name="钱过期")
    certificate_make(officer=expired, valid_from=D(2020, 1, 1), valid_to=D(2026, 3, 8))
    case = lead_make(w, officers=[w.zhang, expired])
    case = perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")
    case = perform(case, "open", OPENED, w.officer, **OPEN)
    violation, every = refusal(lambda: perform(case, "investigate", D(2026, 3, 9), w.officer),
                               "penalty.investigation.too_few_officers")
    assert violation.message == "调查取证须由不少于2名持有有效执法证件的执法人员进行，本案目前只有1名"
    assert "钱过期" in next(v.message for v in every if v.code == "penalty.investigation.officer.no_valid_certificate")
    lawful = to_investigating(w)
    assert lawful.state == "investigating"


def test_opening_needs_the_heads_approval_and_only_the_head_gives_it(w):
    case = lead_make(w)
    violation, _ = refusal(lambda: perform(case, "open", OPENED, w.officer, **OPEN),
                           "penalty.opening.head_approval_missing")
    assert violation.legal_basis.startswith(f"{LAW}第五十四条")
    role, _ = refusal(lambda: perform(case, "approve_opening", OPENED, w.officer, approval="agree", opinion="同意"), "case.role")
    assert role.message == "“负责人审批立案”须由机关负责人办理"
    perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")
    assert perform(case, "open", OPENED, w.officer, **OPEN).state == "opened"


def test_item4_opening_past_the_limitation_needs_a_recorded_legal_reason(w):
    case = lead_make(w, act_date=D(2023, 1, 10), discovered_on=D(2026, 3, 5))
    perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")
    violation, _ = refusal(lambda: perform(case, "open", OPENED, w.officer, **OPEN), "penalty.opening.limitation_expired")
    assert "已超过二年的追责期限（2025-01-10届满）" in violation.message
    assert "第三十六条" in violation.legal_basis
    opened = perform(case, "open", OPENED, w.officer, **OPEN, limitation_override_reason="《税收征收管理法》第八十六条规定五年")
    assert opened.state == "opened"


def test_item5_no_decision_inside_the_statement_window_unless_waived(w):
    case = to_notified(w)
    perform(case, "draft_decision", WINDOW_END, w.officer, outcome="penalty", **PENALTY)
    violation, _ = refusal(lambda: perform(case, "decide", WINDOW_END, w.officer),
                           "penalty.decision.statement_window_running")
    assert violation.message.startswith("当事人陈述、申辩期限至2026-03-24届满")
    perform(case, "waive_statement", WINDOW_END, w.officer, note="当事人书面表示放弃陈述、申辩")
    assert perform(case, "decide", WINDOW_END, w.officer).state == "decided"
    decision = IssuedDocument.objects.get(case=case, kind="decision_document")
    assert decision.number == "乌市监罚决〔2026〕1号"
    assert case_snapshot_build(Case.objects.get(pk=case.pk)).decision.number == decision.number


def test_item5_a_major_case_is_not_decided_without_a_passing_legal_review(w):
    case = to_investigating(w)
    Case.objects.filter(pk=case.pk).update(facts={**case.facts, "major_case": True})
    case = perform(case, "record_inquiry", D(2026, 3, 10), w.officer, **inquiry(w, D(2026, 3, 10)))
    case = perform(case, "end_investigation", D(2026, 3, 16), w.officer, **end_investigation_data())
    case = perform(case, "notify", NOTICE_SERVED, w.officer, **notice_data(NOTICE_SERVED))
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **PENALTY)
    violation, every = refusal(lambda: perform(case, "decide", FIRST_DECISION_DAY, w.officer),
                               "penalty.decision.review_missing")
    assert violation.legal_basis == f"{LAW}第五十八条"
    assert "penalty.decision.collective_discussion_missing" in {v.code for v in every}
    # The reviewer's opinion must agree; "补充材料后重新提交" still blocks.
    perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    perform(case, "record_review", FIRST_DECISION_DAY, w.reviewer, **review_data("resubmit", "证据不足",
                                                                              failing={"evidence": "缺少进货凭证"}))
    refusal(lambda: perform(case, "decide", FIRST_DECISION_DAY, w.officer), "penalty.decision.review_not_passed")
    perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data(response="已补充进货凭证"))
    perform(case, "record_review", FIRST_DECISION_DAY, w.reviewer, **review_data())
    perform(case, "record_collective_discussion", FIRST_DECISION_DAY, w.head, **discussion_data(FIRST_DECISION_DAY))
    assert perform(case, "decide", FIRST_DECISION_DAY, w.officer).state == "decided"


def test_item5_no_heavier_penalty_after_the_party_defended_itself(w):
    case = to_notified(w)
    perform(case, "submit_statement", D(2026, 3, 18), w.officer, submitted_on=D(2026, 3, 18), summary="初次违法，请求从轻")
    perform(case, "reexamine", D(2026, 3, 19), w.officer, opinion="陈述理由不成立")
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **(PENALTY | {"fine_yuan": "4000"}))
    violation, _ = refusal(lambda: perform(case, "decide", FIRST_DECISION_DAY, w.officer),
                           "penalty.decision.heavier_after_defence")
    assert violation.legal_basis == f"{LAW}第四十五条"
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **PENALTY)
    assert perform(case, "decide", FIRST_DECISION_DAY, w.officer).state == "decided"


def test_item6_the_hearing_notice_goes_out_seven_working_days_ahead_and_the_presiding_officer_did_not_investigate(w):
    case = to_investigating(w)
    case = perform(case, "record_inquiry", D(2026, 3, 10), w.officer, **inquiry(w, D(2026, 3, 10)))
    big = {"penalty_kinds": ["suspend_business"], "penalty_detail": "责令停业一个月", "fine_yuan": "",
           "penalty_bases": PENALTY["penalty_bases"]}
    case = perform(case, "end_investigation", D(2026, 3, 16), w.officer, **(end_investigation_data() | big))
    case = perform(case, "notify", NOTICE_SERVED, w.officer, **notice_data(NOTICE_SERVED, **big))
    assert case_snapshot_build(case).notice.elements >= {"hearing_right"}  # 第六十三条: told of the hearing right
    perform(case, "request_hearing", D(2026, 3, 18), w.officer, requested_on=D(2026, 3, 18))
    schedule = {"notice_served_on": D(2026, 3, 19), "scheduled_for": D(2026, 3, 25), "place": "本局听证室",
                "presiding": str(w.zhang.pk), "clerk": "李四"}
    violation, every = refusal(lambda: perform(case, "schedule_hearing", D(2026, 3, 19), w.officer, **schedule),
                               "penalty.hearing.notice_too_late")
    assert "不早于2026-03-30" in violation.message and "第六十四条第二项" in violation.legal_basis
    assert "penalty.hearing.presiding_is_investigator" in {v.code for v in every}
    lawful = schedule | {"scheduled_for": D(2026, 3, 30), "presiding": str(w.reviewer_officer.pk)}
    assert perform(case, "schedule_hearing", D(2026, 3, 19), w.officer, **lawful).state == "hearing_scheduled"


def test_item7_no_penalty_for_a_party_under_14(w):
    from sanxiang.registry import services as registry

    child = registry.party_create(actor=None, agency=w.agency, kind="natural_person", name="小明",
                                  id_type="resident_id_card", id_number=id_number(birth=D(2013, 6, 1)), address="乌审旗")
    case = to_notified(w, lead_make(w, party=child))
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **PENALTY)
    violation, _ = refusal(lambda: perform(case, "decide", FIRST_DECISION_DAY, w.officer),
                           "penalty.decision.party_under_14")
    assert violation.legal_basis == f"{LAW}第三十条"
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="no_penalty", no_penalty_reason="under_14",
            reasoning="当事人实施违法行为时不满十四周岁。", education="已责令其监护人加以管教。")
    assert perform(case, "decide", FIRST_DECISION_DAY, w.officer).state == "decided"


def test_item8_no_second_fine_for_the_same_act(w):
    case = to_notified(w)
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **PENALTY,
            prior_fines=["乌市监罚决〔2025〕9号"])
    violation, _ = refusal(lambda: perform(case, "decide", FIRST_DECISION_DAY, w.officer), "penalty.decision.second_fine")
    assert "乌市监罚决〔2025〕9号" in violation.message and violation.legal_basis == f"{LAW}第二十九条"
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **PENALTY, prior_fines=[])
    assert perform(case, "decide", FIRST_DECISION_DAY, w.officer).state == "decided"


def test_item9_the_surcharge_is_owed_until_paid_and_capped_at_the_fine(w):
    case = to_decided(w)
    case = perform(case, "serve", D(2026, 3, 26), w.officer, method="direct", served_on=D(2026, 3, 26), place="经营场所")
    # Due on 04-10 (15 days); paid on the due date plus the fine again a year later: the surcharge
    # (3% a day) stopped growing at 3000 yuan, the amount of the fine (第七十二条).
    perform(case, "record_payment", D(2027, 4, 1), w.officer, paid_on=D(2027, 4, 1), amount_yuan="3000", receipt="A1")
    violation, _ = refusal(lambda: perform(case, "complete_execution", D(2027, 4, 1), w.officer),
                           "penalty.execution.not_paid")
    assert violation.message == "罚款（含加处罚款）尚欠3000元，未执行完毕"
    perform(case, "record_payment", D(2027, 4, 1), w.officer, paid_on=D(2027, 4, 1), amount_yuan="3000", receipt="A2")
    assert perform(case, "complete_execution", D(2027, 4, 1), w.officer).state == "executed"


def test_item14_electronic_service_only_with_the_partys_signed_consent(w):
    case = to_decided(w)
    service = {"method": "electronic", "served_on": D(2026, 3, 26), "place": "电子邮箱"}
    violation, _ = refusal(lambda: perform(case, "serve", D(2026, 3, 26), w.officer, **service),
                           "penalty.service.electronic_without_consent")
    assert violation.legal_basis == f"{LAW}第六十一条第二款"
    assert perform(case, "serve", D(2026, 3, 26), w.officer, **service, consent_signed=True).state == "served"


def test_item16_a_party_without_a_valid_identifier_is_refused_at_opening(w):
    case = lead_make(w)
    # A party saved before the registry checked identifiers (the registry refuses it today).
    type(w.company).objects.filter(pk=w.company.pk).update(credit_code="91150626MA0N1234XY")
    perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")
    with pytest.raises(Refused) as refused:
        perform(case, "open", OPENED, w.officer, **OPEN)
    codes = [v.code for v in refused.value.violations]
    assert any(code.startswith("penalty.party.") for code in codes), codes
    assert all("当事人乌审旗草原味道餐饮有限公司" in v.message for v in refused.value.violations
               if v.code.startswith("penalty.party."))


def test_item3_summary_procedure_only_up_to_the_limits(w):
    case = lead_make(w, procedure="summary", party=w.citizen, act_date=D(2026, 5, 12), discovered_on=D(2026, 5, 12))
    on_spot = {"officer_ids": [str(w.zhang.pk), str(w.li.pk)], "certificate_shown": True, "party_informed": True,
               "statement_heard_or_waived": True, "occurred_at": dt.datetime(2026, 5, 12, 10, 0), "place": "嘎鲁图镇团结路",
               "facts": "占道经营", "penalty_kinds": ["fine"], "fine_yuan": "201",
               "penalty_bases": ["《某某条例》第十条"]}
    violation, _ = refusal(lambda: perform(case, "decide_on_spot", D(2026, 5, 12), w.officer, **on_spot),
                           "penalty.summary.fine_over_limit")
    assert violation.message.startswith("对公民当场罚款不得超过200元") and violation.legal_basis == f"{LAW}第五十一条"
    assert not DocumentCounter.objects.filter(kind="summary_decision", last__gt=0).exists()  # rolled back
    case = perform(case, "decide_on_spot", D(2026, 5, 12), w.officer, **(on_spot | {"fine_yuan": "150"}))
    document = IssuedDocument.objects.get(case=case)
    assert (document.kind, document.number) == ("summary_decision", "乌市监当罚〔2026〕1号")
    case = perform(case, "hand_over", D(2026, 5, 12), w.officer, handed_over_on=D(2026, 5, 12), signed_or_refusal_noted=True)
    over, _ = refusal(
        lambda: perform(case, "collect_on_spot", D(2026, 5, 12), w.officer, ground="small_fine", amount_yuan="150",
                        receipt="财0001"),
        "penalty.summary.collection_over_limit",
    )
    assert "第六十八条" in over.legal_basis
    case = perform(case, "record_payment", D(2026, 5, 20), w.officer, paid_on=D(2026, 5, 20), amount_yuan="150",
                   receipt="银0001")
    case = perform(case, "file_with_agency", D(2026, 5, 20), w.officer)
    case = perform(case, "close", D(2026, 5, 21), w.officer)
    assert perform(case, "archive", D(2026, 5, 22), w.officer).state == "archived"


def test_closing_is_refused_while_a_required_record_is_missing(w):
    case = to_decided(w)
    case = perform(case, "serve", D(2026, 3, 26), w.officer, method="direct", served_on=D(2026, 3, 26), place="经营场所")
    perform(case, "record_payment", D(2026, 3, 30), w.officer, paid_on=D(2026, 3, 30), amount_yuan="3000", receipt="1")
    case = perform(case, "complete_execution", D(2026, 3, 31), w.officer)
    # The payment receipt goes missing from the record (as if it had never been entered).
    Case.objects.filter(pk=case.pk).update(details={**case.details, "records": ["lead_record"]})
    close = {"execution": "已缴纳", "handler_opinion": "建议结案", "head_opinion": "同意"}
    violation, _ = refusal(lambda: perform(Case.objects.get(pk=case.pk), "close", D(2026, 3, 31), w.head, **close),
                           "penalty.ordinary.record_missing.payment_receipt")
    assert violation.message == "结案前须有“罚款缴纳凭证”（全过程记录）"


def test_supervisors_read_cases_but_change_nothing(w):
    case = lead_make(w)
    with pytest.raises(PermissionDenied):
        perform(case, "approve_opening", OPENED, w.supervisor, approval="agree", opinion="同意")


def test_an_unknown_action_is_refused_with_a_reason(w):
    case = lead_make(w)
    violation, _ = refusal(lambda: perform(case, "teleport", OPENED, w.officer), "case.action_unknown")
    assert "teleport" in violation.message


def test_a_heavier_penalty_needs_a_new_notice_and_its_window_runs_again(w):
    case = to_notified(w)
    heavier = PENALTY | {"fine_yuan": "5000"}
    perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **heavier)
    violation, _ = refusal(lambda: perform(case, "decide", FIRST_DECISION_DAY, w.officer),
                           "penalty.decision.heavier_than_notified")
    assert violation.message == "拟作出的处罚（罚款5000元）重于事先告知的处罚（罚款3000元），须重新告知当事人"
    perform(case, "renotify", FIRST_DECISION_DAY, w.officer, **notice_data(FIRST_DECISION_DAY, **heavier))
    assert [d.number for d in IssuedDocument.objects.filter(case=case, kind="advance_notice")] == [
        "乌市监罚告〔2026〕1号", "乌市监罚告〔2026〕2号"]
    refusal(lambda: perform(case, "decide", D(2026, 3, 26), w.officer), "penalty.decision.statement_window_running")
    assert perform(case, "decide", D(2026, 4, 2), w.officer).state == "decided"
