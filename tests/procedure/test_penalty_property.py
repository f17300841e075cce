"""Property test: random cases driven by random sequences of facts, days and actions through the
pure engine. An action is applied only when `evaluate` finds no violation. Whatever happens, no
sequence ever:

- decides a major (or complex) case without a passing legal review (第五十八条);
- decides before the statement/defence window has run, unless the party waived it (第六十二条);
- decides a penalty that was never notified (第四十四条), or a heavier one after a defence (第四十五条);
- penalises a party who was under 14 at the time of the act (第三十条);
- closes a case with a required record missing (第四十七条).

The invariants are checked by an oracle written independently of the guards (its own weekday
count, its own record list), and `test_the_oracle_catches_an_engine_without_the_review_gate`
shows that the oracle fails when a guard is removed, so the property can fail.
"""

import datetime as dt
from dataclasses import replace

from hypothesis import HealthCheck, event, given, settings, target
from hypothesis import strategies as st

from sanxiang.procedure.engine import Procedure, evaluate
from sanxiang.procedure.penalty import (
    ORDINARY,
    RECORD_KINDS,
    AdvanceNotice,
    DecisionDraft,
    EvidencePreservation,
    Hearing,
    Payment,
    PenaltyCaseSnapshot,
    PenaltyTerms,
    RecusalRequest,
    ReviewOpinion,
    Service,
    penalty_apply,
)
from sanxiang.procedure.penalty import guards as g
from sanxiang.procedure.penalty.snapshot import DECISION_ELEMENTS, NOTICE_ELEMENTS
from tests.procedure.test_penalty_support import (
    LI,
    REVIEWER,
    ZHANG,
    ZHAO,
    D,
    act,
    certificate,
    citizen,
    company,
    context,
    fine,
    lead,
    notified,
    officer,
)

ONE_DAY = dt.timedelta(days=1)
STATE_DEPTH = {s.name: i for i, s in enumerate(ORDINARY.states)}
ALL_RECORDS = tuple(k.name for k in RECORD_KINDS)
BASE_RECORDS = frozenset(
    {
        "lead_record",
        "opening_approval",
        "inquiry_record",
        "inspection_record",
        "investigation_report",
        "advance_notice",
        "notice_service_receipt",
        "statement_record",
        "reexamination_record",
        "hearing_notice",
        "hearing_transcript",
        "audio_video_hearing",
        "review_opinion",
        "collective_discussion_record",
        "decision_document",
        "transfer_letter",
        "service_receipt",
        "payment_receipt",
        "closing_approval",
        "preservation_notice",
        "preservation_decision",
        "audio_video_preservation",
        "audio_video_lien_service",
        "public_notice_record",
        "confiscation_record",
    }
)
LATE_RECORDS = frozenset({"closing_approval", "review_opinion", "transfer_letter"})
INVESTIGATOR_IDS = {1, 2, 3}
UNQUALIFIED = officer(8, "钱新人", is_legal_reviewer=True, has_legal_qualification=False)
EXPIRED_LI = officer(2, "李四", certificates=(certificate(id=2, valid_to=D(2026, 3, 31)),))
FULL_NOTICE = frozenset(NOTICE_ELEMENTS)
FULL_DECISION = frozenset(DECISION_ELEMENTS)
MOSTLY_TRUE = (True, True, True, False)


# --- the oracle -------------------------------------------------------------------------------------


def weekdays_after(start: dt.date, n: int) -> dt.date:
    day = start
    while n:
        day += ONE_DAY
        n -= day.weekday() < 5
    return day


def heavier(a: PenaltyTerms, b: PenaltyTerms) -> bool:
    return a.fine_fen > b.fine_fen or a.confiscation_fen > b.confiscation_fen or bool(a.kinds - b.kinds)


