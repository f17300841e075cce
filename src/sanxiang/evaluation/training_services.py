"""Writes of 培训 (issue 15, item 6): the organiser (an agency's head or administrator for their
agency, a supervisor for the 司法局) records a session given, then who attended, marked on the page or
imported from an Excel sheet. Every write is one transaction with its ledger entry. An import checks
every row first and imports nothing if any row is wrong, naming each bad row by its Excel row number."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from openpyxl import Workbook, load_workbook

from sanxiang.accounts.models import Role, User
from sanxiang.evaluation.models import AttendanceSource, TrainingAttendance, TrainingSession
from sanxiang.evaluation.training_selectors import attendee_candidates
from sanxiang.inputs import PLATFORM_RULE, date_problem, text_problem
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.evaluation.training import (
    ATTENDEE_BASIS,
    ORGANISER_BASIS,
    TOPIC_MAX,
    hours_parse,
    hours_problem,
    session_violations,
)
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.supervision.filing_selectors import user_is_bureau_supervisor
from sanxiang.tabular import SheetTooLarge, xlsx_archive_problem, xlsx_rows

logger = logging.getLogger(__name__)

ORGANISING_ROLES = (Role.AGENCY_HEAD, Role.AGENCY_ADMIN)
IMPORT_BASIS = "平台规则：参训人员导入模板"
MAX_ROWS = 2_000
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The template's columns: the name, and the officer's 执法证号 or 身份证号码 (either one) to find them;
# the hours attended (blank: the whole session).
NAME, CERTIFICATE, ID_NUMBER, HOURS = "姓名", "执法证号", "身份证号码", "学时"
HEADERS = (NAME, CERTIFICATE, ID_NUMBER, HOURS)


def user_may_organise(user: User) -> bool:
    """An agency's head or administrator (for their agency), or a supervisor (for the 司法局)."""
    if not user.is_authenticated or user.agency_id is None:
        return False
    return user.role in ORGANISING_ROLES or user_is_bureau_supervisor(user)


def user_organises(*, session: TrainingSession, user: User) -> bool:
    """Whether the user records the attendees of `session` (the organiser's side)."""
    return user_may_organise(user) and user.agency_id == session.organiser_id


def _session_event(*, session: TrainingSession, payload: dict[str, Any]) -> LedgerEvent:
    return LedgerEvent(EventKind.EVALUATION_TRAINING_RECORDED,
                       {"session": session.pk, "organiser": session.organiser_id, **payload},
                       agency_id=session.organiser_id, subject=f"training_session:{session.pk}")


@transaction.atomic
def training_session_record(
    *, actor: User, kind: str, topic: str, held_on: dt.date | None, hours: Decimal | None, today: dt.date
) -> TrainingSession:
    """Record a session the actor's agency (or 司法局) gave. Raises Refused with every reason."""
    violations = session_violations(kind=kind, topic=topic, held_on=held_on, hours=hours, today=today,
                                    organiser_ok=user_may_organise(actor))
    topic = (topic or "").strip()
    problem = text_problem(topic, max_length=TOPIC_MAX) if topic else None
    if problem:
        violations.append(Violation("evaluation.training.topic_text", f"培训主题{problem}", PLATFORM_RULE, "topic"))
    if held_on is not None and date_problem(held_on):
        violations.append(Violation("evaluation.training.held_on_range", date_problem(held_on), PLATFORM_RULE,
                                    "held_on"))
    if violations:
        raise Refused(violations)
    assert held_on is not None and hours is not None
    session = TrainingSession.objects.create(organiser=actor.agency, kind=kind, topic=topic, held_on=held_on,
                                             hours=hours, recorded_by=actor)
    entry_append(event=_session_event(session=session, payload={
        "kind": kind, "topic": topic, "held_on": held_on.isoformat(), "hours": str(hours),
    }), actor=actor)
    return session


def _attendance_event(*, session: TrainingSession, source: str, added: list[TrainingAttendance],
                      removed: list[tuple[int, str]]) -> LedgerEvent:
    return LedgerEvent(
        EventKind.EVALUATION_TRAINING_ATTENDANCE,
        {"session": session.pk, "source": source,
         "added": [{"officer": a.officer_id, "agency": a.agency_id, "hours": str(a.hours)} for a in added],
         "removed": [{"officer": officer_id, "hours": hours} for officer_id, hours in removed]},
        agency_id=session.organiser_id, subject=f"training_session:{session.pk}",
    )


