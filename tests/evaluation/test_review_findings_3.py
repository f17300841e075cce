"""Attacker review of this session's evaluation code, part A (task 9): the plan's targets, the
summaries, acceptance and work report, the dashboard, the reminders and the 考核评估 hub.

Each finding has a test that failed before its fix:

1. A score typed as "1e30" (8 characters, the field's limit) raised decimal.InvalidOperation in
   `score_parse` (quantizing to 0.1 needs more digits than the context has): a 500 on the checklist.
   "-0" was printed as "-0".
2. The records behind a target's criterion showed the title of each case (which may name a party)
   to a supervisor without a read grant naming the case: the rule of the indicators' records.
3. The dashboard's list of drafts overdue for publication (page and XLSX) did the same.
4. The records behind a summary or acceptance figure filtered on `bureau_id=None` (SQL: IS NULL) for
   the system administrator and an agency's staff: the list did not hold the summaries counted.
5. A round of acceptance could be opened for a year not yet begun (and its checklists concluded and
   its work report sent before the year had happened).
6. A month's snapshot of the targets was rewritten by a later run of that month's day (a catch-up or
   a retry after the month ended), though the publicity and documents it read are those of the day
   it ran: a figure said to be final changed.
7. The dashboard of a period before any indicator was in force (period=2000) raised AttributeError.

The other probes (another county's or agency's records by id, odd query strings, far dates in a
campaign) found no defect and stay as regression tests."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sanxiang.accounts.models import Role
from sanxiang.evaluation import closing_views
from sanxiang.evaluation.closing_services import summary_drafts_create
from sanxiang.evaluation.models import AcceptanceCheck, AcceptanceRound, AnnualSummary, TargetSnapshot
from sanxiang.evaluation.target_services import target_snapshots_refresh
from sanxiang.procedure.evaluation.closing import (
    closing_first_year,
    points_text,
    round_year_violations,
    score_parse,
)
from sanxiang.publication.models import PublicationDraft
from tests.evaluation import target_support
from tests.evaluation.indicator_support import draft_make
from tests.evaluation.report_support import county_make
from tests.factories import agency_make, user_make
from tests.supervision.support import read_grant_give, supervisor_user_make

pytestmark = pytest.mark.django_db
D = dt.date
FULL = {
    "score_documents": "15",
    "score_training": "15",
    "score_publicity": "20",
    "score_recording": "20",
    "score_review": "20",
    "score_reporting": "10",
}


@pytest.fixture
def on(monkeypatch):
    def set_day(day: dt.date):
        monkeypatch.setattr(closing_views, "today", lambda: day)

    return set_day


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 1. scores ------------------------------------------------------------------------------------------

SCORE_TEXT = st.text(max_size=8) | st.from_regex(r"-?\d{0,4}(\.\d{0,3})?[eE][+-]?\d{1,5}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(text=SCORE_TEXT)
def test_a_typed_score_is_read_or_refused_never_raises(text):
    """Whatever is typed: None (refused with a Chinese reason), or a finite number of at most one
    decimal that prints and reads back as itself."""
    value = score_parse(text)
    if value is not None:
        assert value.is_finite() and value == value.quantize(Decimal("0.1"))
        assert score_parse(points_text(value)) == value
        assert points_text(value).startswith("-") == (value < 0)  # never "-0"


@pytest.mark.parametrize("text", ["1e30", "9e99", "-1e27", "1E+999"])
def test_a_huge_exponent_is_not_a_score(text):
    assert score_parse(text) is None


def test_minus_zero_prints_as_zero():
    assert points_text(score_parse("-0")) == "0" and points_text(score_parse("-0.0")) == "0"


def _round(county, on):
    summary_drafts_create(on=D(2026, 11, 1))
    on(D(2026, 11, 20))
    supervisor = client_of(county.first)
    opened = supervisor.post(reverse("evaluation:acceptance_act") + "?year=2026", {"action": "open"})
    assert opened.status_code == 302
    return supervisor, AcceptanceCheck.objects.get(round__bureau=county.bureau, agency=county.agency)


def test_a_score_with_a_huge_exponent_is_refused_in_chinese_not_a_500(on):
    county = county_make()
    supervisor, check = _round(county, on)
    url = reverse("evaluation:acceptance_check", args=[check.pk])
    response = supervisor.post(url, {**FULL, "score_documents": "1e30", "action": "conclude"})
    assert response.status_code == 409
    assert "“制度建设”的得分应当是数字（最多一位小数）" in response.content.decode()
    check.refresh_from_db()
    assert check.scores == {} and check.result == ""  # nothing written
    # The same checklist with a plain score is concluded.
    assert supervisor.post(url, {**FULL, "action": "conclude"}).status_code == 302


# --- 2, 3. case titles only under a read grant ------------------------------------------------------------


def test_the_target_records_withhold_case_titles_from_a_supervisor_without_a_grant(client):
    county = target_support.county_make(timezone.localdate())
    case = PublicationDraft.objects.filter(agency=county.b).select_related("case").get().case
    url = reverse("evaluation:target_records", args=[county.b.pk])
    query = {"kind": "penalty", "criterion": "publication_timely"}
    client.force_login(county.supervisor)
    page = client.get(url, query).content.decode()
    assert case.number in page and case.title not in page
    assert 'data-testid="title-withheld"' in page
    # Under a read grant naming the case, the title is shown; the agency's head always reads it.
    read_grant_give(case=case, user=county.supervisor)
    assert case.title in client.get(url, query).content.decode()
    client.force_login(county.head_b)
    assert case.title in client.get(url, query).content.decode()


def test_the_dashboard_withholds_overdue_drafts_case_titles_from_a_supervisor_without_a_grant(client):
    today = timezone.localdate()
    bureau = agency_make(is_judicial_bureau=True)
    agency = agency_make(name='=HYPERLINK("http://x")局')
    supervisor = supervisor_user_make(bureau=bureau)
    head = user_make(role=Role.AGENCY_HEAD, agency=agency)
    draft = draft_make(agency, due=today - dt.timedelta(days=5))
    case = draft.case
    dashboard = reverse("evaluation:dashboard")
    client.force_login(supervisor)
    page = client.get(dashboard).content.decode()
    assert 'data-testid="overdue-publications"' in page and case.number in page
    assert case.title not in page and 'data-testid="title-withheld"' in page
    response = client.get(reverse("evaluation:dashboard_xlsx"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in workbook["逾期和预警"].iter_rows() for c in row]
    values = [c.value for c in cells]
    assert case.number in values and case.title not in values
    # An agency named like a formula stays text in the file.
    named = next(c for c in cells if c.value == agency.name)
    assert named.data_type == "s"
    read_grant_give(case=case, user=supervisor)
    assert case.title in client.get(dashboard).content.decode()
    client.force_login(head)
    assert case.title in client.get(dashboard).content.decode()


# --- 4. the records behind a summary figure ----------------------------------------------------------------


def test_the_summaries_behind_a_figure_are_listed_for_the_administrator_and_the_agency():
    county = county_make()
    summary_drafts_create(on=D(2026, 11, 1))
    mine = AnnualSummary.objects.get(agency=county.agency, year=2026)
    url = reverse("evaluation:closing_records")
    query = {"key": "summaries.all", "year": "2026"}
    admin = user_make(role=Role.SYSTEM_ADMIN)
    listed = client_of(admin).get(url, query).content.decode()
    assert (
        listed.count('data-testid="closing-record"') == AnnualSummary.objects.filter(year=2026).count() >= 2
    )
    own = client_of(county.head).get(url, query).content.decode()
    assert own.count('data-testid="closing-record"') == 1
    assert reverse("evaluation:summary_detail", args=[mine.pk]) in own
    # The supervisor of another county reads none of them.
    far = agency_make(is_judicial_bureau=True, region_code="150627")
    foreign = client_of(supervisor_user_make(bureau=far)).get(url, query).content.decode()
    assert 'data-testid="closing-record"' not in foreign


# --- 5. a round for a year not begun ------------------------------------------------------------------


def test_a_round_cannot_be_opened_for_a_year_not_yet_begun(on):
    county = county_make()
    on(D(2026, 11, 20))
    supervisor = client_of(county.first)
    response = supervisor.post(reverse("evaluation:acceptance_act") + "?year=2027", {"action": "open"})
    assert response.status_code == 409
    assert "2027年度尚未开始，不能组织该年度的验收" in response.content.decode()
    assert not AcceptanceRound.objects.exists()
    assert (
        supervisor.post(reverse("evaluation:acceptance_act") + "?year=2026", {"action": "open"}).status_code
        == 302
    )


def test_a_round_is_opened_for_the_plans_years_only():
    """Platform rule (ROUND_YEAR_BASIS): from the year the plan's rules took effect to this year."""
    first = closing_first_year()
    assert first == 2022
    on_ = D(2026, 11, 20)
    assert [v.code for v in round_year_violations(year=2027, on=on_)] == ["acceptance.year_future"]
    assert [v.code for v in round_year_violations(year=first - 1, on=on_)] == ["acceptance.year_early"]
    assert round_year_violations(year=first, on=on_) == round_year_violations(year=2026, on=on_) == []


