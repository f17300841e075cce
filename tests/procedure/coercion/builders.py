"""Builders shared by the coercion tests: measures walked step by step through the engine (never
by writing states). This module holds no tests."""

import datetime as dt
from dataclasses import replace

from sanxiang.procedure.coercion import (
    DECISION_ELEMENTS,
    FREEZE_DECISION_ELEMENTS,
    HeadApproval,
    MeasureSnapshot,
    OnSpot,
    PropertyChecks,
    coercion_procedure,
)
from sanxiang.procedure.engine import evaluate
from tests.procedure.test_penalty_support import FIELD, LI, ZHANG, context

D = dt.date
T = dt.datetime
APPROVED_AT = T(2026, 3, 2, 9, 0)  # a Monday
TAKEN_AT = T(2026, 3, 2, 10, 0)
TAKEN_ON = TAKEN_AT.date()
LAW = "《中华人民共和国行政强制法》"

SEAL_SEIZURE_RECORDS = frozenset(
    {"approval_form", "on_site_record", "measure_decision", "inventory", "audio_video_seizure", "audio_video_seal_up"}
)
FREEZE_RECORDS = frozenset({"approval_form", "on_site_record", "freeze_notice", "freeze_decision"})


def on_spot(on: dt.date = TAKEN_ON, **overrides) -> OnSpot:
    values = dict(
        on=on,
        officer_ids=(ZHANG.id, LI.id),
        certificates_shown=True,
        party_notified=True,
        party_present=True,
        told_reasons_and_basis=True,
        told_rights_and_remedies=True,
        party_heard=True,
        officers_signed=True,
        party_signed=True,
    )
    return OnSpot(**(values | overrides))


def proposed(kind: str = "seizure", **overrides) -> MeasureSnapshot:
    values = dict(
        state="proposed",
        kind=kind,
        records=FREEZE_RECORDS if kind == "freeze" else SEAL_SEIZURE_RECORDS,
        region="150626",
        sector="market",
        enforcement_field=FIELD,
        officers=(ZHANG, LI),
    )
    return MeasureSnapshot(**(values | overrides))


def head(at: dt.datetime = APPROVED_AT, approved: bool = True) -> HeadApproval:
    return HeadApproval("王局长", at, approved)


def taking(kind: str = "seizure", **overrides) -> MeasureSnapshot:
    """An approved measure with the form of a lawful taking filled in."""
    elements = FREEZE_DECISION_ELEMENTS if kind == "freeze" else DECISION_ELEMENTS
    values = dict(
        state="approved",
        approval=head(),
        taken_at=TAKEN_AT,
        on_spot=on_spot(),
        property_checks=PropertyChecks(True, True, True),
        decision_elements=frozenset(elements),
        documents_handed_over=True,
    )
    return replace(proposed(kind), **(values | overrides))


def step(snapshot: MeasureSnapshot, action: str, on: dt.date, **facts) -> MeasureSnapshot:
    """Take `action` through the engine; fails the test if it is refused."""
    snapshot = replace(snapshot, **facts)
    procedure = coercion_procedure(kind=snapshot.kind)
    found = evaluate(procedure, snapshot, action, context=context(on))
    assert found == [], [v.message for v in found]
    return replace(snapshot, state=procedure.transition(action).target)


def in_force(kind: str = "seizure", **overrides) -> MeasureSnapshot:
    return step(taking(kind, **overrides), "coercion_take", TAKEN_ON)


def codes(violations) -> list[str]:
    return [v.code for v in violations]


def refusal(snapshot: MeasureSnapshot, action: str, on: dt.date, **kwargs):
    return evaluate(coercion_procedure(kind=snapshot.kind), snapshot, action, context=context(on, **kwargs))


def by_code(violations, code: str):
    found = [v for v in violations if v.code == code]
    assert found, f"{code} not in {codes(violations)}"
    return found[0]
