"""The “双公示” export: published decisions as 信用中国 rows (CF_* for 行政处罚, XK_* for 行政许可),
and the files they are sent in (CSV, XLSX, JSON). Fields and checks: `procedure.dual_publicity`.

Built from the public read model (`Publication`) only, on purpose: what goes to the credit
platform is what the public already sees, desensitized and approved, so the export cannot leak
anything the portal does not show. Two consequences:

- Which decisions: those decided in the chosen days (by `decided_on`, the date the standard's
  CF_JDRQ / XK_JDRQ carries) that are *currently published*. Withdrawn decisions are left out: the
  law takes them down (citations.PUBLICATION_WITHDRAWAL), and sending them would put back online what was
  withdrawn; the withdrawal reaches the credit platform through the agency's credit channel.
  Expired ones are left out too: their 公示截止期 has passed, and sending them again would
  display them again.
- 证件号码 (CF_XDR_ZJHM / XK_XDR_ZJHM, and the legal representative's) are always empty: the
  public tables do not hold them, and they are never displayed (legal_rules §4.2, §5 "shared, not
  displayed"). Where the credit platform needs a natural person's number to match records, the
  agency sends it through its own credit-information channel, not through this public export.

Amounts: the public model holds fen; the standard wants 万元, so 1 万元 = 1,000,000 fen, written
with six decimals through Decimal.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sanxiang.access.models import AccessAction
from sanxiang.access.services import access_record
from sanxiang.accounts.models import AGENCY_ROLES, User
from sanxiang.accounts.permissions import county_lookup, user_reads_all_agencies
from sanxiang.procedure.dual_publicity import (
    LAYOUT_LABELS,
    PARTY_NATURAL_PERSON,
    PERMIT_CATEGORIES,
    dual_publicity_codes,
    dual_publicity_fields,
    dual_publicity_row_problems,
    wan_yuan_from_fen,
)
from sanxiang.procedure.penalty.snapshot import PENALTY_KINDS
from sanxiang.publication.models import PublicAgency, Publication, PublicationStatus
from sanxiang.publication.permit import permit_rows_published
from sanxiang.registry.models import Agency
from sanxiang.tabular import csv_bytes, xlsx_cell, xlsx_row

# Publication.decision_kind of each layout.
LAYOUT_DECISION_KINDS = {"CF": "penalty", "XK": "permit"}
FORMATS = {"csv": "CSV（Excel 可直接打开）", "xlsx": "Excel（.xlsx）", "json": "JSON"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
# XK_ZT: only publications in force are exported, so each is 有效.
PERMIT_STATE_VALID = "1"


def _kinds_label(publication: Publication) -> str:
    if publication.kinds_label:
        return publication.kinds_label
    return "、".join(PENALTY_KINDS.get(kind, kind) for kind in publication.kinds)


def _party(publication: Publication, prefix: str) -> dict[str, str]:
    natural = publication.party_kind == PARTY_NATURAL_PERSON
    return {
        f"{prefix}_XDR_MC": publication.party_name,
        f"{prefix}_XDR_LB": publication.party_kind,
        # The standard sends a natural person's organisation codes empty (§5).
        f"{prefix}_XDR_SHXYM": "" if natural else publication.party_credit_code,
        f"{prefix}_FRDB": "" if natural else publication.legal_representative,
    }


def _amount(fen: int) -> str:
    return wan_yuan_from_fen(fen) if fen else ""


def _penalty_row(publication: Publication) -> dict[str, str]:
    return _party(publication, "CF") | {
        "CF_WSH": publication.number,
        "CF_WFXW": publication.violation_type,
        "CF_SY": publication.facts,
        "CF_YJ": publication.basis,
        "CF_CFLB": _kinds_label(publication),
        "CF_NR": publication.content,
        "CF_NR_FK": _amount(publication.fine_fen),
        "CF_NR_WFFF": _amount(publication.confiscation_fen),
        "CF_NR_ZKDX": publication.licence,
        "CF_JDRQ": publication.decided_on.isoformat(),
        "CF_GSJZQ": publication.display_until.isoformat(),
        "CF_CFJG": publication.agency_name,
        "CF_CFJGDM": publication.agency_credit_code,
        # The deciding agency is the unit the data comes from: 谁执法谁公示.
        "CF_SJLY": publication.agency_name,
        "CF_SJLYDM": publication.agency_credit_code,
    }


def _permit_category(publication: Publication) -> str:
    """The 许可类别 if the publication names one of the code list, else 其他 (code 06)."""
    for value in (publication.kinds_label, *publication.kinds):
        if value in PERMIT_CATEGORIES.values():
            return value
        if value in PERMIT_CATEGORIES:
            return PERMIT_CATEGORIES[value]
    return PERMIT_CATEGORIES["06"]


def _permit_row(publication: Publication) -> dict[str, str]:
    # The public model was made for penalties: a permit's title is its document's name, its
    # licence field names the certificate, and its validity is not held (XK_YXQZ/XK_YXQZI empty).
    return _party(publication, "XK") | {
        "XK_XKWS": publication.title,
        "XK_WSH": publication.number,
        "XK_XKLB": _permit_category(publication),
        "XK_XKZS": publication.licence,
        "XK_NR": publication.content,
        "XK_JDRQ": publication.decided_on.isoformat(),
        "XK_XKJG": publication.agency_name,
        "XK_XKJGDM": publication.agency_credit_code,
        "XK_ZT": PERMIT_STATE_VALID,
        "XK_LYDW": publication.agency_name,
        "XK_LYDWDM": publication.agency_credit_code,
    }


def dual_publicity_rows(
    *, agency_ids: list[int] | None, start: dt.date, end: dt.date, layout: str
) -> list[dict[str, str]]:
    """The rows of the published decisions of `layout` ("CF" or "XK") decided from `start` to
    `end` (both included), of the `PublicAgency` ids given (None: every agency), oldest first.

    Every row has every field of the layout, in the standard's order, as text ("" when empty)."""
    dual_publicity_fields(layout)  # a ValueError for an unknown layout
    if end < start:
        raise ValueError("the end of the range is before its start")
    publications = Publication.objects.filter(
        status=PublicationStatus.PUBLISHED,
        decision_kind=LAYOUT_DECISION_KINDS[layout],
        decided_on__gte=start,
        decided_on__lte=end,
    ).order_by("decided_on", "number", "id")
    if agency_ids is not None:
        publications = publications.filter(agency_id__in=agency_ids)
    # A licence decision made here carries the row its rules computed from the decision
    # (publication.permit: the same pure function an import uses), with its validity and licence
    # number, which the public columns do not hold; a publication without one is read from its columns.
    stored = permit_rows_published(publications) if layout == "XK" else {}
    return [dual_publicity_row(publication, layout=layout, stored=stored.get(publication.pk))
            for publication in publications.iterator()]