# --- 6. a past month's snapshot is final ----------------------------------------------------------------


def test_a_past_months_snapshot_is_not_rewritten_by_a_later_run():
    bureau = agency_make(is_judicial_bureau=True)
    agency_make()
    today = timezone.localdate()
    last_day = today.replace(day=1) - dt.timedelta(days=1)  # the last day of the month before
    earlier = last_day.replace(day=1)
    assert target_snapshots_refresh(on=earlier) == 1
    kept = TargetSnapshot.objects.get(region_code=bureau.region_code, month=earlier)
    # What the run of that day recorded (the publicity, the documents as they stood then).
    TargetSnapshot.objects.filter(pk=kept.pk).update(met=0, counted=0, agencies={})
    kept.refresh_from_db()
    # A catch-up or a retry of the month's last day, run after the month ended: the row stands.
    target_snapshots_refresh(on=last_day)
    after = TargetSnapshot.objects.get(pk=kept.pk)
    assert (after.computed_on, after.counted, after.agencies, after.updated_at) == (
        earlier,
        0,
        {},
        kept.updated_at,
    )
    # The month under way is rewritten by each run (its last run is its figure).
    target_snapshots_refresh(on=today)
    target_snapshots_refresh(on=today)
    assert TargetSnapshot.objects.filter(month=today.replace(day=1)).count() == 1


