"""The procedure engine: every guard runs, every reason is reported, definitions are validated,
the transition table exports to Mermaid."""

import datetime as dt
import re
from dataclasses import dataclass

import pytest

from sanxiang.procedure.engine import (
    GuardContext,
    LegalCalendar,
    Procedure,
    ProcedureDefinitionError,
    RecordKind,
    RecordRequirement,
    State,
    Transition,
    UnknownAction,
    action_check,
    actions_available,
    evaluate,
    procedure_mermaid,
    procedure_problems,
)
from sanxiang.procedure.penalty import ORDINARY, SUMMARY
from sanxiang.procedure.violations import Refused, Violation
from tests.procedure.test_penalty_support import CALENDAR, WeekdayCalendar

TODAY = dt.date(2026, 11, 26)
CONTEXT = GuardContext(today=TODAY, calendar=CALENDAR)
BASIS = "《中华人民共和国行政处罚法》第四十四条"


@dataclass(frozen=True)
class Toy:
    state: str
    records: frozenset[str] = frozenset()
    amount: int = 0
    approved: bool = False


calls: list[str] = []


def positive(case: Toy, context: GuardContext) -> list[Violation]:
    calls.append("positive")
    return [] if case.amount > 0 else [Violation("toy.amount", "金额须大于零", BASIS, "amount")]


def approved(case: Toy, context: GuardContext) -> list[Violation]:
    calls.append("approved")
    return [] if case.approved else [Violation("toy.approval", "须经负责人批准", BASIS, "approved")]


def toy(**overrides) -> Procedure[Toy]:
    values = dict(
        name="toy",
        label="测试程序",
        states=(State("draft", "草稿"), State("sent", "已发送"), State("done", "完成", final=True)),
        initial="draft",
        transitions=(
            Transition(
                "send",
                "发送",
                ("draft",),
                "sent",
                guards=(positive, approved),
                records=(
                    RecordRequirement(("letter",), BASIS),
                    RecordRequirement(("photo", "video"), BASIS),
                    RecordRequirement(("big_form",), BASIS, when=lambda case, ctx: case.amount > 100),
                ),
                legal_basis=BASIS,
            ),
            Transition("finish", "完成", ("sent",), "done", legal_basis=BASIS),
        ),
        record_kinds=(
            RecordKind("letter", "告知书"),
            RecordKind("photo", "照片"),
            RecordKind("video", "录像"),
            RecordKind("big_form", "大额审批表"),
        ),
    )
    return Procedure(**(values | overrides))


def test_evaluate_runs_every_guard_and_reports_every_reason_including_wrong_state():
    calls.clear()
    violations = evaluate(toy(), Toy(state="sent"), "send", context=CONTEXT)
    codes = [v.code for v in violations]
    assert codes == [
        "toy.wrong_state",
        "toy.record_missing.letter",
        "toy.record_missing.photo_or_video",
        "toy.amount",
        "toy.approval",
    ]
    assert calls == ["positive", "approved"]  # no short-circuit after the first failure
    wrong_state = violations[0]
    assert "已发送" in wrong_state.message and "草稿" in wrong_state.message
    assert wrong_state.legal_basis == BASIS
    assert "“照片”或“录像”" in violations[2].message


def test_a_conditional_record_is_required_only_when_it_applies_and_the_lawful_case_passes():
    procedure = toy()
    ready = Toy(state="draft", records=frozenset({"letter", "video"}), amount=50, approved=True)
    assert evaluate(procedure, ready, "send", context=CONTEXT) == []
    big = Toy(state="draft", records=frozenset({"letter", "video"}), amount=500, approved=True)
    assert [v.code for v in evaluate(procedure, big, "send", context=CONTEXT)] == ["toy.record_missing.big_form"]
    assert action_check(procedure, ready, "send", context=CONTEXT) == "sent"
    with pytest.raises(Refused) as refused:
        action_check(procedure, big, "send", context=CONTEXT)
    assert "大额审批表" in str(refused.value)


def test_actions_available_says_what_can_be_done_and_what_blocks_each_other_step():
    procedure = toy()
    case = Toy(state="draft", records=frozenset({"letter", "photo"}), amount=5, approved=False)
    statuses = {s.action: s for s in actions_available(procedure, case, context=CONTEXT)}
    assert list(statuses) == ["send", "finish"]
    assert not statuses["send"].allowed
    assert [v.code for v in statuses["send"].violations] == ["toy.approval"]
    assert statuses["send"].label == "发送" and statuses["send"].target == "sent"
    assert [v.code for v in statuses["finish"].violations] == ["toy.wrong_state"]
    only_now = actions_available(procedure, case, context=CONTEXT, from_current_state_only=True)
    assert [s.action for s in only_now] == ["send"]
    approved_case = Toy(state="draft", records=frozenset({"letter", "photo"}), amount=5, approved=True)
    assert actions_available(procedure, approved_case, context=CONTEXT)[0].allowed


def test_an_unknown_action_is_an_error_not_a_refusal():
    with pytest.raises(UnknownAction):
        evaluate(toy(), Toy(state="draft"), "teleport", context=CONTEXT)