def dual_publicity_row(publication: Publication, *, layout: str, stored: dict[str, str] | None = None) -> dict[str, str]:
    """One publication's row of `layout` ("CF" or "XK"): every field of the layout, in the
    standard's order, as text ("" when empty). `stored`: the row kept with a licence decision's
    draft (`permit_rows_published`), used instead of the public columns."""
    values = stored or (_penalty_row if layout == "CF" else _permit_row)(publication)
    return {code: values.get(code, "") or "" for code in dual_publicity_codes(layout)}


# --- files ----------------------------------------------------------------------------------------


def dual_publicity_csv(rows: Iterable[dict[str, str]], *, layout: str) -> bytes:
    """UTF-8 with a byte-order mark (Excel needs it for Chinese), one header row of field codes.

    Written by the shared writer, which puts a "'" before a value that a spreadsheet would run as a
    formula (a party named “=1+1”): the file is also opened in Excel or WPS by the agency's staff,
    and a party's name is typed by whoever applied, not only by the agency."""
    codes = [f.code for f in dual_publicity_fields(layout)]
    return csv_bytes(([row.get(code, "") for code in codes] for row in rows), header=codes)


def dual_publicity_json(rows: Iterable[dict[str, str]], *, layout: str) -> bytes:
    codes = [f.code for f in dual_publicity_fields(layout)]
    document = {
        "layout": layout,
        "title": f"双公示{LAYOUT_LABELS[layout]}信息",
        "fields": codes,
        "rows": [{code: row.get(code, "") for code in codes} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


REQUIRED_FONT = Font(bold=True, color="B3261E")
OPTIONAL_FONT = Font(bold=True)


def dual_publicity_xlsx(rows: Iterable[dict[str, str]], *, layout: str) -> bytes:
    """One sheet of rows under a header of field codes (required ones in red, each with a comment
    giving its Chinese name), every cell text: amounts keep their six decimals and dates their
    YYYY-MM-DD form instead of becoming Excel numbers; and a “说明” sheet listing the fields."""
    fields = dual_publicity_fields(layout)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(LAYOUT_LABELS[layout])
    for index, field in enumerate(fields, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 14 if field.max_length is None or field.max_length <= 64 else 30
        sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    header = []
    for field in fields:
        cell = xlsx_cell(sheet, field.code)
        cell.font = REQUIRED_FONT if field.required else OPTIONAL_FONT
        cell.comment = Comment(f"{field.name}（{'必填' if field.required else '选填'}）", "Sanxiang")
        header.append(cell)
    sheet.append(header)
    for row in rows:
        # Every value is text (str) here; the shared writer keeps text that looks like a
        # formula a string cell.
        sheet.append(xlsx_row(sheet, (row.get(field.code, "") for field in fields), number_format="@"))

    notes = workbook.create_sheet("说明")
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 40
    notes.column_dimensions["E"].width = 50
    notes.append(xlsx_row(notes, ["字段代码", "字段名称", "是否必填", "最大长度", "说明"]))
    for field in fields:
        notes.append(
            xlsx_row(notes, [field.code, field.name, "必填" if field.required else "选填", field.max_length or "", field.note])
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WRITERS = {"csv": dual_publicity_csv, "xlsx": dual_publicity_xlsx, "json": dual_publicity_json}


def dual_publicity_file(rows: list[dict[str, str]], *, layout: str, file_format: str) -> bytes:
    try:
        writer = WRITERS[file_format]
    except KeyError:
        raise ValueError(f"unknown export format {file_format!r}") from None
    return writer(rows, layout=layout)


# --- who exports what: the page and the API read these (publication.exports, api.publication_exports) ---

# One export covers at most a year of decisions: the credit platform takes data by day or month,
# and a county's year is far within what a single file holds.
MAX_RANGE_DAYS = 366
# How many problems a check lists; the count is always complete.
MAX_PROBLEMS_SHOWN = 500
SCOPE_MESSAGE = "双公示数据由本单位人员、司法局监督人员和系统管理员导出"


@dataclass(frozen=True)
class DualPublicityScope:
    """The public agencies a user may export (by name), and whether "every agency" is offered."""

    agencies: list[PublicAgency]
    all_allowed: bool

    def ids(self, chosen: int | None) -> list[int] | None:
        """The `PublicAgency` ids an export of `chosen` (None: every agency offered) covers: a
        supervisor's "every agency" is every agency of their county; None is every agency at all
        (a system administrator). A choice outside the scope is a ValueError: the caller refuses it."""
        if chosen is not None:
            if all(a.pk != chosen for a in self.agencies):
                raise ValueError("agency outside the scope")
            return [chosen]
        if not self.all_allowed:
            raise ValueError("every agency is not offered")
        return [a.pk for a in self.agencies] if self.county_only else None

    county_only: bool = False


def dual_publicity_scope(*, user: User) -> DualPublicityScope:
    """The public agencies `user` may export: every one (of their county for a supervisor) for who
    reads every agency, their own agency's for its users; PermissionDenied for anyone else."""
    if user_reads_all_agencies(user):
        county = county_lookup(user, "")
        agencies = PublicAgency.objects.order_by("name")
        if county:
            agencies = agencies.filter(source_id__in=Agency.objects.filter(**county).values("pk"))
        return DualPublicityScope(list(agencies), True, county_only=bool(county))
    if user.role in AGENCY_ROLES and user.agency_id is not None:
        return DualPublicityScope(list(PublicAgency.objects.filter(source_id=user.agency_id)), False)
    raise PermissionDenied(SCOPE_MESSAGE)


def dual_publicity_label(*, layout: str, start: dt.date, end: dt.date) -> str:
    return f"双公示{LAYOUT_LABELS[layout]}信息（{start.isoformat()}至{end.isoformat()}）"


@dataclass(frozen=True)
class DualPublicityProblem:
    row: int
    number: str
    field: str | None
    field_name: str
    message: str
    basis: str


@dataclass(frozen=True)
class DualPublicityCheck:
    """The rows of an export checked against the standard's field list: how many rows, every
    problem counted, the first `MAX_PROBLEMS_SHOWN` listed."""

    row_count: int
    problem_count: int
    problem_rows: int
    problems: list[DualPublicityProblem]


def dual_publicity_check(*, rows: list[dict[str, str]], layout: str, shown: int = MAX_PROBLEMS_SHOWN) -> DualPublicityCheck:
    names = {f.code: f.name for f in dual_publicity_fields(layout)}
    number_field = f"{layout}_WSH"
    problems = [
        DualPublicityProblem(index, row.get(number_field, ""), violation.field, names.get(violation.field or "", ""),
                             violation.message, violation.legal_basis)
        for index, row in enumerate(rows, start=1)
        for violation in dual_publicity_row_problems(row, layout=layout)
    ]
    return DualPublicityCheck(len(rows), len(problems), len({p.row for p in problems}), problems[:shown])


def _export_agency_id(user: User, scope: DualPublicityScope, agency_ids: list[int] | None) -> int | None:
    """The registry agency the access-log entry is filed under: the exported agency when there is
    one (and it is still in the registry), otherwise the user's own."""
    if agency_ids and len(agency_ids) == 1:
        source = next((a.source_id for a in scope.agencies if a.pk == agency_ids[0]), None)
        if source is not None and Agency.objects.filter(pk=source).exists():
            return source
    return user.agency_id


@dataclass(frozen=True)
class DualPublicityFile:
    content: bytes
    content_type: str
    filename: str
    ascii_filename: str
    rows: int


def attachment_disposition(file: DualPublicityFile) -> str:
    """The Content-Disposition of the file (the page's download and the API's): RFC 6266 / RFC 5987,
    the Chinese name for who reads filename*, the ASCII name for the rest."""
    return f"attachment; filename=\"{file.ascii_filename}\"; filename*=UTF-8''{quote(file.filename, safe='')}"


def dual_publicity_export(*, actor: User, scope: DualPublicityScope, agency_ids: list[int] | None, layout: str,
                          start: dt.date, end: dt.date, file_format: str, ip_address: str | None) -> DualPublicityFile:
    """The file of the export, recorded (access log and ledger, one transaction) before it is
    returned: the data leaves the platform. `agency_ids`: from `scope.ids`."""
    rows = dual_publicity_rows(agency_ids=agency_ids, start=start, end=end, layout=layout)
    content = dual_publicity_file(rows, layout=layout, file_format=file_format)
    access_record(
        actor=actor,
        action=AccessAction.EXPORT,
        object_kind="publication.dual_publicity",
        object_id=f"{layout}:{start.isoformat()}:{end.isoformat()}",
        object_label=dual_publicity_label(layout=layout, start=start, end=end),
        agency_id=_export_agency_id(actor, scope, agency_ids),
        ip_address=ip_address,
        details={
            "layout": layout,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "format": file_format,
            "public_agencies": agency_ids if agency_ids is not None else "all",
            "rows": len(rows),
        },
    )
    span = start.isoformat() if start == end else f"{start.isoformat()}_{end.isoformat()}"
    return DualPublicityFile(
        content=content,
        content_type=CONTENT_TYPES[file_format],
        filename=f"双公示_{LAYOUT_LABELS[layout]}_{span}.{file_format}",
        ascii_filename=f"sanxiang-dual-publicity-{layout.lower()}-{span}.{file_format}",
        rows=len(rows),
    )