# --- 7. a period before the rules the figures read -------------------------------------------------------


def test_a_dashboard_period_before_the_rules_is_refused_in_chinese(client):
    county = county_make()
    client.force_login(county.first)
    for url in (reverse("evaluation:dashboard"), reverse("evaluation:dashboard_xlsx")):
        response = client.get(url, {"period": "2000"})
        assert response.status_code == 400
        assert "没有施行中的规定" in response.content.decode() and "无法据此计算" in response.content.decode()


# --- the probes that found nothing: odd input never gives a 500 --------------------------------------

HUGE = 9999999999999999999  # 19 digits (the paths take no more): beyond a 64-bit integer


@pytest.mark.parametrize(
    "name, args, params",
    [
        ("evaluation:dashboard", [], {"period": "2000"}),
        ("evaluation:dashboard", [], {"period": "2100-12"}),
        ("evaluation:dashboard", [], {"start": "2000-01-01", "end": "2000-02-01"}),
        ("evaluation:dashboard_xlsx", [], {"period": "2000"}),
        ("evaluation:dashboard", [], {"period": "2026-13"}),
        ("evaluation:dashboard", [], {"indicator": "x\x00"}),
        ("evaluation:targets", [], {"on": "9999-12-31"}),
        ("evaluation:target_agency", [HUGE], {}),
        ("evaluation:target_agency", [1], {"on": "0001-01-01"}),
        ("evaluation:target_records", [HUGE], {"kind": "penalty", "criterion": "audio_video"}),
        ("evaluation:summary_list", [], {"year": "2000", "show": "\x00"}),
        ("evaluation:summary_detail", [HUGE], {}),
        ("evaluation:summary_file", [HUGE, "pdf"], {}),
        ("evaluation:acceptance", [], {"year": "2000", "result": "x"}),
        ("evaluation:acceptance_check", [HUGE], {}),
        ("evaluation:work_report", [], {"year": "2000"}),
        ("evaluation:work_report", [], {"year": "2100"}),
        ("evaluation:work_report_file", ["docx"], {"year": "-1"}),
        ("evaluation:closing_records", [], {"key": "reports.all", "agency": str(HUGE), "year": "2026"}),
        ("evaluation:closing_records", [], {"key": "acceptance.all", "agency": "-1", "year": "\x00"}),
        ("web:evaluation_hub", [], {}),
        ("web:inbox", [], {"kind": "reminder", "page": "-5"}),
    ],
)
def test_odd_input_never_gives_a_500(name, args, params):
    county = county_make()
    for user in (county.first, county.head, county.officer, user_make(role=Role.SYSTEM_ADMIN)):
        response = client_of(user).get(reverse(name, args=args), params)
        # Shown, sent to a page, refused with a reason, or not found: never a server error.
        assert response.status_code in (200, 302, 400, 403, 404, 409), (user.role, response.status_code)
        if response.status_code in (400, 403, 409):  # the reason in Chinese
            assert re.search("[\u4e00-\u9fff]", response.content.decode()), (user.role, name)


