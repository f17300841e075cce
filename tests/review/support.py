"""Builders for the review tests: cases whose facts are written directly (the steps that send a
case for review are tested with the cases app), from snapshots that say exactly what was sent,
answered and decided, and when.

Dates: March 2026 has no public holiday; the 16th is a Monday."""

import datetime as dt
import itertools
from dataclasses import replace

from sanxiang.cases.models import Case
from sanxiang.cases.selectors import case_snapshot_build, snapshot_facts_dump
from sanxiang.cases.services import case_create
from sanxiang.procedure.penalty.snapshot import (
    DecisionDraft,
    PenaltyTerms,
    ReviewOpinion,
    ReviewRequest,
)
from sanxiang.registry.models import Agency, Officer, Party
from sanxiang.review.tallies import review_tallies_refresh

D = dt.date
PACKAGE = frozenset({"draft_decision", "evidence_list", "investigation_report", "explanation"})
# Revoking a permit is in the default catalogue: a major decision whatever the amount.
MAJOR = DecisionDraft("penalty", PenaltyTerms(frozenset({"warning", "revoke_permit"})))
# A small fine is not.
MINOR = DecisionDraft("penalty", PenaltyTerms(frozenset({"fine"}), fine_fen=100_000))
_numbers = itertools.count(1)


def request(round_: int, submitted_on: dt.date, reviewer: Officer | None, *, draft: DecisionDraft = MAJOR,
            extended_to: dt.date | None = None) -> ReviewRequest:
    return ReviewRequest(round_, submitted_on, draft.key(), PACKAGE,
                         reviewer_id=reviewer.pk if reviewer else None, extended_to=extended_to)


def opinion(round_: int, given_on: dt.date, reviewer: Officer, answer: str = "agree", *,
            draft: DecisionDraft = MAJOR) -> ReviewOpinion:
    return ReviewOpinion(
        reviewer=reviewer.snapshot(), opinion=answer, given_on=given_on, reviewed_outcome=draft.outcome,
        reviewed_penalty=draft.penalty, round=round_, reviewed_draft=draft.key(),
    )


def case_with_facts(agency: Agency, *, state: str, party: Party | None = None, number: str = "",
                    officers: tuple[Officer, ...] = (), **facts) -> Case:
    """A case in `state` whose stored facts are its fresh snapshot with `facts` replaced."""
    case = case_create(actor=None, agency=agency, title="涉嫌无证经营案", party=party, officers=list(officers),
                       number=number or f"乌审旗测审〔2026〕{next(_numbers)}号", act_date=D(2026, 3, 2))
    snapshot = replace(case_snapshot_build(case), **facts)
    Case.objects.filter(pk=case.pk).update(state=state, facts=snapshot_facts_dump(snapshot))
    # Facts written directly, not through a step: the stored supervision figures follow them.
    review_tallies_refresh(case_ids=[case.pk])
    case.refresh_from_db()
    return case
