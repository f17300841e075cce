"""Documents issued by the workflow: stored in the evidence store, recorded in the ledger with
their digests, readable, and exported in the case file under documents/."""

import io
import re

import pypdf
import pytest

from sanxiang.casefile.services import case_file_export
from sanxiang.cases.models import IssuedDocument
from sanxiang.evidence.storage import blob_store_get
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang_verify.verify import case_file_verify
from tests.cases.support import D, perform, to_decided, world_make

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_the_decision_carries_the_party_and_its_mandatory_elements_and_its_digest_is_in_the_ledger():
    w = world_make()
    case = to_decided(w)
    decision = IssuedDocument.objects.select_related("pdf__stored_file", "docx__stored_file").get(
        case=case, kind="decision_document"
    )
    with blob_store_get().open(decision.pdf.stored_file.sha256) as blob:
        text = pdf_text(blob.read())
    for expected in (w.company.name, "乌审旗嘎鲁图镇团结路12号", decision.number, "罚款", "叁仟元",
                     "《中华人民共和国食品安全法》第一百二十四条", "乌审旗人民政府", "乌审旗人民法院", w.agency.name,
                     "2026年3月25日"):
        assert expected in text, expected
    entry = Entry.objects.get(seq=decision.ledger_seq)
    assert entry.kind == EventKind.DOCUMENT_ISSUED and entry.case_id == case.pk
    assert decision.pdf.stored_file.sha256 in bytes(entry.body).decode()
    assert decision.docx.stored_file.sha256 in bytes(entry.body).decode()
    # Stored as the agency's documents, not as evidence the officers collected.
    assert decision.pdf.case_id is None and decision.pdf.kind == "document"


def test_the_case_file_exports_the_documents_and_verifies(tmp_path):
    w = world_make()
    case = to_decided(w)
    perform(case, "serve", D(2026, 3, 26), w.officer, method="direct", served_on=D(2026, 3, 26), place="经营场所")
    path = tmp_path / "case.zip"
    summary = case_file_export(case=case, destination=path)
    assert summary.complete, summary.problems
    files = {record.stored_file.sha256 for d in IssuedDocument.objects.filter(case=case) for record in (d.pdf, d.docx)}
    assert summary.files["documents"] == len(files) >= 14
    report = case_file_verify(str(path), vkeys=[summary.vkey])
    assert report.ok, [f.text() for f in report.findings]
    assert report.files["documents"] == len(files)
