"""The S3 backend (MinIO, Ceph, cloud) against moto's in-process S3 double."""

import base64
import hashlib

import boto3
import pytest
from django.test import Client
from moto import mock_aws

from sanxiang.evidence import storage
from sanxiang.evidence.models import EvidenceRecord, StoredFile
from sanxiang.ledger.verification import ledger_verify
from tests.evidence.conftest import mp4_bytes

pytestmark = pytest.mark.django_db

BUCKET = "sanxiang-evidence-test"


@pytest.fixture
def s3(settings, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    settings.SANXIANG_EVIDENCE_STORAGE = "s3"
    settings.SANXIANG_EVIDENCE_S3_BUCKET = BUCKET
    settings.SANXIANG_EVIDENCE_S3_REGION = "us-east-1"
    settings.SANXIANG_EVIDENCE_S3_ENDPOINT_URL = None
    settings.SANXIANG_EVIDENCE_S3_PREFIX = "evidence"
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


def keys(client, prefix: str = "") -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", []))


def blob_key(sha: str) -> str:
    return f"evidence/{sha[:2]}/{sha[2:4]}/{sha}"


def test_ingest_into_s3_stores_once_and_leaves_no_temporary(s3, ingest):
    # Over one 8 MiB part, so the multipart path really runs with several parts.
    data = mp4_bytes(storage.S3_PART_SIZE + 300_000, seed=31)
    sha = hashlib.sha256(data).hexdigest()
    first = ingest(data)
    second = ingest(data)
    assert first.stored_file_id == second.stored_file_id
    assert keys(s3) == [blob_key(sha)]
    assert s3.get_object(Bucket=BUCKET, Key=blob_key(sha))["Body"].read() == data
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []


def test_an_existing_s3_blob_is_not_rewritten(s3, ingest):
    data = mp4_bytes(seed=32)
    record = ingest(data)
    before = s3.head_object(Bucket=BUCKET, Key=blob_key(record.stored_file.sha256))
    ingest(data)
    after = s3.head_object(Bucket=BUCKET, Key=blob_key(record.stored_file.sha256))
    assert after["LastModified"] == before["LastModified"] and after["ETag"] == before["ETag"]


def test_a_failure_after_placing_in_s3_leaves_no_object_and_no_row(s3, ingest, monkeypatch):
    from sanxiang.evidence import services

    monkeypatch.setattr(services, "entry_append", lambda **kw: (_ for _ in ()).throw(RuntimeError("ledger down")))
    with pytest.raises(RuntimeError):
        ingest(mp4_bytes(seed=33))
    assert keys(s3) == []
    assert StoredFile.objects.count() == EvidenceRecord.objects.count() == 0


def test_a_refused_s3_upload_leaves_nothing(s3, ingest):
    from sanxiang.procedure.violations import Refused

    with pytest.raises(Refused):
        ingest(b"%PDF-1.7\n" + b"x" * 1000, kind="video")
    assert keys(s3) == []
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []


def test_download_streams_from_s3(s3, ingest, user):
    data = mp4_bytes(seed=34)
    record = ingest(data)
    client = Client()
    client.force_login(user)
    response = client.get(f"/staff/evidence/records/{record.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data


def test_tus_upload_finishes_into_s3(s3, user):
    data = mp4_bytes(300_000, seed=35)
    client = Client()
    client.force_login(user)
    tus = {"Tus-Resumable": "1.0.0"}
    meta = f"filename {base64.b64encode(b'a.mp4').decode()},kind {base64.b64encode(b'video').decode()}"
    url = client.post("/staff/evidence/tus/", headers=tus | {"Upload-Length": str(len(data)), "Upload-Metadata": meta})[
        "Location"
    ]
    for start in range(0, len(data), 100_000):
        response = client.generic(
            "PATCH", url, data=data[start : start + 100_000], content_type="application/offset+octet-stream",
            headers=tus | {"Upload-Offset": str(start)},
        )
        assert response.status_code == 204
    sha = hashlib.sha256(data).hexdigest()
    assert keys(s3) == [blob_key(sha)]


def test_verify_rehashes_s3_objects(s3, ingest):
    good = ingest(mp4_bytes(seed=36))
    bad = ingest(mp4_bytes(seed=37))
    gone = ingest(mp4_bytes(seed=38))
    assert ledger_verify().ok
    body = bytearray(s3.get_object(Bucket=BUCKET, Key=blob_key(bad.stored_file.sha256))["Body"].read())
    body[1000] ^= 0x40
    s3.put_object(Bucket=BUCKET, Key=blob_key(bad.stored_file.sha256), Body=bytes(body))
    s3.delete_object(Bucket=BUCKET, Key=blob_key(gone.stored_file.sha256))
    report = ledger_verify()
    assert not report.ok
    named = {(f.code, f.file) for f in report.findings}
    assert named == {
        ("evidence_file_mismatch", bad.stored_file.sha256),
        ("evidence_file_missing", gone.stored_file.sha256),
    }
    assert good.stored_file.sha256 not in {f.file for f in report.findings}


def test_stale_s3_temporaries_are_swept(s3, ingest):
    s3.put_object(Bucket=BUCKET, Key="evidence/tmp/leftover", Body=b"x")
    s3.create_multipart_upload(Bucket=BUCKET, Key="evidence/tmp/unfinished")
    removed = storage.blob_store_get().stale_temporaries_remove(older_than_seconds=-60)
    assert removed == 2
    assert keys(s3, "evidence/tmp/") == []
