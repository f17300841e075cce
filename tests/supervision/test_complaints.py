"""Complaints from the public (投诉举报) and leads from the 12345 hotline and the enterprise channel
(《行政执法监督条例》第二十条, 第三十三条; issue 14, part D)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.ledger.models import Entry
from sanxiang.procedure.supervision.complaints import pending_remedy_notice
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.procedure.violations import Refused
from sanxiang.public_events import ComplaintRefused
from sanxiang.publication.complaints import public_complaint_find
from sanxiang.publication.models import PublicComplaint
from sanxiang.supervision import services
from sanxiang.supervision.complaint_services import (
    complaint_answer_set,
    complaint_receive,
)
from sanxiang.supervision.models import Complaint
from tests.factories import agency_make
from tests.supervision.complaint_support import (
    NAME,
    PHONE,
    complaint_file,
    complaint_matter_move,
    desk_public,
    form_token,
    valid_id_number,
)
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db


def test_a_portal_complaint_opens_a_matter_with_the_complaint_source_and_is_trackable():
    desk = desk_public()
    receipt = complaint_file(desk)
    complaint = Complaint.objects.get(receipt_number=receipt.receipt_number)
    assert complaint.matter.source == MatterSource.COMPLAINT
    assert complaint.matter.bureau == desk.bureau and complaint.matter.agency == desk.agency
    assert complaint.matter.state == "received"
    public = public_complaint_find(receipt_number=receipt.receipt_number, query_code=receipt.query_code)
    assert public is not None and public.status_label == "已收到"
    # The code is case- and dash-insensitive as typed; a wrong code reads like an unknown number.
    assert public_complaint_find(receipt_number=receipt.receipt_number,
                                 query_code=receipt.query_code.lower().replace("-", " ")) == public
    assert public_complaint_find(receipt_number=receipt.receipt_number, query_code="AAAA-AAAA-AAAA") is None
    assert public_complaint_find(receipt_number="150626-2099-00001", query_code=receipt.query_code) is None


def test_receipt_numbers_have_no_gap_per_bureau_and_year_even_after_a_refusal():
    desk = desk_public()
    first = complaint_file(desk)
    with pytest.raises(ComplaintRefused):
        complaint_file(desk, description="太短")
    second = complaint_file(desk)
    year = dt.date.today().year
    assert first.receipt_number == f"{desk.bureau.region_code}-{year}-00001"
    assert second.receipt_number == f"{desk.bureau.region_code}-{year}-00002"
    other_county = agency_make(name="邻县司法局", region_code="150627", is_judicial_bureau=True)
    neighbour = agency_make(name="邻县市场监管局", region_code="150627")
    supervisor = supervisor_user_make(bureau=other_county)
    complaint, _code = complaint_receive(
        agency_id=neighbour.pk, channel="hotline_12345", channel_reference="12345-0001", anonymous=True, name="",
        phone="", id_number="", happened_on=None, description="热线反映：执法人员多次上门检查，影响经营。",
        pending_remedy="none", actor=supervisor,
    )
    assert complaint.receipt_number == f"150627-{year}-00001"  # its own bureau's sequence


def test_refusal_reports_every_reason_at_once_by_field():
    desk = desk_public()
    with pytest.raises(ComplaintRefused) as refused:
        complaint_file(desk, name="", phone="12ab", id_number="123", description="短", pending_remedy="maybe",
                       happened_on=dt.date.today() + dt.timedelta(days=1))
    assert set(refused.value.errors) == {"name", "phone", "id_number", "description", "pending_remedy", "happened_on"}
    assert not Complaint.objects.exists() and not PublicComplaint.objects.exists()


def test_anonymous_complaint_keeps_no_personal_data():
    desk = desk_public()
    receipt = complaint_file(desk, anonymous=True)
    complainant = Complaint.objects.get(receipt_number=receipt.receipt_number).complainant
    assert complainant.anonymous and complainant.name == complainant.phone == complainant.id_number == ""
    assert complainant.name_masked == "匿名"


def test_the_ledger_records_personal_data_only_as_salted_digests():
    desk = desk_public()
    identity = valid_id_number()
    receipt = complaint_file(desk, id_number=identity)
    entry = Entry.objects.filter(kind="supervision.complaint_received").get()
    text = bytes(entry.body).decode()
    assert NAME not in text and PHONE not in text and identity not in text
    assert receipt.receipt_number in text
    import hashlib

    assert hashlib.sha256(PHONE.encode()).hexdigest() not in text  # salted: a guess cannot be tested


@pytest.mark.parametrize(("channel", "source"), [("hotline_12345", MatterSource.HOTLINE_12345),
                                                 ("enterprise", MatterSource.ENTERPRISE)])
def test_leads_from_12345_and_the_enterprise_channel_are_matters_of_their_source_article_20(channel, source):
    """第二十条: leads from the 12345 hotline and the enterprise channel are analysed for 重点监督: each
    becomes a matter of its own source, with the channel's own number (so the answer goes back)."""
    desk = desk_public()
    fields = {"agency_id": desk.agency.pk, "channel": channel, "anonymous": False, "name": "某商贸有限公司",
              "phone": "0477-7654321", "id_number": "", "happened_on": None,
              "description": "企业反映同一事项一个月内被检查三次。", "pending_remedy": "none", "actor": desk.first}
    with pytest.raises(Refused) as refused:
        complaint_receive(**fields, channel_reference="")
    assert [v.field for v in refused.value.violations] == ["channel_reference"]
    assert refused.value.violations[0].basis_kind == "platform"
    complaint, _ = complaint_receive(**fields, channel_reference="GD-2026-118")
    assert complaint.matter.source == source and complaint.channel_reference == "GD-2026-118"
    assert complaint.recorded_by == desk.first


