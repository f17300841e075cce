import io
import itertools
import random

import pytest

from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from sanxiang.evidence import services
from sanxiang.evidence.models import EvidenceRecord
from tests.factories import agency_make, officer_make, user_make

_numbers = itertools.count(1)


def mp4_bytes(size: int = 200_000, *, seed: int = 1) -> bytes:
    """An MP4 as a body camera writes it: an ftyp box, then (here pseudo-random) media data."""
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return ftyp + random.Random(seed).randbytes(size - len(ftyp))


def pdf_bytes(size: int = 5_000, *, seed: int = 2) -> bytes:
    return b"%PDF-1.7\n" + random.Random(seed).randbytes(size - 9)


def jpeg_bytes(size: int = 5_000, *, seed: int = 3) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + random.Random(seed).randbytes(size - 11)


@pytest.fixture
def agency(db):
    return agency_make()


@pytest.fixture
def officer(agency):
    return officer_make(agency=agency)


@pytest.fixture
def user(agency, officer):
    return user_make(role=Role.OFFICER, agency=agency, officer=officer)


@pytest.fixture
def case(agency, user):
    return case_create(actor=user, agency=agency, number=f"乌审旗市监罚〔2026〕{next(_numbers)}号", title="无照经营")


@pytest.fixture
def other_agency(db):
    return agency_make()


@pytest.fixture
def other_user(other_agency):
    return user_make(role=Role.OFFICER, agency=other_agency, officer=officer_make(agency=other_agency))


@pytest.fixture
def supervisor(db):
    bureau = agency_make(is_judicial_bureau=True)
    return user_make(role=Role.SUPERVISOR, agency=bureau)


@pytest.fixture
def ingest(user):
    """Ingest bytes through the service, as `user` unless another actor is given."""

    def run(data: bytes, *, kind: str = "video", name: str = "录像.mp4", actor=None, **fields) -> EvidenceRecord:
        actor = actor or user
        meta = services.evidence_metadata_check(actor=actor, kind=kind, original_name=name, **fields)
        return services.evidence_ingest(actor=actor, source=io.BytesIO(data), meta=meta)

    return run
