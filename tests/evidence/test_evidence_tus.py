"""tus 1.0.0 conformance of the upload endpoint, resumption from the database, expiry, and who
may touch an upload."""

import base64
import datetime as dt
import hashlib
import io
import json
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.evidence import services
from sanxiang.evidence.models import EvidenceRecord, StoredFile, UploadChunk, UploadSession, UploadStatus
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.evidence.conftest import mp4_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

TUS = {"Tus-Resumable": "1.0.0"}
ENDPOINT = "/staff/evidence/tus/"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def metadata(**fields) -> str:
    return ",".join(f"{key} {b64(str(value))}" for key, value in fields.items())


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create(client: Client, length: int, **fields):
    fields = {"filename": "执法记录仪.mp4", "kind": "video"} | fields
    return client.post(ENDPOINT, headers=TUS | {"Upload-Length": str(length), "Upload-Metadata": metadata(**fields)})


def patch(client: Client, url: str, offset: int, data: bytes, *, checksum: str | None = None, **headers):
    headers = TUS | {"Upload-Offset": str(offset)} | headers
    if checksum:
        algorithm = checksum
        headers["Upload-Checksum"] = f"{algorithm} {base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"
    return client.generic(
        "PATCH", url, data=data, content_type=headers.pop("content_type", "application/offset+octet-stream"), headers=headers
    )


def head(client: Client, url: str):
    return client.head(url, headers=TUS)


def staging(url: str, settings) -> Path:
    return Path(settings.DATA_DIR) / "evidence-uploads" / f"{url.rstrip('/').rsplit('/', 1)[-1]}.part"


@pytest.fixture
def client(user):
    return logged_in(user)


def test_options_advertises_version_extensions_size_and_checksums(client, settings):
    settings.SANXIANG_EVIDENCE_MAX_BYTES = 12345
    response = client.options(ENDPOINT)
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) >= {"creation", "termination", "checksum", "expiration"}
    assert response["Tus-Max-Size"] == "12345"
    assert set(response["Tus-Checksum-Algorithm"].split(",")) == {"sha1", "sha256"}
    assert "Tus-Resumable" not in response


@pytest.mark.parametrize("version", [None, "0.2.2", "2.0.0"])
def test_version_mismatch_is_412(client, version):
    headers = {"Upload-Length": "10"} | ({"Tus-Resumable": version} if version else {})
    response = client.post(ENDPOINT, headers=headers)
    assert response.status_code == 412
    assert response["Tus-Version"] == "1.0.0"


def test_a_whole_upload_in_chunks_with_sha1_and_sha256_checksums(client, case, settings):
    data = mp4_bytes(300_000)
    response = create(client, len(data), case=case.pk, step="inspection", device="DSJ-7", captured_at="2026-03-01T10:15")
    assert response.status_code == 201
    assert response["Tus-Resumable"] == "1.0.0"
    url = response["Location"]
    assert url.startswith("http://testserver/staff/evidence/tus/")
    assert response["Upload-Expires"]

    probe = head(client, url)
    assert probe.status_code == 200
    assert (probe["Upload-Offset"], probe["Upload-Length"]) == ("0", str(len(data)))
    assert probe["Cache-Control"] == "no-store"
    assert probe["Tus-Resumable"] == "1.0.0"
    assert "filename" in probe["Upload-Metadata"]

    first = patch(client, url, 0, data[:100_000], checksum="sha1")
    assert first.status_code == 204, first.content
    assert first["Upload-Offset"] == "100000"
    assert first["Tus-Resumable"] == "1.0.0"
    assert head(client, url)["Upload-Offset"] == "100000"
    second = patch(client, url, 100_000, data[100_000:250_000], checksum="sha256")
    assert second["Upload-Offset"] == "250000"
    last = patch(client, url, 250_000, data[250_000:])
    assert last.status_code == 204 and last["Upload-Offset"] == str(len(data))

    record = EvidenceRecord.objects.get()
    assert last["Sanxiang-Evidence-Record"] == str(record.pk)
    assert record.stored_file.sha256 == hashlib.sha256(data).hexdigest() == last["Sanxiang-Evidence-Sha256"]
    assert (record.case_id, record.step, record.device_number, record.kind) == (case.pk, "inspection", "DSJ-7", "video")
    assert record.captured_at == dt.datetime(2026, 3, 1, 2, 15, tzinfo=dt.UTC)  # 10:15 Beijing time
    assert record.original_name == "执法记录仪.mp4"
    assert Entry.objects.filter(kind=EventKind.FILE_RECEIVED).count() == 1
    assert not staging(url, settings).exists()
    session = UploadSession.objects.get()
    assert session.status == UploadStatus.DONE and session.record_id == record.pk
    assert list(session.chunks.values_list("offset", "length")) == [(0, 100_000), (100_000, 150_000), (250_000, 50_000)]

    done = head(client, url)
    assert done.status_code == 200 and done["Upload-Offset"] == str(len(data))
    assert done["Sanxiang-Evidence-Record"] == str(record.pk)
    # A repeated final PATCH (its answer was lost) is answered again, without a second record.
    again = patch(client, url, len(data), b"")
    assert again.status_code == 204 and EvidenceRecord.objects.count() == 1


