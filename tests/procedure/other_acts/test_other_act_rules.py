"""The generic act (行政给付、确认、奖励、裁决 …) walked through the engine: for each refusal its basis,
the block, the message and the lawful path. 国办发〔2018〕118号: the decision states its basis, a
catalogued matter is reviewed before the decision, the decision is published within 20 working
days (政府信息公开条例第二十六条) or lawfully withheld (第十四条、第十五条); the act is counted in the
annual data in the year it is decided."""

from dataclasses import replace

import pytest

from sanxiang.procedure.catalog import procedure_spec
from sanxiang.procedure.engine import evaluate, procedure_problems
from sanxiang.procedure.other_acts.decision_rules import Publicity, ReviewOpinion, Withholding
from sanxiang.procedure.other_acts.procedures import OTHER_ACT
from sanxiang.procedure.other_acts.rules import (
    KINDS,
    ActDecision,
    CountedAct,
    OtherActSnapshot,
    other_acts_annual_counts,
)
from sanxiang.procedure.registry_rules import OfficerSnapshot
from sanxiang.procedure.steps import Draft
from tests.procedure.permit.support import D, catalogue, context

HANDLER = OfficerSnapshot(id=1, name="张三", status="active", staffing_type="civil_servant")
DECIDE_ON = D(2026, 9, 25)
GUIDELINE = "国办发〔2018〕118号"


def drafted(**overrides) -> OtherActSnapshot:
    values = dict(state="handling", records=frozenset(), kind="confirmation", opened_on=D(2026, 9, 1), region="150626",
                  matter="QR-001", officers=(HANDLER,), bases=("《工伤保险条例》第十四条第一项",),
                  content="认定刘某于2026年8月3日受到的事故伤害为工伤")
    return OtherActSnapshot(**(values | overrides))


def deciding(snapshot, remedies="可在六十日内申请行政复议或者在六个月内提起行政诉讼", on=DECIDE_ON):
    return replace(snapshot, decision=ActDecision(on, snapshot.content, remedies, snapshot.amount_fen),
                   records=snapshot.records | {"act_decision"})


REVIEWED_ON = D(2026, 9, 20)


def reviewed(snapshot, *, opinion="agree", reviewer=9, on=REVIEWED_ON):
    return replace(snapshot, review_opinions=(*snapshot.review_opinions,
                                              ReviewOpinion(reviewer, opinion, on, snapshot.draft)),
                   records=snapshot.records | {"review_opinion"})


def violations(snapshot, action="other_act_decide", today=DECIDE_ON):
    return evaluate(OTHER_ACT, snapshot, action, context=context(today))


def only(snapshot, code, action="other_act_decide", today=DECIDE_ON):
    found = [v for v in violations(snapshot, action, today) if v.code == code]
    assert len(found) == 1, [v.code for v in violations(snapshot, action, today)]
    return found[0]


def test_the_act_is_well_formed_and_registered_with_its_kinds_as_data():
    assert procedure_problems(OTHER_ACT) == []
    spec = procedure_spec("other_act")
    assert spec.act_label == "其他行政行为"
    assert spec.options["act_kind"] == {"payment": "行政给付", "confirmation": "行政确认", "award": "行政奖励",
                                        "adjudication": "行政裁决", "other": "其他行政行为"}


def test_no_decision_without_its_legal_basis():
    v = only(deciding(drafted(bases=())), "other_act.basis.missing")
    assert GUIDELINE in v.legal_basis and "行政确认决定须写明所依据的法律、法规、规章的名称和条款" == v.message
    assert violations(deciding(drafted())) == []  # the allowed path: the basis written in the draft


def test_no_decision_without_content_and_remedies():
    codes = {v.code for v in violations(deciding(drafted(content=""), remedies=""))}
    assert {"other_act.decision.content", "other_act.decision.remedies"} <= codes
    v = only(deciding(drafted(), remedies=" "), "other_act.decision.remedies")
    assert "《中华人民共和国行政复议法》" in v.legal_basis and "行政复议或者提起行政诉讼" in v.message


