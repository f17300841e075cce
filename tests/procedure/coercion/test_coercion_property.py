"""Property test: random measures driven by random sequences of days, facts and actions through the
pure engine. An action is applied only when `evaluate` finds no violation. Whatever happens, no
sequence ever:

- lets a measure outlive its period without a release: once the period (30 days, plus notified
  testing time with each day counted once, plus a granted extension; counted here independently of the deadlines module) has
  run, no step but release is applied, the period deadline shows `overdue` while the measure stands,
  and an extension is granted only once and for at most 30 days (行政强制法第二十五条、第二十八条、
  第三十二条、第三十三条);
- carries out a 查封 or 扣押 with no audio-video record linked, as the default 音像记录事项清单 requires;
- confirms an emergency measure whose approval came later than 24 hours or was refused (第十九条);
- refuses anything without a code, a Chinese message and a basis.

`test_the_oracle_catches_*` remove a guard (a mutant procedure) and show the oracle fails, so the
property can fail.
"""

import datetime as dt
from dataclasses import dataclass, field, replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxiang.procedure.coercion import (
    FREEZE,
    SEAL_SEIZURE,
    Examination,
    Extension,
    MeasureSnapshot,
    coercion_deadlines,
    coercion_procedure,
)
from sanxiang.procedure.coercion import guards as g
from sanxiang.procedure.engine import Procedure, evaluate
from tests.procedure.coercion.builders import TAKEN_AT, head, on_spot, taking
from tests.procedure.test_penalty_support import CALENDAR, context

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
ALL_RECORDS = tuple(k.name for k in SEAL_SEIZURE.record_kinds)
ENDED = ("released", "confiscated", "destroyed", "handled", "not_taken")


@dataclass(frozen=True)
class Op:
    wait_days: int
    action: str | None  # None: one of the steps out of the current state, chosen by `pick`
    pick: int = 0
    approved: bool = True
    approval_delay_hours: int = 1
    emergency_reason: bool = True
    extension_days: int = 30
    extension_approved: bool = True
    extension_notified: bool = True
    # (start offset, length, notified) of each examination, overlapping or repeated at will
    examinations: tuple[tuple[int, int, bool], ...] = ()


@dataclass
class Applied:
    day: dt.date
    action: str
    before: MeasureSnapshot
    after: MeasureSnapshot


@dataclass
class Run:
    applied: list[Applied] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def oracle_end(snapshot: MeasureSnapshot) -> dt.date | None:
    """The measure's last day, counted here without the deadlines module."""
    if snapshot.taken_at is None:
        return None
    days = 30
    if snapshot.kind != "freeze":
        # Each notified examination day after the taking, once (第二十五条第三款).
        taken = snapshot.taken_at.date()
        days += len({e.start + i * DAY for e in snapshot.examinations if e.notified_on is not None
                     for i in range((e.end - e.start).days + 1)} - {taken})
    if snapshot.state != "in_force" and snapshot.extension is not None:
        days += snapshot.extension.days
    end = snapshot.taken_at.date() + days * DAY
    # 民法典第二百零三条 (coercion.period_end_rolls_past_rest_days, on by default): a last day on a
    # rest day moves to the next working day; the test calendar rests on weekends only.
    while end.weekday() >= 5:
        end += DAY
    return end


def form(snapshot: MeasureSnapshot, op: Op, today: dt.date) -> MeasureSnapshot:
    """The facts the officer submits with the action."""
    at = dt.datetime.combine(today, dt.time(10))
    if op.action == "coercion_approve":
        return replace(snapshot, approval=head(at=at - HOUR, approved=op.approved))
    if op.action in ("coercion_take", "coercion_take_emergency"):
        examinations = tuple(
            Examination(today + start * DAY, today + (start + length - 1) * DAY, today + start * DAY if notified else None)
            for start, length, notified in op.examinations
        )
        return replace(
            snapshot, taken_at=at, on_spot=on_spot(on=today), examinations=examinations,
            emergency_reason="当事人正在转移财物" if op.emergency_reason else "",
        )
    if op.action == "coercion_confirm_emergency" and snapshot.taken_at is not None:
        return replace(snapshot, approval=head(at=snapshot.taken_at + op.approval_delay_hours * HOUR,
                                               approved=op.approved))
    if op.action == "coercion_extend":
        return replace(snapshot, extension=Extension(today, op.extension_days, "情况复杂", op.extension_approved,
                                                     today if op.extension_notified else None))
    return snapshot


