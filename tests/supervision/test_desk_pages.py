"""The supervision desk's pages (part A): the desk with filters and a bounded number of queries,
registering a matter with errors beside the field, a matter's actions with each refusal reason
beside its button, POSTs with CSRF checks on, the agency's view without the internal notes,
counties and agencies kept apart, and the read grant as the only way a supervisor reads a case
(需经调阅 page without it, refused the minute after it expires, every read logged with the grant)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.supervision import services
from sanxiang.supervision.models import Matter, ReadGrant
from tests.factories import agency_make, user_make
from tests.querycount import queries_counted
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def post(client: Client, page: str, url: str, data: dict):
    html = client.get(page).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return client.post(url, {"csrfmiddlewaretoken": token, **data})


def matter_make(desk, *, pair=True, accept=False, **fields) -> Matter:
    values = {"bureau": desk.bureau, "source": MatterSource.ROUTINE, "subject": "公示超期", "summary": "",
              "received_on": TODAY, "agency": desk.agency, "actor": desk.first} | fields
    matter = services.matter_open(**values)
    if pair:
        services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    if accept:
        services.matter_accept(matter=matter, actor=desk.first)
    return matter


def test_a_supervisor_registers_a_matter_and_sees_errors_beside_the_field():
    desk = desk_make()
    client = csrf_client(desk.first)
    page = reverse("supervision:matter_new")
    refused = post(client, page, page, {"source": "special_task", "subject": "专项监督", "received_on": TODAY.isoformat(),
                                        "agency": desk.agency.pk})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "请填写交办（部署）机关" in html and "第二十一条" in html
    assert Matter.objects.count() == 0
    ok = post(client, page, page, {"source": "special_task", "subject": "专项监督", "received_on": TODAY.isoformat(),
                                   "agency": desk.agency.pk, "assigning_body": "自治区司法厅",
                                   "assigning_reference": "内司〔2026〕1号"})
    matter = Matter.objects.get()
    assert ok.status_code == 302 and ok["Location"] == matter.get_absolute_url()
    # Without the CSRF token the POST is refused.
    assert Client(enforce_csrf_checks=True).post(page, {}).status_code in (302, 403)


def test_the_matter_page_shows_each_refusal_beside_its_button_and_the_pair_acts():
    desk = desk_make()
    matter = matter_make(desk, pair=False)
    client = csrf_client(desk.first)
    page = reverse("supervision:matter_detail", args=[matter.pk])
    html = client.get(page).content.decode()
    accept_block = html.split('data-action="accept"')[1].split("</details>")[0]
    assert "您不是本事项的承办监督人员" in accept_block and "四川省行政执法监督条例" in accept_block
    response = post(client, page, reverse("supervision:matter_act", args=[matter.pk, "pair"]),
                    {"users": [desk.first.pk]})
    assert response.status_code == 400 and "2名以上" in response.content.decode()
    response = post(client, page, reverse("supervision:matter_act", args=[matter.pk, "pair"]),
                    {"users": [desk.first.pk, desk.second.pk]})
    assert response.status_code == 302
    response = post(client, page, reverse("supervision:matter_act", args=[matter.pk, "accept"]), {})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.state == "accepted"
    html = client.get(page).content.decode()
    assert "受理" in html.split('data-testid="history"')[1]
    # Irreversible steps ask first.
    assert 'data-action="conclude"' in html and "办理后不能撤回" in html


def test_a_matter_in_litigation_shows_the_article_33_refusal_and_closes_with_the_redirect():
    desk = desk_make()
    matter = matter_make(desk, dispute="litigation")
    client = csrf_client(desk.first)
    page = reverse("supervision:matter_detail", args=[matter.pk])
    html = client.get(page).content.decode()
    block = html.split('data-action="accept"')[1].split("</details>")[0]
    assert "不再重复监督" in block and "第三十三条" in block
    response = post(client, page, reverse("supervision:matter_act", args=[matter.pk, "close"]),
                    {"reason": "in_litigation", "outcome": ""})
    assert response.status_code == 302
    assert "人民法院" in client.get(page).content.decode()


def test_the_agency_sees_its_matters_and_marks_without_internal_notes_and_no_forms():
    desk = desk_make()
    matter = matter_make(desk, accept=True)
    services.matter_mark_set(matter=matter, mark="listed", value=True, reason="反映强烈", actor=desk.first)
    Matter.objects.filter(pk=matter.pk).update(internal_notes="内部研判：负责人态度消极")
    other_agency = agency_make()
    other = matter_make(desk, agency=other_agency)
    officer = user_make(role=Role.AGENCY_HEAD, agency=desk.agency)
    client = Client()
    client.force_login(officer)
    desk_html = client.get(reverse("supervision:desk")).content.decode()
    assert matter.number in desk_html and other.number not in desk_html and "挂牌督办" in desk_html
    html = client.get(matter.get_absolute_url()).content.decode()
    assert "挂牌督办" in html and "内部研判" not in html and "data-action" not in html
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(reverse("supervision:matter_act", args=[matter.pk, "conclude"]), {"outcome": "x"}).status_code == 403
    # The supervisors see the notes.
    client.force_login(desk.first)
    assert "内部研判" in client.get(matter.get_absolute_url()).content.decode()


def test_supervisors_of_another_county_see_nothing():
    desk = desk_make()
    matter = matter_make(desk)
    elsewhere_bureau = agency_make(name="另县司法局", is_judicial_bureau=True, region_code="150627")
    from tests.supervision.support import supervisor_user_make

    stranger = supervisor_user_make(bureau=elsewhere_bureau)
    client = Client()
    client.force_login(stranger)
    assert matter.number not in client.get(reverse("supervision:desk")).content.decode()
    assert client.get(matter.get_absolute_url()).status_code == 404
    assert client.post(reverse("supervision:matter_act", args=[matter.pk, "accept"])).status_code == 404
    # Nor can they register a matter about this county's agency (not in their list).
    page = reverse("supervision:matter_new")
    client.force_login(stranger)
    response = client.post(page, {"source": "routine", "subject": "x", "received_on": TODAY.isoformat(),
                                  "agency": desk.agency.pk})
    assert response.status_code == 400 and Matter.objects.filter(bureau=elsewhere_bureau).count() == 0


def test_the_desk_filters_and_costs_the_same_queries_for_10_and_200_matters():
    desk = desk_make()
    client = Client()
    client.force_login(desk.first)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("supervision:desk") + "?state=received&mine=on")
        assert response.status_code == 200
        return queries_counted(captured.captured_queries)

    for _ in range(10):
        matter_make(desk)
    small = count()
    for _ in range(190):
        matter_make(desk)
    assert count() == small
    html = client.get(reverse("supervision:desk") + "?state=accepted").content.decode()
    assert "没有监督事项" in html


def test_the_matter_page_costs_the_same_queries_whatever_its_measures():
    desk = desk_make()
    matter = matter_make(desk, accept=True)
    client = Client()
    client.force_login(desk.first)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(matter.get_absolute_url()).status_code == 200
        return queries_counted(captured.captured_queries)

    services.measure_record(matter=matter, actor=desk.first, kind="inspection", taken_on=TODAY, summary="检查")
    small = count()
    for n in range(8):
        case = case_create(actor=None, agency=desk.agency, number=f"q-{n}", title="案件")
        services.measure_record(matter=matter, actor=desk.first, kind="file_call", taken_on=TODAY, cases=[case])
    assert count() == small


def test_a_supervisor_reads_a_case_only_under_a_grant_logged_with_it_and_not_the_minute_after():
    """《行政执法监督条例》第二十二条第四项 (调阅); the grant's length is a platform rule."""
    desk = desk_make()
    case = case_create(actor=None, agency=desk.agency, number="read-001", title="被调阅案件")
    client = Client()
    client.force_login(desk.first)
    page = reverse("cases:case_detail", args=[case.pk])
    refused = client.get(page)
    assert refused.status_code == 403
    assert "需经调阅" in refused.content.decode() and "调阅案卷" in refused.content.decode()
    assert "read-001" not in client.get(reverse("cases:case_list")).content.decode()
    matter = matter_make(desk, accept=True)
    services.measure_record(matter=matter, actor=desk.first, kind="file_call", taken_on=TODAY, cases=[case],
                            grant_until=timezone.now() + dt.timedelta(hours=1))
    assert client.get(page).status_code == 200
    assert "read-001" in client.get(reverse("cases:case_list")).content.decode()
    logged = AccessLogEntry.objects.filter(user=desk.first, case=case).latest("pk")
    assert matter.number in logged.object_label
    entry = Entry.objects.filter(kind=EventKind.ACCESS, case_id=case.pk).latest("created_at")
    assert b"read_grant" in bytes(entry.body)
    # A supervisor of the bureau who does not handle the matter still may not read.
    from tests.supervision.support import supervisor_user_make

    colleague = supervisor_user_make(bureau=desk.bureau)
    client.force_login(colleague)
    assert client.get(page).status_code == 403
    # The minute after the grant ends, the read is refused.
    ReadGrant.objects.filter(case=case).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(desk.first)
    assert client.get(page).status_code == 403
    # The API refuses too.
    assert client.get(f"/api/cases/{case.pk}").status_code in (401, 403)


def test_the_inbox_shows_matters_to_triage_and_those_the_supervisor_handles():
    desk = desk_make()
    waiting = matter_make(desk)  # received, with its pair
    handled = matter_make(desk, accept=True)
    from sanxiang.web.inbox import inbox_build, inbox_count
    from tests.supervision.support import supervisor_user_make

    inbox = inbox_build(user=desk.first)
    group = inbox.group("supervision_matters")
    assert {item.number for item in group.items} == {waiting.number, handled.number}
    assert inbox_count(user=desk.first) == 2
    # A colleague not in the pair sees only what waits for triage.
    colleague = supervisor_user_make(bureau=desk.bureau)
    assert {i.number for i in inbox_build(user=colleague).group("supervision_matters").items} == {waiting.number}
    assert inbox_count(user=colleague) == 1
    client = Client()
    client.force_login(desk.first)
    html = client.get(reverse("web:inbox")).content.decode()
    assert "监督事项" in html and waiting.number in html
