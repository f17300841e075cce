"""Property test: random cases driven by random sequences of facts, days and actions through the
pure engine. An action is applied only when `evaluate` finds no violation. Whatever happens, no
sequence ever:

- decides execution or 代履行 without a served 催告 whose deadline has passed, unless it is an
  immediate execution on evidence of hidden assets (第三十五条、第三十七条);
- applies to the court before 10 working days have passed since the 催告 was served (第五十四条);
- executes at night or on a statutory holiday (or a weekend, by the default parameter) without an
  emergency and its reason (第四十三条);
- lets a surcharge exceed the principal, whether computed or claimed (第四十五条).

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
    if obligation == "payment" and rng.random() < 0.85:
        surcharge = Surcharge(notified=True, from_day=received + dt.timedelta(days=16), daily_permille=30)
    return EnforcementCaseSnapshot(
        state="pending",
        decision=BasisDecision(
            source=rng.choice(["penalty.ordinary", "penalty.summary", "other"]),
            obligation=obligation,
            decided_on=received,
            received_on=received,
            performance_due=received + dt.timedelta(days=15),
            principal_fen=principal,
        ),
        records=ALL_RECORDS,
        execution_power=rng.random() < 0.6,
        court_also_allowed=rng.random() < 0.2,
        harm_grounds=rng.random() < 0.7,
        surcharge=surcharge,
    )


def random_fact(rng: random.Random, case: EnforcementCaseSnapshot, today: dt.date) -> EnforcementCaseSnapshot:
    principal = case.decision.principal_fen
    kind = rng.randrange(12)
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
        day = today + dt.timedelta(days=rng.randrange(0, 6))
        start = at(day, rng.randrange(0, 24))
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
    }
    for name, mutant in mutants.items():
        assert any(drive(mutant, random.Random(seed))[0] for seed in range(300)), name
