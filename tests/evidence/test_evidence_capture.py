"""Capture in the field and evidence that is seen (issue 13, items 2 and 3): photos, video and
drawn signatures tied to the record they were captured in; the device's time kept beside the
ledger's; files shown and played in the browser, with range requests; every access recorded."""

import datetime as dt
import io
import json
import struct
import zlib

import pytest
from django.test import Client
from django.utils import timezone

from sanxiang.access.models import AccessLogEntry
from sanxiang.evidence import services
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.evidence.selectors import record_list
from sanxiang.ledger.canonical import utc_iso
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from tests.cases.support import investigating_today
from tests.evidence.conftest import jpeg_bytes, mp4_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

DRAFT = "0b6f1f0e-7a51-4c55-9d2e-1f3f6a2b9c10"


def png_bytes(width: int = 4, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def payload_of(entry) -> dict:
    return json.loads(bytes(entry.body))["payload"]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def file_url(record) -> str:
    return f"/staff/evidence/records/{record.pk}/download/"


# --- range requests --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=1000-", 1000, 1999), ("bytes=-300", 1700, 1999), ("bytes=1990-5000", 1990, 1999)],
)
def test_a_range_request_gets_206_with_its_part_and_is_recorded(ingest, user, case, header, first, last):
    data = mp4_bytes(2000, seed=61)
    record = ingest(data, case=case)
    response = logged_in(user).get(file_url(record) + "?inline=1", HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/2000"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert "inline" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == data[first : last + 1]
    # A player's every request for bytes is an access, recorded before the bytes leave.
    access = AccessLogEntry.objects.get()
    assert (access.action, access.object_id) == ("view", str(record.pk))


@pytest.mark.parametrize(
    "header", ["bytes=2000-", "bytes=2500-2600", "bytes=50-10", "bytes=-0", "bytes=abc-def", "bytes=²-", "bytes=5"]
)
def test_a_range_outside_the_file_is_416_and_nothing_is_sent_or_recorded(ingest, user, header):
    record = ingest(mp4_bytes(2000, seed=62))
    response = logged_in(user).get(file_url(record), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */2000"
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("header", ["bytes=0-" + "9" * 5000, "bytes=-" + "9" * 5000, "bytes=" + "0" * 20 + "-",
                                    "bytes=0-" + "9" * 20])
def test_a_range_number_longer_than_19_digits_is_416_not_a_500(ingest, user, header):
    """int() refuses a number of more than about 4300 digits with ValueError (it was a 500): no
    file has a size of 20 digits, so a longer number is refused as not satisfiable first."""
    record = ingest(mp4_bytes(2000, seed=65))
    response = logged_in(user).get(file_url(record), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */2000"
    assert not AccessLogEntry.objects.exists()
    # The allowed path: a range of 19 digits is a number, read to the end of the file.
    response = logged_in(user).get(file_url(record), HTTP_RANGE="bytes=1990-" + "9" * 19)
    assert (response.status_code, response["Content-Range"]) == (206, "bytes 1990-1999/2000")


def test_several_ranges_or_another_unit_get_the_whole_file(ingest, user):
    data = mp4_bytes(2000, seed=63)
    record = ingest(data)
    client = logged_in(user)
    for header in ("bytes=0-1,5-9", "items=0-1"):
        response = client.get(file_url(record), HTTP_RANGE=header)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == data


def test_a_range_of_another_agency_s_file_is_404(ingest, other_user):
    record = ingest(mp4_bytes(2000, seed=64))
    assert logged_in(other_user).get(file_url(record), HTTP_RANGE="bytes=0-9").status_code == 404
    assert not AccessLogEntry.objects.exists()


# --- what is shown inline, and how ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "kind", "element"),
    [(jpeg_bytes, "photo", "<img "), (mp4_bytes, "video", "<video "), (pdf_bytes, "document", "<iframe ")],
)
def test_the_viewer_page_shows_or_plays_the_file_and_names_its_step(ingest, user, case, make, kind, element):
    record = ingest(make(), kind=kind, case=case, step="record_inspection", name="现场.bin")
    page = logged_in(user).get(f"/staff/evidence/records/{record.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert element in html and f"{file_url(record)}?inline=1" in html
    assert "现场检查并制作现场检查笔录" in html  # the step, by its name, never its code
    assert "record_inspection" not in html
    # The page itself sends no bytes of the file: the file's request is the recorded access.
    assert not AccessLogEntry.objects.exists()


def test_a_pdf_is_shown_sandboxed_and_only_framed_by_this_site(ingest, user):
    record = ingest(pdf_bytes(), kind="document", name="书证.pdf")
    response = logged_in(user).get(file_url(record) + "?inline=1")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox; frame-ancestors 'self'"


def test_svg_is_never_shown_inline_whatever_the_client_says(ingest, user):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
    record = ingest(svg, kind="electronic_data", name="图.svg")
    response = logged_in(user).get(file_url(record) + "?inline=1")
    assert response.status_code == 200
    # The type is sniffed from the content, not the name; an SVG is a download, never a page.
    assert response["Content-Type"] != "image/svg+xml"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    page = logged_in(user).get(f"/staff/evidence/records/{record.pk}/").content.decode()
    assert "不能在浏览器中直接显示" in page and "<img " not in page


def test_generated_documents_are_not_listed_as_evidence_uploads(ingest, user, case):
    photo = ingest(jpeg_bytes(seed=65), kind="photo", case=case, name="现场.jpg")
    ingest(pdf_bytes(seed=66), kind="document", name="询问笔录.pdf", step="document:inquiry_record")
    ingest(pdf_bytes(seed=67), kind="document", name="公示.pdf", step="publication:document")
    assert list(record_list(viewer=user)) == [photo]
    page = logged_in(user).get("/staff/evidence/").content.decode()
    assert "现场.jpg" in page and "询问笔录.pdf" not in page and "公示.pdf" not in page


# --- signatures --------------------------------------------------------------------------------------


def test_a_drawn_signature_is_stored_as_evidence_with_its_digest(ingest, user, case):
    import hashlib

    data = png_bytes()
    record = ingest(data, kind="signature", case=case, step="record_inquiry", name="签名.png",
                    draft_key=DRAFT, signer_role="party", signer_name="巴特尔")
    assert record.stored_file.sha256 == hashlib.sha256(data).hexdigest()
    assert (record.signer_role, record.signer_name, record.draft_key) == ("party", "巴特尔", DRAFT)
    entry = Entry.objects.get(kind=EventKind.FILE_RECEIVED, seq=record.ledger_seq)
    assert payload_of(entry)["signer_role"] == "party"
    # The draft key only as its digest: in clear, anyone reading the ledger could upload files
    # under a record still being written.
    assert payload_of(entry)["draft_key_sha256"] == hashlib.sha256(DRAFT.encode()).hexdigest()
    assert "draft_key" not in payload_of(entry) and DRAFT not in bytes(entry.body).decode()
    assert "巴特尔" not in bytes(entry.body).decode()  # a name is kept as its digest in the ledger
    page = logged_in(user).get(f"/staff/evidence/cases/{case.pk}/").content.decode()
    assert "当事人 巴特尔" in page and "所属笔录尚未提交" in page


def test_a_signature_says_who_signed_and_belongs_to_a_record(user, case):
    with pytest.raises(Refused) as refused:
        services.evidence_metadata_check(actor=user, kind="signature", original_name="签名.png", case=case,
                                         step="record_inquiry")
    assert [v.field for v in refused.value.violations] == ["signer_role", "signer_name", "draft"]
    with pytest.raises(Refused) as refused:
        services.evidence_metadata_check(actor=user, kind="photo", original_name="a.jpg", case=case,
                                         step="decide", draft_key=DRAFT)
    assert refused.value.violations[0].message == "只有询问笔录、现场检查笔录可以在记录中上传照片、录像和签名"
    assert not refused.value.violations[0].is_law  # a platform rule, labelled as one


@pytest.mark.parametrize("step", ["document:inquiry_record", "publication:document", " document:x", "Document:x"])
def test_a_typed_step_may_not_take_a_prefix_reserved_to_generated_files(ingest, user, case, step):
    """Files the platform generates are recognised by these prefixes and left out of the evidence
    list: an upload typed with one would be hidden from it (a platform rule)."""
    fields = {"kind": "photo", "filename": "现场.jpg", "case": str(case.pk), "step": step}
    with pytest.raises(Refused) as refused:
        services.evidence_metadata_parse(actor=user, fields=fields)
    [violation] = refused.value.violations
    assert (violation.field, violation.message) == ("step", "所属环节填写不正确，请按实际执法环节填写")
    assert not violation.is_law
    # The allowed path: a step of the case's procedure, or a step typed in words.
    for allowed in ("record_inspection", "现场检查 document:"):
        meta = services.evidence_metadata_parse(actor=user, fields=fields | {"step": allowed})
        assert meta.step == allowed


def test_a_signature_must_be_a_png(ingest, case):
    with pytest.raises(Refused) as refused:
        ingest(jpeg_bytes(), kind="signature", case=case, step="record_inquiry", draft_key=DRAFT,
               signer_role="witness", signer_name="路人甲")
    assert refused.value.violations[0].field == "kind"
    assert not EvidenceRecord.objects.exists()


# --- the record step ties its files, and keeps the device's time ------------------------------------



def _inspection_post(w, **extra) -> dict:
    return {
        "action": "record_inspection",
        "on": timezone.localdate().isoformat(),
        "start_time": "09:30",
        "end_time": "10:10",
        "place": "当事人经营场所",
        "officer_ids": [str(w.zhang.pk), str(w.li.pk)],
        "certificate_shown": "on",
        "recorder": "李四",
        "findings": "现场查见超过保质期的纯牛奶12箱，已拍照取证。",
        "present_person": "巴特尔",
    } | extra


def _capture(w, case, data: bytes, **fields) -> EvidenceRecord:
    meta = services.evidence_metadata_check(actor=w.officer, case=case, step="record_inspection", draft_key=DRAFT,
                                            **fields)
    return services.evidence_ingest(actor=w.officer, source=io.BytesIO(data), meta=meta)


def test_the_record_step_lists_its_captured_files_and_keeps_the_device_time():
    w, case = investigating_today()
    photo = _capture(w, case, jpeg_bytes(seed=71), kind="photo", original_name="现场.jpg")
    signature = _capture(w, case, png_bytes(), kind="signature", original_name="签名.png", signer_role="party",
                         signer_name="巴特尔")
    device_time = (timezone.now() - dt.timedelta(hours=3)).replace(microsecond=0)
    response = logged_in(w.officer).post(
        f"/staff/cases/{case.pk}/act/",
        _inspection_post(w, evidence_draft=DRAFT, device_time=device_time.isoformat()),
    )
    assert response.status_code == 302
    # The page's script clears the draft kept on the device when it sees this.
    assert f"?recorded={DRAFT}" in response["Location"]
    entry = Entry.objects.filter(kind=EventKind.STEP_DONE, subject=f"case:{case.pk}:record_inspection").get()
    payload = payload_of(entry)
    assert payload["device_time"] == utc_iso(device_time)  # beside the entry's own (server) time
    assert payload["evidence"] == [
        {"record": photo.pk, "kind": "photo", "sha256": photo.stored_file.sha256},
        {"record": signature.pk, "kind": "signature", "sha256": signature.stored_file.sha256},
    ]
    assert set(EvidenceRecord.objects.filter(draft_key=DRAFT).values_list("record_seq", flat=True)) == {entry.seq}
    page = logged_in(w.officer).get(f"/staff/evidence/records/{photo.pk}/").content.decode()
    assert f"已随笔录提交（全过程记录账本第 {entry.seq} 条）" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [("昨天下午", "设备时间格式不正确"), ("1970-01-01T00:00:00Z", "设备时间与服务器时间相差过大"),
     ("2999-01-01T00:00:00+08:00", "设备时间与服务器时间相差过大"), ("9" * 500, "设备时间格式不正确")],
)
def test_an_absurd_device_time_is_a_field_error_and_nothing_is_recorded(value, message):
    w, case = investigating_today()
    photo = _capture(w, case, jpeg_bytes(seed=72), kind="photo", original_name="现场.jpg")
    before = Entry.objects.filter(kind=EventKind.STEP_DONE).count()
    client = logged_in(w.officer)
    response = client.post(f"/staff/cases/{case.pk}/act/", _inspection_post(w, evidence_draft=DRAFT, device_time=value))
    # Post/redirect/get: the case page shown next shows the reason beside the record's form, once.
    assert response.status_code == 302 and response["Location"].endswith("#step-record_inspection")
    assert message in client.get(response["Location"]).content.decode()
    assert Entry.objects.filter(kind=EventKind.STEP_DONE).count() == before
    photo.refresh_from_db()
    assert photo.record_seq is None
    # The allowed path: the same record with a sound device time (or none) is recorded.
    ok = logged_in(w.officer).post(f"/staff/cases/{case.pk}/act/", _inspection_post(w, evidence_draft=DRAFT))
    assert ok.status_code == 302


def test_files_of_another_draft_or_step_are_not_taken_by_the_record():
    w, case = investigating_today()
    other = services.evidence_ingest(
        actor=w.officer, source=io.BytesIO(jpeg_bytes(seed=73)),
        meta=services.evidence_metadata_check(actor=w.officer, case=case, step="record_inquiry", draft_key=DRAFT,
                                              kind="photo", original_name="询问.jpg"),
    )
    response = logged_in(w.officer).post(f"/staff/cases/{case.pk}/act/", _inspection_post(w, evidence_draft=DRAFT))
    assert response.status_code == 302
    entry = Entry.objects.filter(kind=EventKind.STEP_DONE, subject=f"case:{case.pk}:record_inspection").get()
    assert "evidence" not in payload_of(entry)
    other.refresh_from_db()
    assert other.record_seq is None


def test_a_record_claims_only_the_files_its_submitter_uploaded():
    """A colleague who knows the draft key cannot slip a file into someone else's record: the
    record takes only the files its submitter captured under it."""
    w, case = investigating_today()
    mine = _capture(w, case, jpeg_bytes(seed=74), kind="photo", original_name="现场.jpg")
    theirs = services.evidence_ingest(
        actor=w.colleague, source=io.BytesIO(jpeg_bytes(seed=75)),
        meta=services.evidence_metadata_check(actor=w.colleague, case=case, step="record_inspection",
                                              draft_key=DRAFT, kind="photo", original_name="别人.jpg"),
    )
    claimed = services.record_evidence_claim(case_id=case.pk, step="record_inspection", draft_key=DRAFT,
                                             actor=w.officer)
    assert [r.pk for r in claimed] == [mine.pk]
    assert [r.pk for r in services.record_evidence_claim(
        case_id=case.pk, step="record_inspection", draft_key=DRAFT, actor=w.colleague)] == [theirs.pk]


def test_the_case_page_offers_capture_inside_the_record_steps_only():
    w, case = investigating_today()
    html = logged_in(w.officer).get(f"/staff/cases/{case.pk}/").content.decode()
    assert 'data-testid="capture-record_inspection"' in html and 'data-testid="capture-record_inquiry"' in html
    assert 'accept="image/*,video/*" capture="environment"' in html
    assert html.count("data-capture ") == 2
    # The draft kept on the device is the user's own (capture.js keys it by user, case and step).
    assert html.count(f'data-capture-user="{w.officer.pk}"') == 2
    assert "evidence/capture.js" in html


def test_the_evidence_list_costs_the_same_queries_for_few_or_many_files(ingest, user, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/staff/evidence/cases/{case.pk}/").status_code == 200
        return len(queries)

    for i in range(2):
        ingest(jpeg_bytes(seed=80 + i), kind="photo", case=case, step="record_inspection", name=f"{i}.jpg")
    few = count()
    for i in range(8):
        ingest(png_bytes(4 + i), kind="signature", case=case, step="record_inquiry", name=f"签名{i}.png",
               draft_key=DRAFT, signer_role="witness", signer_name=f"见证人{i}")
    assert count() == few


def test_the_case_s_documents_list_no_signature_and_no_file_of_a_record_never_submitted():
    """The evidence a 调查终结报告 (and the documents after it) lists, drawn from the case's files:
    a drawn signature belongs to its record, not to the list; a photo captured in a record that
    was never submitted is no evidence of the case. A photo of a submitted record, and a file
    uploaded to the case, are listed."""
    from sanxiang.cases.selectors import case_evidence_files

    w, case = investigating_today()
    submitted = _capture(w, case, jpeg_bytes(seed=76), kind="photo", original_name="已提交.jpg")
    _capture(w, case, png_bytes(), kind="signature", original_name="签名.png", signer_role="party",
             signer_name="巴特尔")
    services.record_evidence_link(records=[submitted], seq=1)
    services.evidence_ingest(
        actor=w.officer, source=io.BytesIO(jpeg_bytes(seed=77)),
        meta=services.evidence_metadata_check(actor=w.officer, case=case, step="record_inquiry",
                                              draft_key="1b6f1f0e-7a51-4c55-9d2e-1f3f6a2b9c11",
                                              kind="photo", original_name="草稿.jpg"),
    )
    services.evidence_ingest(
        actor=w.officer, source=io.BytesIO(jpeg_bytes(seed=78)),
        meta=services.evidence_metadata_check(actor=w.officer, case=case, step="", kind="photo",
                                              original_name="营业执照.jpg"),
    )
    assert [f.title for f in case_evidence_files(case_id=case.pk)] == ["已提交", "营业执照"]