def test_a_catalogued_act_is_decided_only_after_an_agreeing_review_of_this_draft():
    listed = drafted(catalogue=catalogue("QR-001"))
    v = only(deciding(listed), "other_act.review.missing")
    assert GUIDELINE in v.legal_basis and "未经法制审核不得作出决定" in v.message
    assert only(deciding(listed), "other_act.record_missing.review_opinion")
    assert violations(deciding(reviewed(listed))) == []
    assert only(deciding(reviewed(listed, opinion="resubmit")), "other_act.review.not_passed")
    assert only(deciding(reviewed(listed, reviewer=HANDLER.id)), "other_act.review.handler")
    changed = replace(reviewed(listed), content="认定为工伤（伤残等级另行鉴定）")
    assert only(deciding(changed), "other_act.review.outdated")
    # Not catalogued and not marked: no review needed; marked major by the agency: needed.
    assert only(deciding(drafted(major_marked=True)), "other_act.review.missing")


def test_publication_after_the_20_working_days_needs_an_explanation():
    """Decided 2026-09-25: 20 working days over the National Day block end on 2026-10-29."""
    decided = replace(deciding(drafted()), state="decided", records=frozenset({"act_decision", "publication_record"}))
    assert violations(replace(decided, publicity=Publicity(D(2026, 10, 29), "县人社局网站")), "other_act_publish",
                      D(2026, 10, 29)) == []
    late = replace(decided, publicity=Publicity(D(2026, 10, 30), "县人社局网站"))
    v = only(late, "other_act.publication.late", "other_act_publish", D(2026, 10, 30))
    assert "2026-10-29" in v.message and "第二十六条" in v.legal_basis
    explained = replace(decided, publicity=Publicity(D(2026, 10, 30), "县人社局网站", "网站改版停更两日"))
    assert violations(explained, "other_act_publish", D(2026, 10, 30)) == []
    spec = procedure_spec("other_act")
    deadlines, problems = spec.deadlines_checked(decided, calendar=context(DECIDE_ON).calendar, today=D(2026, 10, 1))
    assert problems == [] and [(d.label, d.due, d.state) for d in deadlines] == [("公开决定", D(2026, 10, 29), "running")]


def test_withholding_only_on_a_ground_of_the_disclosure_regulation():
    decided = replace(deciding(drafted()), state="decided", records=frozenset({"act_decision", "withholding_record"}))
    bad = replace(decided, withholding=Withholding("inconvenient", "不便公开", DECIDE_ON))
    v = only(bad, "other_act.withholding.ground", "other_act_withhold")
    assert "《中华人民共和国政府信息公开条例》第十四条、第十五条" == v.legal_basis
    good = replace(decided, withholding=Withholding("privacy", "涉及刘某的病历，本人不同意公开", DECIDE_ON))
    assert violations(good, "other_act_withhold") == []
    spec = procedure_spec("other_act")
    assert spec.deadlines_checked(replace(good, state="not_published"), calendar=context(DECIDE_ON).calendar,
                                  today=DECIDE_ON) == ([], [])


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_counts_once_in_the_year_it_is_decided(kind):
    counts = other_acts_annual_counts([CountedAct(kind, D(2026, 1, 1)), CountedAct(kind, D(2025, 12, 31)),
                                       CountedAct(kind, None)], year=2026)
    assert counts[kind] == 1 and sum(counts.values()) == 1 and set(counts) == set(KINDS)


def test_the_draft_step_parses_money_in_fen_and_the_review_step_names_the_reviewer():
    spec = procedure_spec("other_act")
    draft = Draft(snapshot=drafted(kind="award"), details={}, context=context(DECIDE_ON), actor_name="张三")
    spec.step("other_act_draft").apply(draft, {"bases": ["《某条例》第十条", " "], "content": "奖励", "amount_yuan": "2000.50"})
    assert draft.snapshot.amount_fen == 200050 and draft.snapshot.bases == ("《某条例》第十条",)
    nobody = Draft(snapshot=drafted(), details={}, context=context(DECIDE_ON), actor_name="赵")
    spec.step("other_act_review").apply(nobody, {"opinion": "agree"})
    assert [v.code for v in nobody.violations] == ["other_act.review.reviewer"]
