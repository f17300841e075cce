"""The judicial bureau's figures on legal review, computed from a small county of constructed
cases: every major decision of the year must have been reviewed before it was made."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.procedure.penalty.snapshot import CollectiveDiscussion, DecisionDraft, PenaltyTerms
from sanxiang.review.selectors import review_supervision, review_supervision_total
from sanxiang.review.services import catalogue_publish, catalogue_update
from tests.factories import agency_make, officer_make, user_make
from tests.review.support import MAJOR, MINOR, D, case_with_facts, opinion, request

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    market = agency_make(name="乌审旗市场监督管理局")
    transport = agency_make(name="乌审旗交通运输局")
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    for name in ("张三", "李四", "王五"):
        officer_make(agency=market, name=name)
    zhao = officer_make(agency=market, name="赵审核", is_legal_reviewer=True, has_legal_qualification=True)
    officer_make(agency=market, name="调离人员", is_legal_reviewer=True, status="transferred")
    drivers = [officer_make(agency=transport, name=f"交通执法员{i}") for i in range(2)]
    sun = officer_make(agency=transport, name="孙审核", has_legal_qualification=True)  # not designated
    cases = {
        # Sent back once, then agreed, then decided: reviewed in two rounds (2 + 1 working days).
        "reviewed": case_with_facts(
            market, state="decided", number="市监-1", decision=MAJOR, decided_on=D(2026, 3, 25),
            review_requests=(request(1, D(2026, 3, 16), zhao), request(2, D(2026, 3, 19), zhao)),
            review_opinions=(opinion(1, D(2026, 3, 18), zhao, "resubmit"), opinion(2, D(2026, 3, 20), zhao)),
        ),
        # Decided without any review.
        "unreviewed": case_with_facts(market, state="served", number="市监-2", decision=MAJOR,
                                      decided_on=D(2026, 4, 10)),
        # Not a major decision: not counted at all.
        "minor": case_with_facts(market, state="decided", number="市监-3", decision=MINOR, decided_on=D(2026, 4, 1)),
        # Last year's decision, and a case not decided yet: not this year's figures.
        "last_year": case_with_facts(market, state="closed", number="市监-4", decision=MAJOR,
                                     decided_on=D(2025, 6, 10)),
        "pending": case_with_facts(market, state="notified", number="市监-5", decision=MAJOR,
                                   review_requests=(request(1, D(2026, 5, 6), zhao),)),
        "transport": case_with_facts(
            transport, state="decided", number="交通-1", decision=MAJOR, decided_on=D(2026, 6, 2),
            review_requests=(request(1, D(2026, 5, 25), None),),
            review_opinions=(opinion(1, D(2026, 5, 29), zhao),),
        ),
    }
    return {
        "market": market, "transport": transport, "bureau": bureau, "zhao": zhao, "cases": cases,
        "drivers": drivers, "sun": sun,
        "supervisor": user_make(role=Role.SUPERVISOR, agency=bureau),
        "head": user_make(role=Role.AGENCY_HEAD, agency=market),
        "officer": user_make(role=Role.OFFICER, agency=market),
    }


def by_agency(rows):
    return {r.agency_name: r for r in rows}


def test_one_of_two_major_decisions_reviewed_is_fifty_percent(county):
    market = by_agency(review_supervision(user=county["supervisor"], year=2026))["乌审旗市场监督管理局"]
    assert (market.major_decided, market.reviewed) == (2, 1)
    assert market.reviewed_percent == Decimal("50.0") and market.complete is False
    assert market.unreviewed == ((county["cases"]["unreviewed"].pk, "市监-2"),)
    assert (market.rounds, market.average_rounds) == (2, Decimal("1.0"))
    assert (market.review_days, market.reviews_timed, market.average_review_days) == (3, 2, Decimal("1.5"))
    assert market.sent_back == 1


def test_staffing_is_judged_by_the_team_health_rule(county):
    rows = by_agency(review_supervision(user=county["supervisor"], year=2026))
    market, transport = rows["乌审旗市场监督管理局"], rows["乌审旗交通运输局"]
    # Active officers only: the transferred reviewer does not count.
    assert (market.reviewers, market.officers, market.reviewer_ratio_low) == (1, 4, False)
    assert (transport.reviewers, transport.officers, transport.reviewer_ratio_low) == (0, 3, True)
    assert transport.reviewer_ratio_required == 0.05 and transport.reviewer_percent_required == Decimal("5.0")


def test_the_agencies_missing_a_review_come_first_and_the_total_adds_up(county):
    rows = review_supervision(user=county["supervisor"], year=2026)
    assert rows[0].agency_name == "乌审旗市场监督管理局"
    transport = by_agency(rows)["乌审旗交通运输局"]
    assert (transport.major_decided, transport.reviewed, transport.reviewed_percent) == (1, 1, Decimal("100.0"))
    total = review_supervision_total(rows)
    assert (total.major_decided, total.reviewed, total.sent_back) == (3, 2, 1)
    assert (total.reviewers, total.officers, total.reviewer_ratio_low_agencies) == (1, 7, 1)
    assert total.reviewed_percent == Decimal("66.7")
    # An agency without major decisions has no rate, and nothing to answer for.
    bureau = by_agency(rows)["乌审旗司法局"]
    assert bureau.reviewed_percent is None and bureau.complete


def test_other_years_and_scopes(county):
    market_2025 = by_agency(review_supervision(user=county["supervisor"], year=2025))["乌审旗市场监督管理局"]
    assert (market_2025.major_decided, market_2025.reviewed) == (1, 0)
    assert [r.agency_name for r in review_supervision(user=county["head"], year=2026)] == ["乌审旗市场监督管理局"]
    assert review_supervision(user=county["officer"], year=2026) == []


def test_only_what_preceded_the_decision_counts(county):
    market, zhao = county["market"], county["zhao"]
    # An opinion dated after the decision does not make the decision reviewed.
    case_with_facts(market, state="decided", number="市监-6", decision=MAJOR, decided_on=D(2026, 7, 1),
                    review_requests=(request(1, D(2026, 7, 2), zhao),),
                    review_opinions=(opinion(1, D(2026, 7, 3), zhao),))
    # 不同意, then the leaders' collective discussion adopted this very draft: resolved.
    case_with_facts(
        market, state="decided", number="市监-7", decision=MAJOR, decided_on=D(2026, 7, 10),
        review_requests=(request(1, D(2026, 7, 1), zhao),),
        review_opinions=(opinion(1, D(2026, 7, 3), zhao, "disagree"),),
        collective_discussions=(CollectiveDiscussion(D(2026, 7, 8), 4, "adopt_draft", MAJOR.key()),),
        records=frozenset({"collective_discussion_record"}),
    )
    # Agreed to a different draft (another penalty) than the one decided.
    agreed = DecisionDraft("penalty", PenaltyTerms(frozenset({"revoke_permit"})))
    case_with_facts(market, state="decided", number="市监-8", decision=MAJOR, decided_on=D(2026, 7, 20),
                    review_requests=(request(1, D(2026, 7, 13), zhao, draft=agreed),),
                    review_opinions=(opinion(1, D(2026, 7, 14), zhao, draft=agreed),))
    market_row = by_agency(review_supervision(user=county["supervisor"], year=2026))["乌审旗市场监督管理局"]
    assert sorted(number for _, number in market_row.unreviewed) == ["市监-2", "市监-6", "市监-8"]
    assert (market_row.major_decided, market_row.reviewed) == (5, 2)
    assert market_row.sent_back == 2  # 市监-1 (补充材料) and 市监-7 (不同意)


def test_a_decision_is_judged_by_the_catalogue_then_in_force(county):
    market = county["market"]
    # A warning for an organisation is not major under the default catalogue...
    warning = DecisionDraft("penalty", PenaltyTerms(frozenset({"warning"})))
    case_with_facts(market, state="decided", number="市监-9", decision=warning, decided_on=D(2026, 2, 2))
    # ...and a catalogue published later that lists warnings does not change that decision.
    catalogue_update(actor=None, agency=market, kinds=["warning"])
    catalogue_publish(actor=None, agency=market)
    market_row = by_agency(review_supervision(user=county["supervisor"], year=2026))["乌审旗市场监督管理局"]
    assert market_row.major_decided == 2


def test_the_page_highlights_less_than_full_review_and_the_export_is_recorded(client, county):
    client.force_login(county["supervisor"])
    page = client.get(reverse("review:supervision"), {"year": 2026}).content.decode()
    assert 'data-testid="incomplete"' in page and "50.0%" in page and "市监-2" in page
    assert "低于5.0%" in page  # 交通运输局 has no designated reviewer
    response = client.get(reverse("review:supervision_csv"), {"year": 2026})
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff执法主体,重大执法决定数")
    assert "乌审旗市场监督管理局,2,1,50.0,2,1.0,1.5,1,1,4,25.0,5.0,否,市监-2" in body
    assert body.splitlines()[-1] == "合计,3,2,66.7,3,1.0,2.3,1,1,7,14.3,5.0,1个单位,市监-2"
    (entry,) = AccessLogEntry.objects.filter(object_kind="review.supervision")
    assert (entry.user, entry.action, entry.object_id) == (county["supervisor"], "export", "2026")
    client.force_login(county["officer"])
    assert client.get(reverse("review:supervision")).status_code == 403
    assert client.get(reverse("review:supervision_csv")).status_code == 403