def test_offset_mismatch_is_409(client):
    data = mp4_bytes(50_000)
    url = create(client, len(data))["Location"]
    assert patch(client, url, 0, data[:10_000]).status_code == 204
    response = patch(client, url, 5_000, data[5_000:20_000])
    assert response.status_code == 409
    assert head(client, url)["Upload-Offset"] == "10000"


def test_checksum_mismatch_is_460_and_leaves_the_offset_and_the_staged_bytes(client, settings):
    data = mp4_bytes(50_000)
    url = create(client, len(data))["Location"]
    patch(client, url, 0, data[:10_000])
    wrong = base64.b64encode(hashlib.sha256(b"something else").digest()).decode()
    response = patch(client, url, 10_000, data[10_000:20_000], **{"Upload-Checksum": f"sha256 {wrong}"})
    assert response.status_code == 460
    assert response["Tus-Resumable"] == "1.0.0"
    assert head(client, url)["Upload-Offset"] == "10000"
    assert staging(url, settings).stat().st_size == 10_000
    assert UploadChunk.objects.count() == 1
    assert patch(client, url, 10_000, data[10_000:], checksum="sha256").status_code == 204
    assert EvidenceRecord.objects.get().stored_file.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("header", "status"),
    [("md5 AAAAAAAAAAAAAAAAAAAAAA==", 400), ("sha256 not-base64!", 400), ("sha1 AAAA", 400)],
)
def test_bad_checksum_headers_are_400(client, header, status):
    url = create(client, 100)["Location"]
    assert patch(client, url, 0, b"x" * 10, **{"Upload-Checksum": header}).status_code == status


def test_patch_needs_the_offset_content_type(client):
    url = create(client, 100)["Location"]
    assert patch(client, url, 0, b"x" * 10, content_type="application/octet-stream").status_code == 415


def test_patch_beyond_the_declared_length_is_413(client):
    url = create(client, 100)["Location"]
    assert patch(client, url, 0, b"x" * 101).status_code == 413
    assert head(client, url)["Upload-Offset"] == "0"


def test_creation_over_the_size_limit_is_413(client, settings):
    settings.SANXIANG_EVIDENCE_MAX_BYTES = 1000
    response = create(client, 1001)
    assert response.status_code == 413
    assert "1000 字节" in json.loads(response.content)["message"]
    assert UploadSession.objects.count() == 0


