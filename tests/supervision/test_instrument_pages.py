"""The instrument pages: issue from a matter (the pair named on the form, every reason beside its
field), the page on both sides, the agency's list to answer, the files; CSRF checks on; agencies
never see each other's instruments; overdue flagged on both sides from the day after the due date."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.supervision.instrument_services import instrument_issue
from sanxiang.supervision.models import Instrument
from tests.factories import agency_make, user_make
from tests.querycount import queries_counted
from tests.supervision.instruments_support import desk_with_matter, matter_make_for_tests

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def client_for(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def post(client: Client, page_url: str, url: str, data: dict, **extra):
    html = client.get(page_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return client.post(url, {"csrfmiddlewaretoken": token, **data}, **extra)


def new_url(matter, kind="opinion"):
    return reverse("supervision:instrument_new") + f"?matter={matter.pk}&kind={kind}"


def test_a_supervisor_issues_an_opinion_with_a_colleague_and_the_agency_sees_it():
    desk, matter, agency_user = desk_with_matter()
    supervisor = client_for(desk.first)
    page = supervisor.get(new_url(matter))
    assert page.status_code == 200 and "data-confirm" in page.content.decode()
    assert "行政执法监督意见书" in page.content.decode()
    # Without the CSRF token: refused, nothing issued.
    assert supervisor.post(new_url(matter), {"kind": "opinion", "findings": "x", "second": desk.second.pk}).status_code == 403
    # Alone: refused beside the field, with the count and nothing written.
    response = post(supervisor, new_url(matter), new_url(matter), {"kind": "opinion", "findings": "逾期未公示", "second": ""})
    assert response.status_code == 400 and not Instrument.objects.exists()
    assert "2名以上" in response.content.decode() and "逾期未公示" in response.content.decode()  # the input kept
    response = post(supervisor, new_url(matter), new_url(matter),
                    {"kind": "opinion", "findings": "逾期未公示", "second": desk.second.pk})
    instrument = Instrument.objects.get()
    assert response.status_code == 302 and response["Location"] == instrument.get_absolute_url()
    detail = supervisor.get(instrument.get_absolute_url()).content.decode()
    assert instrument.number in detail and "待被监督机关答复" in detail
    agency = client_for(agency_user)
    listing = agency.get(reverse("supervision:instrument_list") + "?waiting=1").content.decode()
    assert instrument.number in listing
    assert agency.get(reverse("supervision:instrument_file", args=[instrument.pk, "pdf"])).status_code == 200


def test_a_refusal_names_the_expired_certificate():
    from tests.supervision.support import supervisor_user_make

    desk, matter, _ = desk_with_matter()
    expired = supervisor_user_make(bureau=desk.bureau, valid_to=TODAY - dt.timedelta(days=3), name="孙过期")
    client = client_for(desk.first)
    response = post(client, new_url(matter), new_url(matter), {"kind": "opinion", "findings": "x", "second": expired.pk})
    assert response.status_code == 400
    assert "孙过期的监督检查证" in response.content.decode() and "已于" in response.content.decode()


def test_the_agency_reports_and_the_pair_accepts_through_the_pages():
    desk, matter, agency_user = desk_with_matter()
    instrument = instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="问题",
                                  supervisors=[desk.first, desk.second])
    url = instrument.get_absolute_url()
    act = reverse("supervision:instrument_act", args=[instrument.pk])
    agency = client_for(agency_user)
    response = post(agency, url, act, {"action": "report", "text": ""})
    assert response.status_code == 400 and "请填写整改（履行）情况" in response.content.decode()
    response = post(agency, url, act, {"action": "report", "text": "已公示"})
    assert response.status_code == 302
    supervisor = client_for(desk.first)
    # The agency cannot accept its own report.
    assert post(agency, url, act, {"action": "accept"}).status_code in (403, 404)
    response = post(supervisor, url, act, {"action": "accept", "second": desk.second.pk})
    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.state == "accepted"


def test_agencies_never_see_each_others_instruments_and_supervisors_only_their_bureaus():
    desk, matter, _ = desk_with_matter()
    instrument = instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="问题",
                                  supervisors=[desk.first, desk.second])
    other_agency_user = user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="他局"))
    other_bureau = agency_make(name="他县司法局", is_judicial_bureau=True, region_code="150627")
    other_supervisor = user_make(role=Role.SUPERVISOR, agency=other_bureau)
    for user in (other_agency_user, other_supervisor):
        client = client_for(user)
        assert client.get(instrument.get_absolute_url()).status_code == 404
        assert client.get(reverse("supervision:instrument_file", args=[instrument.pk, "pdf"])).status_code == 404
        assert instrument.number not in client.get(reverse("supervision:instrument_list")).content.decode()
        assert client.get(new_url(matter)).status_code in (403, 404)


def test_overdue_is_flagged_on_both_sides_from_the_day_after_the_due_date():
    desk, matter, agency_user = desk_with_matter()
    instrument = instrument_issue(actor=desk.first, matter=matter, kind="supervise_letter", findings="问题",
                                  supervisors=[desk.first, desk.second])
    for due, flagged in ((TODAY, False), (TODAY - dt.timedelta(days=1), True)):
        Instrument.objects.filter(pk=instrument.pk).update(due_on=due)
        for user in (desk.first, agency_user):
            client = client_for(user)
            detail = client.get(instrument.get_absolute_url()).content.decode()
            listing = client.get(reverse("supervision:instrument_list")).content.decode()
            assert ('data-testid="overdue"' in detail) == flagged, (user, due)
            assert ('data-testid="overdue"' in listing) == flagged, (user, due)


def test_the_list_costs_the_same_queries_whatever_the_number_of_instruments():
    desk, matter, _ = desk_with_matter()
    client = client_for(desk.first)
    url = reverse("supervision:instrument_list")

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return queries_counted(captured.captured_queries)

    instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="一", supervisors=[desk.first, desk.second])
    one = count()
    other = matter_make_for_tests(desk=desk, subject="另一事项")
    for _ in range(4):
        instrument_issue(actor=desk.first, matter=other, kind="supervise_letter", findings="多",
                         supervisors=[desk.first, desk.second])
    assert count() == one


def test_the_inbox_shows_what_waits_on_each_side_and_what_is_overdue():
    from sanxiang.web.inbox import inbox_build, inbox_count

    desk, matter, agency_user = desk_with_matter()
    instrument = instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="问题",
                                  supervisors=[desk.first, desk.second])

    def numbers(user, kind, on=TODAY):
        inbox = inbox_build(user=user, on=on)
        assert inbox_count(user=user, on=on) == inbox.total
        return [item.number for item in inbox.group(kind).items]

    assert numbers(agency_user, "supervision_instrument") == [instrument.number]
    assert numbers(desk.first, "supervision_instrument") == []
    # Overdue from the day after the due date, on both sides, listed once.
    late = instrument.due_on + dt.timedelta(days=1)
    assert numbers(agency_user, "supervision_instrument", on=instrument.due_on) == [instrument.number]
    assert numbers(agency_user, "supervision_instrument_overdue", on=late) == [instrument.number]
    assert numbers(agency_user, "supervision_instrument", on=late) == []
    assert numbers(desk.first, "supervision_instrument_overdue", on=late) == [instrument.number]
    # Another agency sees nothing of it.
    other = user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="他局"))
    assert numbers(other, "supervision_instrument_overdue", on=late) == []
    # Once the agency reports, the supervisors have it to read.
    from sanxiang.supervision.instrument_services import instrument_act

    instrument_act(actor=agency_user, instrument=instrument, action="report", text="已整改")
    assert numbers(desk.first, "supervision_instrument") == [instrument.number]
    assert numbers(agency_user, "supervision_instrument") == []
    page = client_for(desk.first).get(reverse("web:inbox")).content.decode()
    assert "待办理的监督文书" in page and instrument.number in page
