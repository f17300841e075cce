"""Property test: random cases driven by random sequences of facts, days and actions through the
pure engine. An action is applied only when `evaluate` finds no violation. Whatever happens, no
sequence ever:

- decides execution or 代履行 without a served 催告 whose deadline has passed, unless it is an
  immediate execution on evidence of hidden assets (第三十五条、第三十七条);
- applies to the court before 10 working days have passed since the 催告 was served (第五十四条);
- executes at night or on a statutory holiday (or a weekend, by the default parameter) without an
  emergency and its reason (第四十三条);
- lets a surcharge exceed the principal, whether computed or claimed (第四十五条);
- decides execution without a provision of a law granting the power (第十三条);
- executes on a day before its decision was served (第三十八条), or demolishes on or before the
  public notice's deadline (第四十四条), judged on the plan's day, not the day it is entered.

The oracle is written independently of the guards (its own working-day count over the same
holiday table, its own hour check). `test_the_oracle_catches_engines_without_a_guard` removes
guards one at a time and shows the oracle finds the breach, so the property can fail.
"""

import datetime as dt
import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxiang.procedure.enforcement import (
    ENFORCEMENT,
    RECORD_KINDS,
    Agreement,
    BasisDecision,
    Challenge,
    CourtApplication,
    Demand,
    DemolitionNotice,
    EnforcementCaseSnapshot,
    ExecutionDecision,
    ExecutionPlan,
    Statement,
    Substitute,
    Surcharge,
    surcharge_accrued,
)
from sanxiang.procedure.enforcement import guards as g
from sanxiang.procedure.enforcement.snapshot import DEMAND_ELEMENTS, EXECUTION_DECISION_ELEMENTS
from sanxiang.procedure.engine import Procedure, evaluate
from tests.procedure.enforcement.support import NATIONAL_DAY, at, context
from tests.procedure.enforcement.test_enforcement_rules import demolition_case

D = dt.date
ONE_DAY = dt.timedelta(days=1)
ADJUSTED = {D(2026, 9, 27), D(2026, 10, 10)}
ALL_RECORDS = frozenset(k.name for k in RECORD_KINDS)
SURCHARGED = {t.name for t in ENFORCEMENT.transitions if g.surcharge_lawful in t.guards}


# --- the oracle -------------------------------------------------------------------------------------


def rest_day(day: dt.date) -> bool:
    return day in NATIONAL_DAY or (day.weekday() >= 5 and day not in ADJUSTED)


def working_days_since(start: dt.date, end: dt.date) -> int:
    return sum(1 for n in range(1, (end - start).days + 1) if not rest_day(start + dt.timedelta(days=n)))


def breaches(case: EnforcementCaseSnapshot, action: str, today: dt.date) -> list[str]:
    """What the law forbids in taking `action` on `case` today (the case as it was before)."""
    found = []
    demand = case.demand
    if action in ("decide_execution", "decide_substitute"):
        served = demand is not None and demand.served_on is not None and demand.served_on <= today
        immediate = (
            action == "decide_execution"
            and case.execution_decision is not None
            and case.execution_decision.immediate
            and case.assets_being_hidden
        )
        if not served or demand.deadline is None or not (today > demand.deadline or immediate):
            found.append("execution decided without a served demand whose deadline passed")
    if action == "decide_execution" and not (case.execution_power and "法》第" in case.execution_power_basis):
        found.append("execution decided without a provision of a law granting the power")
    if action == "execute" and case.plan is not None:
        served = case.execution_decision.served_on if case.execution_decision is not None else None
        if served is None or case.plan.starts_at.date() < served:
            found.append("execution started before its decision was served")
        notice = case.demolition_notice
        demolishing = case.decision.obligation == "demolition" or (
            case.execution_decision is not None and case.execution_decision.method == "demolition")
        if demolishing and (notice is None or case.plan.starts_at.date() <= notice.deadline):
            found.append("demolition started before the public notice's deadline passed")
    if action == "apply_to_court":
        # Ten whole working days must have run after the day of service, before today.
        if demand is None or demand.served_on is None or working_days_since(demand.served_on, today - ONE_DAY) < 10:
            found.append("court application within 10 working days of the demand")
    if action in ("execute", "perform_substitute"):
        plan = case.plan
        if plan is None:
            found.append("execution without a plan")
        elif not (plan.emergency and plan.emergency_reason.strip()):
            moment = plan.starts_at
            while moment < plan.ends_at:
                if moment.hour >= 22 or moment.hour < 6:
                    found.append(f"execution at night ({moment})")
                    break
                if rest_day(moment.date()):
                    found.append(f"execution on a rest day ({moment.date()})")
                    break
                moment += dt.timedelta(minutes=30)
    if action in SURCHARGED and case.surcharge is not None and case.surcharge.claimed_fen > case.decision.principal_fen:
        found.append("surcharge claimed above the principal")
    return found