def drive(procedure: Procedure, initial: MeasureSnapshot, ops: list[Op], start: dt.date) -> Run:
    run, snapshot, today = Run(), initial, start
    for op in ops:
        today += op.wait_days * DAY
        if op.action is None:
            # Mostly the steps that lead on from here, so that sequences reach the late states.
            onward = [t.name for t in procedure.transitions if snapshot.state in t.sources and t.name != "coercion_decline"]
            if not onward:
                continue
            op = replace(op, action=onward[op.pick % len(onward)])
        if op.action not in {t.name for t in procedure.transitions}:
            continue
        submitted = form(snapshot, op, today)
        found = evaluate(procedure, submitted, op.action, context=context(today))
        for violation in found:
            if not (violation.code and violation.message and violation.legal_basis.strip()):
                run.problems.append(f"refusal without basis: {violation}")
        if not found:
            after = replace(submitted, state=procedure.transition(op.action).target)
            run.applied.append(Applied(today, op.action, submitted, after))
            snapshot = after
        check_standing(run, snapshot, today)
    return run


def check_standing(run: Run, snapshot: MeasureSnapshot, today: dt.date) -> None:
    end = oracle_end(snapshot)
    if end is None or snapshot.state in ENDED or today <= end:
        return
    deadlines, _ = coercion_deadlines(snapshot, calendar=CALENDAR, today=today)
    period = [d for d in deadlines if d.code == "coercion.deadline.period"]
    if not period or period[0].state != "overdue":
        run.problems.append(f"{today}: the measure outlived its period ({end}) and is not shown overdue")


def oracle(run: Run) -> list[str]:
    problems = list(run.problems)
    extensions = 0
    for step in run.applied:
        before, after = step.before, step.after
        end = oracle_end(before)
        if end is not None and step.day > end and step.action != "coercion_release":
            problems.append(f"{step.day}: {step.action} after the period ended on {end}")
        if step.action in ("coercion_take", "coercion_take_emergency") and before.kind in ("seal_up", "seizure"):
            if f"audio_video_{before.kind}" not in before.records:
                problems.append(f"{step.day}: {before.kind} carried out without its audio-video record")
        if step.action == "coercion_confirm_emergency":
            approval = before.approval
            if approval is None or not approval.approved or approval.decided_at > before.taken_at + 24 * HOUR:
                problems.append(f"{step.day}: emergency measure confirmed without approval within 24 hours")
        if step.action == "coercion_extend":
            extensions += 1
            if extensions > 1 or not 0 < after.extension.days <= 30:
                problems.append(f"{step.day}: extension {extensions} of {after.extension.days} days")
    return problems


ACTIONS = sorted({t.name for p in (SEAL_SEIZURE, FREEZE) for t in p.transitions})

mostly = st.sampled_from((True, True, True, False))
ops = st.builds(
    Op,
    wait_days=st.sampled_from((0, 0, 1, 3, 10, 20, 29, 31)) | st.integers(0, 40),
    action=st.none() | st.none() | st.sampled_from(ACTIONS),
    pick=st.integers(0, 5),
    approved=mostly,
    approval_delay_hours=st.integers(0, 30),
    emergency_reason=mostly,
    extension_days=st.sampled_from((10, 30, 31)) | st.integers(0, 40),
    extension_approved=mostly,
    extension_notified=mostly,
    examinations=st.lists(st.tuples(st.integers(0, 20), st.integers(1, 15), st.booleans()), max_size=3).map(tuple),
)


