"""GET /api/cases pages with an opaque cursor: newest first with the id as tie-break, `limit`
50 by default and at most 200, a `next` link that keeps the filters; a walk with any page size
shows every case exactly once; a bad cursor or limit is a 422 naming the field; a page takes
the same queries at 10 and at 200 cases. Run with the CSRF checks on (tests/api/conftest.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxiang.api.cases import CASE_ORDERING
from sanxiang.api.pagination import cursor_encode, order_resolve
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_create
from tests.api.test_cases_api import bearer
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


def cases_make(agency, n: int, *, title: str = "测试案件") -> list[int]:
    return [case_create(actor=None, agency=agency, title=f"{title}{i}", procedure="ordinary").pk for i in range(n)]


@pytest.fixture
def county():
    """37 cases of one agency, 5 of another; several registered in the same instant (ties)."""
    agency, other = agency_make(name="乌审旗市场监督管理局"), agency_make(name="乌审旗交通运输局")
    ids = cases_make(agency, 37)
    cases_make(other, 5)
    instant = timezone.now() - dt.timedelta(days=3)
    Case.objects.filter(pk__in=ids[5:15]).update(created_at=instant)
    Case.objects.filter(pk__in=ids[20:23]).update(created_at=instant - dt.timedelta(days=1))
    return agency, other, user_make(role="officer", agency=agency)


def expected_order(agency) -> list[int]:
    return list(Case.objects.filter(agency=agency).order_by("-created_at", "-id").values_list("pk", flat=True))


def walk(client, auth, url: str) -> tuple[list[int], int]:
    seen, pages = [], 0
    while url:
        response = client.get(url, **auth)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        url = body["next"]
        assert (url is None) == (body["next_cursor"] is None)
    return seen, pages


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.integers(min_value=1, max_value=45))
def test_a_walk_with_any_page_size_shows_every_case_once_newest_first(client, county, limit):
    agency, _, officer = county
    auth = bearer(officer)
    seen, pages = walk(client, auth, f"/api/cases?limit={limit}")
    assert seen == expected_order(agency)  # each once, in order, none of the other agency
    assert pages == -(-37 // limit)  # the last page knows it is the last (it reads one row more)


def test_the_default_page_is_50_and_the_filters_follow_the_next_link(client, county):
    agency, _, officer = county
    auth = bearer(officer)
    cases_make(agency, 20, title="无证经营")  # 57 cases in all, 20 matching
    first = client.get("/api/cases", **auth).json()
    assert len(first["items"]) == 50 and first["next"].startswith("/api/cases?cursor=")
    assert set(first["items"][0]) == {"id", "number", "title", "agency_id", "procedure", "state"}
    seen, _ = walk(client, auth, "/api/cases?q=无证经营&limit=7")
    assert len(seen) == 20 and all(t.startswith("无证经营") for t in Case.objects.filter(pk__in=seen).values_list("title", flat=True))
    second = client.get("/api/cases?q=无证经营&limit=7", **auth).json()["next"]
    assert "q=" in second and "limit=7" in second


@pytest.mark.parametrize(("query", "field"), [
    ("limit=0", "limit"),
    ("limit=201", "limit"),
    ("limit=abc", "limit"),
    ("cursor=abc", "cursor"),
    ("cursor=" + "x" * 501, "cursor"),
])
def test_a_bad_limit_or_cursor_is_a_422_naming_the_field(client, county, query, field):
    *_, officer = county
    response = client.get(f"/api/cases?{query}", **bearer(officer))
    assert response.status_code == 422, response.content
    assert [v["field"] for v in response.json()["violations"]] == [field]


def test_a_changed_cursor_or_one_of_another_shape_is_refused(client, county):
    *_, officer = county
    auth = bearer(officer)
    cursor = client.get("/api/cases?limit=3", **auth).json()["next_cursor"]
    # Signed for the list's own order, but of another shape: one value, or a text where a time goes.
    order = order_resolve(None, keys=CASE_ORDERING, default="-created_at")
    for bad in (cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"), cursor_encode([1], order=order),
                cursor_encode(["x", 1], order=order)):
        response = client.get(f"/api/cases?cursor={bad}", **auth)
        assert response.status_code == 422, bad
        assert response.json()["violations"][0]["message"] == "翻页标记无效，请从第一页重新开始"
    assert client.get("/api/cases?limit=200", **auth).status_code == 200


def test_a_page_takes_the_same_queries_at_10_and_200_cases(client):
    agency = agency_make(name="乌审旗计数局")
    auth = bearer(user_make(role="supervisor", agency=agency_make(name="乌审旗司法局", is_judicial_bureau=True)))
    cases_make(agency, 10)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/cases?limit=50", **auth).status_code == 200
        # The token's first use of each minute records it (an UPDATE): not part of the page, and
        # making 190 cases can take past a minute's end on a busy machine.
        return len([q for q in captured.captured_queries if not q["sql"].startswith("UPDATE")])

    queries()
    few = queries()
    cases_make(agency, 190)
    assert queries() == few


def test_the_page_is_documented_in_the_openapi_schema(client, county):
    *_, officer = county
    schema = client.get("/api/openapi.json", **bearer(officer)).json()
    operation = schema["paths"]["/api/cases"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["limit"]["schema"]["maximum"] == 200 and parameters["limit"]["schema"]["default"] == 50
    assert "cursor" in parameters
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][page]["properties"]) == {"items", "next_cursor", "next"}


@pytest.mark.parametrize("path", ["/api/registry/agencies", "/api/registry/officers", "/api/registry/matters"])
def test_the_registry_lists_page_the_same_way(client, path):
    from sanxiang.registry import services
    from tests.factories import officer_make

    agencies = [agency_make(name=f"乌审旗第{n}局") for n in range(7)]
    for n, agency in enumerate(agencies):
        officer_make(agency=agency)
        services.matter_create(actor=None, agency=agency, code=f"M{n:05d}", name=f"事项{n}", kind="penalty",
                               legal_bases=[{"law": "《中华人民共和国行政处罚法》", "article": "第九条"}])
    auth = bearer(user_make(role="system_admin"))
    everything = client.get(f"{path}?limit=200", **auth).json()
    assert everything["next"] is None and len(everything["items"]) >= 7
    seen, pages = walk(client, auth, f"{path}?limit=2")
    assert seen == [item["id"] for item in everything["items"]] and pages == -(-len(seen) // 2)
    assert client.get(f"{path}?limit=201", **auth).status_code == 422
