"""The pages of 制度文件 and 培训 (issue 15, items 5-6): the whole path of a document through the pages
(submit, return with a reason, resubmit, accept) ending on the portal, Chinese errors that lose
nothing, training recorded, marked and imported, the summary whose numbers open the officers behind
them, and query counts that do not grow with the county."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from sanxiang.accounts.models import Role
from sanxiang.evaluation.document_services import system_document_review, system_document_submit
from sanxiang.evaluation.models import SystemDocument, TrainingAttendance, TrainingSession
from sanxiang.evaluation.training_services import training_attendance_mark, training_session_record
from sanxiang.publication.models import PublicSystemDocument
from tests.evaluation.support import PDF, Upload, county_make
from tests.factories import agency_make, officer_make, user_make
from tests.querycount import queries_without_ledger_writes

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The visible text of a page (tags and attributes removed)."""
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_a_document_goes_through_the_pages_to_the_portal(client):
    county = county_make()
    client.force_login(county.head)
    page = client.get(reverse("evaluation:document_checklist"))
    assert page.status_code == 200 and "逾期" in text_of(page) and "未报送" in text_of(page)
    # A file that is not a document: a Chinese reason beside the field, the title kept, nothing stored.
    refused = client.post(reverse("evaluation:document_new"), {
        "kind": "service_guide", "title": "行政许可服务指南", "public": "on",
        "upload": SimpleUploadedFile("指南.pdf", b"just text", content_type="application/pdf")})
    assert refused.status_code == 400 and "不能作为制度文件报送" in text_of(refused)
    assert 'value="行政许可服务指南"' in refused.content.decode() and not SystemDocument.objects.exists()
    done = client.post(reverse("evaluation:document_new"), {
        "kind": "service_guide", "title": "行政许可服务指南", "public": "on",
        "upload": SimpleUploadedFile("指南.pdf", PDF, content_type="application/pdf")})
    document = SystemDocument.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("evaluation:document_detail", args=[document.pk])
    # The bureau: waiting for review, returned with a reason (which the agency then reads).
    client.force_login(county.supervisor)
    desk = client.get(reverse("evaluation:document_checklist"))
    assert "待审查（1件）" in text_of(desk) and county.other.name in text_of(desk)
    missing_reason = client.post(reverse("evaluation:document_review", args=[document.pk]), {"action": "return"})
    assert missing_reason.status_code == 409 and "退回须写明理由" in text_of(missing_reason)
    client.post(reverse("evaluation:document_review", args=[document.pk]), {"action": "return", "reason": "缺少收费依据"})
    client.force_login(county.head)
    detail = client.get(reverse("evaluation:document_detail", args=[document.pk]))
    assert "缺少收费依据" in text_of(detail) and "重新报送" in text_of(detail)
    client.post(reverse("evaluation:document_resubmit", args=[document.pk]),
                {"upload": SimpleUploadedFile("指南2.pdf", PDF + b"%v2\n")})
    client.force_login(county.supervisor)
    client.post(reverse("evaluation:document_review", args=[document.pk]), {"action": "accept"})
    document.refresh_from_db()
    assert (document.state, document.version) == ("accepted", 2)
    # Both files stay readable by both sides; the portal shows the accepted one.
    for step in document.steps.filter(file__isnull=False):
        response = client.get(reverse("evaluation:document_file", args=[document.pk, step.file_id]))
        assert response.status_code == 200 and response["Content-Security-Policy"] == "sandbox"
    client.logout()
    public = PublicSystemDocument.objects.get()
    portal = client.get(reverse("portal:system_document_list", args=[public.agency_id]))
    assert "行政许可服务指南" in text_of(portal) and "服务指南" in text_of(portal)
    download = client.get(reverse("portal:system_document_download", args=[public.pk]))
    assert b"".join(download.streaming_content) == PDF + b"%v2\n"
    assert 'data-testid="system-documents-link"' in client.get(
        reverse("portal:agency_detail", args=[public.agency_id])).content.decode()


