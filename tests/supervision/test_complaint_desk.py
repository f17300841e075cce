"""The supervisors' pages of complaints (issue 14, part D): list with masked personal data, opening
the complainant's data access-logged, the lead intake form, other counties and agencies kept out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.supervision.models import Complaint
from tests.factories import agency_make, user_make
from tests.querycount import queries_without_ledger_writes
from tests.supervision.complaint_support import NAME, PHONE, complaint_file, desk_public, form_token
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db


def test_list_masks_personal_data_and_opening_it_is_logged(client):
    desk = desk_public()
    receipt = complaint_file(desk)
    complaint = Complaint.objects.get(receipt_number=receipt.receipt_number)
    client.force_login(desk.first)
    page = client.get(reverse("supervision:complaint_list")).content.decode()
    assert receipt.receipt_number in page and NAME not in page and PHONE not in page and "钱*" in page
    detail = client.get(reverse("supervision:complaint_detail", args=[complaint.pk])).content.decode()
    assert NAME not in detail and PHONE not in detail and "139****78" in detail
    assert not AccessLogEntry.objects.filter(object_kind="supervision.complainant").exists()
    assert AccessLogEntry.objects.get(object_kind="supervision.complaint").user == desk.first
    opened = client.get(reverse("supervision:complainant_detail", args=[complaint.pk])).content.decode()
    assert NAME in opened and PHONE in opened
    entry = AccessLogEntry.objects.get(object_kind="supervision.complainant")
    assert entry.user == desk.first and entry.object_id == str(complaint.pk) and entry.ledger_seq is not None


def test_other_counties_supervisors_and_agencies_do_not_reach_complaints(client):
    desk = desk_public()
    receipt = complaint_file(desk)
    complaint = Complaint.objects.get(receipt_number=receipt.receipt_number)
    other_bureau = agency_make(name="邻县司法局", region_code="150627", is_judicial_bureau=True)
    outsiders = [
        supervisor_user_make(bureau=other_bureau),
        user_make(role=Role.AGENCY_HEAD, agency=desk.agency),  # the agency complained about
        user_make(role=Role.SYSTEM_ADMIN),
    ]
    for user in outsiders:
        client.force_login(user)
        for name in ("supervision:complaint_detail", "supervision:complainant_detail"):
            assert client.get(reverse(name, args=[complaint.pk])).status_code in (403, 404), (user.role, name)
        listing = client.get(reverse("supervision:complaint_list"))
        assert listing.status_code == 403 or receipt.receipt_number not in listing.content.decode()
    assert not AccessLogEntry.objects.filter(object_kind__startswith="supervision.").exists()


def test_list_costs_a_bounded_number_of_queries(client):
    desk = desk_public()
    client.force_login(desk.first)
    complaint_file(desk)
    with queries_without_ledger_writes() as one:
        client.get(reverse("supervision:complaint_list"))
    for _ in range(6):
        complaint_file(desk)
    with queries_without_ledger_writes() as seven:
        assert client.get(reverse("supervision:complaint_list")).status_code == 200
    assert seven.count == one.count


def test_lead_intake_form_with_csrf_opens_a_focused_supervision_lead_article_20():
    desk = desk_public()
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk.first)
    url = reverse("supervision:lead_new")
    assert "《行政执法监督条例》第二十条" in client.get(url).content.decode()
    data = {"channel": "hotline_12345", "channel_reference": "", "agency": desk.agency.pk,
            "description": "市民来电反映执法人员态度粗暴，未告知权利。", "pending_remedy": "none", "anonymous": "on"}
    assert client.post(url, data).status_code == 403  # without the token
    token = form_token(client, url)
    refused = client.post(url, data | {"csrfmiddlewaretoken": token})
    assert refused.status_code == 422 and "请填写12345政务服务便民热线的工单编号" in refused.content.decode()
    assert "市民来电反映执法人员态度粗暴" in refused.content.decode()
    done = client.post(url, data | {"csrfmiddlewaretoken": token, "channel_reference": "12345-20260301-0001"})
    assert done.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.matter.source == MatterSource.HOTLINE_12345 and complaint.recorded_by == desk.first


def test_intake_form_offers_only_the_supervisors_county():
    desk = desk_public()
    neighbour = agency_make(name="邻县交通运输局", region_code="150627")
    client = Client()
    client.force_login(desk.first)
    page = client.get(reverse("supervision:lead_new")).content.decode()
    assert desk.agency.name in page and neighbour.name not in page
    response = client.post(reverse("supervision:lead_new"), {
        "channel": "enterprise", "channel_reference": "QY-1", "agency": neighbour.pk,
        "description": "企业反映检查过多，影响正常经营。", "pending_remedy": "none", "anonymous": "on"})
    assert response.status_code == 422 and not Complaint.objects.exists()


def test_the_inbox_and_the_navigation_show_complaints_waiting(client):
    desk = desk_public()
    complaint_file(desk)
    complaint_file(desk)
    client.force_login(desk.first)
    page = client.get(reverse("web:inbox")).content.decode()
    assert "待分办的投诉举报和线索" in page
    assert 'data-testid="nav-count-web:inbox"' in page
    assert reverse("supervision:complaint_list") in page