# --- the driver -------------------------------------------------------------------------------------


def random_case(rng: random.Random) -> EnforcementCaseSnapshot:
    obligation = rng.choice(["payment", "payment", "act", "demolition"])
    received = D(2026, 1, 5) + dt.timedelta(days=rng.randrange(0, 60))
    principal = rng.choice([20_000, 500_000, 1_234_567]) if obligation == "payment" else 0
    surcharge = None
    source = rng.choice(["penalty.ordinary", "penalty.summary", "other"])
    if obligation == "payment" and rng.random() < 0.85:
        # A fine's surcharge is the law's 3%; another money duty's rate names its provision.
        surcharge = Surcharge(notified=True, from_day=received + dt.timedelta(days=16), daily_permille=30,
                              basis="" if source != "other" else "《中华人民共和国税收征收管理法》第三十二条")
    power = rng.random() < 0.6
    return EnforcementCaseSnapshot(
        state="pending",
        decision=BasisDecision(
            source=source,
            obligation=obligation,
            decided_on=received,
            received_on=received,
            performance_due=received + dt.timedelta(days=15),
            principal_fen=principal,
        ),
        records=ALL_RECORDS,
        execution_power=power,
        execution_power_basis=rng.choice(["《中华人民共和国税收征收管理法》第四十条"] * 8 + ["某某条例第十条", ""])
        if power else "",
        court_also_allowed=rng.random() < 0.2,
        harm_grounds=rng.random() < 0.7,
        surcharge=surcharge,
    )