def test_creation_needs_a_length_and_valid_metadata(client):
    assert client.post(ENDPOINT, headers=TUS).status_code == 400
    bad = client.post(ENDPOINT, headers=TUS | {"Upload-Length": "10", "Upload-Metadata": "kind !!!"})
    assert bad.status_code == 400
    no_kind = client.post(ENDPOINT, headers=TUS | {"Upload-Length": "10", "Upload-Metadata": metadata(filename="a.mp4")})
    assert no_kind.status_code == 422
    assert "证据类别" in json.loads(no_kind.content)["message"]


def test_a_file_of_the_wrong_kind_is_refused_at_its_first_chunk(client, settings):
    data = pdf_bytes(200_000)
    url = create(client, len(data), kind="video")["Location"]
    response = patch(client, url, 0, data[:100_000])
    assert response.status_code == 422
    assert "PDF" in json.loads(response.content)["message"]
    assert UploadSession.objects.get().status == UploadStatus.FAILED
    assert not staging(url, settings).exists()
    assert head(client, url).status_code == 410
    assert StoredFile.objects.count() == 0


def test_resume_after_a_restart_from_the_database_alone(user, case, settings):
    data = mp4_bytes(400_000, seed=7)
    first = logged_in(user)
    url = create(first, len(data), case=case.pk)["Location"]
    assert patch(first, url, 0, data[:150_000], checksum="sha256").status_code == 204
    # The server dies during the next PATCH: some bytes reached the staging file, the offset
    # was never committed.
    with staging(url, settings).open("ab") as torn:
        torn.write(data[150_000:170_000])
    del first

    # A new server process: nothing in memory, a new client, the same user.
    services._thread_locks.clear()
    second = logged_in(user)
    probe = head(second, url)
    assert probe.status_code == 200 and probe["Upload-Offset"] == "150000"
    assert patch(second, url, 150_000, data[150_000:300_000], checksum="sha1").status_code == 204
    assert patch(second, url, 300_000, data[300_000:], checksum="sha256").status_code == 204
    record = EvidenceRecord.objects.get()
    assert record.stored_file.sha256 == hashlib.sha256(data).hexdigest()
    assert record.stored_file.size == len(data)


def test_a_partial_body_without_checksum_is_kept_as_the_protocol_asks(user):
    """A connection dropped mid-PATCH: the bytes that arrived count (the service is called
    directly because the test client cannot drop a connection)."""
    data = mp4_bytes(100_000)
    meta = {"filename": "a.mp4", "kind": "video"}
    session = services.upload_create(actor=user, length=len(data), fields=meta)

    class Dropping(io.BytesIO):
        def read(self, size=-1):
            if self.tell() >= 30_000:
                raise ConnectionResetError("peer went away")
            return super().read(min(size, 30_000 - self.tell()))

    result = services.upload_chunk_append(session=session, offset=0, stream=Dropping(data[:60_000]), content_length=60_000)
    assert result.offset == 30_000 and result.record is None
    session.refresh_from_db()
    assert session.offset == 30_000

    with pytest.raises(services.UploadError):
        services.upload_chunk_append(
            session=session, offset=30_000, stream=Dropping(data[30_000:90_000]), content_length=60_000,
            checksum=("sha256", hashlib.sha256(data[30_000:90_000]).digest()),
        )
    session.refresh_from_db()
    assert session.offset == 30_000  # with a checksum an incomplete chunk cannot be trusted


def test_bytes_changed_in_the_staging_file_are_caught_at_completion(client, settings):
    data = mp4_bytes(100_000)
    url = create(client, len(data))["Location"]
    patch(client, url, 0, data[:60_000])
    path = staging(url, settings)
    raw = bytearray(path.read_bytes())
    raw[40_000] ^= 0x01
    path.write_bytes(bytes(raw))
    response = patch(client, url, 60_000, data[60_000:])
    assert response.status_code == 500
    assert "分段校验失败" in json.loads(response.content)["message"]
    assert EvidenceRecord.objects.count() == StoredFile.objects.count() == 0
    assert UploadSession.objects.get().status == UploadStatus.FAILED


