"""Issue 19: 企业检查频次 through the API as the page /staff/inspection/frequency/ shows it: per agency
the enterprises inspected once, twice, three times or more in the year (only the inspections that
count in the annual statistics), and one figure's enterprises with their inspections. An agency's
staff see their agency only, the county's supervisor every agency of the county (another county's
404), a system administrator every county; a year out of the page's range or a figure without an agency 422
naming the field. With the CSRF checks on."""

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.inspection.models import Inspection, InspectionTarget
from tests.api.support import bearer
from tests.factories import agency_make, credit_code, user_make

pytestmark = pytest.mark.django_db
URL = "/api/inspection-frequency"


def _inspected(agency, name, times, *, counts=True, year=None):
    year = year or timezone.localdate().year
    target = InspectionTarget.objects.create(agency=agency, name=name, credit_code=credit_code(prefix="91150626"))
    for n in range(times):
        on = dt.date(year, 1 + n, 10)
        Inspection.objects.create(agency=agency, target=target, source="random", planned_from=on, planned_to=on,
                                  started_on=on, counts_in_statistics=counts, state="closed", result_outcome="pass")


@pytest.fixture
def county():
    agency, other = agency_make(name="乌审旗市场监督管理局"), agency_make(name="乌审旗应急管理局")
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    far = agency_make(name="杭锦旗市场监督管理局", region_code="150625")
    _inspected(agency, "一次商贸", 1)
    _inspected(agency, "多次商贸", 4)
    _inspected(agency, "无记录商贸", 2, counts=False)
    _inspected(other, "应急检查", 2)
    _inspected(far, "他县商贸", 1)
    return {
        "agency": agency, "other": other, "far": far,
        "officer": bearer(user_make(role=Role.OFFICER, agency=agency)),
        "supervisor": bearer(user_make(role=Role.SUPERVISOR, agency=bureau)),
    }


def _bands(body) -> dict:
    return {row["agency_name"]: {b["times"]: b["enterprises"] for b in row["bands"]} for row in body["agencies"]}


def test_the_agency_sees_its_figures_and_one_figure_opens_its_enterprises(client, county):
    answer = client.get(URL, **county["officer"])
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["year"] == timezone.localdate().year and body["enterprises"] is None
    assert _bands(body) == {"乌审旗市场监督管理局": {1: 1, 2: 0, 3: 1}}  # its own agency only
    # The agency asked is ignored for an agency's staff, as on the page.
    other = client.get(URL, {"agency": county["other"].pk, "times": 3}, **county["officer"]).json()
    assert [e["name"] for e in other["enterprises"]] == ["多次商贸"]
    assert other["enterprises"][0]["times"] == 4 and len(other["enterprises"][0]["inspections"]) == 4


def test_the_supervisor_reads_the_county_and_another_county_is_not_seen(client, county):
    body = client.get(URL, **county["supervisor"]).json()
    assert _bands(body) == {"乌审旗市场监督管理局": {1: 1, 2: 0, 3: 1}, "乌审旗应急管理局": {1: 0, 2: 1, 3: 0}}
    twice = client.get(URL, {"agency": county["other"].pk, "times": 2}, **county["supervisor"]).json()
    assert [e["name"] for e in twice["enterprises"]] == ["应急检查"]
    assert client.get(URL, {"agency": county["far"].pk}, **county["supervisor"]).status_code == 404
    # Last year has nothing; before the page's range, or a figure without an agency: 422 naming the field.
    last = client.get(URL, {"year": timezone.localdate().year - 1}, **county["supervisor"]).json()
    assert all(set(b.values()) == {0} for b in _bands(last).values())
    for query, field in (({"year": timezone.localdate().year - 6}, "year"), ({"times": 1}, "agency"),
                         ({"times": 4, "agency": county["agency"].pk}, "times")):
        refused = client.get(URL, query, **county["supervisor"])
        assert refused.status_code == 422, (query, refused.content)
        assert field in [v["field"] for v in refused.json()["violations"]], refused.content


def test_every_role_of_the_agency_and_the_administrator_read_as_the_page(client, county):
    # Every role reads (the database keeps an agency's role inside an agency): an agency's roles
    # their agency, the system administrator every agency of every county.
    for role in (Role.REVIEWER, Role.AGENCY_HEAD, Role.AGENCY_ADMIN):
        body = client.get(URL, **bearer(user_make(role=role, agency=county["agency"]))).json()
        assert list(_bands(body)) == ["乌审旗市场监督管理局"], role
    admin = client.get(URL, **bearer(user_make(role=Role.SYSTEM_ADMIN))).json()
    assert {"乌审旗市场监督管理局", "乌审旗应急管理局", "杭锦旗市场监督管理局"} <= set(_bands(admin))