def test_the_portal_shows_only_accepted_public_documents(client):
    county = county_make()
    on = dt.date(2026, 11, 20)

    def submitted(title: str, *, public: bool = True):
        return system_document_submit(actor=county.head, kind="rules", title=title, public=public, upload=Upload(),
                                       on=on)

    system_document_review(actor=county.supervisor, document=submitted("已通过的公开制度"), action="accept", on=on)
    system_document_review(actor=county.supervisor, document=submitted("不公开的制度", public=False), action="accept",
                           on=on)
    system_document_review(actor=county.supervisor, document=submitted("被退回的制度"), action="return", reason="x",
                           on=on)
    submitted("待审查的制度")
    public = PublicSystemDocument.objects.get()
    text = text_of(client.get(reverse("portal:system_document_list", args=[public.agency_id])))
    assert "已通过的公开制度" in text
    for hidden in ("不公开的制度", "被退回的制度", "待审查的制度"):
        assert hidden not in text


def test_the_pages_show_no_internal_code():
    county = county_make()
    system_document_submit(actor=county.head, kind="flow_chart", title="流程图", public=True, upload=Upload(),
                           on=dt.date(2026, 1, 5))
    from django.test import Client

    client = Client()
    for user in (county.head, county.supervisor):
        client.force_login(user)
        for name in ("evaluation:document_checklist", "evaluation:training_list", "evaluation:training_summary"):
            text = text_of(client.get(reverse(name)))
            for code in ("flow_chart", "service_guide", "submitted", "returned", "three_systems", "public_law"):
                assert code not in text, (name, code)


def test_training_is_recorded_marked_and_imported_through_the_pages(client):
    county = county_make()
    a, b = officer_make(agency=county.agency, name="王芳"), officer_make(agency=county.agency, name="李强")
    client.force_login(county.head)
    today = timezone.localdate()
    refused = client.post(reverse("evaluation:training_new"), {"kind": "", "topic": "", "hours": "两个", "held_on": ""})
    assert refused.status_code == 400
    for message in ("请选择培训类别", "请填写培训主题", "学时应为数字", "请填写培训日期"):
        assert message in text_of(refused), message
    created = client.post(reverse("evaluation:training_new"), {
        "kind": "three_systems", "topic": "行政执法三项制度", "hours": "3.5", "held_on": today.isoformat()})
    session = TrainingSession.objects.get()
    assert created.status_code == 302 and session.hours == Decimal("3.5")
    client.post(reverse("evaluation:training_attendees", args=[session.pk]), {"officers": [str(a.pk)]})
    assert list(session.attendances.values_list("officer_id", flat=True)) == [a.pk]
    # An import with a bad row imports nothing and names the row.
    book = Workbook()
    book.active.append(["姓名", "执法证号", "学时"])
    book.active.append(["李强", b.certificates.get().number, 2])
    book.active.append(["李四", b.certificates.get().number, 9])
    buffer = io.BytesIO()
    book.save(buffer)
    bad = client.post(reverse("evaluation:training_import", args=[session.pk]),
                      {"file": SimpleUploadedFile("名单.xlsx", buffer.getvalue())})
    assert bad.status_code == 400
    assert "第3行“姓名”" in text_of(bad) and "第3行“学时”" in text_of(bad) and "没有导入任何人员" in text_of(bad)
    assert session.attendances.count() == 1
    good = Workbook()
    good.active.append(["姓名", "执法证号", "学时"])
    good.active.append(["李强", b.certificates.get().number, 2])
    buffer = io.BytesIO()
    good.save(buffer)
    done = client.post(reverse("evaluation:training_import", args=[session.pk]),
                       {"file": SimpleUploadedFile("名单.xlsx", buffer.getvalue())})
    assert done.status_code == 302
    assert dict(session.attendances.values_list("officer_id", "source")) == {a.pk: "marked", b.pk: "imported"}
    detail = text_of(client.get(reverse("evaluation:training_detail", args=[session.pk])))
    assert "参训人员（2人）" in detail and "Excel导入" in detail and "3.5" in detail