@st.composite
def measures(draw):
    kind = draw(st.sampled_from(("seal_up", "seizure", "freeze")))
    missing = draw(st.just(set()) | st.sets(st.sampled_from(ALL_RECORDS), max_size=2))
    records = frozenset(ALL_RECORDS) - missing
    return replace(taking(kind), state="proposed", approval=None, taken_at=None, on_spot=None, records=records)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(measure=measures(), steps=st.lists(ops, max_size=14))
def test_no_measure_outlives_its_period_or_skips_its_recording(measure, steps):
    run = drive(coercion_procedure(kind=measure.kind), measure, steps, TAKEN_AT.date())
    assert oracle(run) == []


# --- the property can fail -----------------------------------------------------------------------


def without_guard(procedure: Procedure, guard) -> Procedure:
    return replace(
        procedure,
        transitions=tuple(replace(t, guards=tuple(x for x in t.guards if x is not guard)) for t in procedure.transitions),
    )


def test_the_oracle_catches_an_engine_without_the_expiry_guard():
    measure = replace(taking("seizure"), state="proposed", approval=None, records=frozenset(ALL_RECORDS))
    sequence = [Op(0, "coercion_approve"), Op(0, "coercion_take"), Op(40, "coercion_confiscate")]
    assert oracle(drive(SEAL_SEIZURE, measure, sequence, TAKEN_AT.date())) == []
    mutant = without_guard(SEAL_SEIZURE, g.not_expired)
    found = oracle(drive(mutant, measure, sequence, TAKEN_AT.date()))
    assert any("after the period ended" in p for p in found)


def test_the_oracle_catches_an_engine_without_the_audio_video_guard():
    measure = replace(taking("seal_up"), state="proposed", approval=None,
                      records=frozenset(ALL_RECORDS) - {"audio_video_seal_up"})
    sequence = [Op(0, "coercion_approve"), Op(0, "coercion_take")]
    assert oracle(drive(SEAL_SEIZURE, measure, sequence, TAKEN_AT.date())) == []
    mutant = without_guard(SEAL_SEIZURE, g.audio_video_recorded)
    assert any("audio-video" in p for p in oracle(drive(mutant, measure, sequence, TAKEN_AT.date())))


def test_the_oracle_catches_an_engine_without_the_24_hour_guard():
    measure = replace(taking("seizure"), state="proposed", approval=None, records=frozenset(ALL_RECORDS))
    sequence = [Op(0, "coercion_take_emergency"), Op(2, "coercion_confirm_emergency", approval_delay_hours=30)]
    assert oracle(drive(SEAL_SEIZURE, measure, sequence, TAKEN_AT.date())) == []
    mutant = without_guard(SEAL_SEIZURE, g.emergency_approval_in_time)
    assert any("24 hours" in p for p in oracle(drive(mutant, measure, sequence, TAKEN_AT.date())))


def test_the_oracle_catches_examination_days_counted_twice(monkeypatch):
    """Two notified examinations over the same days keep those days out of the period once: an
    engine that added them up would let the measure stand past its end unflagged."""
    from sanxiang.procedure.coercion import deadlines

    measure = replace(taking("seizure"), state="proposed", approval=None, records=frozenset(ALL_RECORDS))
    twice = ((1, 10, True), (1, 10, True))
    sequence = [Op(0, "coercion_approve"), Op(0, "coercion_take", examinations=twice), Op(45, "coercion_destroy")]
    assert oracle(drive(SEAL_SEIZURE, measure, sequence, TAKEN_AT.date())) == []

    def summed(examinations, *, taken_on):
        return sum(e.days for e in examinations if e.notified_on is not None)

    monkeypatch.setattr(deadlines, "examination_days_excluded", summed)
    found = oracle(drive(SEAL_SEIZURE, measure, sequence, TAKEN_AT.date()))
    assert any("not shown overdue" in p or "after the period ended" in p for p in found), found