def test_another_county_reaches_none_of_the_summaries_or_checklists(on):
    county = county_make()
    _supervisor, check = _round(county, on)
    summary = AnnualSummary.objects.get(agency=county.agency, year=2026)
    far = client_of(supervisor_user_make(bureau=agency_make(is_judicial_bureau=True, region_code="150627")))
    for url in (
        reverse("evaluation:summary_detail", args=[summary.pk]),
        reverse("evaluation:summary_file", args=[summary.pk, "pdf"]),
        reverse("evaluation:acceptance_check", args=[check.pk]),
    ):
        assert far.get(url).status_code == 404, url
    act = reverse("evaluation:summary_act", args=[summary.pk])
    assert far.post(act, {"action": "return", "text": "退回"}).status_code == 404
    assert far.post(reverse("evaluation:acceptance_check", args=[check.pk]), {**FULL}).status_code == 404
    # The other agency's head neither.
    other = client_of(county.other_head)
    assert other.get(reverse("evaluation:summary_detail", args=[summary.pk])).status_code == 404
    assert other.post(act, {"action": "save", "work": "改"}).status_code == 404
    summary.refresh_from_db()
    assert summary.sections.get("work", "") == ""


def test_a_campaign_with_far_dates_is_stored_or_refused_and_the_page_still_opens(client):
    bureau = agency_make(is_judicial_bureau=True)
    agency_make()
    client.force_login(supervisor_user_make(bureau=bureau))
    url = reverse("evaluation:target_campaign_new")
    for data in (
        {
            "title": "远期",
            "due_on_1": "0001-01-01",
            "percent_1": "50",
            "due_on_2": "9999-12-31",
            "percent_2": "60",
        },
    ):
        response = client.post(url, data)
        # Far but real dates: stored (back to the targets page) or refused beside their fields.
        assert response.status_code in (302, 400), response.status_code
        if response.status_code == 400:
            assert 'class="errorlist' in response.content.decode()
        assert client.get(reverse("evaluation:targets")).status_code == 200
    for data in (
        {"title": "错", "due_on_1": "2027-01-01", "percent_1": str(10**30)},
        {"title": "x\x00", "due_on_1": "2027-02-30", "percent_1": "-1"},
    ):
        # A share beyond 100 %, a NUL byte, 30 February, a negative share: refused beside the fields.
        response = client.post(url, data)
        assert response.status_code == 400, (data, response.status_code)
        assert 'class="errorlist' in response.content.decode()
        assert client.get(reverse("evaluation:targets")).status_code == 200
