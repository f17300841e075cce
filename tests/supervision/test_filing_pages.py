"""The pages of 重大执法决定备案 (issue 14, part C): the supervisors' queue with the clock (list, inbox),
the examination by POST with CSRF checks on, the refusal shown on the page, an agency's own filings,
and a page that costs the same number of queries whatever the number of filings."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from sanxiang.supervision.models import Filing
from sanxiang.web.inbox import inbox_build, inbox_count
from tests.factories import agency_make, user_make
from tests.querycount import queries_without_ledger_writes
from tests.supervision.support import desk_make, supervisor_user_make

pytestmark = pytest.mark.django_db


def filing_make(desk, *, n: int = 1, agency=None, due_in: int = 10, bureau=None) -> Filing:
    agency = agency or desk.agency
    today = timezone.localdate()
    case = case_create(actor=None, agency=agency, number=f"F-{agency.pk}-{n}", title=f"备案案件{n}")
    return Filing.objects.create(
        case=case, agency=agency, bureau=bureau or desk.bureau, kind="penalty", action="decide",
        decision_label="行政处罚决定", decided_on=today - dt.timedelta(days=15 - due_in), filed_on=today - dt.timedelta(days=15 - due_in),
        due_on=today + dt.timedelta(days=due_in),
    )


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def token(client: Client, url: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode()).group(1)


def test_the_supervisor_examines_a_filing_from_the_inbox():
    desk = desk_make()
    filing = filing_make(desk, due_in=3)
    # The inbox shows it with its clock, linked to the filing.
    inbox = inbox_build(user=desk.first)
    [item] = inbox.group("supervision_filing").items
    assert item.url == reverse("supervision:filing_detail", args=[filing.pk]) and item.due_note == "还有3日"
    assert inbox_count(user=desk.first) == 1

    client = csrf_client(desk.first)
    detail = reverse("supervision:filing_detail", args=[filing.pk])
    page = client.get(detail).content.decode()
    assert "还有3日" in page and "审查无异议" in page and "data-confirm" in page
    url = reverse("supervision:filing_examine", args=[filing.pk])
    assert client.post(url, {"note": "无异议"}).status_code == 403  # no CSRF token
    response = client.post(url, {"note": "决定合法，无异议。", "csrfmiddlewaretoken": token(client, detail)})
    assert response.status_code == 302
    filing.refresh_from_db()
    assert (filing.state, filing.examined_by, filing.examination_note) == ("examined", desk.first, "决定合法，无异议。")
    assert inbox_count(user=desk.first) == 0
    assert "审查无异议" in client.get(detail).content.decode()


def test_a_supervisor_with_an_expired_certificate_is_told_why_on_the_page():
    desk = desk_make()
    filing = filing_make(desk)
    today = timezone.localdate()
    expired = supervisor_user_make(bureau=desk.bureau, valid_from=today - dt.timedelta(days=800),
                                   valid_to=today - dt.timedelta(days=1))
    client = csrf_client(expired)
    detail = reverse("supervision:filing_detail", args=[filing.pk])
    response = client.post(reverse("supervision:filing_examine", args=[filing.pk]),
                           {"note": "", "csrfmiddlewaretoken": token(client, detail)})
    assert response.status_code == 409
    page = response.content.decode()
    assert "到期" in page and "《四川省行政执法监督条例》第二十九条" in page
    filing.refresh_from_db()
    assert filing.state == "awaiting"


def test_a_note_too_long_is_refused_beside_the_field():
    desk = desk_make()
    filing = filing_make(desk)
    client = csrf_client(desk.first)
    detail = reverse("supervision:filing_detail", args=[filing.pk])
    response = client.post(reverse("supervision:filing_opinion", args=[filing.pk]),
                           {"note": "长" * 2001, "csrfmiddlewaretoken": token(client, detail)})
    assert response.status_code == 400
    assert "2000" in response.content.decode()
    filing.refresh_from_db()
    assert filing.state == "awaiting"


def test_agencies_and_counties_see_only_their_own():
    desk = desk_make()
    own = filing_make(desk)
    other_agency = agency_make(name="另一执法局")
    theirs = filing_make(desk, agency=other_agency)
    officer = user_make(role=Role.AGENCY_HEAD, agency=desk.agency)
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("supervision:filing_list")).content.decode()
    assert own.case.number in page and theirs.case.number not in page
    assert client.get(reverse("supervision:filing_detail", args=[theirs.pk])).status_code == 404
    # The agency reads its filing but may not examine it.
    assert "审查无异议</button>" not in client.get(reverse("supervision:filing_detail", args=[own.pk])).content.decode()

    other_bureau = agency_make(name="杭锦旗司法局", is_judicial_bureau=True, region_code="150625")
    stranger = supervisor_user_make(bureau=other_bureau)
    client.force_login(stranger)
    assert own.case.number not in client.get(reverse("supervision:filing_list")).content.decode()
    assert client.get(reverse("supervision:filing_detail", args=[own.pk])).status_code == 404
    assert inbox_count(user=stranger) == 0


def test_the_list_costs_the_same_whatever_the_number_of_filings():
    desk = desk_make()
    client = Client()
    client.force_login(desk.first)

    def count() -> int:
        with queries_without_ledger_writes() as counted:
            assert client.get(reverse("supervision:filing_list")).status_code == 200
        return counted.count

    filing_make(desk, n=1)
    few = count()
    for n in range(2, 12):
        filing_make(desk, n=n, agency=agency_make() if n % 2 else desk.agency)
    assert count() == few
