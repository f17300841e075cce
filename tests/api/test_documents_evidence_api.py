"""Issue 19 item 1: a case's documents (文书) and evidence through the API, to whom the case page
shows them: metadata with the digests the ledger holds, and the bytes, each download recorded in
the access log before it is sent (as the pages' downloads are)."""

import datetime as dt
import hashlib
import io
import json
import random

import pytest

from sanxiang.access.models import AccessLogEntry
from sanxiang.api.documents import DOCX
from sanxiang.cases.models import IssuedDocument
from sanxiang.evidence import services as evidence
from sanxiang.ledger.models import Entry
from tests.api.query_bounds import queries_of
from tests.api.support import bearer
from tests.cases.support import lead_make, to_notified, world_make

pytestmark = pytest.mark.django_db


def jpeg(seed: int) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + random.Random(seed).randbytes(4000)


def body(chunks) -> bytes:
    return b"".join(chunks)


def test_a_cases_documents_with_their_digests_and_bytes(client):
    w = world_make()
    case = to_notified(w)
    documents = list(IssuedDocument.objects.filter(case=case).order_by("issued_at", "id"))
    assert documents, "the steps up to the notice issue documents"
    officer = bearer(w.officer)
    page = client.get(f"/api/cases/{case.pk}/documents", **officer)
    assert page.status_code == 200
    items = page.json()["items"]
    assert [i["id"] for i in items] == [d.pk for d in documents]
    first = next(i for i in items if i["pdf"] is not None)
    document = IssuedDocument.objects.select_related("pdf__stored_file").get(pk=first["id"])
    assert first["pdf"]["sha256"] == document.pdf.stored_file.sha256 and first["ledger_seq"] == document.ledger_seq
    assert Entry.objects.filter(seq=first["ledger_seq"], case_id=case.pk).exists()
    assert client.get(f"/api/documents/{document.pk}", **officer).json() == first

    pdf = client.get(first["pdf"]["url"], **officer)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    data = body(pdf.streaming_content)
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == first["pdf"]["sha256"]
    assert AccessLogEntry.objects.filter(object_kind="document", object_id=str(document.pk), action="download").count() == 1
    docx = client.get(first["docx"]["url"], **officer)
    assert docx["Content-Type"] == DOCX and body(docx.streaming_content).startswith(b"PK")
    # The Word copy follows its step (a job renders it): until then 409 in the error shape, nothing recorded.
    IssuedDocument.objects.filter(pk=document.pk).update(docx=None)
    answer = client.get(f"/api/documents/{document.pk}/docx", **officer)
    assert answer.status_code == 409 and answer.json()["violations"][0]["code"] == "document.pending"
    assert client.get(f"/api/documents/{document.pk}", **officer).json()["docx"] is None
    assert AccessLogEntry.objects.filter(object_kind="document", object_id=str(document.pk)).count() == 2

    # Pages walk every document once; another agency sees neither the list nor a file.
    seen, url = [], f"/api/cases/{case.pk}/documents?limit=1"
    while url:
        answer = client.get(url, **officer).json()
        seen += [i["id"] for i in answer["items"]]
        url = answer["next"]
    assert seen == [d.pk for d in documents]
    assert queries_of(client, f"/api/cases/{case.pk}/documents?limit=1", officer) == queries_of(
        client, f"/api/cases/{case.pk}/documents", officer)
    stranger = bearer(world_make().officer)
    assert client.get(f"/api/cases/{case.pk}/documents", **stranger).status_code == 404
    assert client.get(f"/api/documents/{document.pk}", **stranger).status_code == 404
    assert client.get(f"/api/documents/{document.pk}/pdf", **stranger).status_code == 404
    assert AccessLogEntry.objects.filter(object_kind="document", object_id=str(document.pk)).count() == 2
    # Filters on the document's date; an inverted range is 422 on `until`.
    day = documents[-1].issued_on.isoformat()
    assert {i["id"] for i in client.get(f"/api/cases/{case.pk}/documents?since={day}&until={day}", **officer).json()["items"]} == {
        d.pk for d in documents if d.issued_on == documents[-1].issued_on}
    inverted = client.get(f"/api/cases/{case.pk}/documents?since=2026-04-02&until=2026-04-01", **officer)
    assert inverted.status_code == 422 and inverted.json()["violations"][0]["field"] == "until"


def ingest(user, case, data: bytes, *, kind: str = "photo", name: str = "现场.jpg", step: str = ""):
    meta = evidence.evidence_metadata_check(actor=user, kind=kind, original_name=name, case=case, step=step)
    return evidence.evidence_ingest(actor=user, source=io.BytesIO(data), meta=meta)


def test_a_cases_evidence_listed_read_and_downloaded_as_the_pages_allow(client):
    w = world_make()
    case = lead_make(w)
    photos = [ingest(w.officer, case, jpeg(seed), name=f"现场{seed}.jpg") for seed in range(3)]
    other_case = lead_make(w, title="另一案")
    elsewhere = ingest(w.officer, other_case, jpeg(9))
    officer = bearer(w.colleague)
    page = client.get(f"/api/cases/{case.pk}/evidence", **officer)
    assert page.status_code == 200
    items = page.json()["items"]
    assert [i["id"] for i in items] == [p.pk for p in reversed(photos)]  # newest upload first
    assert elsewhere.pk not in [i["id"] for i in items]
    one = items[0]
    assert one["kind"] == "photo" and one["kind_label"] == "照片" and one["file"]["sha256"] == photos[-1].stored_file.sha256
    assert one["file"]["ledger_seq"] == photos[-1].ledger_seq
    assert client.get(f"/api/evidence/{photos[-1].pk}", **officer).json() == one

    download = client.get(one["file"]["url"], **officer)
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert "attachment" in download["Content-Disposition"]
    assert hashlib.sha256(body(download.streaming_content)).hexdigest() == one["file"]["sha256"]
    assert AccessLogEntry.objects.filter(object_kind="evidence", object_id=str(photos[-1].pk), action="download").count() == 1

    seen, url = [], f"/api/cases/{case.pk}/evidence?limit=2"
    while url:
        answer = client.get(url, **officer).json()
        seen += [i["id"] for i in answer["items"]]
        url = answer["next"]
    assert seen == [p.pk for p in reversed(photos)]
    assert queries_of(client, f"/api/cases/{case.pk}/evidence?limit=1", officer) == queries_of(
        client, f"/api/cases/{case.pk}/evidence", officer)
    assert client.get(f"/api/cases/{case.pk}/evidence?kind=video", **officer).json()["items"] == []
    today = dt.date.today().isoformat()
    assert len(client.get(f"/api/cases/{case.pk}/evidence?since={today}&until={today}", **officer).json()["items"]) == 3
    for query, field in (("kind=selfie", "kind"), ("since=2026-04-02&until=2026-04-01", "until"), ("limit=201", "limit")):
        answer = client.get(f"/api/cases/{case.pk}/evidence?{query}", **officer)
        assert answer.status_code == 422 and answer.json()["violations"][0]["field"] == field, query

    stranger = bearer(world_make().officer)
    assert client.get(f"/api/cases/{case.pk}/evidence", **stranger).status_code == 404
    assert client.get(f"/api/evidence/{photos[0].pk}", **stranger).status_code == 404
    assert client.get(f"/api/evidence/{photos[0].pk}/download", **stranger).status_code == 404
    assert not AccessLogEntry.objects.filter(object_kind="evidence", object_id=str(photos[0].pk)).exists()
    # Without a token: 401 in the one error shape.
    assert json.loads(client.get(f"/api/cases/{case.pk}/evidence").content)["error"]["code"] == "unauthenticated"