def test_termination(client, settings):
    data = mp4_bytes(100_000)
    url = create(client, len(data))["Location"]
    patch(client, url, 0, data[:50_000])
    response = client.delete(url, headers=TUS)
    assert response.status_code == 204
    assert response["Tus-Resumable"] == "1.0.0"
    assert not staging(url, settings).exists()
    assert head(client, url).status_code == 410
    assert patch(client, url, 50_000, data[50_000:]).status_code == 410
    assert UploadSession.objects.get().status == UploadStatus.TERMINATED


def test_a_finished_upload_cannot_be_terminated(client):
    data = mp4_bytes(20_000)
    url = create(client, len(data))["Location"]
    patch(client, url, 0, data)
    assert client.delete(url, headers=TUS).status_code == 409
    assert EvidenceRecord.objects.count() == 1


def test_method_override_for_clients_that_cannot_send_patch(client):
    data = mp4_bytes(20_000)
    url = create(client, len(data))["Location"]
    response = client.post(
        url, data=data, content_type="application/offset+octet-stream",
        headers=TUS | {"Upload-Offset": "0", "X-HTTP-Method-Override": "PATCH"},
    )
    assert response.status_code == 204 and EvidenceRecord.objects.count() == 1


def test_a_concurrent_request_on_the_same_upload_is_423(client):
    url = create(client, 1000)["Location"]
    session = UploadSession.objects.get()
    with services._staging_lock(services.staging_path(session.pk)):
        assert patch(client, url, 0, b"x" * 10).status_code == 423
    assert head(client, url)["Upload-Offset"] == "0"


def test_an_abandoned_upload_expires_lazily_on_access(client, settings):
    url = create(client, 1000)["Location"]
    UploadSession.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = head(client, url)
    assert response.status_code == 410
    assert UploadSession.objects.get().status == UploadStatus.EXPIRED
    assert not staging(url, settings).exists()
    again = patch(client, url, 0, b"x")
    assert again.status_code == 410 and "过期" in json.loads(again.content)["message"]


def test_a_patch_to_an_expired_upload_is_410_and_frees_it(client, settings):
    url = create(client, 1000)["Location"]
    patch(client, url, 0, mp4_bytes(500))
    UploadSession.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = patch(client, url, 500, b"x" * 500)
    assert response.status_code == 410 and "过期" in json.loads(response.content)["message"]
    assert UploadSession.objects.get().status == UploadStatus.EXPIRED
    assert not staging(url, settings).exists() and UploadChunk.objects.count() == 0


def test_expire_uploads_command(client, settings):
    old = create(client, 1000)["Location"]
    fresh = create(client, 1000)["Location"]
    patch(client, old, 0, mp4_bytes(500))
    UploadSession.objects.filter(pk=old.rsplit("/", 1)[-1]).update(expires_at=timezone.now() - dt.timedelta(hours=1))
    out = io.StringIO()
    call_command("expire_uploads", stdout=out)
    assert "1" in out.getvalue()
    assert UploadSession.objects.get(pk=old.rsplit("/", 1)[-1]).status == UploadStatus.EXPIRED
    assert UploadSession.objects.get(pk=fresh.rsplit("/", 1)[-1]).status == UploadStatus.ACTIVE
    assert not staging(old, settings).exists() and staging(fresh, settings).exists()
    assert UploadChunk.objects.count() == 0


def test_a_patch_extends_the_expiry(client, settings):
    settings.SANXIANG_EVIDENCE_UPLOAD_HOURS = 1
    url = create(client, 1000)["Location"]
    UploadSession.objects.update(expires_at=timezone.now() + dt.timedelta(minutes=1))
    patch(client, url, 0, mp4_bytes(500))
    assert UploadSession.objects.get().expires_at > timezone.now() + dt.timedelta(minutes=50)


