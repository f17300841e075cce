"""The supervision figures stored at write time (`ReviewTally`): written by the decision itself,
refreshed by what can change them later, equal to the per-case recomputation they replaced, and
checked against it by the "review.tallies" projection."""

import datetime as dt
import random

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.cases.models import Case
from sanxiang.procedure.penalty.snapshot import CollectiveDiscussion, DecisionDraft, PenaltyTerms
from sanxiang.projections import projections_all
from sanxiang.review.apps import _tallies_fill
from sanxiang.review.models import ReviewTally
from sanxiang.review.selectors import review_supervision, review_supervision_recomputed
from sanxiang.review.services import catalogue_publish, catalogue_update
from sanxiang.review.tallies import review_tallies_check, review_tallies_rebuild, review_tallies_refresh_year
from tests.cases.support import (
    FIRST_DECISION_DAY,
    PENALTY,
    discussion_data,
    perform,
    review_data,
    submit_data,
    to_decided,
    to_notified,
    world_make,
)
from tests.factories import agency_make, officer_make, user_make
from tests.review.support import MAJOR, MINOR, D, case_with_facts, opinion, request

pytestmark = pytest.mark.django_db


def comparable(rows):
    """The figures as a page shows them; the unreviewed cases as a set (their order is the page's)."""
    return [
        (r.agency_id, r.major_decided, r.reviewed, r.rounds, r.review_days, r.reviews_timed, r.sent_back,
         r.reviewers, r.officers, r.reviewer_ratio_low, r.estimated, sorted(r.unreviewed))
        for r in rows
    ]


def test_a_decision_through_the_services_stores_its_figures_in_its_own_transaction():
    w = world_make()
    minor = to_decided(w)
    # A major case: reviewed once (补充材料), again (同意), discussed, decided.
    case = perform(to_notified(w), "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty",
                   discretion="mitigated", reasoning="当事人主动消除违法后果，依法减轻处罚。", **PENALTY)
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    case = perform(case, "record_review", D(2026, 3, 26), w.reviewer, **review_data("resubmit", "缺少证据。",
                                                                                    failing={"evidence": "不足"}))
    case = perform(case, "submit_review", D(2026, 3, 30), w.officer, **submit_data(response="已补充。"))
    assert not ReviewTally.objects.filter(case_id=case.pk).exists()  # not decided yet
    case = perform(case, "record_review", D(2026, 3, 31), w.reviewer, **review_data())
    case = perform(case, "record_collective_discussion", D(2026, 3, 31), w.head, **discussion_data(D(2026, 3, 31)))
    case = perform(case, "decide", D(2026, 3, 31), w.officer)
    stored = ReviewTally.objects.get(case_id=case.pk)
    assert (stored.major, stored.criteria, stored.reviewed, stored.rounds) == (True, ["catalogue.discretion"], True, 2)
    # 03-25 → 03-26 and 03-30 → 03-31: one working day each.
    assert (stored.review_days, stored.reviews_timed, stored.sent_back) == (2, 2, True)
    assert ReviewTally.objects.get(case_id=minor.pk).major is False
    # Steps after the decision change nothing the figures read.
    perform(case, "serve", D(2026, 4, 1), w.officer, served_on=D(2026, 4, 1), method="direct", place="当事人经营场所")
    assert review_tallies_check() == []
    figures = review_supervision(user=w.supervisor, year=2026)
    assert comparable(figures) == comparable(review_supervision_recomputed(user=w.supervisor, year=2026))
    (row,) = [r for r in figures if r.agency_id == w.agency.pk]
    assert (row.major_decided, row.reviewed, row.rounds, row.sent_back) == (1, 1, 2, 1)


@pytest.fixture
def two_agencies():
    market = agency_make(name="乌审旗市场监督管理局")
    transport = agency_make(name="乌审旗交通运输局")
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    reviewers = {
        market.pk: officer_make(agency=market, is_legal_reviewer=True, has_legal_qualification=True),
        transport.pk: officer_make(agency=transport, is_legal_reviewer=True, has_legal_qualification=True),
    }
    return market, transport, reviewers, user_make(role=Role.SUPERVISOR, agency=bureau)


ANSWERS = ("agree", "agree", "resubmit", "disagree")


def random_case(rng: random.Random, agency, reviewer, n: int) -> Case:
    """A decided (or not) case with random drafts, rounds, answers and dates around two year ends."""
    draft = rng.choice((MAJOR, MINOR, DecisionDraft("penalty", PenaltyTerms(frozenset({"warning"})))))
    start = dt.date(rng.choice((2025, 2026)), rng.choice((3, 12)), rng.randint(1, 20))
    requests, opinions, day = [], [], start
    for round_ in range(1, rng.randint(0, 3) + 1):
        requests.append(request(round_, day, reviewer, draft=draft))
        day += dt.timedelta(days=rng.randint(0, 9))
        if rng.random() < 0.85:
            opinions.append(opinion(round_, day, reviewer, rng.choice(ANSWERS), draft=draft))
            day += dt.timedelta(days=rng.randint(0, 4))
    discussions = ()
    if opinions and opinions[-1].opinion == "disagree" and rng.random() < 0.5:
        discussions = (CollectiveDiscussion(day, 3, "adopt_draft", draft.key()),)
    decided_on = day + dt.timedelta(days=rng.randint(-3, 5)) if rng.random() < 0.9 else None
    return case_with_facts(
        agency, state="decided" if decided_on else "notified", number=f"随机-{agency.pk}-{n}", decision=draft,
        decided_on=decided_on, review_requests=tuple(requests), review_opinions=tuple(opinions),
        collective_discussions=discussions, records=frozenset({"collective_discussion_record"}) if discussions else frozenset(),
    )