def decide_problems(case: PenaltyCaseSnapshot, today: dt.date) -> list[str]:
    """What would be unlawful about deciding `case` on `today` (independent of the guards)."""
    problems = []
    decision, notice = case.decision, case.notice
    assert decision is not None
    if case.major_case or case.complex_case:
        last = case.review_opinions[-1] if case.review_opinions else None
        passing = (
            last is not None
            and last.opinion == "agree"
            and last.reviewer.id not in INVESTIGATOR_IDS
            and (last.reviewer.has_legal_qualification or not last.reviewer_first_time)
            and last.reviewed_outcome == decision.outcome
            and last.reviewed_penalty == decision.penalty
        )
        if not passing:
            problems.append("major case decided without a passing review")
    if notice is not None and notice.served_on is not None and not case.statement_waived:
        if today <= weekdays_after(notice.served_on, 5):
            problems.append("decided inside the statement/defence window")
    if decision.outcome == "penalty":
        if notice is None or notice.served_on is None:
            problems.append("penalty decided without an advance notice")
        defence_days = [case.statement_submitted_on] if case.statement_submitted_on else []
        if case.hearing is not None and case.hearing.held_on is not None and not case.hearing.party_absent:
            defence_days.append(case.hearing.held_on)
        if defence_days and decision.penalty is not None:
            # The penalty the party defended against: the last notice served by its first defence.
            notices = [n for n in (*case.earlier_notices, notice) if n and n.served_on and n.served_on <= min(defence_days)]
            if notices and heavier(decision.penalty, notices[-1].penalty):
                problems.append("heavier penalty decided after a defence")
        if case.party.kind == "natural_person" and case.party.birth_date is not None:
            fourteenth = case.party.birth_date.replace(year=case.party.birth_date.year + 14)
            if case.act_date <= fourteenth:
                problems.append("penalty for a party under 14")
    return problems


def close_problems(case: PenaltyCaseSnapshot) -> list[str]:
    required = {"lead_record", "opening_approval", "investigation_report", "closing_approval"}
    decision = case.decision
    outcome = decision.outcome if decision is not None else None
    if case.notice is not None:
        required |= {"advance_notice", "notice_service_receipt"}
    if case.hearing is not None and case.hearing.held_on is not None:
        required |= {"hearing_transcript", "hearing_notice"}
    if case.major_case or case.complex_case:
        required.add("review_opinion")
        # 第五十七条第二款: the leaders decide collectively "给予行政处罚" in complex or major cases;
        # a decision that imposes no penalty (or a transfer) needs no collective discussion.
        if outcome == "penalty":
            required.add("collective_discussion_record")
    if case.statement_submitted_on is not None:
        required |= {"statement_record", "reexamination_record"}
    if outcome in ("penalty", "no_penalty"):
        required.add("decision_document")
    if outcome == "transfer":
        required.add("transfer_letter")
    if case.service is not None and case.service.method != "public_notice":
        required.add("service_receipt")
    if outcome == "penalty" and decision is not None and decision.penalty and decision.penalty.fine_fen:
        required.add("payment_receipt")
    missing = sorted(required - case.records)
    if not {"inquiry_record", "inspection_record"} & case.records:
        missing.append("inquiry_record|inspection_record")
    return [f"closed without {kind}" for kind in missing]


# --- random facts -----------------------------------------------------------------------------------

class Chooser:
    """Every random choice of a sequence, taken from one byte string that hypothesis draws (and
    shrinks: smaller bytes choose earlier options, a shorter string is a shorter sequence).
    Drawing once instead of calling `data.draw` at each choice keeps the property test fast.
    When the bytes run out the sequence ends."""

    def __init__(self, numbers: bytes | list[int]):
        self.numbers = iter(numbers)
        self.exhausted = False

    def index(self, size: int) -> int:
        number = next(self.numbers, None)
        if number is None:
            self.exhausted = True
            return 0
        return number % size

    def one(self, options, label: str):
        options = tuple(options)
        return options[self.index(len(options))]

    def integer(self, low: int, high: int, label: str) -> int:
        return low + self.index(high - low + 1)

    def subset(self, options, max_size: int, label: str) -> frozenset:
        return frozenset(self.one(options, label) for _ in range(self.integer(0, max_size, label)))


PENALTIES = (
    PenaltyTerms(frozenset({"warning"})),
    fine(100),
    fine(3000),
    fine(8000),
    fine(20000),
    fine(200000),
    PenaltyTerms(frozenset({"fine", "confiscate_gains"}), 300000, 50000),
    PenaltyTerms(frozenset({"revoke_permit"})),
)


