import io
import itertools
import random

import pytest

from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from tests.factories import agency_make, officer_make, user_make

_numbers = itertools.count(1)


def media_bytes(size: int, *, seed: int) -> bytes:
    """An MP4-like body-camera file: an ftyp box, then pseudo-random media data."""
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return ftyp + random.Random(seed).randbytes(size - len(ftyp))


def jpeg_bytes(size: int, *, seed: int) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + random.Random(seed).randbytes(size - 11)


@pytest.fixture
def agency(db):
    return agency_make(name="乌审旗市场监督管理局")


@pytest.fixture
def officer_user(agency):
    return user_make(role=Role.OFFICER, agency=agency, officer=officer_make(agency=agency))


@pytest.fixture
def case(agency, officer_user):
    return case_create(
        actor=officer_user, agency=agency, number=f"乌审市监罚〔2026〕{next(_numbers)}号", title="无照经营"
    )


@pytest.fixture
def ingest(officer_user):
    """Store evidence through the evidence service, which records FILE_RECEIVED in the ledger."""
    from sanxiang.evidence import services

    def run(data: bytes, *, case, kind: str = "video", name: str = "录像.mp4"):
        meta = services.evidence_metadata_check(actor=officer_user, kind=kind, original_name=name, case=case)
        return services.evidence_ingest(actor=officer_user, source=io.BytesIO(data), meta=meta)

    return run


@pytest.fixture
def exported(case, ingest, tmp_path):
    """A case with a video uploaded twice (stored once, two ledger entries) and a photo, another
    case with evidence of its own, exported to case.zip."""
    from sanxiang.casefile.services import case_file_export

    video = media_bytes(40_000, seed=1)
    ingest(video, case=case)
    ingest(jpeg_bytes(3_000, seed=2), case=case, kind="photo", name="现场照片.jpg")
    ingest(video, case=case, name="同一录像再次上传.mp4")
    other = case_create(
        actor=None, agency=case.agency, number=f"乌审市监罚〔2026〕{next(_numbers)}号", title="其他案件"
    )
    ingest(media_bytes(5_000, seed=3), case=other)
    path = tmp_path / "case.zip"
    summary = case_file_export(case=case, destination=path)
    return path, summary
