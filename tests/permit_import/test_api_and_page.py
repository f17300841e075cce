"""The two doors of the import: the API's JSON batch (token auth, CSRF checks on, 422 naming row and
field) and the Excel template uploaded on the page (errors listed by row and column in Chinese)."""

import base64
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sanxiang.cases.models import IssuedDocument, PermitImport
from sanxiang.cases.permit_import import COLUMNS, SHEET_TITLE
from sanxiang.ledger.models import Entry
from sanxiang.publication.models import PublicationDraft
from tests.api.support import bearer
from tests.cases.support import world_make
from tests.permit_import.support import row_make

pytestmark = pytest.mark.django_db
URL = "/api/permits/imports"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(client: Client, body: dict, headers: dict):
    return client.post(URL, data=json.dumps(body, ensure_ascii=False), content_type="application/json", **headers)


def test_the_api_imports_a_batch_with_a_token_and_csrf_on_then_reports_it_already_there():
    w = world_make()
    client = Client(enforce_csrf_checks=True)
    token = bearer(w.head)
    rows = [row_make(w, 1, document_pdf=base64.b64encode(PDF).decode()), row_make(w, 2)]
    answer = _post(client, {"rows": rows}, token)
    assert answer.status_code == 200, answer.content
    assert answer.json() | {} == {"rows": 2, "imported": 2, "already": 0, "imported_ids": ["XK00000001", "XK00000002"],
                                  "already_ids": []}
    document = IssuedDocument.objects.get(case=PermitImport.objects.get(source_id="XK00000001").case)
    assert document.pdf is not None and document.number == "乌市监许准〔2026〕1号"
    entries = Entry.objects.count()
    again = _post(client, {"rows": rows}, token)
    assert again.status_code == 200 and (again.json()["imported"], again.json()["already"]) == (0, 2)
    assert Entry.objects.count() == entries
    # Without a token nor a session: refused.
    assert _post(Client(enforce_csrf_checks=True), {"rows": rows}, {}).status_code == 401


def test_the_api_refuses_a_batch_with_a_bad_row_with_422_naming_row_and_field_and_writes_nothing():
    w = world_make()
    rows = [row_make(w, n) for n in (1, 2, 3)]
    rows[2]["party_credit_code"] = "91150626MA0N00008X"
    answer = _post(Client(enforce_csrf_checks=True), {"rows": rows}, bearer(w.head))
    assert answer.status_code == 422
    (violation,) = answer.json()["violations"]
    # The third row: its index in `rows` from 0, as pydantic names a malformed row (below); 第3条 for a reader.
    assert violation["field"] == "rows.2.party_credit_code" and violation["message"].startswith("第3条“统一社会信用代码”：")
    assert not PermitImport.objects.exists()
    rows[2]["decision"] = "准予" * 20  # over the field's length: refused by the schema, before the rules
    malformed = _post(Client(enforce_csrf_checks=True), {"rows": rows}, bearer(w.head))
    assert malformed.status_code == 422
    assert [v["field"] for v in malformed.json()["violations"]] == ["rows.2.decision"]
    assert not PermitImport.objects.exists()


def test_an_officer_may_not_import():
    w = world_make()
    answer = _post(Client(enforce_csrf_checks=True), {"rows": [row_make(w, 1)]}, bearer(w.officer))
    assert answer.status_code == 403 and not PermitImport.objects.exists()


def _workbook(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([header for _, header in COLUMNS])
    for row in rows:
        sheet.append([row.get(name, "") for name, _ in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_template_is_downloaded_and_the_filled_sheet_uploaded_through_the_page():
    w = world_make()
    page = Client(enforce_csrf_checks=False)
    page.force_login(w.head)
    template = page.get(reverse("cases:permit_import_template"))
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content))[SHEET_TITLE]
    assert [c.value for c in sheet[1]] == [header for _, header in COLUMNS]
    assert page.get(reverse("cases:permit_import")).status_code == 200

    rows = [row_make(w, n) for n in range(1, 6)]
    rows[3]["decided_on"] = "2026年4月31日"
    refused = page.post(reverse("cases:permit_import"),
                        {"file": SimpleUploadedFile("许可.xlsx", _workbook(rows))})
    text = refused.content.decode()
    # The header is row 1: the fourth decision is on row 5.
    assert refused.status_code == 400 and "第5行" in text and "决定日期" in text and "不是有效的日期" in text
    assert not PermitImport.objects.exists()

    rows[3]["decided_on"] = "2026/4/1"
    done = page.post(reverse("cases:permit_import"), {"file": SimpleUploadedFile("许可.xlsx", _workbook(rows))},
                     follow=True)
    assert done.status_code == 200 and "新导入5项" in done.content.decode()
    assert PermitImport.objects.count() == 5
    assert PublicationDraft.objects.filter(case__permit_import__isnull=False).count() == 5


def test_an_officer_does_not_reach_the_page():
    w = world_make()
    page = Client()
    page.force_login(w.officer)
    assert page.get(reverse("cases:permit_import")).status_code == 403


def test_an_imported_case_opens_like_any_other_with_its_decision_document():
    w = world_make()
    rows = [row_make(w, 1, document_pdf=base64.b64encode(PDF).decode()), row_make(w, 2, delivered_on="")]
    assert _post(Client(enforce_csrf_checks=True), {"rows": rows}, bearer(w.head)).status_code == 200
    page = Client()
    page.force_login(w.head)
    for record in PermitImport.objects.order_by("source_id"):
        detail = page.get(reverse("cases:case_detail", args=[record.case_id]))
        assert detail.status_code == 200 and record.case.number in detail.content.decode()
    with_pdf = IssuedDocument.objects.get(case__permit_import__source_id="XK00000001")
    pdf = page.get(reverse("cases:document_pdf", args=[with_pdf.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]) == PDF
    # The grant not yet delivered waits for its delivery, a step of its case here.
    waiting = PermitImport.objects.get(source_id="XK00000002").case
    assert waiting.state == "granted" and "颁发、送达许可证件" in page.get(
        reverse("cases:case_detail", args=[waiting.pk])).content.decode()


def test_an_imported_case_file_exports_with_its_pdf_and_without_a_word_copy(tmp_path):
    """The case file (案卷) of an imported decision holds the PDF the source system sent, backed by its
    ledger entry; the import's entry names the source."""
    from sanxiang.casefile.services import case_file_export
    from sanxiang_verify.verify import case_file_verify

    w = world_make()
    rows = [row_make(w, 1, document_pdf=base64.b64encode(PDF).decode()), row_make(w, 2)]
    assert _post(Client(enforce_csrf_checks=True), {"rows": rows}, bearer(w.head)).status_code == 200
    for record in PermitImport.objects.order_by("source_id"):
        path = tmp_path / f"{record.source_id}.zip"
        summary = case_file_export(case=record.case, destination=path)
        assert summary.problems == []
        verified = case_file_verify(str(path), vkeys=[summary.vkey])
        assert verified.ok, [f.text() for f in verified.findings]
        assert summary.files["documents"] == (1 if record.source_id == "XK00000001" else 0)
