"""Where evidence blobs live: a folder under the data folder, or S3-compatible object storage.

A blob is named by its SHA-256: `ab/cd/<sha256>`. Writing goes to a temporary name first; only
when the whole content has been hashed is it moved to its final name (`blob_place`), so a reader
never sees a half-written blob and a blob's name always states its content. Placing a blob that
already exists leaves the existing one alone; blobs are never overwritten or deleted, except that
`blob_unplace` takes back a blob placed by a transaction that then rolled back (see
`services._blob_commit`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sanxiang.privatefiles import private_dir_make, private_file_open

READ_SIZE = 1024 * 1024  # 1 MiB reads: hashlib and the kernel both run near full speed at this size


class Sm3Unavailable(ImproperlyConfigured):
    """SM3 is required by the settings but this Python's OpenSSL does not offer it."""


def sm3_wanted() -> bool:
    """Whether files get an SM3 digest beside SHA-256 (settings: off | auto | required)."""
    mode = str(getattr(settings, "SANXIANG_EVIDENCE_SM3", "off")).lower()
    available = "sm3" in hashlib.algorithms_available
    if mode in ("off", "0", "false", "no", ""):
        return False
    if mode in ("required", "on", "1", "true", "yes"):
        if not available:
            raise Sm3Unavailable(
                "设置要求证据文件计算SM3摘要（SANXIANG_EVIDENCE_SM3=required），但本机Python所用的OpenSSL不提供SM3，"
                "已拒绝接收文件。请安装提供SM3的OpenSSL，或改为 auto / off。"
            )
        return True
    if mode == "auto":
        return available
    raise ImproperlyConfigured(f"SANXIANG_EVIDENCE_SM3 must be off, auto or required, not {mode!r}")


class Digester:
    """SHA-256 (and SM3) of a stream, fed chunk by chunk.

    OpenSSL's SM3 is about six times slower than its SHA-256; hashlib releases the GIL on large
    updates, so SM3 runs in a worker thread beside SHA-256 and the write, and on two cores costs
    little more than the slower of the two instead of their sum."""

    def __init__(self, *, sm3: bool) -> None:
        self.sha256 = hashlib.sha256()
        self.sm3 = hashlib.new("sm3") if sm3 else None
        self.size = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sm3") if sm3 else None
        self._pending = None

    def update(self, chunk: bytes) -> None:
        self._wait()
        if self._pool is not None:
            self._pending = self._pool.submit(self.sm3.update, chunk)
        self.sha256.update(chunk)
        self.size += len(chunk)

    def _wait(self) -> None:
        if self._pending is not None:
            self._pending.result()
            self._pending = None

    def finish(self) -> tuple[str, str]:
        """(sha256 hex, sm3 hex or "")."""
        self._wait()
        if self._pool is not None:
            self._pool.shutdown()
        return self.sha256.hexdigest(), self.sm3.hexdigest() if self.sm3 is not None else ""

    def close(self) -> None:
        if self._pool is not None:
            with contextlib.suppress(Exception):
                self._wait()
            self._pool.shutdown()