def random_fact(rng: random.Random, case: EnforcementCaseSnapshot, today: dt.date) -> EnforcementCaseSnapshot:
    principal = case.decision.principal_fen
    kind = rng.randrange(12)
    if case.state == "decision_served" and rng.random() < 0.5:
        kind = 5  # a decision served is mostly followed by its execution's plan
    if kind == 0:
        elements = frozenset(DEMAND_ELEMENTS) if rng.random() < 0.9 else frozenset({"method"})
        served = today if rng.random() < 0.85 else None
        deadline = today + dt.timedelta(days=rng.choice([0, 3, 7, 10, 15]))
        return replace(case, demand=Demand(written_on=today, deadline=deadline, elements=elements, served_on=served, service_method="direct"))
    if kind == 1:
        statement = Statement(today, recorded=rng.random() < 0.7, reexamined_on=today if rng.random() < 0.7 else None)
        return replace(case, statements=(*case.statements, statement))
    if kind == 2:
        return replace(case, statements=tuple(replace(s, recorded=True, reexamined_on=today) for s in case.statements))
    if kind == 3:
        return replace(case, assets_being_hidden=not case.assets_being_hidden)
    if kind == 4:
        method = "demolition" if case.decision.obligation == "demolition" else rng.choice(["transfer", "auction", "removal"])
        decision = ExecutionDecision(
            decided_on=today,
            method=method,
            elements=frozenset(EXECUTION_DECISION_ELEMENTS),
            immediate=rng.random() < 0.3,
            served_on=today if rng.random() < 0.8 else None,
            service_method="direct",
        )
        return replace(case, execution_decision=decision)
    if kind == 5:
        # Mostly working hours; sometimes a day already past (an execution entered afterwards).
        day = today + dt.timedelta(days=rng.randrange(-3, 6))
        start = at(day, rng.choice([8, 9, 10, 14] * 3 + list(range(24))))
        emergency = rng.random() < 0.2
        plan = ExecutionPlan(
            starts_at=start,
            ends_at=start + dt.timedelta(hours=rng.randrange(1, 6)),
            emergency=emergency,
            emergency_reason="危及公共安全" if emergency and rng.random() < 0.5 else "",
        )
        return replace(case, plan=plan)
    if kind == 6 and case.surcharge is not None:
        claimed = rng.choice([0, principal // 10, principal, principal + 1, principal * 2])
        return replace(case, surcharge=replace(case.surcharge, claimed_fen=claimed))
    if kind == 7:
        waived = rng.choice([0, principal // 10, principal * 2])
        broken = today if rng.random() < 0.5 else None
        return replace(case, agreement=Agreement(today, surcharge_waived_fen=waived, remedial_measures_taken=True, broken_on=broken))
    if kind == 8:
        ruling = rng.choice(["", "granted", "refused"])
        return replace(case, court=CourtApplication(applied_on=today, ruling=ruling, ruled_on=today if ruling else None))
    if kind == 9:
        if case.challenges and case.challenges[-1].ended_on is None:
            return replace(case, challenges=(*case.challenges[:-1], replace(case.challenges[-1], ended_on=today)))
        return replace(case, challenges=(*case.challenges, Challenge(rng.choice(["reconsideration", "litigation"]), today)))
    if kind == 10:
        substitute = Substitute(
            decided_on=today,
            decision_served_on=today,
            demand_served_on=today - dt.timedelta(days=rng.randrange(0, 8)),
            supervised_on_site=True,
            signed_by_all=True,
        )
        return replace(case, substitute=substitute)
    if kind == 11:
        return replace(case, demolition_notice=DemolitionNotice(published_on=today, deadline=today + dt.timedelta(days=10)))
    return case


def drive(procedure: Procedure, rng: random.Random, *, steps: int = 100) -> tuple[list[str], set[str]]:
    """One random sequence; returns the breaches the oracle found and the actions that succeeded."""
    case = random_case(rng)
    today = case.decision.received_on
    found, taken = [], set()
    for _ in range(steps):
        roll = rng.random()
        if roll < 0.3:
            today += dt.timedelta(days=rng.choice([0, 1, 1, 2, 3, 5, 10, 30, 60]))
            if today.year > 2026:  # the calendar of the tests knows 2026 only
                break
            continue
        if roll < 0.6:
            case = random_fact(rng, case, today)
            continue
        here = [t for t in procedure.transitions if case.state in t.sources]
        transition = rng.choice(here if here and rng.random() < 0.9 else procedure.transitions)
        violations = evaluate(procedure, case, transition.name, context=context(today))
        accrued = surcharge_accrued(case, context(today), on=today)
        if accrued > case.decision.principal_fen:
            found.append(f"surcharge accrued {accrued} above the principal {case.decision.principal_fen}")
        if violations:
            continue
        found += breaches(case, transition.name, today)
        taken.add(transition.name)
        case = replace(case, state=transition.target)
    return found, taken


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_no_random_sequence_breaks_the_law(rng):
    found, _ = drive(ENFORCEMENT, rng)
    assert found == []


def without(procedure: Procedure, action: str, guard) -> Procedure:
    transitions = tuple(
        replace(t, guards=tuple(x for x in t.guards if x is not guard)) if t.name == action else t
        for t in procedure.transitions
    )
    return replace(procedure, transitions=transitions)


def test_the_oracle_catches_engines_without_a_guard():
    """The property can fail: with one guard removed, some seed breaks the law and the oracle says
    so; and without mutation the sequences do reach every action the invariants concern."""
    taken = set()
    for seed in range(300):
        taken |= drive(ENFORCEMENT, random.Random(seed))[1]
    assert {"decide_execution", "decide_substitute", "apply_to_court", "execute", "perform_substitute", "serve_demand"} <= taken
    mutants = {
        "deadline": without(ENFORCEMENT, "decide_execution", g.demand_deadline_passed),
        "court wait": without(ENFORCEMENT, "apply_to_court", g.court_application_timely),
        "night and holidays": without(ENFORCEMENT, "execute", g.execution_time_lawful),
        "surcharge cap": without(ENFORCEMENT, "serve_demand", g.surcharge_lawful),
        "power's law": without(ENFORCEMENT, "decide_execution", g.execution_power_held),
    }
    for name, mutant in mutants.items():
        assert any(drive(mutant, random.Random(seed))[0] for seed in range(300)), name


# --- an execution entered afterwards, judged on its own day (第三十八条、第四十四条) -------------------

ENTERED = D(2026, 10, 20)  # long after every day below: "today" would allow them all
LITIGATION_ENDS = D(2026, 9, 4)  # received 2026-03-04: 6 months


def entered_afterwards(procedure: Procedure) -> tuple[list[str], int]:
    """Demolitions on every working day from 09-01 to 09-25, each entered on 10-20, with the
    decision served on 05-21 or 09-10 and the 公告's deadline 08-15 or 09-14: the breaches the
    oracle finds among those the engine lets through, and how many it let through."""
    found, allowed = [], 0
    for served in (D(2026, 5, 21), D(2026, 9, 10)):
        for deadline in (D(2026, 8, 15), D(2026, 9, 14)):
            for offset in range(25):
                start = D(2026, 9, 1) + dt.timedelta(days=offset)
                if rest_day(start):
                    continue
                case = demolition_case(
                    demolition_notice=DemolitionNotice(published_on=D(2026, 8, 1), deadline=deadline),
                    plan=ExecutionPlan(starts_at=at(start, 9), ends_at=at(start, 17)),
                )
                case = replace(case, execution_decision=replace(case.execution_decision, served_on=served))
                if evaluate(procedure, case, "execute", context=context(ENTERED)):
                    continue
                allowed += 1
                if start < served or start <= deadline or start <= LITIGATION_ENDS:
                    found.append(f"demolished on {start} (served {served}, notice until {deadline})")
    return found, allowed


def test_an_execution_entered_afterwards_is_judged_on_the_day_it_took_place():
    found, allowed = entered_afterwards(ENFORCEMENT)
    assert found == [] and allowed > 0
    for guard in (g.plan_after_decision_served, g.demolition_lawful):
        assert entered_afterwards(without(ENFORCEMENT, "execute", guard))[0], guard.__name__