def draw_case(pick: "Chooser") -> tuple[PenaltyCaseSnapshot, dt.date]:
    act_date = D(2025, 10, 1) + dt.timedelta(days=pick.integer(0, 151, "act_date"))
    discovered = act_date + dt.timedelta(days=pick.one([0, 3, 30, 30, 30, 900], "discovered_after"))
    party = pick.one(
        [
            citizen(),
            citizen(),
            company(),
            company(),
            citizen(birth=act_date.replace(year=act_date.year - 13)),  # under 14 at the act
            citizen(birth=act_date.replace(year=act_date.year - 16)),
        ],
        "party",
    )
    if party.kind == "natural_person" and party.id_number:
        party = replace(party, birth_date=party.birth_date or _birth(party.id_number))
    # Every record of a usual case file, but a few (possibly important) ones missing.
    # (The records of the lead itself are always there: without them nothing at all can happen.)
    missable = sorted(BASE_RECORDS - {"lead_record", "opening_approval"})
    missing = pick.subset(missable, 3, "missing_records")
    # Records that only closing checks go missing on their own too, so that closing is tested.
    missing |= pick.subset(sorted(LATE_RECORDS), 3, "missing_late_records")
    records = BASE_RECORDS - missing
    penalty = pick.one(PENALTIES, "penalty")
    case = lead(
        act_date=act_date,
        discovered_on=discovered,
        party=party,
        records=records,
        major_case=pick.one([False, False, True], "major"),
        complex_case=pick.one([False, False, True], "complex"),
        officers=pick.one([(ZHANG, LI), (ZHANG, EXPIRED_LI), (ZHANG, LI, ZHAO)], "officers"),
        decision=DecisionDraft("penalty", penalty, elements=FULL_DECISION, number="乌罚〔2026〕1号"),
    )
    return case, discovered + dt.timedelta(days=pick.integer(0, 5, "start"))