def blob_name(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


class BlobWriter(Protocol):
    def write(self, chunk: bytes) -> None: ...

    def abort(self) -> None: ...


class BlobStore(Protocol):
    kind: str

    def writer(self) -> BlobWriter: ...

    def place(self, writer: BlobWriter, sha256: str, *, replace_orphan: bool) -> bool:
        """Move the finished temporary blob to its final name. Returns True when this call
        created the final blob, False when it existed already (the temporary one is dropped)."""
        ...

    def unplace(self, sha256: str) -> None: ...

    def exists(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> BinaryIO:
        """A readable binary stream (read(n) in chunks); FileNotFoundError when missing."""
        ...

    def stale_temporaries_remove(self, *, older_than_seconds: float) -> int: ...


# Local folder ------------------------------------------------------------------------------


WRITEBACK_STEP = 32 * 1024 * 1024


class LocalWriter:
    def __init__(self, tmp_dir: Path) -> None:
        private_dir_make(tmp_dir)
        self.path = tmp_dir / f"{uuid.uuid4().hex}.part"
        self._file = open(private_file_open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL), "wb")
        self.size = 0
        self._written_back = 0

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self.size += len(chunk)
        if self.size - self._written_back >= WRITEBACK_STEP and hasattr(os, "posix_fadvise"):
            # Start writing this stretch to disk now, while hashing goes on, so that the fsync at
            # the end does not wait for the whole file; on Linux DONTNEED starts writeback of
            # dirty pages (and keeps evidence, rarely read again soon, out of the page cache).
            os.posix_fadvise(self._file.fileno(), self._written_back, self.size - self._written_back, os.POSIX_FADV_DONTNEED)
            self._written_back = self.size

    def finish(self) -> Path:
        # On disk before it gets its final name: a crash after the rename never leaves a named
        # blob with missing content.
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return self.path

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalBlobStore:
    """Blobs under DATA_DIR/evidence/ab/cd/<sha256>, read-only on disk; temporaries under
    DATA_DIR/evidence/tmp on the same filesystem, so that placing one is a rename."""

    kind = "local"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp_dir = root / "tmp"

    def path(self, sha256: str) -> Path:
        return self.root / blob_name(sha256)

    def writer(self) -> LocalWriter:
        return LocalWriter(self.tmp_dir)

    def place(self, writer: LocalWriter, sha256: str, *, replace_orphan: bool) -> bool:
        source = writer.finish()
        final = self.path(sha256)
        private_dir_make(final.parent)
        os.chmod(source, 0o400)  # read-only, and the owner's only
        try:
            if replace_orphan:
                # No row names this blob (a crash between placing it and committing left it):
                # our copy has just been hashed, so it is the one to keep.
                os.replace(source, final)
            else:
                # link() refuses an existing name, where rename() would overwrite it.
                os.link(source, final)
                source.unlink()
        except FileExistsError:
            source.unlink()
            return False
        _fsync_dir(final.parent)
        return True

    def unplace(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(sha256).unlink()

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        return open(self.path(sha256), "rb")

    def stale_temporaries_remove(self, *, older_than_seconds: float) -> int:
        import time

        if not self.tmp_dir.is_dir():
            return 0
        limit = time.time() - older_than_seconds
        removed = 0
        for entry in os.scandir(self.tmp_dir):
            with contextlib.suppress(FileNotFoundError):
                if entry.is_file() and entry.stat().st_mtime < limit:
                    os.unlink(entry.path)
                    removed += 1
        return removed


# S3-compatible object storage ---------------------------------------------------------------

S3_PART_SIZE = 8 * 1024 * 1024  # parts must be >= 5 MiB (except the last); 8 MiB keeps memory flat


class S3Writer:
    """A multipart upload to a temporary key, a part at a time: memory holds one part."""

    def __init__(self, store: S3BlobStore) -> None:
        self.store = store
        self.key = store.key(f"tmp/{uuid.uuid4().hex}")
        self.client = store.client
        self.upload_id = self.client.create_multipart_upload(Bucket=store.bucket, Key=self.key)["UploadId"]
        self.parts: list[dict] = []
        self.buffer = bytearray()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.buffer += chunk
        self.size += len(chunk)
        if len(self.buffer) >= S3_PART_SIZE:
            self._flush()

    def _flush(self) -> None:
        number = len(self.parts) + 1
        response = self.client.upload_part(
            Bucket=self.store.bucket, Key=self.key, UploadId=self.upload_id, PartNumber=number, Body=bytes(self.buffer)
        )
        self.parts.append({"PartNumber": number, "ETag": response["ETag"]})
        self.buffer.clear()

    def finish(self) -> str:
        if self.buffer or not self.parts:
            self._flush()
        self.client.complete_multipart_upload(
            Bucket=self.store.bucket, Key=self.key, UploadId=self.upload_id, MultipartUpload={"Parts": self.parts}
        )
        self.upload_id = None
        return self.key

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            if self.upload_id is not None:
                self.client.abort_multipart_upload(Bucket=self.store.bucket, Key=self.key, UploadId=self.upload_id)
            else:
                self.client.delete_object(Bucket=self.store.bucket, Key=self.key)


class _S3Body:
    """The body of a GetObject as a plain binary stream (read(n), close())."""

    def __init__(self, body) -> None:
        self._body = body

    def read(self, size: int = -1) -> bytes:
        return self._body.read(None if size is None or size < 0 else size)

    def close(self) -> None:
        self._body.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class S3BlobStore:
    """Blobs at <prefix>/ab/cd/<sha256> in one bucket. django-storages' S3Storage holds the
    configuration and makes the boto3 client (endpoint, region, credentials, addressing style as
    for the rest of Django); the multipart upload, server-side copy and streamed reads use the
    client directly, since S3Storage's files buffer a whole object on read."""

    kind = "s3"

    def __init__(self, *, bucket: str, endpoint_url: str | None, region: str | None, prefix: str) -> None:
        if not bucket:
            raise ImproperlyConfigured("SANXIANG_EVIDENCE_STORAGE=s3 needs SANXIANG_EVIDENCE_S3_BUCKET")
        try:
            from storages.backends.s3 import S3Storage
        except ImportError as missing:
            raise ImproperlyConfigured(
                "S3 evidence storage needs django-storages and boto3: pip install 'sanxiang[s3]'"
            ) from missing
        self.storage = S3Storage(bucket_name=bucket, endpoint_url=endpoint_url, region_name=region, default_acl=None)
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = self.storage.connection.meta.client

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def writer(self) -> S3Writer:
        return S3Writer(self)

    def _head(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def place(self, writer: S3Writer, sha256: str, *, replace_orphan: bool) -> bool:
        temp = writer.finish()
        final = self.key(blob_name(sha256))
        try:
            if not replace_orphan and self._head(final):
                return False
            # Managed copy: a single CopyObject up to 5 GB, a multipart copy above.
            self.client.copy({"Bucket": self.bucket, "Key": temp}, self.bucket, final)
            return True
        finally:
            self.client.delete_object(Bucket=self.bucket, Key=temp)

    def unplace(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(blob_name(sha256)))

    def exists(self, sha256: str) -> bool:
        return self._head(self.key(blob_name(sha256)))

    def open(self, sha256: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.key(blob_name(sha256)))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise FileNotFoundError(blob_name(sha256)) from error
            raise
        return _S3Body(response["Body"])  # type: ignore[return-value]

    def stale_temporaries_remove(self, *, older_than_seconds: float) -> int:
        import datetime as dt

        limit = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=older_than_seconds)
        removed = 0
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.key("tmp/")):
            for obj in page.get("Contents", []):
                if obj["LastModified"] < limit:
                    self.client.delete_object(Bucket=self.bucket, Key=obj["Key"])
                    removed += 1
        # Multipart uploads never completed (a crash mid-upload) hold parts but no object.
        uploads = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=self.key("tmp/"))
        for upload in uploads.get("Uploads", []):
            if upload["Initiated"] < limit:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"])
                removed += 1
        return removed


