"""Writes of the 案卷评查 standards (issue 16, item 1): a county's 司法局 publishes its own version of a
standard, from the version in force, with the changes it types; the version and its ledger entry (with
what it changed against the previous one) are one transaction. A published version is never edited."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from sanxiang.accounts.models import User
from sanxiang.evaluation.casefile_selectors import published_standards
from sanxiang.evaluation.models import CaseFileStandardVersion
from sanxiang.evaluation.target_selectors import user_defines_campaigns
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.evaluation.casefile_standard import (
    DEFAULT_STANDARDS,
    EVALUATION_BASIS,
    FileKind,
    standard_diff,
    standard_fields_problems,
    standard_revise,
    standard_to_data,
)
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation


def _latest(kind: str, region: str):
    """The latest version of the county (whatever its date), else the platform's default."""
    published = [s for s in published_standards(kind=kind, region=region) if s.region == region]
    if published:
        return max(published, key=lambda s: s.valid_from)
    return next(s for s in DEFAULT_STANDARDS if s.kind == kind)


@transaction.atomic
def casefile_standard_publish(
    *, actor: User, kind: str, changes: str, version: str, title: str, valid_from: dt.date | None, today: dt.date
) -> CaseFileStandardVersion:
    """A supervisor of a 司法局 publishes the county's next version of the standard for `kind`; it is in
    force from `valid_from` (not before today: a version is never applied to files already scored).
    Raises Refused with every reason before anything is stored."""
    violations = []
    if not user_defines_campaigns(actor):
        violations.append(Violation("casefile_standard.side", "只有县司法局监督人员可以发布本县的案卷评查标准",
                                    EVALUATION_BASIS))
    known_kind = kind in {k.value for k in FileKind}
    if not known_kind:
        violations.append(Violation("casefile_standard.kind", "请选择案卷类别", FORM_BASIS, "kind"))
    if valid_from is not None and valid_from < today:
        violations.append(Violation("casefile_standard.past", "施行日期不能早于今天：已评查的案卷按当时的标准",
                                    EVALUATION_BASIS, "valid_from"))
    if not known_kind:
        # The changes name items of a kind's standard: without a kind only the other fields are read.
        violations += standard_fields_problems(version=version, title=title, valid_from=valid_from)
        raise Refused(violations)
    region = actor.agency.region_code if actor.agency_id else ""
    previous = _latest(kind, region)
    revised, problems = standard_revise(previous, changes=changes, version=version, title=title,
                                        valid_from=valid_from, region=region)
    violations += problems
    if violations or revised is None:
        raise Refused(violations)
    lines = standard_diff(previous, revised)
    try:
        with transaction.atomic():
            row = CaseFileStandardVersion.objects.create(
                bureau=actor.agency, region_code=region, kind=kind, version=revised.version, title=revised.title,
                valid_from=revised.valid_from, data=standard_to_data(revised), changes=lines, published_by=actor,
            )
    except IntegrityError as clash:
        raise Refused([Violation("casefile_standard.duplicate", "本县已有同一版本号或者同一施行日期的标准版本",
                                 FORM_BASIS, "version")]) from clash
    entry_append(
        event=LedgerEvent(
            EventKind.EVALUATION_CASEFILE_STANDARD_PUBLISHED,
            {"standard": row.pk, "bureau": actor.agency_id, "region": region, "kind": kind, "version": row.version,
             "title": row.title, "valid_from": row.valid_from.isoformat(), "previous": previous.version,
             "changes": lines, "full_marks": str(revised.full_marks)},
            agency_id=actor.agency_id,
            subject=f"casefile_standard:{row.pk}",
        ),
        actor=actor,
    )
    return row