def test_only_the_bureaus_supervisors_record_leads():
    desk = desk_public()
    other_county = agency_make(name="邻县司法局", region_code="150627", is_judicial_bureau=True)
    stranger = supervisor_user_make(bureau=other_county)
    with pytest.raises(Refused) as refused:
        complaint_receive(agency_id=desk.agency.pk, channel="hotline_12345", channel_reference="1", anonymous=True,
                          name="", phone="", id_number="", happened_on=None, description="热线反映执法问题十个字以上。",
                          pending_remedy="none", actor=stranger)
    assert refused.value.violations[0].code == "complaint.supervisor"


@pytest.mark.parametrize("remedy", ["reconsideration", "litigation"])
def test_a_dispute_in_reconsideration_or_litigation_is_received_and_told_where_to_go_article_33(remedy):
    """第三十三条: a dispute already in 行政复议 or 行政诉讼 is not supervised again; the complainant
    is told so and where to go; the complaint is still received, the answer recorded (part A closes
    the matter with that reason)."""
    desk = desk_public()
    receipt = complaint_file(desk, pending_remedy=remedy)
    assert "《行政执法监督条例》第三十三条" in receipt.notice
    assert ("行政复议机关" if remedy == "reconsideration" else "人民法院") in receipt.notice
    assert Complaint.objects.get(receipt_number=receipt.receipt_number).pending_remedy == remedy
    assert pending_remedy_notice("none") == ""


def test_public_status_follows_the_matter_and_shows_the_public_answer_only():
    desk = desk_public()
    receipt = complaint_file(desk)
    complaint = Complaint.objects.get(receipt_number=receipt.receipt_number)
    complaint_matter_move(desk, complaint, to="accepted")
    row = PublicComplaint.objects.get(receipt_number=receipt.receipt_number)
    assert row.status_label == "已受理" and [h["status_label"] for h in row.history] == ["已收到", "已受理"]
    complaint_answer_set(complaint=complaint, actor=desk.first, public_outcome="已责令该局改正，并对执法人员批评教育。")
    services.matter_conclude(matter=complaint.matter, outcome="已责令改正。", actor=desk.first)
    row.refresh_from_db()
    assert row.status_label == "已办结" and row.outcome.startswith("已责令")
    # Received, accepted, concluded: the outcome written while the matter was open changed nothing the
    # public reads then, and was not recorded as a publication.
    assert Entry.objects.filter(kind="supervision.complaint_status_published").count() == 3


def test_a_refusal_shows_its_category_only():
    desk = desk_public()
    receipt = complaint_file(desk, pending_remedy="litigation")
    complaint = Complaint.objects.get(receipt_number=receipt.receipt_number)
    complaint_answer_set(complaint=complaint, actor=desk.first, not_accepted_reason="pending_remedy")
    # 第三十三条: part A closes the matter of a dispute in litigation as not supervised again.
    complaint_matter_move(desk, complaint, to="closed", close_reason="in_litigation")
    row = PublicComplaint.objects.get(receipt_number=receipt.receipt_number)
    assert row.status_label == "不予受理" and "第三十三条" in row.reason


