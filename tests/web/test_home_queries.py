"""The county dashboard (the supervisor's and the system administrator's home) and the panels of
the agency homes take a fixed number of queries whatever the number of cases, overdue drafts and
officers: counted at 10 and at 200 cases (each with an overdue publication draft)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from sanxiang.publication.models import PublicationDraft
from sanxiang.publication.selectors import ALERTS_SHOWN
from sanxiang.web.selectors import home_context
from tests.factories import agency_make, officer_make, user_make

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
LATE = TODAY - dt.timedelta(days=30)


def _grow(agency, n: int) -> None:
    for _ in range(n):
        case = case_create(actor=None, agency=agency, title="测试案件", procedure="ordinary")
        PublicationDraft.objects.create(case=case, agency=agency, decided_on=LATE, due_on=LATE, original={}, public={})
    officer_make(agency=agency, certificate=n % 2 == 0)


def _queries(client, user) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


@pytest.fixture
def county():
    agencies = [agency_make(name=f"乌审旗第{n}局") for n in range(3)]
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    return agencies, user_make(role=Role.SUPERVISOR, agency=bureau), user_make(role=Role.SYSTEM_ADMIN)


def test_the_county_dashboard_takes_the_same_queries_at_10_and_200_cases(client, county):
    agencies, supervisor, admin = county
    for agency in agencies:
        _grow(agency, 4)  # 12 cases
    few = [_queries(client, user)[0] for user in (supervisor, admin)]
    for agency in agencies:
        _grow(agency, 63)  # 201 cases
    many_pages = [_queries(client, user) for user in (supervisor, admin)]
    assert [n for n, _ in many_pages] == few
    page = many_pages[0][1]
    assert "逾期未公示或者未撤回的执法决定（201）" in page
    assert page.count("逾期30日") == ALERTS_SHOWN and f"另有{201 - ALERTS_SHOWN}项逾期" in page


def test_the_agency_home_panels_take_the_same_queries_at_10_and_200_cases(county):
    agencies, *_ = county
    agency = agencies[0]
    officer = officer_make(agency=agency)
    head = user_make(role=Role.AGENCY_HEAD, agency=agency, officer=officer)
    _grow(agency, 10)
    with CaptureQueriesContext(connection) as few:
        home_context(user=head, on=TODAY)
    _grow(agency, 190)
    with CaptureQueriesContext(connection) as many:
        context = home_context(user=head, on=TODAY)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert context["publication_alerts"].count == 200 and len(context["publication_alerts"]) == ALERTS_SHOWN
