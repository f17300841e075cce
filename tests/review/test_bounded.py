"""The review desk, the supervision table, its CSV and the cases behind its numbers cost the same
number of queries with 10 cases as with 200 (issue 12: bounded pages)."""

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.cases.models import Case
from sanxiang.review.tallies import review_tallies_refresh
from tests.factories import agency_make, officer_make, user_make
from tests.querycount import queries_without_ledger_writes
from tests.review.support import MAJOR, MINOR, D, case_with_facts, opinion, request

pytestmark = pytest.mark.django_db


def copies(case: Case, n: int, prefix: str) -> list[int]:
    """`n` cases like `case` (same facts and state), written in bulk, with their review figures."""
    made = Case.objects.bulk_create(
        Case(agency_id=case.agency_id, number=f"{prefix}-{i}", title=case.title, procedure=case.procedure,
             state=case.state, party_id=case.party_id, act_date=case.act_date, facts=case.facts, details=case.details)
        for i in range(n)
    )
    ids = [c.pk for c in made]
    review_tallies_refresh(case_ids=ids)
    return ids


@pytest.fixture
def county():
    market = agency_make(name="乌审旗市场监督管理局")
    transport = agency_make(name="乌审旗交通运输局")
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    zhao = officer_make(agency=market, name="赵审核", is_legal_reviewer=True, has_legal_qualification=True)
    models = [
        case_with_facts(market, state="decided", number="M-1", decision=MAJOR, decided_on=D(2026, 3, 25),
                        review_requests=(request(1, D(2026, 3, 16), zhao), request(2, D(2026, 3, 19), zhao)),
                        review_opinions=(opinion(1, D(2026, 3, 18), zhao, "resubmit"), opinion(2, D(2026, 3, 20), zhao))),
        case_with_facts(market, state="served", number="M-2", decision=MAJOR, decided_on=D(2026, 4, 10)),
        case_with_facts(transport, state="decided", number="T-1", decision=MINOR, decided_on=D(2026, 4, 1)),
        # Pending on 赵's desk, and one 赵 answered.
        case_with_facts(market, state="notified", number="M-3", decision=MAJOR,
                        review_requests=(request(1, D(2026, 3, 16), zhao),)),
        case_with_facts(market, state="notified", number="M-4", decision=MAJOR,
                        review_requests=(request(1, D(2026, 3, 2), zhao),),
                        review_opinions=(opinion(1, D(2026, 3, 5), zhao, "agree"),)),
    ]
    return {
        "models": models,
        "supervisor": user_make(role=Role.SUPERVISOR, agency=bureau),
        "head": user_make(role=Role.AGENCY_HEAD, agency=market),
        "reviewer": user_make(role=Role.REVIEWER, agency=market, officer=zhao),
        "market": market,
    }


def grow(county, per_model: int, batch: str) -> None:
    for n, case in enumerate(county["models"]):
        copies(case, per_model, f"{batch}{n}")


def pages(county) -> dict[str, tuple[str, str, dict]]:
    return {
        "desk (reviewer)": ("reviewer", reverse("review:desk"), {}),
        "desk (head)": ("head", reverse("review:desk"), {}),
        "supervision": ("supervisor", reverse("review:supervision"), {"year": 2026}),
        "supervision csv": ("supervisor", reverse("review:supervision_csv"), {"year": 2026}),
        "cases behind a number": ("supervisor", reverse("review:supervision_cases"), {"year": 2026, "figure": "major"}),
        "cases of one agency": ("head", reverse("review:supervision_cases"),
                                {"year": 2026, "figure": "unreviewed", "agency": county["market"].pk}),
    }


def counted(client, county) -> dict[str, int]:
    counts = {}
    for name, (who, url, query) in pages(county).items():
        client.force_login(county[who])
        with queries_without_ledger_writes() as queries:
            response = client.get(url, query)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, name
        assert body
        # The export's access record appends a ledger entry, whose writes follow the ledger's
        # size, not the cases: left out of the count (tests/querycount.py).
        counts[name] = queries.count
    return counts


def test_every_review_page_costs_the_same_queries_with_10_and_200_cases(client, county):
    grow(county, 1, "a")  # 10 cases
    small = counted(client, county)
    grow(county, 38, "b")  # 200 cases
    assert Case.objects.count() == 200
    large = counted(client, county)
    assert large == small
    # And the pages show the larger county: 80 major decisions of which 40 were reviewed.
    client.force_login(county["supervisor"])
    page = client.get(reverse("review:supervision"), {"year": 2026}).content.decode()
    assert ">80</a>" in page and ">40</a>" in page
    # 40 decided without review: the page names the first 10 of the agency, the CSV all of them.
    assert "另有30件" in page
    csv = b"".join(client.get(reverse("review:supervision_csv"), {"year": 2026}).streaming_content).decode()
    market_line = next(line for line in csv.splitlines() if line.startswith("乌审旗市场监督管理局"))
    assert market_line.count("、") == 39
    listing = client.get(reverse("review:supervision_cases"), {"year": 2026, "figure": "major"}).content.decode()
    assert "第 1 / 2 页，共 80 条" in listing


def test_bad_queries_of_the_cases_behind_a_number_are_a_clear_error(client, county):
    client.force_login(county["supervisor"])
    url = reverse("review:supervision_cases")
    response = client.get(url, {"year": "abc", "figure": "major"})
    assert response.status_code == 400 and "查询条件有误" in response.content.decode()
    assert client.get(url, {"year": 2026, "figure": "nothing"}).status_code == 400
    # No figure: every major decision of the year.
    response = client.get(url)
    assert response.status_code == 200 and "年 重大执法决定</h1>" in response.content.decode()
    assert client.get(url, {"year": 2026, "figure": "major", "page": "x"}).status_code == 200
    # Another agency's cases are absent for a head, not forbidden.
    other = agency_make()
    client.force_login(county["head"])
    assert client.get(url, {"year": 2026, "figure": "major", "agency": other.pk}).status_code == 404
    client.force_login(user_make(role=Role.OFFICER, agency=county["market"]))
    assert client.get(url, {"year": 2026, "figure": "major"}).status_code == 403


def test_a_long_queue_is_shown_50_a_page_earliest_due_first(client, county):
    pending = county["models"][3]
    copies(pending, 54, "q")  # 55 pending with 赵, all due 2026-03-23
    client.force_login(county["reviewer"])
    first = client.get(reverse("review:desk")).content.decode()
    assert "待出具审核意见（55）" in first and "第 1 / 2 页，共 55 条" in first
    assert first.count("<tr data-case=") == 50
    second = client.get(reverse("review:desk"), {"page": 2}).content.decode()
    assert second.count("<tr data-case=") == 5
    assert client.get(reverse("review:desk"), {"page": "abc"}).status_code == 200