# --- the portal ---------------------------------------------------------------------------------------


def _form(desk, **fields) -> dict:
    return {"agency": desk.agency.pk, "description": "执法人员检查时未出示执法证件，并当场要求缴纳罚款现金。",
            "happened_on": "", "pending_remedy": "none", "name": NAME, "phone": PHONE, "id_number": "",
            "website": ""} | fields


def test_portal_form_with_csrf_gives_a_receipt_once():
    desk = desk_public()
    client = Client(enforce_csrf_checks=True)
    url = reverse("complaints:new")
    assert client.post(url, _form(desk)).status_code == 403  # no CSRF token: refused, nothing stored
    assert not Complaint.objects.exists()
    token = form_token(client, url)
    response = client.post(url, _form(desk, csrfmiddlewaretoken=token))
    page = response.content.decode()
    assert response.status_code == 200 and "查询码只在本页显示这一次" in page
    complaint = Complaint.objects.get()
    assert complaint.receipt_number in page
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert NAME not in page and PHONE not in page


def test_portal_bad_input_gets_chinese_errors_beside_fields_and_keeps_the_text():
    desk = desk_public()
    client = Client()
    response = client.post(reverse("complaints:new"), _form(desk, name="", phone="abc", description="执法不规范问题"))
    page = response.content.decode()
    assert response.status_code == 422
    assert "请填写姓名或者名称，或者选择匿名投诉" in page and "联系电话应为7至12位数字" in page
    assert "至少10个字" in page
    assert "执法不规范问题" in page  # nothing typed is lost
    assert not Complaint.objects.exists()


def test_portal_honeypot_stores_nothing():
    desk = desk_public()
    response = Client().post(reverse("complaints:new"), _form(desk, website="http://spam.example"))
    assert response.status_code == 422 and not Complaint.objects.exists()


def test_portal_submissions_are_limited_per_address():
    desk = desk_public()
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        assert client.post(reverse("complaints:new"), _form(desk)).status_code == 200
    response = client.post(reverse("complaints:new"), _form(desk))
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert "执法人员检查时未出示执法证件" in response.content.decode()  # kept
    assert Complaint.objects.count() == 5
    # Another address is not affected.
    assert Client(REMOTE_ADDR="203.0.113.8").post(reverse("complaints:new"), _form(desk)).status_code == 200


def test_tracking_gives_the_same_answer_for_a_wrong_code_and_an_unknown_number():
    desk = desk_public()
    receipt = complaint_file(desk)
    client = Client(REMOTE_ADDR="198.51.100.1")
    url = reverse("complaints:track")

    def answer(number, code):
        response = client.post(url, {"receipt_number": number, "query_code": code})
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return response.status_code, page.replace(number, "#").replace(code, "#")

    wrong_code = answer(receipt.receipt_number, "ABCD-EFGH-JKMN")
    unknown = answer("150626-2031-00077", "ABCD-EFGH-JKMN")
    assert wrong_code == unknown and "没有查到" in unknown[1]
    status, page = answer(receipt.receipt_number, receipt.query_code)
    assert status == 200 and "已收到" in page and desk.agency.name in page


def test_tracking_is_limited_per_address():
    desk_public()
    client = Client(REMOTE_ADDR="198.51.100.2")
    url = reverse("complaints:track")
    for _ in range(20):
        assert client.post(url, {"receipt_number": "x", "query_code": "y"}).status_code == 200
    response = client.post(url, {"receipt_number": "x", "query_code": "y"})
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


def test_tracking_requires_csrf():
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("complaints:track"), {"receipt_number": "x", "query_code": "y"}).status_code == 403


def test_publishing_the_status_of_a_matter_that_is_no_complaint_changes_nothing():
    """Part A calls complaint_status_publish on every state change, whatever the matter's source."""
    from django.db import transaction

    from sanxiang.supervision.complaint_services import complaint_status_publish
    from sanxiang.supervision.models import Matter

    desk = desk_public()
    matter = Matter.objects.create(bureau=desk.bureau, agency=desk.agency, number="日常-1", source="routine",
                                   state="accepted", subject="日常监督", received_on=dt.date.today())
    before = Entry.objects.count()
    with transaction.atomic():
        complaint_status_publish(matter=matter)
    assert Entry.objects.count() == before and not PublicComplaint.objects.exists()