def test_every_number_of_the_summary_opens_as_many_officers(client):
    county = county_make()
    year = timezone.localdate().year
    officers = [officer_make(agency=county.agency) for _ in range(3)]
    officer_make(agency=county.other)
    held_on = dt.date(year, 1, 2)
    session = training_session_record(actor=county.head, kind="public_law", topic="公共法律知识", held_on=held_on,
                                       hours=Decimal(40), today=max(held_on, timezone.localdate()))
    training_attendance_mark(actor=county.head, session=session, officer_ids=[officers[0].pk, officers[1].pk])
    client.force_login(county.supervisor)
    html = client.get(reverse("evaluation:training_summary") + f"?year={year}").content.decode()
    # Each count opens that many officers (a sum of hours opens the officers whose attendances make it).
    links = [(href, number) for href, attributes, number
             in re.findall(r'<a href="([^"]*training/officers/[^"]*)"([^>]*)>(\d+)</a>', html)
             if "data-sum" not in attributes]
    assert len(links) >= 7  # total met, total officers, and officers/met/short for each of 2 agencies
    for href, number in links:
        listed = client.get(href.replace("&amp;", "&")).content.decode().count('data-testid="officer-row"')
        assert listed == int(number), href
    assert tuple(n for h, n in links[:2]) == ("2", "4")  # the county: 2 of its 4 officers
    sessions = re.findall(r'<a href="([^"]*training/\?[^"]*organiser=[^"]*)" data-testid="sessions-\d+">(\d+)</a>', html)
    assert sorted(n for _h, n in sessions) == ["0", "1"]
    for href, number in sessions:
        listed = client.get(href.replace("&amp;", "&")).content.decode().count('data-testid="session-row"')
        assert listed == int(number), href


def test_the_bureaus_pages_cost_the_same_queries_for_a_bigger_county(client):
    county = county_make()
    client.force_login(county.supervisor)
    on = timezone.localdate()

    def grow():
        agency = agency_make()
        officer = officer_make(agency=agency)
        head = user_make(role=Role.AGENCY_HEAD, agency=agency)
        document = system_document_submit(actor=head, kind="rules", title="制度", public=True, upload=Upload(), on=on)
        system_document_review(actor=county.supervisor, document=document, action="accept", on=on)
        session = training_session_record(actor=head, kind="other", topic="培训", held_on=on, hours=Decimal(2), today=on)
        training_attendance_mark(actor=head, session=session, officer_ids=[officer.pk])

    def counts() -> list[int]:
        result = []
        for url in (reverse("evaluation:document_checklist"), reverse("evaluation:training_summary"),
                    reverse("evaluation:training_officers"), reverse("evaluation:training_list")):
            with queries_without_ledger_writes() as counted:
                assert client.get(url).status_code == 200
            result.append(counted.count)
        return result

    grow()
    small = counts()
    for _ in range(4):
        grow()
    assert counts() == small
    assert TrainingAttendance.objects.count() == 5


def test_the_bureau_opens_one_agencys_checklist_and_an_agency_only_ever_its_own(client):
    county = county_make()
    client.force_login(county.supervisor)
    table = text_of(client.get(reverse("evaluation:document_checklist")))
    assert county.agency.name in table and county.other.name in table and "逾期未报送" not in table
    one = text_of(client.get(reverse("evaluation:document_checklist") + f"?agency={county.agency.pk}"))
    assert county.agency.name in one and county.other.name not in one and "逾期未报送" in one
    client.force_login(county.head)
    own = text_of(client.get(reverse("evaluation:document_checklist") + f"?agency={county.other.pk}"))
    assert county.agency.name in own and county.other.name not in own
