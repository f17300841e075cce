"""Issue 19: the files of a supervision instrument through the API, as its page serves them: the
PDF and DOCX of the 意见书 to the bureau's supervisors and the agency it was served on, the 整改报告
sent with its files (multipart) by the agency's staff, each attached file listed on its step and
downloaded by the supervisors (no read grant needed), every download in the access log; another
agency's user 404, a supervisor may not send the report (403), a refused report (409) stores no file,
an empty file or text is named in a 422, the Idempotency-Key replays the first answer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.supervision.instrument_services import instrument_issue
from tests.api.support import bearer
from tests.evaluation.support import PDF, PNG
from tests.factories import agency_make, user_make
from tests.supervision.instruments_support import desk_with_matter

pytestmark = pytest.mark.django_db


def _files(*pairs) -> list:
    return [SimpleUploadedFile(name, content) for name, content in pairs]


def test_the_instruments_files_and_the_reports_attachments(client):
    desk, matter, head = desk_with_matter()
    instrument = instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="未按期公示行政处罚决定",
                                  required_actions="", supervisors=[desk.first, desk.second])
    url = f"/api/supervision/instruments/{instrument.pk}"
    supervisor, agency = bearer(desk.first), bearer(head)
    stranger = bearer(user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="乌审旗交通运输局")))
    # The instrument's own files, to both sides, each download logged against the instrument.
    detail = client.get(url, **agency).json()
    assert (detail["has_pdf"], detail["has_docx"]) == (True, True)
    pdf = client.get(f"{url}/pdf", **agency)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    docx = client.get(f"{url}/docx", **supervisor)
    assert docx.status_code == 200 and b"".join(docx.streaming_content).startswith(b"PK")
    downloads = AccessLogEntry.objects.filter(object_kind="supervision_instrument", object_id=str(instrument.pk),
                                              action="download")
    assert downloads.count() == 2
    for path in ("pdf", "docx"):
        assert client.get(f"{url}/{path}", **stranger).status_code == 404
    # The report with its files: text and files are required, the supervisors may not send it.
    reports = f"{url}/reports"
    files = (("整改情况.pdf", PDF), ("公示截图.png", PNG))
    assert client.post(reports, {"text": "已整改", "files": _files(*files)}, **supervisor).status_code == 403
    assert client.post(reports, {"text": "已整改", "files": _files(*files)}, **stranger).status_code == 404
    blank = client.post(reports, {"text": "  ", "files": _files(*files)}, **agency)
    assert blank.status_code == 422 and [v["field"] for v in blank.json()["violations"]] == ["text"]
    empty = client.post(reports, {"text": "已整改", "files": _files(("空.pdf", b""))}, **agency)
    assert empty.status_code == 422 and {v["field"] for v in empty.json()["violations"]} == {"files"}
    with override_settings(SANXIANG_EVIDENCE_MAX_BYTES=10):
        large = client.post(reports, {"text": "已整改", "files": _files(*files)}, **agency)
    assert large.status_code == 413 and large.json()["violations"][0]["code"] == "evidence.too_large"
    assert not EvidenceRecord.objects.filter(original_name__in=["整改情况.pdf", "空.pdf"]).exists()
    sent = client.post(reports, {"text": "已在门户补充公示12件", "files": _files(*files)}, **agency,
                       HTTP_IDEMPOTENCY_KEY="report-files-1")
    assert sent.status_code == 200, sent.content
    step = sent.json()["steps"][-1]
    assert (sent.json()["status"], step["action"], step["text"]) == ("replied", "report", "已在门户补充公示12件")
    assert [f["name"] for f in step["files"]] == ["整改情况.pdf", "公示截图.png"]
    replayed = client.post(reports, {"text": "已在门户补充公示12件", "files": _files(*files)}, **agency,
                           HTTP_IDEMPOTENCY_KEY="report-files-1")
    assert replayed.status_code == 200 and replayed["Idempotent-Replayed"] == "true"
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_INSTRUMENT_STEP).count() == 1
    # Replied: a second report waits for the supervisors (409, with its reason), no file kept.
    again = client.post(reports, {"text": "再次报告", "files": _files(("再次.pdf", PDF))}, **agency)
    assert again.status_code == 409 and again.json()["violations"][0]["legal_basis"]
    assert not EvidenceRecord.objects.filter(original_name="再次.pdf").exists()
    # The attachments, read by the supervisors on the instrument, each download logged.
    first = step["files"][0]
    got = client.get(f"{url}/attachments/{first['id']}", **supervisor)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert client.get(f"{url}/attachments/{first['id']}", **stranger).status_code == 404
    other = instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="另一问题",
                             required_actions="", supervisors=[desk.first, desk.second])
    assert client.get(f"/api/supervision/instruments/{other.pk}/attachments/{first['id']}",
                      **supervisor).status_code == 404
    assert client.get(f"{url}/attachments/{other.pdf_id}", **supervisor).status_code == 404
    assert downloads.count() == 3


def test_a_report_refused_for_its_state_and_its_file_is_409_with_every_reason(client):
    desk, matter, head = desk_with_matter()
    instrument = instrument_issue(actor=desk.first, matter=matter, kind="opinion", findings="未按期公示行政处罚决定",
                                  required_actions="", supervisors=[desk.first, desk.second])
    reports, agency = f"/api/supervision/instruments/{instrument.pk}/reports", bearer(head)
    sent = client.post(reports, {"text": "已整改", "files": _files(("整改情况.pdf", PDF))}, **agency)
    assert sent.status_code == 200, sent.content
    # Replied (the state refuses a second report) and a text with a control character: not a 422, which
    # would say only the data sent is wrong; a 409 with every reason.
    both = client.post(reports, {"text": "再次\x07报告", "files": _files(("再次.pdf", PDF))}, **agency)
    assert both.status_code == 409, both.content
    fields = [v["field"] for v in both.json()["violations"]]
    assert "text" in fields and "action" in fields, fields
    assert not EvidenceRecord.objects.filter(original_name="再次.pdf").exists()