def test_duplicate_violations_from_two_guards_are_reported_once():
    def twice(case, context):
        return [Violation("toy.same", "同一问题", BASIS)]

    procedure = toy(
        transitions=(Transition("send", "发送", ("draft",), "sent", guards=(twice, twice), legal_basis=BASIS),
                     Transition("finish", "完成", ("sent",), "done", legal_basis=BASIS))
    )
    assert [v.code for v in evaluate(procedure, Toy(state="draft"), "send", context=CONTEXT)] == ["toy.same"]


def test_a_definition_with_unknown_or_unreachable_states_is_refused_with_every_problem():
    with pytest.raises(ProcedureDefinitionError) as error:
        toy(
            states=(
                State("draft", "草稿"),
                State("sent", "已发送"),
                State("done", "完成", final=True),
                State("limbo", "无法到达"),
                State("draft", "重复"),
            ),
            transitions=(
                Transition("send", "发送", ("draft",), "sent", legal_basis=BASIS),
                Transition("send", "再发送", ("draft",), "sent", legal_basis=BASIS),
                Transition("finish", "完成", ("sent", "nowhere"), "done", legal_basis=BASIS),
                Transition("jump", "跳转", ("sent",), "elsewhere", legal_basis=BASIS),
                Transition("unbased", "无依据", ("sent",), "done", records=(RecordRequirement(("x",), BASIS),)),
            ),
        )
    problems = error.value.problems
    assert "duplicate state draft" in problems
    assert "duplicate transition send" in problems
    assert "transition finish: unknown source state nowhere" in problems
    assert "transition jump: unknown target state elsewhere" in problems
    assert "transition unbased has no legal basis" in problems
    assert "transition unbased: undeclared record kind x" in problems
    assert "state limbo is unreachable from draft" in problems
    assert "state limbo is not final and has no transition out" in problems


def test_a_definition_with_a_dead_end_or_an_exit_from_a_final_state_is_refused():
    with pytest.raises(ProcedureDefinitionError, match="state sent is not final and has no transition out"):
        toy(transitions=(Transition("send", "发送", ("draft",), "sent", legal_basis=BASIS),
                         Transition("loop", "循环", ("sent",), "sent", legal_basis=BASIS)),
            states=(State("draft", "草稿"), State("sent", "已发送")))
    with pytest.raises(ProcedureDefinitionError, match="final state done has a transition out"):
        toy(transitions=(Transition("send", "发送", ("draft",), "done", legal_basis=BASIS),
                         Transition("reopen", "重开", ("done",), "sent", legal_basis=BASIS),
                         Transition("finish", "完成", ("sent",), "done", legal_basis=BASIS)))
    with pytest.raises(ProcedureDefinitionError, match="unknown initial state"):
        toy(initial="nowhere")


@pytest.mark.parametrize("procedure", [ORDINARY, SUMMARY], ids=lambda p: p.name)
def test_the_penalty_procedures_are_valid_definitions(procedure):
    assert procedure_problems(procedure) == []
    assert {t.name for t in procedure.transitions} >= {"close", "archive"}
    for transition in procedure.transitions:
        assert "法" in transition.legal_basis or "号" in transition.legal_basis, transition.name


def test_mermaid_export_of_the_toy_procedure_is_exact():
    assert procedure_mermaid(toy()) == (
        "stateDiagram-v2\n"
        "    %% 测试程序\n"
        '    state "草稿" as draft\n'
        '    state "已发送" as sent\n'
        '    state "完成" as done\n'
        "    [*] --> draft\n"
        "    draft --> sent : 发送\n"
        "    sent --> done : 完成\n"
        "    done --> [*]\n"
    )


def test_mermaid_export_of_the_ordinary_procedure_has_every_transition_in_chinese():
    text = procedure_mermaid(ORDINARY)
    assert text.startswith("stateDiagram-v2\n")
    edges = re.findall(r"^    (\w+) --> (\w+) : (.+)$", text, flags=re.M)
    expected = {(s, t.target, t.label) for t in ORDINARY.transitions for s in t.sources}
    assert set(edges) == expected
    assert ("notified", "decided", "作出决定") in set(edges)
    assert 'state "已事先告知（陈述申辩）" as notified' in text
    assert "archived --> [*]" in text and "not_opened --> [*]" in text
    # Labels are Chinese; no raw ASCII label slipped in.
    assert all(re.search(r"[\u4e00-\u9fff]", label) for _, _, label in edges)


def test_mermaid_labels_cannot_break_the_diagram():
    procedure = toy(states=(State("draft", '草稿: "新"'), State("sent", "已发送"), State("done", "完成", final=True)))
    text = procedure_mermaid(procedure)
    assert 'state "草稿： ＂新＂" as draft' in text


def test_the_stub_and_the_real_calendar_satisfy_the_calendar_protocol():
    assert isinstance(WeekdayCalendar(), LegalCalendar)
    calendar_module = pytest.importorskip("sanxiang.procedure.calendar")
    real = calendar_module.working_day_calendar_default()
    assert isinstance(real, LegalCalendar)
    # 2026-09-30 (Wed) + 1 working day skips the National Day holidays to 10-09 in the official
    # calendar; the stub, knowing no holidays, says 10-01: the engine must be given the real one.
    assert real.working_days_after(dt.date(2026, 9, 30), 1).date > dt.date(2026, 10, 1)
    assert WeekdayCalendar().working_days_after(dt.date(2026, 9, 30), 1).date == dt.date(2026, 10, 1)