def blob_store_get() -> BlobStore:
    """The configured store (read at each call: tests change the data folder per test)."""
    backend = str(getattr(settings, "SANXIANG_EVIDENCE_STORAGE", "local")).lower()
    if backend == "local":
        return LocalBlobStore(Path(settings.DATA_DIR) / "evidence")
    if backend == "s3":
        return S3BlobStore(
            bucket=settings.SANXIANG_EVIDENCE_S3_BUCKET,
            endpoint_url=getattr(settings, "SANXIANG_EVIDENCE_S3_ENDPOINT_URL", None),
            region=getattr(settings, "SANXIANG_EVIDENCE_S3_REGION", None),
            prefix=getattr(settings, "SANXIANG_EVIDENCE_S3_PREFIX", "evidence"),
        )
    raise ImproperlyConfigured(f"SANXIANG_EVIDENCE_STORAGE must be local or s3, not {backend!r}")


def chunks_read(stream: BinaryIO, size: int = READ_SIZE) -> Iterator[bytes]:
    while True:
        chunk = stream.read(size)
        if not chunk:
            return
        yield chunk


@dataclass(frozen=True)
class FileHash:
    sha256: str
    sm3: str
    size: int


def stream_hash(stream: BinaryIO, *, sm3: bool) -> FileHash:
    digester = Digester(sm3=sm3)
    try:
        for chunk in chunks_read(stream):
            digester.update(chunk)
        sha, sm = digester.finish()
    finally:
        digester.close()
    return FileHash(sha, sm, digester.size)

