"""Issue 19: every number opens the records behind it, through the API as on the pages — the records
behind an indicator's numerator or denominator (GET /api/indicators/records), an indicator month by
month (GET /api/indicators/trend), and the work report's indicator and training figures through
GET /api/closing/records (which answered 404 for them)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.evaluation.indicators import indicator_records, indicator_table, indicator_trend, period_year
from sanxiang.evaluation.training_services import training_session_record
from sanxiang.procedure.evaluation.indicators import indicator_current
from tests.api.query_bounds import queries_of
from tests.api.support import bearer
from tests.cases.support import world_make
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db

CODE = "certificate_rate"  # the serving officers and those holding a valid certificate: no case needed


@pytest.fixture
def year() -> int:
    return timezone.localdate().year


@pytest.fixture
def w():
    return world_make()


class Other:
    """The head and an officer of another agency of the same county."""

    def __init__(self):
        agency = agency_make()
        self.head = user_make(role=Role.AGENCY_HEAD, agency=agency)
        self.officer = user_make(role=Role.OFFICER, agency=agency)


def records(client, user, query: str):
    return client.get(f"/api/indicators/records?{query}", **bearer(user))


def test_the_records_behind_a_number_are_the_pages_and_walk_by_cursor_each_once(client, w, year):
    answer = records(client, w.head, f"indicator={CODE}&side=denominator&year={year}&limit=3")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    table = indicator_table(viewer=w.head, period=period_year(year))
    assert body["count"] == table.totals[CODE].denominator == 4  # the four officers of the world
    assert (body["indicator"]["code"], body["side"], body["side_label"]) == (CODE, "denominator", "分母")
    assert (body["period_start"], body["period_end"]) == (f"{year}-01-01", f"{year}-12-31")
    assert body["agency_id"] is None and len(body["items"]) == 3 and body["next_cursor"]
    assert body["next"].startswith("/api/indicators/records?") and "cursor=" in body["next"]
    seen = [r["reference"] for r in body["items"]]
    second = client.get(body["next"], **bearer(w.head)).json()
    seen += [r["reference"] for r in second["items"]]
    assert second["next_cursor"] is None and second["next"] is None
    page = indicator_records(viewer=w.head, indicator=indicator_current(CODE, on=timezone.localdate()),
                             side="denominator", period=period_year(year), agency_id=None)
    assert seen == [r.reference for r in page.rows] and len(set(seen)) == 4
    numerator = records(client, w.head, f"indicator={CODE}&side=numerator&year={year}").json()
    assert numerator["count"] == table.totals[CODE].numerator
    assert all(d["label"] and "date" in d for r in numerator["items"] for d in r["dates"])


def test_who_reads_the_records_a_supervisor_of_the_county_a_head_of_the_agency_nobody_else(client, w, year):
    query = f"indicator={CODE}&side=denominator&year={year}"
    by_supervisor = records(client, w.supervisor, f"{query}&agency={w.agency.pk}")
    assert by_supervisor.status_code == 200 and by_supervisor.json()["count"] == 4
    assert by_supervisor.json()["agency_name"] == w.agency.name
    assert records(client, w.officer, query).status_code == 403
    assert records(client, w.reviewer, query).status_code == 403
    other = Other()
    assert records(client, other.head, f"{query}&agency={w.agency.pk}").status_code == 404
    elsewhere = user_make(role=Role.SUPERVISOR, agency=agency_make(is_judicial_bureau=True, region_code="150627"))
    assert records(client, elsewhere, f"{query}&agency={w.agency.pk}").status_code == 404
    assert records(client, elsewhere, query).json()["count"] == 0  # nothing of another county


@pytest.mark.parametrize("query,field", [
    ("indicator=nothing&side=numerator&year=2026", "indicator"),
    ("side=numerator&year=2026", "indicator"),
    (f"indicator={CODE}&side=both&year=2026", "side"),
    (f"indicator={CODE}&side=numerator", "year"),
    (f"indicator={CODE}&side=numerator&since=2026-03-01&until=2026-01-01", "until"),
    (f"indicator={CODE}&side=numerator&year=2026&agency=0", "agency"),
    (f"indicator={CODE}&side=numerator&year=2026&limit=0", "limit"),
    (f"indicator={CODE}&side=numerator&year=2026&cursor=forged", "cursor"),
])
def test_bad_input_is_a_422_naming_the_field_in_chinese(client, w, query, field):
    answer = records(client, w.head, query)
    assert answer.status_code == 422, answer.content
    violations = answer.json()["violations"]
    assert field in {v["field"] for v in violations}
    assert all(not v["message"].isascii() for v in violations)


def test_a_cursor_is_good_only_for_its_own_list(client, w, year):
    first = records(client, w.head, f"indicator={CODE}&side=denominator&year={year}&limit=1").json()
    cursor = first["next_cursor"]
    assert records(client, w.head, f"indicator={CODE}&side=denominator&year={year}&limit=1&cursor={cursor}"
                   ).status_code == 200
    for other in (f"indicator={CODE}&side=numerator&year={year}", f"indicator={CODE}&side=denominator&year={year - 1}",
                  f"indicator=publication_timely&side=denominator&year={year}"):
        answer = records(client, w.head, f"{other}&cursor={cursor}")
        assert answer.status_code == 422 and answer.json()["violations"][0]["field"] == "cursor"


def test_the_trend_is_the_pages_month_by_month(client, w, year):
    answer = client.get(f"/api/indicators/trend?indicator={CODE}&year={year}&agency={w.agency.pk}",
                        **bearer(w.supervisor))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    trend = indicator_trend(viewer=w.supervisor, code=CODE, period=period_year(year), agency_id=w.agency.pk)
    assert [(m["period_start"], m["numerator"], m["denominator"]) for m in body["months"]] == [
        (month.start.isoformat(), f.numerator, f.denominator) for month, f in trend]
    assert len(body["months"]) == timezone.localdate().month and body["months"][-1]["denominator"] == 4
    assert (body["agency_id"], body["indicator"]["code"]) == (w.agency.pk, CODE)
    assert client.get(f"/api/indicators/trend?indicator={CODE}&year={year}", **bearer(w.officer)).status_code == 403
    other = Other()
    assert client.get(f"/api/indicators/trend?indicator={CODE}&year={year}&agency={w.agency.pk}",
                      **bearer(other.head)).status_code == 404
    bad = client.get("/api/indicators/trend?indicator=nothing&since=2026-01-01", **bearer(w.head))
    assert bad.status_code == 422 and {"indicator", "until"} <= {v["field"] for v in bad.json()["violations"]}


def test_the_work_reports_indicator_figure_opens_its_records(client, w, year):
    answer = client.get(f"/api/closing/records?key=indicator:{CODE}&year={year}", **bearer(w.supervisor))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    listed = body["indicator_records"]
    assert body["label"] == listed["indicator"]["name"] and body["records"] == []
    assert body["training_sessions"] is None and body["training_officers"] is None
    assert (listed["side"], listed["count"]) == ("numerator", indicator_table(
        viewer=w.supervisor, period=period_year(year)).totals[CODE].numerator)
    paged = client.get(f"/api/closing/records?key=indicator:{CODE}&year={year}&limit=1", **bearer(w.supervisor))
    cursor = paged.json()["indicator_records"]["next_cursor"]
    assert cursor and paged.json()["indicator_records"]["next"].startswith("/api/indicators/records?")
    rest = records(client, w.supervisor, f"indicator={CODE}&side=numerator&year={year}&cursor={cursor}")
    assert rest.status_code == 200 and len(rest.json()["items"]) == listed["count"] - 1
    assert client.get(f"/api/closing/records?key=indicator:{CODE}&year={year}", **bearer(w.officer)).status_code == 404
    assert client.get(f"/api/closing/records?key=indicator:{CODE}&year={year}&agency={w.agency.pk}",
                      **bearer(Other().head)).status_code == 404
    assert client.get(f"/api/closing/records?key=indicator:nothing&year={year}",
                      **bearer(w.supervisor)).status_code == 404


def test_the_work_reports_training_figures_open_the_sessions_and_the_officers(client, w, year):
    today = timezone.localdate()
    session = training_session_record(actor=w.head, kind="three_systems", topic="三项制度培训", held_on=today,
                                      hours=Decimal("4"), today=today)
    sessions = client.get(f"/api/closing/records?key=training.sessions&year={year}", **bearer(w.supervisor))
    assert sessions.status_code == 200, sessions.content
    assert [(s["id"], s["hours"], s["organiser_name"]) for s in sessions.json()["training_sessions"]] == [
        (session.pk, "4", w.agency.name)]
    assert sessions.json()["label"] == "组织培训场次" and sessions.json()["indicator_records"] is None
    officers = client.get(f"/api/closing/records?key=training.officers&year={year}", **bearer(w.officer)).json()
    assert sorted(o["name"] for o in officers["training_officers"]) == sorted(["张三", "李四", "王局长", "赵审核"])
    assert all(o["hours"] == "0" and o["met"] is False for o in officers["training_officers"])
    met = client.get(f"/api/closing/records?key=training.met&year={year}", **bearer(w.head)).json()
    assert met["training_officers"] == [] and met["label"].startswith("达到年度")
    other = Other()
    assert client.get(f"/api/closing/records?key=training.sessions&year={year}",
                      **bearer(other.head)).json()["training_sessions"] == []
    assert client.get(f"/api/closing/records?key=training.officers&year={year}&agency={w.agency.pk}",
                      **bearer(other.officer)).json()["training_officers"] == []
    assert client.get(f"/api/closing/records?key=training.nothing&year={year}",
                      **bearer(w.supervisor)).status_code == 404


def test_the_records_cost_the_same_queries_for_one_row_as_for_many(client, w, year):
    headers = bearer(w.head)
    url = f"/api/indicators/records?indicator={CODE}&side=denominator&year={year}"
    queries_of(client, url, headers)  # the token's first use is recorded once
    assert queries_of(client, f"{url}&limit=1", headers) == queries_of(client, f"{url}&limit=50", headers)


@pytest.mark.parametrize("path", ["/api/indicators", "/api/indicators/records", "/api/indicators/trend"])
def test_a_period_before_an_indicators_rule_or_past_the_last_year_is_a_422_not_a_server_error(client, w, path):
    """Review r-3: the hours of training required are in force from 2022-11-03, so 2021's compliance
    cannot be counted (422 on `year` with the reason, where it was a 500); a range in the year 9999
    is outside the years a period may fall in (422 on `since`; the months after it overflowed)."""
    query = "indicator=training_compliance&side=numerator&"
    answer = client.get(f"{path}?{query}year=2021", **bearer(w.supervisor))
    assert answer.status_code == 422, answer.content
    [error] = answer.json()["violations"]
    assert error["field"] == "year" and "2022-11-03" in error["message"]
    answer = client.get(f"{path}?{query}since=9999-12-01&until=9999-12-31", **bearer(w.supervisor))
    assert answer.status_code == 422 and [e["field"] for e in answer.json()["violations"]] == ["since"], answer.content
    allowed = client.get(f"{path}?{query}year=2023", **bearer(w.supervisor))
    assert allowed.status_code == 200, allowed.content
