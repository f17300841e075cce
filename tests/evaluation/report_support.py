"""A small hand-built county for the monthly reports: a 司法局 with two supervisors, two agencies
with a head each, and records of one agency placed in a known month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import count

from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_create
from sanxiang.evidence.models import EvidenceRecord, StoredFile
from sanxiang.publication.models import DraftStatus, PublicAgency, Publication, PublicationDraft
from sanxiang.registry.models import Agency
from sanxiang.review.models import ReviewTally
from tests.factories import agency_make, user_make
from tests.supervision.support import desk_make

_n = count(1)


@dataclass
class County:
    bureau: Agency
    agency: Agency  # the market regulator: its records are placed below
    other: Agency  # an agency that never submits
    head: User
    other_head: User
    officer: User  # the agency's officer: reads, may not submit
    first: User  # the bureau's supervisors
    second: User


def county_make() -> County:
    desk = desk_make()
    other = agency_make(name=f"测试城市管理综合执法局{next(_n)}")
    return County(
        bureau=desk.bureau, agency=desk.agency, other=other,
        head=user_make(role=Role.AGENCY_HEAD, agency=desk.agency),
        other_head=user_make(role=Role.AGENCY_HEAD, agency=other),
        officer=user_make(role=Role.OFFICER, agency=desk.agency),
        first=desk.first, second=desk.second,
    )


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


def case_on(*, agency: Agency, day: dt.date, procedure: str = "ordinary", state: str | None = None,
            title: str = "测试案件") -> Case:
    """A case registered on `day` (its registration time moved there), in `state` if given."""
    case = case_create(actor=None, agency=agency, number=f"测试〔{day.year}〕{next(_n)}号", title=title,
                       procedure=procedure)
    fields = {"created_at": at(day)}
    if state:
        fields["state"] = state
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def tally(*, case: Case, day: dt.date, major: bool, reviewed: bool, sent_back: bool = False) -> ReviewTally:
    return ReviewTally.objects.create(case=case, agency=case.agency, decided_on=day, major=major, reviewed=reviewed,
                                      rounds=1 if reviewed else 0, review_days=0, reviews_timed=0,
                                      sent_back=sent_back, estimated=False)


def _public_agency(agency: Agency) -> PublicAgency:
    return PublicAgency.objects.get_or_create(source_id=agency.pk, defaults={
        "name": agency.name, "kind": "行政机关", "refreshed_at": timezone.now()})[0]


def draft(*, case: Case, decided_on: dt.date, due_on: dt.date, published_on: dt.date | None = None,
          status: str | None = None, decision: str = "") -> PublicationDraft:
    """A decision's publicity draft; published on `published_on` when given."""
    publication = None
    if published_on is not None:
        publication = Publication.objects.create(
            agency=_public_agency(case.agency), agency_name=case.agency.name, number=case.number, title=case.title,
            party_name="某公司", party_kind="法人及非法人组织", violation_type="测试", facts="事实", basis="依据",
            kinds_label="罚款", content="罚款", decided_on=decided_on, published_on=published_on,
            display_until=published_on + dt.timedelta(days=365))
    return PublicationDraft.objects.create(
        case=case, agency=case.agency, decided_on=decided_on, due_on=due_on, original={}, public={},
        decision=decision, publication=publication,
        status=status or (DraftStatus.PUBLISHED if publication else DraftStatus.DRAFT))


def recording(*, agency: Agency, day: dt.date, kind: str, uploader: User, case: Case | None = None) -> EvidenceRecord:
    n = next(_n)
    stored = StoredFile.objects.create(sha256=f"{n:064x}", size=10, content_type="video/mp4", storage_name=f"x{n}")
    return EvidenceRecord.objects.create(agency=agency, case=case, kind=kind, original_name=f"记录仪{n}.mp4",
                                         uploaded_by=uploader, uploaded_at=at(day), stored_file=stored)
