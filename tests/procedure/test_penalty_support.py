"""Builders shared by the penalty tests: a Monday–Friday stub calendar, officers, parties, and a
lawful ordinary case walked step by step through the engine (never by writing states).

This module holds no tests; it is named test_penalty_* only so that it lives with them.
"""

import datetime as dt
from dataclasses import dataclass, replace

from sanxiang.procedure.engine import GuardContext, evaluate
from sanxiang.procedure.identifiers import (
    credit_code_check_character,
    id_number_check_character,
    organization_code_check_character,
)
from sanxiang.procedure.penalty import (
    ORDINARY,
    AdvanceNotice,
    DecisionDraft,
    Hearing,
    InvestigativeAct,
    Party,
    Payment,
    PenaltyCaseSnapshot,
    PenaltyTerms,
    ReviewOpinion,
    Service,
    penalty_apply,
)
from sanxiang.procedure.penalty.snapshot import DECISION_ELEMENTS, NOTICE_ELEMENTS
from sanxiang.procedure.registry_rules import CertificateSnapshot, OfficerSnapshot

D = dt.date
ONE_DAY = dt.timedelta(days=1)
FIELD = "市场监管"


@dataclass(frozen=True)
class StubEnd:
    date: dt.date
    estimated: bool
    basis: str


class WeekdayCalendar:
    """Monday–Friday working days, no holidays; years from `unknown_from` on are "estimated", as
    the real calendar flags years without an official schedule."""

    def __init__(self, unknown_from: int = 9999):
        self.unknown_from = unknown_from

    def end(self, day: dt.date, basis: str) -> StubEnd:
        return StubEnd(day, day.year >= self.unknown_from, basis)

    def working_days_after(self, start: dt.date, n: int) -> StubEnd:
        day = start
        while n:
            day += ONE_DAY
            if day.weekday() < 5:
                n -= 1
        return self.end(day, "测试日历：周一至周五为工作日")

    def calendar_days_after(self, start: dt.date, n: int) -> StubEnd:
        day = start + dt.timedelta(days=n)
        while day.weekday() >= 5:  # a period ending on a rest day ends on the next working day
            day += ONE_DAY
        return self.end(day, "测试日历：期间届满日为休息日的顺延")


CALENDAR = WeekdayCalendar()


def context(today: dt.date, **kwargs) -> GuardContext:
    return GuardContext(today=today, calendar=kwargs.pop("calendar", CALENDAR), **kwargs)


def certificate(**overrides) -> CertificateSnapshot:
    values = dict(
        id=1,
        number="15062620000001",
        status="valid",
        valid_from=D(2022, 1, 1),
        valid_to=D(2030, 12, 31),
        fields=(FIELD,),
    )
    return CertificateSnapshot(**(values | overrides))


def officer(officer_id: int, name: str, **overrides) -> OfficerSnapshot:
    values = dict(
        id=officer_id,
        name=name,
        status="active",
        staffing_type="administrative",
        certificates=(certificate(id=officer_id, number=f"1506262000{officer_id:04d}"),),
    )
    return OfficerSnapshot(**(values | overrides))


ZHANG = officer(1, "张三")
LI = officer(2, "李四")
ZHAO = officer(3, "赵五")
PRESIDING_ID = 7  # a hearing officer from the legal office, not an investigator
REVIEWER = officer(9, "王审核", is_legal_reviewer=True, has_legal_qualification=True)


def id_number(birth: dt.date, serial: int = 123, region: str = "150626") -> str:
    first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
    return first17 + id_number_check_character(first17)


def credit_code(serial: int = 42, prefix: str = "91150626") -> str:
    body = f"{serial:08d}"
    with_org = prefix + body + organization_code_check_character(body)
    return with_org + credit_code_check_character(with_org)


ADULT_BIRTH = D(1980, 5, 20)


def citizen(birth: dt.date = ADULT_BIRTH, **overrides) -> Party:
    return Party(**(dict(kind="natural_person", name="刘某", id_number=id_number(birth)) | overrides))


def company(**overrides) -> Party:
    return Party(**(dict(kind="organization", name="某某商贸有限公司", credit_code=credit_code()) | overrides))


def fine(yuan: int, *more: str) -> PenaltyTerms:
    return PenaltyTerms(frozenset({"fine", *more}), fine_fen=yuan * 100)


def all_notice_elements() -> frozenset[str]:
    return frozenset(NOTICE_ELEMENTS)


def all_decision_elements() -> frozenset[str]:
    return frozenset(DECISION_ELEMENTS)


# --- the lawful path of an ordinary case ----------------------------------------------------------
#
# 2026-03 in the stub calendar: Mon 2, 9, 16, 23, 30. The act on Mon 03-02, discovered 03-05, opened
# Fri 03-06, questioned and inspected 03-10, notice served Tue 03-17: the 5-working-day statement
# window ends Tue 03-24, so the first lawful decision day is Wed 03-25.

ACT = D(2026, 3, 2)
OPENED = D(2026, 3, 6)
NOTICE_SERVED = D(2026, 3, 17)
WINDOW_END = D(2026, 3, 24)
FIRST_DECISION_DAY = D(2026, 3, 25)