def _organiser_required(*, session: TrainingSession, actor: User) -> None:
    if not user_organises(session=session, user=actor):
        raise Refused([Violation("evaluation.training.organiser", "只有组织培训的机关可以登记参训人员", ORGANISER_BASIS)])


@transaction.atomic
def training_attendance_mark(
    *, actor: User, session: TrainingSession, officer_ids: Iterable[int]
) -> tuple[int, int]:
    """Make the attendees of `session` among the officers the page lists exactly `officer_ids`
    (marked on the page; each attended the whole session): adds the new ones, removes the unmarked
    ones. An attendee the page no longer lists (an officer since transferred or retired) is kept.
    Returns (added, removed)."""
    _organiser_required(session=session, actor=actor)
    wanted = set(officer_ids)
    listed = set(attendee_candidates(session=session).values_list("pk", flat=True))
    candidates = {o.pk: o for o in attendee_candidates(session=session).filter(pk__in=wanted)}
    strangers = wanted - set(candidates)
    if strangers:
        raise Refused([Violation("evaluation.training.attendee", "所选人员不是可以登记参训的执法人员（本机关在岗执法人员；"
                                 "司法局组织的培训为本县在岗执法人员）", ATTENDEE_BASIS, "officers")])
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    present = {a.officer_id: a for a in session.attendances.all()}
    removed = [(officer_id, str(a.hours)) for officer_id, a in sorted(present.items())
               if officer_id not in wanted and officer_id in listed]
    if removed:
        TrainingAttendance.objects.filter(session=session, officer_id__in=[o for o, _h in removed]).delete()
    added = TrainingAttendance.objects.bulk_create([
        TrainingAttendance(session=session, officer=candidates[o], agency_id=candidates[o].agency_id,
                           hours=session.hours, source=AttendanceSource.MARKED, recorded_by=actor)
        for o in sorted(wanted - set(present))
    ])
    if added or removed:
        entry_append(event=_attendance_event(session=session, source=AttendanceSource.MARKED, added=added,
                                             removed=removed), actor=actor)
    return len(added), len(removed)


# --- Excel import --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int | None  # as Excel numbers it; None: the whole file
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    added: int = 0
    unchanged: int = 0  # already recorded as attending
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _FileRejected(Exception):
    pass


def _content_read(file: IO[bytes]) -> bytes:
    content = file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise _FileRejected(f"文件大小超过{MAX_FILE_BYTES // (1024 * 1024)}MB的上限，请分成几个文件分别导入")
    if not content:
        raise _FileRejected("上传的文件是空的")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _FileRejected("这是旧版 Excel（.xls）文件或加了密码的 Excel 文件。请“另存为”Excel 工作簿（.xlsx）、不设密码后再导入")
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise _FileRejected("无法读取：文件不是 Excel 工作簿（.xlsx）。请下载模板，在模板中填写后再导入")
    problem = xlsx_archive_problem(content, inflated_max=MAX_UNCOMPRESSED_BYTES)
    if problem:
        raise _FileRejected(problem)
    return content


def _header(value: Any) -> str:
    return re.sub(r"\s+", "", str(value)).rstrip("*＊") if value is not None else ""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rows_read(content: bytes) -> tuple[dict[str, int], list[tuple[int, tuple[Any, ...]]]]:
    def worksheet_rows():
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            worksheet = workbook.worksheets[0]
            worksheet.reset_dimensions()
            yield from xlsx_rows(worksheet, columns=len(HEADERS), rows=MAX_ROWS)
        finally:
            workbook.close()

    positions: dict[str, int] | None = None
    rows: list[tuple[int, tuple[Any, ...]]] = []
    try:
        with closing(worksheet_rows()) as lines:
            for number, values in enumerate(lines, start=1):
                if positions is None:
                    names = [_header(v) for v in values]
                    positions = {name: index for index, name in enumerate(names) if name in HEADERS}
                    missing = [h for h in (NAME,) if h not in positions]
                    if missing or (CERTIFICATE not in positions and ID_NUMBER not in positions):
                        raise _FileRejected(
                            "第1行表头应包括“姓名”，以及“执法证号”或“身份证号码”（“学时”可选）。请下载模板，在模板中填写后再导入")
                    continue
                if all(_blank(v) for v in values):
                    continue
                if len(rows) >= MAX_ROWS:
                    raise _FileRejected(f"文件的数据超过{MAX_ROWS}行的上限，请分成几个文件分别导入")
                rows.append((number, tuple(values)))
    except _FileRejected:
        raise
    except SheetTooLarge as wide:
        raise _FileRejected(wide.message) from None
    except Exception as error:  # openpyxl reports a malformed workbook with many exception types
        logger.info("unreadable training import file: %r", error)
        raise _FileRejected("无法读取：文件已损坏，或不是有效的 Excel 工作簿（.xlsx）") from error
    if positions is None:
        raise _FileRejected("文件是空的。请下载参训人员导入模板，在模板中填写后再导入")
    return positions, rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@transaction.atomic
