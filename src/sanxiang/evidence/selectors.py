"""Reads of the evidence store: lists and single records scoped to what the viewer may read,
upload sessions of their owner, and the record checklist the procedure engine asks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.db.models import QuerySet
from django.http import Http404

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import (
    case_ids_granted,
    case_read_require,
    user_can_manage_parties,
    user_reads_all_agencies,
    user_reads_cases_by_grant,
)
from sanxiang.evidence.models import EvidenceKind, EvidenceRecord, UploadSession
from sanxiang.evidence.sniffing import is_audio_video_type
from sanxiang.hooks import Slot
from sanxiang.registry.models import Agency


class EvidenceCase(Protocol):
    """What evidence knows of the case a record belongs to (the case lives in `cases`, above)."""

    pk: int
    agency_id: int
    agency: Agency
    number: str
    title: str


# The case an upload or a page names, if the viewer may read it; Http404 otherwise (a case of
# another agency is not disclosed). `cases` installs its `case_get` here at ready().
case_for_viewer: Slot[Callable[..., EvidenceCase]] = Slot("evidence: the case a record belongs to")


# Files the platform generated and stored in the evidence store (a case's documents, the
# agency's published documents): they are listed with the documents, not as evidence uploads.
GENERATED_STEP_PREFIXES = ("document:", "publication:")
# The step under which an inspection's photos are filed before any case exists (the inspection app
# names it, `inspection_evidence_step`): what is filed under it counts as that visit's photos, so
# nobody types it.
INSPECTION_STEP_PREFIX = "inspection-"


def record_list(*, viewer: User, case_id: int | None = None) -> QuerySet[EvidenceRecord]:
    """The evidence uploads the viewer may read (of one case, or all), without the documents
    the platform generated."""
    records = EvidenceRecord.objects.select_related("stored_file", "officer", "uploaded_by", "case")
    for prefix in GENERATED_STEP_PREFIXES:
        records = records.exclude(step__startswith=prefix)
    if case_id is not None:
        records = records.filter(case_id=case_id)
    if user_reads_cases_by_grant(viewer):
        return records.filter(case_id__in=case_ids_granted(viewer))  # only what a read grant calls up
    if user_reads_all_agencies(viewer):
        return records
    if viewer.agency_id is None:
        return records.none()
    return records.filter(agency_id=viewer.agency_id)


def record_get(*, viewer: User, record_id: int) -> EvidenceRecord:
    """The record, or 404 when it does not exist or belongs to an agency the viewer may not
    read (its existence is not disclosed)."""
    record = (
        EvidenceRecord.objects.select_related("stored_file", "case", "agency", "officer", "uploaded_by")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise Http404
    case_read_require(viewer, agency_id=record.agency_id, case_id=record.case_id)
    return record


def upload_get(*, owner: User, upload_id) -> UploadSession:
    """An upload session of `owner`; 404 for anyone else's (only the uploader may continue,
    inspect or cancel it) and for a user no longer in the session's agency."""
    session = UploadSession.objects.select_related("agency", "case", "owner").filter(pk=upload_id).first()
    if session is None or session.owner_id != owner.pk or not user_can_manage_parties(owner, session.agency_id):
        raise Http404
    return session


def user_can_upload_evidence(user: User, agency_id: int | None) -> bool:
    return agency_id is not None and user_can_manage_parties(user, agency_id)


# Record checklist (全过程记录) --------------------------------------------------------------

AUDIO_VIDEO_KINDS = frozenset({EvidenceKind.AUDIO.value, EvidenceKind.VIDEO.value})


@dataclass(frozen=True)
class RecordItem:
    record_id: int
    step: str
    kind: str
    content_type: str
    sha256: str
    size: int
    captured_at: dt.datetime | None
    uploaded_at: dt.datetime
    is_audio_video: bool


@dataclass(frozen=True)
class RecordChecklist:
    """Which evidence records a case has (for one step, or all), and whether an audio-video
    record (执法音像记录) is among them."""

    case_id: int
    step: str | None
    records: tuple[RecordItem, ...]

    @property
    def has_audio_video(self) -> bool:
        return any(r.is_audio_video for r in self.records)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(r.kind for r in self.records)

    @property
    def steps_with_audio_video(self) -> frozenset[str]:
        return frozenset(r.step for r in self.records if r.is_audio_video)


def case_record_steps(*, case_id: int) -> list[tuple[str, bool]]:
    """(step, is audio-video) of each evidence record of the case, as `case_records` judges them,
    in one lean query (no row objects): what a case's snapshot needs of its records."""
    rows = EvidenceRecord.objects.filter(case_id=case_id).order_by().values_list("step", "kind", "stored_file__content_type")
    return [(step, kind in AUDIO_VIDEO_KINDS and is_audio_video_type(content_type)) for step, kind, content_type in rows]


def cases_record_steps(*, case_ids: list[int]) -> dict[int, list[tuple[str, bool]]]:
    """`case_record_steps` of many cases in one query, by case id (every id given is a key)."""
    found: dict[int, list[tuple[str, bool]]] = {pk: [] for pk in case_ids}
    rows = EvidenceRecord.objects.filter(case_id__in=case_ids).order_by().values_list(
        "case_id", "step", "kind", "stored_file__content_type"
    )
    for case_id, step, kind, content_type in rows:
        found[case_id].append((step, kind in AUDIO_VIDEO_KINDS and is_audio_video_type(content_type)))
    return found


def case_records(*, case_id: int, step: str | None = None) -> RecordChecklist:
    """The checklist for the procedure engine. Not scoped to a viewer: the engine decides for
    the case itself. An audio-video record is one filed as audio or video whose content was
    sniffed as audio or video (the kind alone is the uploader's word)."""
    records = EvidenceRecord.objects.filter(case_id=case_id).select_related("stored_file").order_by("uploaded_at", "id")
    if step is not None:
        records = records.filter(step=step)
    items = tuple(
        RecordItem(
            record_id=r.pk,
            step=r.step,
            kind=r.kind,
            content_type=r.stored_file.content_type,
            sha256=r.stored_file.sha256,
            size=r.stored_file.size,
            captured_at=r.captured_at,
            uploaded_at=r.uploaded_at,
            is_audio_video=r.kind in AUDIO_VIDEO_KINDS and is_audio_video_type(r.stored_file.content_type),
        )
        for r in records
    )
    return RecordChecklist(case_id=case_id, step=step, records=items)
