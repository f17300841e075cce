"""Issue 19: 审核工作的监督 through the API. The legal review of each agency's major decisions in a
year (computed from the stored figures of the decided cases), and the cases behind each number,
for the page's readers only: the bureau's supervisors and system administrators the county, an
agency head their own agency."""

import datetime as dt

import pytest

from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from sanxiang.review.models import ReviewTally
from tests.api.support import bearer
from tests.factories import agency_make, user_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db

URL = "/api/review-supervision"


def decided(agency, number: str, day: dt.date, *, reviewed: bool, major: bool = True, sent_back: bool = False):
    case = case_create(actor=None, agency=agency, title="涉嫌无证经营案", party=None, officers=[], number=number,
                       act_date=dt.date(2026, 3, 2))
    ReviewTally.objects.create(case=case, agency=agency, decided_on=day, major=major, reviewed=reviewed,
                               rounds=2 if reviewed else 0, review_days=6 if reviewed else 0,
                               reviews_timed=2 if reviewed else 0, sent_back=sent_back, estimated=False,
                               criteria=["catalogue.amount"])
    return case


@pytest.fixture
def county():
    desk = desk_make()
    market, other = desk.agency, agency_make(name="别的局")
    cases = {
        "a1": decided(market, "甲-1", dt.date(2026, 3, 10), reviewed=True, sent_back=True),
        "a2": decided(market, "甲-2", dt.date(2026, 4, 10), reviewed=False),
        "a3": decided(market, "甲-3", dt.date(2026, 5, 10), reviewed=True),
        "minor": decided(market, "甲-4", dt.date(2026, 5, 11), reviewed=False, major=False),
        "last_year": decided(market, "甲-5", dt.date(2025, 5, 11), reviewed=False),
        "b1": decided(other, "乙-1", dt.date(2026, 6, 1), reviewed=True),
    }
    return {"desk": desk, "market": market, "other": other, "cases": cases,
            "head": user_make(role=Role.AGENCY_HEAD, agency=market)}


def test_the_figures_of_each_agency_as_the_page_shows_them(client, county):
    answer = client.get(f"{URL}?year=2026", **bearer(county["desk"].first))
    assert answer.status_code == 200
    body = answer.json()
    rows = {r["agency_id"]: r for r in body["rows"]}
    market = rows[county["market"].pk]
    assert (market["major_decided"], market["reviewed"], market["unreviewed"], market["sent_back"]) == (3, 2, 1, 1)
    assert (market["rounds"], market["review_days"], market["reviews_timed"]) == (4, 12, 4)
    assert market["unreviewed_cases"] == [{"case_id": county["cases"]["a2"].pk, "case_number": "甲-2"}]
    assert body["rows"][0]["agency_id"] == county["market"].pk  # decided without review: first
    assert rows[county["other"].pk]["major_decided"] == 1
    assert body["total"]["agency_id"] is None and body["total"]["major_decided"] == 4 and body["year"] == 2026
    # An earlier year has its own decisions.
    last = client.get(f"{URL}?year=2025", **bearer(county["desk"].first)).json()
    assert {r["agency_id"]: r["major_decided"] for r in last["rows"]}[county["market"].pk] == 1

    # The head of an agency sees their own agency only.
    own = client.get(f"{URL}?year=2026", **bearer(county["head"])).json()
    assert [r["agency_id"] for r in own["rows"]] == [county["market"].pk]
    assert client.get(f"{URL}?year=2026", **bearer(user_make(role=Role.SYSTEM_ADMIN))).status_code == 200

    for role in (Role.OFFICER, Role.REVIEWER, Role.AGENCY_ADMIN):
        assert client.get(URL, **bearer(user_make(role=role, agency=county["market"]))).status_code == 403, role
    bad = client.get(f"{URL}?year=1999", **bearer(county["desk"].first))
    assert bad.status_code == 422 and bad.json()["violations"][0]["field"] == "year"


def numbers(answer) -> list[str]:
    return [i["case_number"] for i in answer.json()["items"]]


def test_the_cases_behind_each_number(client, county):
    token = bearer(county["desk"].first)
    cases = f"{URL}/cases?year=2026"
    answer = client.get(cases, **token)
    assert answer.status_code == 200
    assert numbers(answer) == ["乙-1", "甲-3", "甲-2", "甲-1"]  # every major decision, latest first
    first = answer.json()["items"][-1]
    assert (first["reviewed"], first["rounds"], first["review_days"], first["sent_back"]) == (True, 2, 6, True)
    assert first["criteria"] == ["罚没数额达到目录标准"] and first["decided_on"] == "2026-03-10"
    assert answer.json()["figure"] == "major" and answer.json()["figure_label"] == "重大执法决定"

    market = county["market"].pk
    assert numbers(client.get(f"{cases}&agency={market}&figure=unreviewed", **token)) == ["甲-2"]
    assert numbers(client.get(f"{cases}&agency={market}&figure=sent_back", **token)) == ["甲-1"]
    assert numbers(client.get(f"{cases}&agency={market}&figure=reviewed&ordering=decided_on", **token)) == ["甲-1", "甲-3"]
    assert numbers(client.get(f"{cases}&since=2026-04-01&until=2026-05-31", **token)) == ["甲-3", "甲-2"]
    seen, url = [], f"{cases}&limit=1&ordering=-id"
    while url:
        page = client.get(url, **token).json()
        seen += [i["case_number"] for i in page["items"]]
        url = page["next"]
    assert seen == ["乙-1", "甲-3", "甲-2", "甲-1"]

    # An agency head: their own agency's cases; another agency's number is absent (404).
    head = bearer(county["head"])
    assert numbers(client.get(cases, **head)) == ["甲-3", "甲-2", "甲-1"]
    assert client.get(f"{cases}&agency={county['other'].pk}", **head).status_code == 404
    assert client.get(f"{cases}&agency={county['other'].pk}", **token).status_code == 200
    assert client.get(cases, **bearer(user_make(role=Role.OFFICER, agency=county["market"]))).status_code == 403
    for query, field in (("figure=lost", "figure"), ("agency=0", "agency"), ("cursor=x", "cursor"),
                         ("ordering=number", "ordering"), ("since=2026-05-01&until=2026-04-01", "until"),
                         ("year=2101", "year")):
        bad = client.get(f"{cases}&{query}", **token)
        assert bad.status_code == 422 and bad.json()["violations"][0]["field"] == field, query
