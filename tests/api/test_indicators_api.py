"""Issue 19 item 1: 执法指标 through the API — the same figures as the staff page's table, for the
same viewer and period, each with its numerator and denominator; who may not read indicators
gets 403, a period that is not one gets 422 naming the field."""

import datetime as dt

import pytest

from sanxiang.accounts.models import Role
from sanxiang.evaluation.indicators import indicator_table, period_month
from tests.api.support import bearer
from tests.cases.support import world_make
from tests.factories import user_make

pytestmark = pytest.mark.django_db


def test_the_table_is_the_pages_table_for_the_head_of_an_agency(client):
    w = world_make()
    answer = client.get("/api/indicators?year=2026&month=3", **bearer(w.head))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["period_start"], body["period_end"], body["period_label"]) == ("2026-03-01", "2026-03-31", "2026年3月")
    table = indicator_table(viewer=w.head, period=period_month(2026, 3), today=dt.date.today())
    assert [a["agency_id"] for a in body["agencies"]] == [w.agency.pk] == [a.pk for a in table.agencies]
    assert [i["code"] for i in body["indicators"]] == [i.code for i in table.indicators]
    assert all(i["basis"] and i["name"] for i in body["indicators"])
    for indicator, figure in table.total_row():
        assert body["totals"][indicator.code] == {"numerator": figure.numerator, "denominator": figure.denominator,
                                                  "value": figure.value}
    assert body["agencies"][0]["figures"].keys() == body["totals"].keys()


def test_an_officer_may_not_read_indicators(client):
    w = world_make()
    assert client.get("/api/indicators?year=2026", **bearer(w.officer)).status_code == 403


@pytest.mark.parametrize("query,field", [
    ("", "year"),
    ("month=3", "year"),
    ("start=2026-01-01", "end"),
    ("start=2026-03-01&end=2026-01-01", "end"),
    ("start=2020-01-01&end=2026-01-01", "end"),
    ("year=2026&start=2026-01-01&end=2026-02-01", "year"),
    ("year=1900", "year"),
    ("year=2026&month=13", "month"),
])
def test_a_period_that_is_not_one_is_a_422_naming_the_field_in_chinese(client, query, field):
    head = user_make(role=Role.AGENCY_HEAD, agency=world_make().agency)
    answer = client.get(f"/api/indicators?{query}", **bearer(head))
    assert answer.status_code == 422
    violations = answer.json()["violations"]
    assert field in {v["field"] for v in violations}
    assert all(not v["message"].isascii() for v in violations)