OPENING_RECORDS = {"lead_record", "opening_approval"}
INVESTIGATION_RECORDS = {"inquiry_record", "inspection_record", "investigation_report"}
NOTICE_RECORDS = {"advance_notice", "notice_service_receipt"}


def lead(**overrides) -> PenaltyCaseSnapshot:
    values = dict(
        state="lead",
        party=citizen(),
        act_date=ACT,
        discovered_on=D(2026, 3, 5),
        enforcement_field=FIELD,
        region="150626",
        records=frozenset(OPENING_RECORDS),
        opening_approved_by_head=True,
        officers=(ZHANG, LI),
    )
    return PenaltyCaseSnapshot(**(values | overrides))


def act(on: dt.date, kind: str = "inquiry", officer_ids=(1, 2), **overrides) -> InvestigativeAct:
    return InvestigativeAct(**(dict(kind=kind, on=on, officer_ids=officer_ids, certificate_shown=True) | overrides))


def step(snapshot: PenaltyCaseSnapshot, action: str, today: dt.date, procedure=ORDINARY, **kwargs):
    """Perform `action` through the engine; fail loudly with every reason if it is refused."""
    ctx = context(today, **kwargs)
    violations = evaluate(procedure, snapshot, action, context=ctx)
    assert not violations, f"{action} on {today}: " + "; ".join(f"{v.code}: {v.message}" for v in violations)
    return penalty_apply(procedure, snapshot, action, context=ctx)


def investigated(penalty: PenaltyTerms | None = None, **overrides) -> PenaltyCaseSnapshot:
    """A case whose investigation has ended, with the notice about to be served on 03-17."""
    case = step(lead(**overrides), "open", OPENED)
    case = step(case, "investigate", D(2026, 3, 9))
    case = replace(
        case,
        investigative_acts=(act(D(2026, 3, 10)), act(D(2026, 3, 10), "inspection")),
        records=case.records | INVESTIGATION_RECORDS,
    )
    case = step(case, "end_investigation", D(2026, 3, 16))
    penalty = penalty or fine(3000)
    return replace(
        case,
        notice=AdvanceNotice(penalty=penalty, elements=all_notice_elements(), served_on=NOTICE_SERVED),
        records=case.records | NOTICE_RECORDS,
    )


def notified(penalty: PenaltyTerms | None = None, **overrides) -> PenaltyCaseSnapshot:
    """Notice served on 03-17; the decision draft matches it."""
    case = step(investigated(penalty, **overrides), "notify", NOTICE_SERVED)
    assert case.notice is not None
    return replace(
        case,
        decision=DecisionDraft(
            outcome="penalty", penalty=case.notice.penalty, elements=all_decision_elements(), number="乌市监罚〔2026〕1号"
        ),
    )


def review(case: PenaltyCaseSnapshot, *, on: dt.date, opinion: str = "agree", **overrides) -> PenaltyCaseSnapshot:
    assert case.decision is not None
    opinion_ = ReviewOpinion(
        **(
            dict(
                reviewer=REVIEWER,
                opinion=opinion,
                given_on=on,
                reviewed_outcome=case.decision.outcome,
                reviewed_penalty=case.decision.penalty,
            )
            | overrides
        )
    )
    return replace(case, review_opinions=(*case.review_opinions, opinion_), records=case.records | {"review_opinion"})


def heard(penalty: PenaltyTerms | None = None, **overrides) -> PenaltyCaseSnapshot:
    """A hearing-eligible case (fine ≥ the 5,000-yuan default threshold), hearing requested on
    03-19, notice served Fri 03-20, held Tue 03-31 (the 7th working day after the notice)."""
    case = notified(penalty or fine(10000), **overrides)
    case = replace(
        case,
        hearing=Hearing(
            requested_on=D(2026, 3, 19),
            notice_served_on=D(2026, 3, 20),
            scheduled_for=D(2026, 3, 31),
            presiding_officer_id=PRESIDING_ID,
            agent_count=1,
        ),
        records=case.records | {"hearing_notice"},
    )
    case = step(case, "schedule_hearing", D(2026, 3, 20))
    case = replace(case, records=case.records | {"hearing_transcript"})
    return step(case, "hold_hearing", D(2026, 3, 31))


def decided(case: PenaltyCaseSnapshot | None = None, *, on: dt.date = FIRST_DECISION_DAY) -> PenaltyCaseSnapshot:
    return step(case or notified(), "decide", on)


def served(case: PenaltyCaseSnapshot | None = None, *, on: dt.date = FIRST_DECISION_DAY, **service) -> PenaltyCaseSnapshot:
    case = case or decided()
    case = replace(
        case,
        service=Service(**(dict(method="direct", served_on=on) | service)),
        records=case.records | {"decision_document", "service_receipt"},
    )
    return step(case, "serve", on)


def executed(case: PenaltyCaseSnapshot | None = None, *, paid_on: dt.date | None = None) -> PenaltyCaseSnapshot:
    case = case or served()
    paid_on = paid_on or D(2026, 4, 1)
    assert case.decision is not None and case.decision.penalty is not None
    case = replace(
        case,
        payments=(Payment(paid_on, case.decision.penalty.fine_fen),),
        records=case.records | {"payment_receipt"},
    )
    return step(case, "complete_execution", paid_on + ONE_DAY)