def test_only_the_uploader_may_continue_inspect_or_terminate(client, user, agency, other_user):
    from sanxiang.accounts.models import Role
    from tests.factories import user_make

    data = mp4_bytes(20_000)
    url = create(client, len(data))["Location"]
    colleague = logged_in(user_make(role=Role.OFFICER, agency=agency))
    stranger = logged_in(other_user)
    for intruder in (colleague, stranger):
        assert head(intruder, url).status_code == 404
        assert patch(intruder, url, 0, data).status_code == 404
        assert intruder.delete(url, headers=TUS).status_code == 404
    assert head(client, url)["Upload-Offset"] == "0"
    assert UploadSession.objects.get().status == UploadStatus.ACTIVE


def test_an_unknown_upload_is_404(client):
    assert head(client, f"{ENDPOINT}{uuid.uuid4()}").status_code == 404


def test_another_agency_cannot_upload_into_a_case(case, other_user, supervisor):
    assert create(logged_in(other_user), 100, case=case.pk).status_code == 404
    response = create(logged_in(supervisor), 100, case=case.pk)
    assert response.status_code == 403
    assert UploadSession.objects.count() == 0


def test_the_endpoint_needs_a_login(user):
    anonymous = Client()
    response = anonymous.post(ENDPOINT, headers=TUS | {"Upload-Length": "10"})
    assert response.status_code == 401
    assert response["Tus-Resumable"] == "1.0.0"
    assert anonymous.options(ENDPOINT).status_code == 204  # discovery needs no login


def test_the_endpoint_enforces_csrf(user):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert create(strict, 100).status_code == 403
    strict.get(reverse("evidence:upload"))
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        ENDPOINT,
        headers=TUS | {"Upload-Length": "100", "Upload-Metadata": metadata(kind="video"), "X-CSRFToken": token},
    )
    assert response.status_code == 201


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "1900-01-01T08:00:00Z"])
def test_a_capture_time_outside_the_platforms_date_range_is_refused_before_any_byte(user, case, when):
    # Upload-Metadata skipped the form's date check: year 1 was accepted, and the last chunk then
    # failed with a 500 when the record was stored (OverflowError), losing the whole upload.
    client = logged_in(user)
    response = create(client, 1000, captured_at=when, case=case.pk)
    assert response.status_code == 422
    assert "拍摄（采集）时间" in json.loads(response.content)["message"]
    assert not UploadSession.objects.exists()


# Review r1 F1: "²" (the byte 0xB2, which WSGI decodes as latin-1) and 5,000 digits pass str.isdigit()
# but not int(): both were a 500. tus answers a bad Upload-Length or Upload-Offset with 400.
@pytest.mark.parametrize("value", ["\u00b2", "1" * 5000, "1" * 20, " 10", "-1", "1e3"])
def test_creation_with_an_upload_length_that_is_not_ascii_digits_is_400(client, value):
    response = client.post(ENDPOINT, headers=TUS | {"Upload-Length": value,
                                                    "Upload-Metadata": metadata(filename="a.mp4", kind="video")})
    assert response.status_code == 400
    assert "Upload-Length" in json.loads(response.content)["message"]
    assert UploadSession.objects.count() == 0


@pytest.mark.parametrize("value", ["\u00b9", "9" * 5000, "9" * 20, "+0"])
def test_a_patch_with_an_upload_offset_that_is_not_ascii_digits_is_400(client, value):
    url = create(client, 1000)["Location"]
    response = patch(client, url, 0, b"x", **{"Upload-Offset": value})
    assert response.status_code == 400
    assert "Upload-Offset" in json.loads(response.content)["message"]
    assert UploadSession.objects.get().offset == 0


def test_nineteen_digits_are_read_as_a_number(client):
    """The bound is the header's length, not its value: 19 digits are a length too large (413)."""
    assert client.post(ENDPOINT, headers=TUS | {"Upload-Length": "9" * 19, "Upload-Metadata": metadata(
        filename="a.mp4", kind="video")}).status_code == 413