def test_the_stored_figures_equal_the_recomputation_on_random_cases(two_agencies):
    market, transport, reviewers, supervisor = two_agencies
    rng = random.Random(20261203)
    for n in range(40):
        agency = rng.choice((market, transport))
        random_case(rng, agency, reviewers[agency.pk], n)
    assert review_tallies_check() == []
    for year in (2025, 2026, 2027):
        stored = review_supervision(user=supervisor, year=year)
        assert comparable(stored) == comparable(review_supervision_recomputed(user=supervisor, year=year))
    assert sum(r.major_decided for r in review_supervision(user=supervisor, year=2026)) > 0


def test_a_tampered_row_is_reported_by_the_check_and_mended_by_the_rebuild(two_agencies):
    market, _, reviewers, _ = two_agencies
    case = case_with_facts(market, state="decided", number="市监-1", decision=MAJOR, decided_on=D(2026, 3, 20),
                           review_requests=(request(1, D(2026, 3, 16), reviewers[market.pk]),),
                           review_opinions=(opinion(1, D(2026, 3, 18), reviewers[market.pk]),))
    assert review_tallies_check() == []
    ReviewTally.objects.filter(case_id=case.pk).update(reviewed=False, review_days=7)
    problems = review_tallies_check()
    assert len(problems) == 2
    assert all("市监-1" in p for p in problems)
    assert any("reviewed" in p for p in problems) and any("review_days" in p for p in problems)
    # A row lost and a row for a case that was never decided: both reported.
    ReviewTally.objects.filter(case_id=case.pk).delete()
    undecided = case_with_facts(market, state="notified", number="市监-2", decision=MAJOR)
    ReviewTally.objects.create(case_id=undecided.pk, agency=market, decided_on=D(2026, 3, 1), major=True,
                               reviewed=False, rounds=0, review_days=0, reviews_timed=0, sent_back=False,
                               estimated=False)
    problems = review_tallies_check()
    assert any("市监-1" in p and "缺少" in p for p in problems)
    assert any(f"#{undecided.pk}" in p and "没有作出决定" in p for p in problems)
    assert review_tallies_rebuild() == 1
    assert review_tallies_check() == []
    # Registered for `sanxiang projection check|rebuild`.
    (projection,) = [p for p in projections_all() if p.name == "review.tallies"]
    ReviewTally.objects.update(rounds=9)
    assert projection.check() and projection.rebuild() == 1 and projection.check() == []


def test_a_catalogue_published_on_the_day_of_a_decision_changes_that_decision(two_agencies):
    market, _, _, _ = two_agencies
    warning = DecisionDraft("penalty", PenaltyTerms(frozenset({"warning"})))
    today = timezone.localdate()
    case = case_with_facts(market, state="decided", number="市监-3", decision=warning, decided_on=today)
    assert ReviewTally.objects.get(case_id=case.pk).major is False
    catalogue_update(actor=None, agency=market, kinds=["warning"])
    catalogue_publish(actor=None, agency=market)
    stored = ReviewTally.objects.get(case_id=case.pk)
    assert (stored.major, stored.criteria, stored.reviewed) == (True, ["catalogue.kind"], False)
    assert review_tallies_check() == []


def test_a_party_that_changes_kind_changes_the_threshold_its_decisions_met(two_agencies):
    from sanxiang.registry.models import Party

    market, _, _, _ = two_agencies
    party = Party.objects.create(agency=market, kind="legal_person", name="某某有限公司", credit_code="")
    # 20,000 元: above the default threshold for a natural person (10,000), below a company's (100,000).
    fine = DecisionDraft("penalty", PenaltyTerms(frozenset({"fine"}), fine_fen=2_000_000))
    case = case_with_facts(market, state="decided", number="市监-4", decision=fine, decided_on=D(2026, 3, 20),
                           party=party)
    before = ReviewTally.objects.get(case_id=case.pk).major
    party.kind = "natural_person"
    party.save()
    after = ReviewTally.objects.get(case_id=case.pk).major
    assert review_tallies_check() == []
    assert (before, after) == (False, True)


def test_a_calendar_year_refresh_and_the_post_migrate_fill(two_agencies):
    market, _, reviewers, _ = two_agencies
    case_with_facts(market, state="decided", number="市监-5", decision=MAJOR, decided_on=D(2026, 3, 20),
                    review_requests=(request(1, D(2026, 3, 16), reviewers[market.pk]),),
                    review_opinions=(opinion(1, D(2026, 3, 18), reviewers[market.pk]),))
    ReviewTally.objects.update(review_days=0)
    assert review_tallies_refresh_year(year=2025) == 0  # its reviews are not in 2025
    assert review_tallies_refresh_year(year=2026) == 1
    assert review_tallies_check() == []
    # An existing database migrated to the table: filled after migrate, once.
    ReviewTally.objects.all().delete()
    _tallies_fill(sender=None)
    assert ReviewTally.objects.count() == 1 and review_tallies_check() == []
    ReviewTally.objects.update(rounds=5)
    _tallies_fill(sender=None)  # not empty: left alone
    assert ReviewTally.objects.get().rounds == 5


def test_the_projection_command_lists_review_tallies(two_agencies, capsys):
    market, _, _, _ = two_agencies
    case_with_facts(market, state="decided", number="市监-6", decision=MAJOR, decided_on=D(2026, 3, 20))
    ReviewTally.objects.update(rounds=3)
    with pytest.raises(CommandError, match="不一致"):
        call_command("projection", "check", "--only", "review.tallies")
    assert "市监-6" in capsys.readouterr().out