def _birth(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def fact_investigative_act(pick, case, today):
    lawful = pick.one([True] * 6 + [False], "lawful_act")
    shown = lawful or pick.one([True, False], "certificate_shown")
    ids = (1, 2) if lawful else pick.one([(1, 2), (1,), (1, 3), (2, 3)], "act_officers")
    kind = pick.one(["inquiry", "inspection"], "act_kind")
    return replace(case, investigative_acts=(*case.investigative_acts, act(today, kind, ids, certificate_shown=shown)))


def fact_add_record(pick, case, today):
    usual_missing = sorted(BASE_RECORDS - case.records)
    kinds = usual_missing if usual_missing and pick.one(MOSTLY_TRUE, "usual") else ALL_RECORDS
    return replace(case, records=case.records | {pick.one(kinds, "record")})


def fact_serve_notice(pick, case, today):
    penalty = case.decision.penalty if case.decision and case.decision.penalty else fine(3000)
    elements = FULL_NOTICE if pick.one(MOSTLY_TRUE, "notice_complete") else FULL_NOTICE - {"hearing_right"}
    earlier = (*case.earlier_notices, case.notice) if case.notice is not None else case.earlier_notices
    return replace(
        case, notice=AdvanceNotice(penalty=penalty, elements=elements, served_on=today), earlier_notices=earlier
    )


def fact_waive_statement(pick, case, today):
    return replace(case, statement_waived=True)


def fact_submit_statement(pick, case, today):
    return replace(case, statement_submitted_on=today)


def fact_waive_hearing(pick, case, today):
    return replace(case, hearing_waived=True)


def fact_request_hearing(pick, case, today):
    return replace(case, hearing=Hearing(requested_on=today))


def fact_hearing_notice(pick, case, today):
    if case.hearing is None:
        return case
    ahead = pick.integer(1, 20, "hearing_in_days")
    presiding = pick.one([7, 1], "presiding")
    return replace(
        case,
        hearing=replace(
            case.hearing,
            notice_served_on=today,
            scheduled_for=today + dt.timedelta(days=ahead),
            presiding_officer_id=presiding,
            agent_count=pick.integer(0, 3, "agents"),
        ),
    )


def fact_withdraw_hearing(pick, case, today):
    return case if case.hearing is None else replace(case, hearing=replace(case.hearing, withdrawn_on=today))


def fact_party_absent(pick, case, today):
    return case if case.hearing is None else replace(case, hearing=replace(case.hearing, party_absent=True))


def fact_review(pick, case, today):
    decision = case.decision
    if decision is None:
        return case
    reviewer = pick.one([REVIEWER, REVIEWER, REVIEWER, UNQUALIFIED, replace(ZHANG, is_legal_reviewer=True)], "reviewer")
    opinion = ReviewOpinion(
        reviewer=reviewer,
        opinion=pick.one(["agree", "agree", "problems"], "opinion"),
        given_on=today,
        reviewed_outcome=decision.outcome,
        reviewed_penalty=decision.penalty,
        reviewer_first_time=pick.one([False, True], "first_time"),
    )
    return replace(case, review_opinions=(*case.review_opinions, opinion))


def fact_change_penalty(pick, case, today):
    decision = case.decision
    if decision is None or decision.penalty is None:
        return case
    factor = pick.one([0.5, 0.9, 1.1, 2, 10], "factor")
    terms = decision.penalty
    if "fine" not in terms.kinds:
        terms = PenaltyTerms(terms.kinds | {"fine"}, 100000)
    else:
        terms = replace(terms, fine_fen=max(100, int(terms.fine_fen * factor)))
    if pick.one([False, True], "add_kind"):
        terms = replace(terms, kinds=terms.kinds | {"warning"})
    return replace(case, decision=replace(decision, penalty=terms))


def fact_redraft(pick, case, today):
    outcome = pick.one(["penalty", "no_penalty", "transfer"], "outcome")
    elements = FULL_DECISION if pick.one(MOSTLY_TRUE, "elements_complete") else FULL_DECISION - {"seal"}
    penalty = case.notice.penalty if case.notice is not None else fine(3000)
    if outcome == "penalty":
        draft = DecisionDraft("penalty", penalty, elements=elements)
    elif outcome == "no_penalty":
        reason = pick.one(["first_offence", "under_14", None], "reason")
        draft = DecisionDraft("no_penalty", no_penalty_reason=reason, elements=elements)
    else:
        draft = DecisionDraft("transfer")
    return replace(case, decision=draft)


def fact_serve_decision(pick, case, today):
    method = pick.one(["direct", "lien", "post", "electronic", "public_notice"], "service")
    return replace(
        case,
        service=Service(
            method,
            today,
            consent_signed=pick.one([False, True], "consent"),
            witnessed_or_recorded=pick.one([False, True], "witness"),
            other_methods_failed=pick.one([False, True], "other_failed"),
        ),
    )


def fact_pay(pick, case, today):
    amount = case.decision.penalty.fine_fen if case.decision and case.decision.penalty else 0
    part = pick.one([1, 2], "payment_part")
    return replace(case, payments=(*case.payments, Payment(today, max(1, amount // part))))


def fact_extend(pick, case, today):
    return replace(case, decision_due_extended_to=today + dt.timedelta(days=60))


def fact_preserve(pick, case, today):
    approved = pick.one(MOSTLY_TRUE, "preservation_approved")
    return replace(case, preservations=(*case.preservations, EvidencePreservation(today, approved)))


def fact_handle_preservations(pick, case, today):
    return replace(case, preservations=tuple(replace(p, handled_on=p.handled_on or today) for p in case.preservations))


def fact_recusal(pick, case, today):
    return replace(case, recusals=(*case.recusals, RecusalRequest(2, today)))


def fact_decide_recusals(pick, case, today):
    granted = pick.one([True, False], "recusal_granted")
    return replace(
        case, recusals=tuple(replace(r, decided_on=r.decided_on or today, granted=granted) for r in case.recusals)
    )


FACTS = {
    "investigative_act": fact_investigative_act,
    "add_record": fact_add_record,
    "serve_notice": fact_serve_notice,
    "waive_statement": fact_waive_statement,
    "submit_statement": fact_submit_statement,
    "waive_hearing": fact_waive_hearing,
    "request_hearing": fact_request_hearing,
    "hearing_notice": fact_hearing_notice,
    "withdraw_hearing": fact_withdraw_hearing,
    "party_absent": fact_party_absent,
    "review": fact_review,
    "change_penalty": fact_change_penalty,
    "redraft": fact_redraft,
    "serve_decision": fact_serve_decision,
    "pay": fact_pay,
    "extend": fact_extend,
    "preserve": fact_preserve,
    "handle_preservations": fact_handle_preservations,
    "recusal": fact_recusal,
    "decide_recusals": fact_decide_recusals,
}
# Facts that move a case forward are always possible; those that complicate it (a new draft, a
# recusal, a withdrawn hearing...) are switched on per example, so that hypothesis explores both
# calm cases that go all the way and turbulent ones.
TURBULENT_FACTS = ("redraft", "withdraw_hearing", "party_absent", "preserve", "recusal")
STEADY_MOVES = ["act"] * 16 + ["wait"] * 5 + ["timely"] * 10
CALM_FACTS = [f for f in FACTS if f not in TURBULENT_FACTS]
# What usually happens next in each state: "timely" moves pick from these, so that a notice is
# served when the investigation has ended (and the window then runs from that day), a review is
# given when the case waits for its decision, and so on.
TIMELY_FACTS = {
    "investigating": ("investigative_act", "handle_preservations", "decide_recusals", "preserve", "recusal"),
    "investigation_ended": ("serve_notice", "redraft", "change_penalty"),
    "notified": (
        "waive_statement",
        "submit_statement",
        "submit_statement",
        "waive_hearing",
        "request_hearing",
        "hearing_notice",
        "review",
        "change_penalty",
        "redraft",
        "decide_recusals",
        "extend",
        "serve_notice",
    ),
    "hearing_scheduled": ("hearing_notice", "withdraw_hearing", "party_absent"),
    "hearing_held": ("review", "change_penalty", "waive_statement"),
    "decided": ("serve_decision",),
    "served": ("pay",),
}
ACTIONS = [t.name for t in ORDINARY.transitions]


def drive(
    pick, procedure: Procedure = ORDINARY, case=None, today=None, trace: list[str] | None = None
) -> tuple[list[str], PenaltyCaseSnapshot]:
    """Run one random sequence; return every broken invariant (the property wants none) and the
    case as it ends. `trace` collects what happened, to explain a failure."""
    trace = [] if trace is None else trace
    if case is None:
        case, today = draw_case(pick)
    broken: list[str] = []
    turbulence = pick.subset(TURBULENT_FACTS, len(TURBULENT_FACTS), "turbulence")
    # An orderly case only sees facts that fit its state; a disorderly one sees any fact any time
    # (a notice served before the case is opened, a payment before the decision...).
    orderly = pick.one([True, False], "orderly")
    moves = STEADY_MOVES + ([] if orderly else CALM_FACTS + sorted(turbulence) * 3)
    while not pick.exhausted:
        move = pick.one(moves, "move")
        if move == "wait":
            today += dt.timedelta(days=pick.one([1, 1, 2, 3, 7, 20], "days"))
        elif move == "act":
            here = [t.name for t in procedure.transitions if case.state in t.sources]
            if "decline" in here and not evaluate(procedure, case, "open", context=context(today)):
                here.remove("decline")  # officers decline the cases they cannot open
            prefer_here = bool(here) and pick.one(MOSTLY_TRUE, "prefer_here")
            action = pick.one(here if prefer_here else ACTIONS, "action")
            ctx = context(today)
            if evaluate(procedure, case, action, context=ctx):
                continue
            if action == "decide":
                broken += decide_problems(case, today)
            if action == "close":
                broken += close_problems(case)
            case = penalty_apply(procedure, case, action, context=ctx)
            trace.append(f"{today} {action} → {case.state}")
        elif move == "timely":
            timely = [f for f in TIMELY_FACTS.get(case.state, ()) if f not in TURBULENT_FACTS]
            timely += [f for f in TIMELY_FACTS.get(case.state, ()) if f in turbulence] * 3
            if timely:
                fact = pick.one(timely, "timely_fact")
                case = FACTS[fact](pick, case, today)
                trace.append(f"{today} ({fact})")
        else:
            case = FACTS[move](pick, case, today)
            trace.append(f"{today} ({move})")
    return broken, case


# One byte string per sequence: a single hypothesis choice, cheap to draw and to shrink.
SEQUENCES = st.binary(min_size=150, max_size=600)


@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(SEQUENCES)
def test_no_random_sequence_breaks_the_law(sequence):
    trace: list[str] = []
    broken, case = drive(Chooser(sequence), trace=trace)
    event(f"reached {case.state}")
    target(float(STATE_DEPTH.get(case.state, 0)), label="depth")
    assert broken == [], "\n".join([*broken, "--- what happened:", *trace])


def test_the_oracle_catches_an_engine_without_the_review_gate():
    """The property can fail: remove the 第五十八条 guard and a major case gets decided."""
    decide = ORDINARY.transition("decide")
    weakened = replace(
        ORDINARY,
        transitions=tuple(
            replace(t, guards=tuple(x for x in t.guards if x is not g.decision_review)) if t is decide else t
            for t in ORDINARY.transitions
        ),
    )
    case = replace(notified(major_case=True), records=notified().records | {"collective_discussion_record"})
    today = D(2026, 3, 25)
    assert evaluate(ORDINARY, case, "decide", context=context(today))  # the real engine refuses
    assert evaluate(weakened, case, "decide", context=context(today)) == []
    assert decide_problems(case, today) == ["major case decided without a passing review"]


def test_the_oracle_catches_a_decision_inside_the_window_and_a_heavier_penalty_after_defence():
    case = notified()
    assert decide_problems(case, D(2026, 3, 24)) == ["decided inside the statement/defence window"]
    assert decide_problems(case, D(2026, 3, 25)) == []
    defended = replace(case, statement_submitted_on=D(2026, 3, 18), decision=replace(case.decision, penalty=fine(4000)))
    assert decide_problems(defended, D(2026, 3, 25)) == ["heavier penalty decided after a defence"]
    assert close_problems(replace(case, records=frozenset())) != []


def test_the_driver_reaches_the_archive_on_a_lawful_script():
    """The random driver is not vacuous: a scripted lawful sequence of its own moves ends archived."""
    script = iter(
        [
            ("act", "open"),
            ("wait", 3),
            ("act", "investigate"),
            ("fact", "investigative_act", {"lawful_act": True, "act_kind": "inquiry"}),
            ("act", "end_investigation"),
            ("fact", "serve_notice", {"notice_complete": True}),
            ("act", "notify"),
            ("wait", 14),
            ("act", "decide"),
            ("fact", "serve_decision", {"service": "direct", "consent": False, "witness": False, "other_failed": False}),
            ("act", "serve"),
            ("fact", "pay", {"payment_part": 1}),
            ("wait", 1),
            ("act", "complete_execution"),
            ("act", "close"),
            ("act", "archive"),
        ]
    )

    class Scripted:
        """Answers `drive`'s choices from the script instead of from random numbers."""

        exhausted = False

        def __init__(self):
            self.pending: dict = {}
            self.current: tuple = ()

        def one(self, options, label):
            if label == "move":
                try:
                    kind, name, *rest = next(script)
                except StopIteration:
                    self.exhausted = True
                    return "wait"
                self.current = (kind, name)
                self.pending = rest[0] if rest else {}
                return {"act": "act", "wait": "wait"}.get(kind, name)
            if label == "days":
                return self.current[1] if self.current[0] == "wait" else 0
            defaults = {"orderly": False, "prefer_here": False}
            if label == "action":
                return self.current[1]
            if label in defaults:
                return defaults[label]
            return self.pending[label]

        def subset(self, options, max_size, label):
            return frozenset()

    case = lead(decision=DecisionDraft("penalty", fine(3000), elements=FULL_DECISION, number="乌罚〔2026〕1号"),
                records=BASE_RECORDS)
    broken, end = drive(Scripted(), case=case, today=D(2026, 3, 6))
    assert (broken, end.state) == ([], "archived")