def training_attendance_import(*, actor: User, session: TrainingSession, file: IO[bytes]) -> ImportReport:
    """Import the attendees of `session` from an Excel sheet: every row is checked (the officer is
    found by 执法证号 or 身份证号码, and the name must match; the hours, blank for the whole session,
    at most the session's); if any row is wrong nothing is imported and the report names every bad
    row. An officer already recorded is left as is."""
    _organiser_required(session=session, actor=actor)
    report = ImportReport()
    try:
        positions, rows = _rows_read(_content_read(file))
    except _FileRejected as rejected:
        report.errors.append(RowError(None, "", str(rejected)))
        return report
    report.rows = len(rows)
    candidates = list(attendee_candidates(session=session).prefetch_related("certificates"))
    by_id_number = {o.id_number.upper(): o for o in candidates}
    by_certificate = {c.number: o for o in candidates for c in o.certificates.all()}
    present = set(session.attendances.values_list("officer_id", flat=True))
    seen: dict[int, int] = {}
    planned: list[tuple[Any, Decimal]] = []

    def cell(values: tuple[Any, ...], header: str) -> Any:
        index = positions.get(header)
        return values[index] if index is not None and index < len(values) else None

    for number, values in rows:
        name = _cell_text(cell(values, NAME))
        certificate = _cell_text(cell(values, CERTIFICATE))
        id_number = _cell_text(cell(values, ID_NUMBER)).upper()
        raw_hours = cell(values, HOURS)
        errors = []
        if not name:
            errors.append(RowError(number, NAME, "请填写姓名"))
        officer = None
        if not certificate and not id_number:
            errors.append(RowError(number, CERTIFICATE, "请填写执法证号或者身份证号码，用于确认参训人员"))
        else:
            found = {by_certificate.get(certificate) if certificate else None,
                     by_id_number.get(id_number) if id_number else None} - {None}
            if certificate and certificate not in by_certificate:
                errors.append(RowError(number, CERTIFICATE, f"执法证号“{certificate}”不是可以登记参训的执法人员的证号"))
            elif id_number and id_number not in by_id_number:
                errors.append(RowError(number, ID_NUMBER, "身份证号码不是可以登记参训的执法人员的号码"))
            elif len(found) > 1:
                errors.append(RowError(number, ID_NUMBER, "执法证号与身份证号码不是同一个人"))
            else:
                officer = found.pop()
                if name and officer.name != name:
                    errors.append(RowError(number, NAME, f"姓名“{name}”与登记的执法人员姓名不一致，请核对"))
        if _blank(raw_hours):
            hours = session.hours
        else:
            hours = hours_parse(raw_hours)
            problem = hours_problem(hours, at_most=session.hours)
            if problem:
                errors.append(RowError(number, HOURS, f"{problem}（本次培训共{session.hours.normalize():f}学时）"))
        if officer is not None and officer.pk in seen:
            errors.append(RowError(number, NAME, f"与第{seen[officer.pk]}行是同一个人"))
        if errors:
            report.errors += errors
            continue
        seen[officer.pk] = number
        if officer.pk in present:
            report.unchanged += 1
        else:
            planned.append((officer, hours))
    if report.errors:
        return report
    added = TrainingAttendance.objects.bulk_create([
        TrainingAttendance(session=session, officer=officer, agency_id=officer.agency_id, hours=hours,
                           source=AttendanceSource.IMPORTED, recorded_by=actor)
        for officer, hours in planned
    ])
    report.added = len(added)
    if added:
        entry_append(event=_attendance_event(session=session, source=AttendanceSource.IMPORTED, added=added,
                                             removed=[]), actor=actor)
    return report


def attendance_template_build() -> bytes:
    """The import template: the header row and one example row to overwrite."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "参训人员"
    sheet.append(list(HEADERS))
    sheet.append(["张三", "15062600000001", "", 2])
    for letter, width in zip("ABCD", (14, 22, 24, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    for column in ("B", "C"):  # identifiers are text: Excel keeps only 15 digits of a number
        for row in range(2, MAX_ROWS + 2):
            sheet[f"{column}{row}"].number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
