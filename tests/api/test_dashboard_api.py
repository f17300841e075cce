"""Issue 19: the 驾驶舱 (/staff/evaluation/dashboard/) through the API, built by the page's selector:
totals of every indicator, the agencies ranked by the chosen one, its trend and the overdue lists.
The county's supervisor reads the agencies of the county (never another county's), an agency's head
their agency, an officer 403; a wrong indicator or period 422 naming the field. CSRF checks on."""

import pytest

from sanxiang.accounts.models import Role
from sanxiang.evaluation.indicators import SOURCES
from tests.api.support import bearer
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db
URL = "/api/dashboard"


@pytest.fixture
def county():
    agency, _other = agency_make(name="乌审旗市场监督管理局"), agency_make(name="乌审旗交通运输局")
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    far = agency_make(name="杭锦旗市场监督管理局", region_code="150625")
    return {
        "head": bearer(user_make(role=Role.AGENCY_HEAD, agency=agency)),
        "officer": bearer(user_make(role=Role.OFFICER, agency=agency)),
        "supervisor": bearer(user_make(role=Role.SUPERVISOR, agency=bureau)),
        "far_supervisor": bearer(user_make(role=Role.SUPERVISOR, agency=agency_make(
            name="杭锦旗司法局", is_judicial_bureau=True, region_code="150625"))),
        "far": far,
    }


def _names(body) -> set:
    return {row["agency_name"] for row in body["ranking"]}


def test_the_supervisor_sees_the_county_and_the_head_their_agency(client, county):
    answer = client.get(URL, **county["supervisor"])
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["county"] is True and _names(body) == {"乌审旗市场监督管理局", "乌审旗交通运输局"}
    assert body["period_start"].endswith("-01-01") and body["period_end"].endswith("-12-31")  # this year by default
    assert body["totals"] and body["indicator"]["code"] in SOURCES and len(body["trend"]) == 12
    assert all(row["rank"] == 0 for row in body["ranking"])  # nothing due: no rank, as on the page
    assert {o["key"] for o in body["overdue"]} and all(o["count"] == 0 for o in body["overdue"])
    far = client.get(URL, **county["far_supervisor"]).json()
    assert _names(far) == {"杭锦旗市场监督管理局"}  # another county's supervisor never sees this county

    code = list(SOURCES)[-1]
    head = client.get(URL, {"year": body["period_start"][:4], "month": 3, "indicator": code}, **county["head"])
    assert head.status_code == 200, head.content
    head = head.json()
    assert head["county"] is False and _names(head) == {"乌审旗市场监督管理局"}
    assert head["indicator"]["code"] == code and head["period_start"].endswith("-03-01")


def test_who_may_not_and_what_is_refused(client, county):
    assert client.get(URL, **county["officer"]).status_code == 403
    for query, field in (({"indicator": "nope"}, "indicator"), ({"month": 2}, "year"),
                         ({"since": "2026-03-01", "until": "2026-02-01"}, "until"), ({"since": "2026-03-01"}, "until"),
                         # before the hours of training required were in force (2022-11-03): the reason, on year
                         ({"year": 2021}, "year"), ({"since": "2021-01-01", "until": "2021-12-31"}, "since")):
        refused = client.get(URL, query, **county["supervisor"])
        assert refused.status_code == 422, (query, refused.content)
        assert field in [v["field"] for v in refused.json()["violations"]], refused.content
