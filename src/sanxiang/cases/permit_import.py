"""Licence decisions made in another system (政务服务) brought into the platform (issue 18, item 4).

Many licences are handled in the government-service system, not by the agency's own staff; the
three systems still apply to them: a decision is recorded, published within the period, reviewed
when the catalogue lists it as major, and counted in the annual data. `permit_decisions_import`
takes the rows of one file (the API's JSON batch, the Excel template's sheet) and:

- validates every row, field by field, before anything is written: the platform's input rules
  (`sanxiang.inputs`), the identifiers (GB 32100, GB 11643), and the 双公示 XK_* rules the export
  applies (`procedure.dual_publicity.dual_publicity_row_problems`); one bad row rejects the whole
  file, with every error's row, column and reason in Chinese;
- is idempotent by (source system, source id): a decision already imported with the same content is
  reported as already there and nothing is written for it; one changed under the same id is a
  conflict, which rejects the file (never a silent overwrite);
- makes each decision a licence case of the agency (`procedure` "permit") whose facts are the
  decision's, in the state the decision leaves it (准予: 许可有效, or 待送达 while the licence has not
  been delivered; 不予: 不予许可), with its decision document (文号, day, and the PDF when sent), and
  one ledger entry CASE_IMPORTED naming the source;
- emits the decisions as a native step does (`CompulsoryDecided`), all at once in one
  `CompulsoryDecidedBatch` (the cases and documents are bulk inserts, which no save signal follows),
  so that publication drafts them with the same rules (7 working days, the XK_* row of the same pure
  function) in one insert, the annual data counts them from the same facts once per batch, and the
  cases' deadlines are projected like any other.

Which decisions: 准予行政许可 and 不予行政许可. A change, renewal, withdrawal, revocation or cancellation
of an imported licence is a step of its case here (the case is the licence), not an import.

Platform rules, labelled as such (`IMPORT_RULE`): not law, how the platform receives another system's
records. The legal rules the import applies are the procedure's (`procedure.permit.rules`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import permission_require
from sanxiang.cases import events, selectors
from sanxiang.cases.facts import facts_dump, facts_load
from sanxiang.cases.models import (
    IMPORTED_DOCUMENT_ACTION,
    Case,
    DocumentCounter,
    IssuedDocument,
    PermitImport,
)
from sanxiang.cases.projection import case_projection_refresh
from sanxiang.cases.services import document_number_format
from sanxiang.inputs import date_problem, text_problem
from sanxiang.ledger.events import EventKind, FileDigest, LedgerEvent
from sanxiang.ledger.services import entry_append, ledger_batch
from sanxiang.procedure.dual_publicity import (
    PARTY_INDIVIDUAL_BUSINESS,
    PARTY_KINDS,
    PARTY_NATURAL_PERSON,
    PARTY_ORGANIZATION,
    PERMIT_CATEGORIES,
    XK_FIELDS,
    dual_publicity_row_problems,
)
from sanxiang.procedure.identifiers import credit_code_normalize, id_number_normalize, id_number_validate
from sanxiang.procedure.permit.rules import Decision, PermitSnapshot
from sanxiang.procedure.violations import PLATFORM_PREFIX
from sanxiang.registry.events import party_created_event
from sanxiang.registry.models import Agency, IdentityDocumentType, Matter, Party, PartyKind

IMPORT_RULE = (
    f"{PLATFORM_PREFIX}：其他系统（政务服务）作出的行政许可决定按来源系统及其编号导入，同一来源编号只导入一次；"
    "整个文件逐行逐项校验，有任何错误时不导入任何一行"
)
DECISIONS: dict[str, str] = {"准予": "grant", "不予": "refuse"}
DECISION_LABELS = {value: key for key, value in DECISIONS.items()}
# The decision's document and step, as a native case issues them (documents.registry.PERMIT_KINDS).
DOCUMENT_KINDS = {"grant": ("permit_grant_decision", "grant_decision", "准予行政许可决定书", "permit_grant"),
                  "refuse": ("permit_refusal_decision", "refusal_decision", "不予行政许可决定书", "permit_refuse")}
PARTY_KIND_OF = {
    PARTY_ORGANIZATION: PartyKind.LEGAL_PERSON,
    PARTY_NATURAL_PERSON: PartyKind.NATURAL_PERSON,
    PARTY_INDIVIDUAL_BUSINESS: PartyKind.INDIVIDUAL_BUSINESS,
}
MAX_ROWS = 5000
PDF_MAX_BYTES = 20 * 1024 * 1024

# The columns of a row: the API's field names and the Excel template's headers, in the template's order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("source_system", "来源系统"),
    ("source_id", "来源编号"),
    ("decision", "决定类型"),
    ("party_kind", "行政相对人类别"),
    ("party_name", "行政相对人名称"),
    ("party_credit_code", "统一社会信用代码"),
    ("legal_representative", "法定代表人"),
    ("party_id_number", "身份证号码"),
    ("matter", "许可事项"),
    ("matter_code", "事项编码"),
    ("number", "决定书文号"),
    ("decided_on", "决定日期"),
    ("received_on", "申请日期"),
    ("accepted_on", "受理日期"),
    ("category", "许可类别"),
    ("content", "许可内容"),
    ("reasons", "不予许可的理由"),
    ("licence_name", "许可证书名称"),
    ("licence_number", "许可编号"),
    ("valid_until", "有效期至"),
    ("delivered_on", "送达日期"),
    ("review_on", "法制审核日期"),
    ("agency_credit_code", "许可机关统一社会信用代码"),
)
HEADER = dict(COLUMNS)
# The licence is valid from its decision (as a licence decided here: XK_YXQZ is the decision's day);
# its end is a column.
DATE_COLUMNS = ("decided_on", "received_on", "accepted_on", "valid_until", "delivered_on", "review_on")
REQUIRED = ("source_system", "source_id", "decision", "party_kind", "party_name", "matter", "number", "decided_on",
            "agency_credit_code")
LENGTHS = {"source_system": 100, "source_id": 100, "party_name": 200, "legal_representative": 50,
           "party_id_number": 18, "matter": 190, "matter_code": 64, "number": 80, "category": 16, "content": 4000,
           "reasons": 2000, "licence_name": 200, "licence_number": 64, "party_credit_code": 18,
           "agency_credit_code": 18}
MULTILINE = frozenset({"content", "reasons"})
# The XK_* field each column fills: an XK error is reported under the column.
XK_COLUMNS = {
    "XK_XDR_MC": "party_name", "XK_XDR_LB": "party_kind", "XK_XDR_SHXYM": "party_credit_code",
    "XK_FRDB": "legal_representative", "XK_WSH": "number", "XK_XKLB": "category", "XK_XKZS": "licence_name",
    "XK_XKBH": "licence_number", "XK_NR": "content", "XK_JDRQ": "decided_on", "XK_YXQZ": "decided_on",
    "XK_YXQZI": "valid_until", "XK_XKJGDM": "agency_credit_code", "XK_LYDWDM": "agency_credit_code",
}
XK_LABELS = {f.code: f"{f.name}（{f.code}）" for f in XK_FIELDS}
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True)
class RowError:
    """One reason the file is not imported: its row (1 = the first row of the batch, or as Excel
    numbers it), its column (the Chinese header, "" for the whole row or file) and field name."""

    row: int
    column: str
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "field": self.field, "message": self.message}


@dataclass
class PermitImportReport:
    rows: int = 0
    imported: int = 0
    already: int = 0
    errors: list[RowError] = field(default_factory=list)
    # The source ids of the rows imported now, and of those already there.
    imported_ids: list[str] = field(default_factory=list)
    already_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    number: int  # the row's number as the caller counts it
    values: dict[str, str]  # column → text, normalized (dates ISO)
    dates: dict[str, dt.date | None]
    pdf: bytes | None
    digest: str

    @property
    def key(self) -> tuple[str, str]:
        return self.values["source_system"], self.values["source_id"]

    @property
    def decision(self) -> str:
        return DECISIONS[self.values["decision"]]


def user_can_import_permits(user: User, agency_id: int) -> bool:
    """The agency's head or administrator (who answer for what is published in its name), or a
    system administrator: who may bring another system's decisions in (a platform rule)."""
    if not user.is_authenticated:
        return False
    if user.role == Role.SYSTEM_ADMIN:
        return True
    return user.role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN) and user.agency_id == agency_id


IMPORT_REFUSED = "只有本机关负责人或者管理员可以导入行政许可决定"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or a text (2025-01-31, 2025/1/31, 2025年1月31日); raises ValueError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    matched = _DATE_TEXT.match(text)
    return dt.date(int(matched[1]), int(matched[2]), int(matched[3])) if matched else dt.date.fromisoformat(text)


def _digest(values: Mapping[str, str]) -> str:
    canonical = json.dumps({k: values[k] for k in sorted(values)}, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _xk_row(values: dict[str, str], agency: Agency) -> dict[str, str]:
    """The row's XK_* fields, to be judged by the export's own rules."""
    refusal = values["decision"] == DECISION_LABELS["refuse"]
    return {
        "XK_XDR_MC": values["party_name"], "XK_XDR_LB": values["party_kind"],
        "XK_XDR_SHXYM": values["party_credit_code"], "XK_FRDB": values["legal_representative"],
        "XK_XKWS": DOCUMENT_KINDS[DECISIONS.get(values["decision"], "grant")][2], "XK_WSH": values["number"],
        # A refusal grants nothing (not published): its category and content are not asked for.
        "XK_XKLB": values["category"] or (PERMIT_CATEGORIES["06"] if refusal else ""),
        "XK_XKZS": values["licence_name"], "XK_XKBH": values["licence_number"],
        "XK_NR": values["content"] or ((values["reasons"] or DECISION_LABELS["refuse"]) if refusal else ""),
        "XK_JDRQ": values["decided_on"], "XK_YXQZ": values["decided_on"], "XK_YXQZI": values["valid_until"],
        "XK_XKJG": agency.name, "XK_XKJGDM": values["agency_credit_code"],
        "XK_LYDW": agency.name, "XK_LYDWDM": values["agency_credit_code"],
    }


def _row_problems(raw: Mapping[str, Any], *, agency: Agency, today: dt.date,
                  matters: dict[str, Matter], major_codes: frozenset[str]) -> tuple[dict, dict, list[tuple[str, str]]]:
    """The row's values and dates, and every (column, reason) against it."""
    problems: list[tuple[str, str]] = []
    values: dict[str, str] = {}
    dates: dict[str, dt.date | None] = {}
    unknown = sorted(set(raw) - set(HEADER) - {"document_pdf"})
    for name in unknown:
        problems.append(("", f"无法识别的字段“{name}”"))
    for name, _label in COLUMNS:
        value = raw.get(name)
        if name in DATE_COLUMNS:
            try:
                day = _date(value)
            except ValueError:
                problems.append((name, f"“{_text(value)}”不是有效的日期，应写成2025-01-31"))
                day = None
            else:
                if day is not None and date_problem(day):
                    problems.append((name, date_problem(day)))
                    day = None
            dates[name] = day
            values[name] = day.isoformat() if day else ("" if value in (None, "") else _text(value))
            continue
        text = _text(value)
        problem = text_problem(text, max_length=LENGTHS.get(name), multiline=name in MULTILINE)
        if problem:
            problems.append((name, problem))
        values[name] = text
    for name in REQUIRED:
        if not values[name]:
            problems.append((name, "必须填写"))
    values["party_credit_code"] = credit_code_normalize(values["party_credit_code"])
    values["agency_credit_code"] = credit_code_normalize(values["agency_credit_code"])
    values["party_id_number"] = id_number_normalize(values["party_id_number"])
    decision = values["decision"]
    if decision and decision not in DECISIONS:
        problems.append(("decision", f"只能是{'、'.join(DECISIONS)}，当前为“{decision}”"))
    if values["category"] in PERMIT_CATEGORIES:
        values["category"] = PERMIT_CATEGORIES[values["category"]]
    grant = DECISIONS.get(decision) == "grant"
    if grant:
        for name in ("category", "content"):
            if not values[name]:
                problems.append((name, "准予许可时必须填写"))
    elif DECISIONS.get(decision) == "refuse":
        if not values["reasons"]:
            problems.append(("reasons", "不予许可时必须写明理由"))
        for name in ("licence_number", "valid_until", "delivered_on"):
            if values[name]:
                problems.append((name, "不予许可的决定没有许可证件，不应填写"))
    # The export's own rules (required fields, lengths, GB 32100 codes, the category list, dates).
    if values["party_kind"] in PARTY_KINDS or not values["party_kind"]:
        for violation in dual_publicity_row_problems(_xk_row(values, agency), layout="XK"):
            column = XK_COLUMNS.get(violation.field or "", "")
            if column and any(c == column for c, _ in problems):
                continue  # already refused by the input rules, said once
            # The column names the field (its header): the message keeps the reason, without the XK code.
            xk = XK_LABELS.get(violation.field or "", "")
            message = violation.message.removeprefix(xk).lstrip("：") if xk else violation.message
            problems.append((column, message))
    else:
        problems.append(("party_kind", f"只能是{'、'.join(PARTY_KINDS)}，当前为“{values['party_kind']}”"))
    kind = values["party_kind"]
    if kind == PARTY_NATURAL_PERSON and not values["party_id_number"]:
        problems.append(("party_id_number", "行政相对人为自然人时必须填写身份证号码"))
    if kind == PARTY_INDIVIDUAL_BUSINESS and not (values["party_credit_code"] or values["party_id_number"]):
        problems.append(("party_credit_code", "个体工商户应填写统一社会信用代码，或经营者的身份证号码"))
    if kind == PARTY_ORGANIZATION and values["party_id_number"]:
        problems.append(("party_id_number", "行政相对人为法人及非法人组织时不填写身份证号码"))
    if values["party_id_number"]:
        problems += [("party_id_number", v.message) for v in id_number_validate(values["party_id_number"], today=today)]
    if values["agency_credit_code"] and values["agency_credit_code"] != agency.credit_code:
        problems.append(("agency_credit_code", f"与本机关（{agency.name}）的统一社会信用代码不一致：只能导入本机关作出的决定"))
    code = values["matter_code"]
    if code and code not in matters:
        problems.append(("matter_code", f"“{code}”不是本机关权责清单中的行政许可事项"))
    decided = dates["decided_on"]
    if decided is not None:
        if decided > today:
            problems.append(("decided_on", "决定日期不能晚于今天"))
        for name, label in (("received_on", "申请日期"), ("accepted_on", "受理日期"), ("review_on", "法制审核日期")):
            if dates[name] is not None and dates[name] > decided:
                problems.append((name, f"{label}不能晚于决定日期"))
        if dates["delivered_on"] is not None and not decided <= dates["delivered_on"] <= today:
            problems.append(("delivered_on", "送达日期须在决定日期之后、不晚于今天"))
    if dates["received_on"] and dates["accepted_on"] and dates["accepted_on"] < dates["received_on"]:
        problems.append(("accepted_on", "受理日期不能早于申请日期"))
    if code in major_codes and dates["review_on"] is None:
        # 国办发〔2018〕118号: a decision the catalogue lists as major is made after its legal review.
        problems.append(("review_on", "该事项列入本机关重大执法决定法制审核目录，须填写来源系统中法制审核的日期（未经法制审核不得作出决定）"))
    return values, dates, problems


def _pdf(raw: Mapping[str, Any]) -> tuple[bytes | None, str | None]:
    value = raw.get("document_pdf")
    if value in (None, "", b""):
        return None, None
    if isinstance(value, bytes):
        content = value
    else:
        try:
            content = base64.b64decode(str(value), validate=True)
        except (binascii.Error, ValueError):
            return None, "决定书PDF应为Base64编码的PDF文件"
    if len(content) > PDF_MAX_BYTES:
        return None, f"决定书PDF超过{PDF_MAX_BYTES // (1024 * 1024)}MB的上限"
    if not content.startswith(b"%PDF-"):
        return None, "决定书文件不是PDF"
    return content, None


def permit_rows_validate(
    *, agency: Agency, rows: Iterable[tuple[int, Mapping[str, Any]]], today: dt.date | None = None
) -> tuple[list[_Row], list[RowError]]:
    """Every row of the file, parsed, and every error of every row (row, column, reason), with
    the file's own: the same source id twice, a 文号 already used by the agency or twice in the file."""
    today = today or timezone.localdate()
    rows = list(rows)
    errors: list[RowError] = []
    if len(rows) > MAX_ROWS:
        return [], [RowError(0, "", "", f"一次最多导入{MAX_ROWS}行，本文件有{len(rows)}行")]
    if not rows:
        return [], [RowError(0, "", "", "文件中没有可导入的行")]
    matters = {m.code: m for m in Matter.objects.filter(agency=agency, kind="permit").exclude(code="")}
    catalogue = selectors.review_catalogue_provided(agency_id=agency.pk) if selectors.review_catalogue_provided.installed \
        else None
    major_codes = frozenset(catalogue.matters) if catalogue is not None else frozenset()
    parsed: list[_Row] = []
    first_of: dict[tuple[str, str], int] = {}
    number_of: dict[str, int] = {}
    for number, raw in rows:
        if not isinstance(raw, Mapping):
            errors.append(RowError(number, "", "", "该行不是一条记录"))
            continue
        values, dates, problems = _row_problems(raw, agency=agency, today=today, matters=matters,
                                                major_codes=major_codes)
        pdf, pdf_problem = _pdf(raw)
        if pdf_problem:
            problems.append(("document_pdf", pdf_problem))
        key = (values["source_system"], values["source_id"])
        if all(key) and key in first_of:
            problems.append(("source_id", f"与第{first_of[key]}行的来源编号重复"))
        elif all(key):
            first_of[key] = number
        if values["number"] and values["number"] in number_of:
            problems.append(("number", f"与第{number_of[values['number']]}行的决定书文号重复"))
        elif values["number"]:
            number_of[values["number"]] = number
        for column, message in problems:
            errors.append(RowError(number, HEADER.get(column, "决定书PDF" if column == "document_pdf" else ""),
                                       column, message))
        if not problems:
            parsed.append(_Row(number, values, dates, pdf, _digest(values)))
    if errors:
        return [], _sorted(errors)
    # Already imported: the same content is "already there"; a changed row is a conflict.
    known = _known(parsed)
    fresh = [row for row in parsed if row.key not in known]
    for row in parsed:
        existing = known.get(row.key)
        if existing is None or existing.row_sha256 == row.digest:
            continue
        if existing.agency_id != agency.pk:
            errors.append(RowError(row.number, HEADER["source_id"], "source_id", "该来源编号已由其他机关导入"))
            continue
        changed = [HEADER[name] for name, _ in COLUMNS if (existing.row or {}).get(name, "") != row.values[name]]
        errors.append(RowError(
            row.number, HEADER["source_id"], "source_id",
            f"该来源编号已于{timezone.localtime(existing.imported_at):%Y-%m-%d}导入，本行内容与已导入的不一致"
            f"（{'、'.join(changed) or '内容'}）：已导入的决定不会被覆盖，请核对来源系统",
        ))
    taken = set(IssuedDocument.objects.filter(agency=agency, number__in=[r.values["number"] for r in fresh])
                .values_list("number", flat=True))
    errors += [RowError(row.number, HEADER["number"], "number", f"文号“{row.values['number']}”本机关已经用于其他文书")
               for row in fresh if row.values["number"] in taken]
    # The applicant is the agency's party of the same code: a different name is for a person to settle
    # (a renamed company is corrected in the register first), not published under either name by chance.
    registered = dict(Party.objects.filter(
        agency=agency, credit_code__in=sorted({r.values["party_credit_code"] for r in fresh} - {""})
    ).order_by("-pk").values_list("credit_code", "name"))
    for row in fresh:
        name = registered.get(row.values["party_credit_code"])
        if name is not None and name != row.values["party_name"]:
            errors.append(RowError(
                row.number, HEADER["party_name"], "party_name",
                f"本机关登记的统一社会信用代码为{row.values['party_credit_code']}的当事人名称为“{name}”，与本行不一致："
                "请核对；名称已变更的，请先在当事人登记中更正",
            ))
    return (parsed, []) if not errors else ([], _sorted(errors))


def _sorted(errors: list[RowError]) -> list[RowError]:
    order = {header: i for i, (_, header) in enumerate(COLUMNS)}
    return sorted(errors, key=lambda e: (e.row, order.get(e.column, -1)))


def _known(rows: list[_Row]) -> dict[tuple[str, str], PermitImport]:
    known: dict[tuple[str, str], PermitImport] = {}
    by_system: dict[str, list[str]] = {}
    for row in rows:
        by_system.setdefault(row.key[0], []).append(row.key[1])
    for system, ids in by_system.items():
        for start in range(0, len(ids), 500):
            for record in PermitImport.objects.filter(source_system=system, source_id__in=ids[start:start + 500]):
                known[(record.source_system, record.source_id)] = record
    return known


# --- writing ---------------------------------------------------------------------------------------


def _party_key(values: dict[str, str]) -> tuple[str, str]:
    if values["party_credit_code"]:
        return "credit_code", values["party_credit_code"]
    return "id_number", values["party_id_number"]


def _parties(*, agency: Agency, rows: list[_Row], actor: User) -> dict[tuple[str, str], Party]:
    """The party of every row: the agency's party with the same code (统一社会信用代码, else 身份证号码),
    or a new one, each new one with its ledger entry as a party registered by hand has."""
    codes = {r.values["party_credit_code"] for r in rows if r.values["party_credit_code"]}
    ids = {r.values["party_id_number"] for r in rows if not r.values["party_credit_code"]}
    found: dict[tuple[str, str], Party] = {}
    for party in Party.objects.filter(agency=agency, credit_code__in=sorted(codes)).order_by("pk"):
        found.setdefault(("credit_code", party.credit_code), party)
    for party in Party.objects.filter(agency=agency, id_number__in=sorted(ids), credit_code="").order_by("pk"):
        found.setdefault(("id_number", party.id_number), party)
    new: dict[tuple[str, str], Party] = {}
    for row in rows:
        key = _party_key(row.values)
        if key in found or key in new:
            continue
        values = row.values
        kind = PARTY_KIND_OF[values["party_kind"]]
        new[key] = Party(
            agency=agency, kind=kind, name=values["party_name"], credit_code=values["party_credit_code"],
            legal_representative=values["legal_representative"] if kind == PartyKind.LEGAL_PERSON else "",
            id_type=IdentityDocumentType.RESIDENT_ID_CARD if values["party_id_number"] else "",
            id_number=values["party_id_number"],
        )
    created = Party.objects.bulk_create(list(new.values()), batch_size=500)
    if created and created[0].pk is None:  # a database that does not return ids from a bulk insert
        created = list(Party.objects.filter(agency=agency).order_by("-pk")[: len(created)])[::-1]
        new = dict(zip(new, created, strict=True))
    for party in created:
        entry_append(event=party_created_event(party=party), actor=actor)
    return found | new


def _case_numbers(*, agency: Agency, on: dt.date, count: int) -> list[str]:
    """`count` case numbers of the agency's series, allocated at once (the counter locked once)."""
    DocumentCounter.objects.bulk_create([DocumentCounter(agency=agency, year=on.year, kind="case", last=0)],
                                        ignore_conflicts=True)
    counter = DocumentCounter.objects.select_for_update().get(agency=agency, year=on.year, kind="case")
    numbers: list[str] = []
    sequence = counter.last
    while len(numbers) < count:
        ahead = [document_number_format(agency=agency, kind="case", year=on.year, sequence=sequence + i + 1)
                 for i in range(count - len(numbers))]
        taken = set(Case.objects.filter(number__in=ahead).values_list("number", flat=True))
        numbers += [n for n in ahead if n not in taken]
        sequence += len(ahead)
    counter.last = sequence
    counter.save(update_fields=["last"])
    return numbers


def _matter_field(matter: Matter | None) -> str:
    return matter.enforcement_field if matter is not None else ""


def _inserted(model, rows: list) -> list:
    """`rows` inserted in bulk, with their ids (both engines return them from the insert)."""
    inserted = model.objects.bulk_create(rows, batch_size=500)
    if inserted and inserted[0].pk is None:  # pragma: no cover - SQLite ≥ 3.35 and PostgreSQL return ids
        raise RuntimeError(f"{model.__name__}: a bulk insert returned no ids")
    return inserted


def _facts(row: _Row) -> dict[str, Any]:
    """The licence case's facts as the procedure's steps would have left them."""
    values, dates = row.values, row.dates
    decided = dates["decided_on"]
    assert decided is not None
    accepted = dates["accepted_on"] or decided
    grant = row.decision == "grant"
    decision = Decision(
        outcome=row.decision, on=decided,
        reasons="" if grant else values["reasons"],
        content=values["content"] if grant else "",
        licence_name=values["licence_name"] if grant else "",
        category=values["category"] if grant else "",
    )
    facts: dict[str, Any] = {
        "received_on": dates["received_on"] or accepted,
        "materials_complete": True,
        "accepted_on": accepted,
        "decision": decision,
    }
    if grant:
        facts |= {"delivered_on": dates["delivered_on"], "expires_on": dates["valid_until"],
                  "licence_number": values["licence_number"]}
    return {name: facts_dump(value) for name, value in facts.items()}


def _state(row: _Row) -> str:
    if row.decision == "refuse":
        return "refused"
    return "in_force" if row.dates["delivered_on"] is not None else "granted"


def _imported_event(*, case: Case, row: _Row, document: IssuedDocument) -> LedgerEvent:
    """The case as imported, with its source: dates, choices and codes in clear, with the case's
    facts as a registration records them (free text of a person, such as a name or an identity
    number, is in the party's own entry, by digest)."""
    values = row.values
    payload: dict[str, Any] = {
        "source_system": values["source_system"],
        "source_id": values["source_id"],
        "row_sha256": row.digest,
        "number": case.number,
        "procedure": case.procedure,
        "state": case.state,
        "party": case.party_id,
        "matter": case.matter_id,
        "facts": case.facts,
        "decision": row.decision,
        "document": {"id": document.pk, "kind": document.kind, "number": document.number,
                     "issued_on": document.issued_on.isoformat(), "pdf": document.pdf_id is not None},
        "review_on": values["review_on"] or None,
    }
    return LedgerEvent(EventKind.CASE_IMPORTED, payload, agency_id=case.agency_id, case_id=case.pk,
                       subject=f"case:{case.pk}")


def _document_event(*, document: IssuedDocument, pdf) -> LedgerEvent:
    """The imported decision's PDF, as the entry of a document (kind DOCUMENT_ISSUED): no Word copy follows."""
    return LedgerEvent(
        EventKind.DOCUMENT_ISSUED,
        {"document": document.pk, "kind": document.kind, "title": document.title, "number": document.number,
         "record_kind": document.record_kind, "action": document.action, "issued_on": document.issued_on.isoformat(),
         "imported": True, "pdf_sha256": pdf.sha256},
        agency_id=document.agency_id, case_id=document.case_id, subject=f"document:{document.pk}",
        files=(FileDigest(sha256=pdf.sha256, size=pdf.size, sm3=pdf.sm3 or None),),
    )


def _seq_store(document: IssuedDocument):
    def store(entry) -> None:
        document.ledger_seq = entry.seq
        IssuedDocument.objects.filter(pk=document.pk).update(ledger_seq=entry.seq)

    return store


def permit_decisions_import(
    *, actor: User, agency: Agency, rows: Iterable[tuple[int, Mapping[str, Any]]], today: dt.date | None = None
) -> PermitImportReport:
    """Import every row (row number, {column: value}) as a licence decision of `agency`, or none.
    Returns the report: rows imported now and already there, or the errors (nothing written)."""
    permission_require(user_can_import_permits(actor, agency.pk), IMPORT_REFUSED)
    today = today or timezone.localdate()
    rows = list(rows)
    report = PermitImportReport(rows=len(rows))
    parsed, errors = permit_rows_validate(agency=agency, rows=rows, today=today)
    if errors:
        report.errors = errors
        return report
    try:
        with transaction.atomic():
            _write(actor=actor, agency=agency, parsed=parsed, today=today, report=report)
    except IntegrityError:
        # Another import of the same source ids (or a document under the same 文号) committed meanwhile:
        # this file is refused whole.
        report.imported, report.already, report.imported_ids, report.already_ids = 0, 0, [], []
        report.errors = [RowError(0, "", "", "另一次导入或办案同时写入了相同的来源编号或文号，本文件未导入：请重新导入"
                                                 "（已导入的将显示为已存在）")]
    return report


def _write(*, actor: User, agency: Agency, parsed: list[_Row], today: dt.date, report: PermitImportReport) -> None:
    # Read again under the lock of the table's unique index: a row imported meanwhile is already there.
    known = _known(parsed)
    fresh = [row for row in parsed if row.key not in known]
    report.already_ids = [row.values["source_id"] for row in parsed if row.key in known]
    report.already = len(report.already_ids)
    if not fresh:
        return
    from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check

    matters = {m.code: m for m in Matter.objects.filter(agency=agency, kind="permit",
                                                        code__in=[r.values["matter_code"] for r in fresh])}
    catalogue = selectors.review_catalogue_provided(agency_id=agency.pk) if selectors.review_catalogue_provided.installed \
        else None
    with ledger_batch():
        parties = _parties(agency=agency, rows=fresh, actor=actor)
        numbers = _case_numbers(agency=agency, on=today, count=len(fresh))
        # The cases and their decision documents in bulk inserts (no save signal follows them: the
        # batch event below is where the apps above refresh what they keep per case).
        cases = [
            Case(
                agency=agency, number=number, title=row.values["matter"], matter=matters.get(row.values["matter_code"]),
                procedure="permit", state=_state(row), party=parties[_party_key(row.values)],
                enforcement_field=_matter_field(matters.get(row.values["matter_code"])),
                facts=_facts(row),
                details={"records": ["application_form"],
                         "imported": {"source_system": row.values["source_system"],
                                      "source_id": row.values["source_id"],
                                      "review_on": row.values["review_on"] or None}},
                created_by=actor,
            )
            for row, number in zip(fresh, numbers, strict=True)
        ]
        cases = _inserted(Case, cases)
        documents: list[IssuedDocument] = []
        for row, case in zip(fresh, cases, strict=True):
            values = row.values
            kind, record_kind, title, _action = DOCUMENT_KINDS[row.decision]
            pdf = None
            if row.pdf is not None:
                meta = evidence_metadata_check(actor=actor, kind="document", original_name=f"{title}.pdf",
                                               step=f"document:{kind}")
                pdf = evidence_ingest(actor=actor, source=io.BytesIO(row.pdf), meta=meta)
            documents.append(IssuedDocument(
                case=case, agency=agency, kind=kind, title=title, record_kind=record_kind, number=values["number"],
                action=IMPORTED_DOCUMENT_ACTION, issued_on=row.dates["decided_on"], pdf=pdf, docx=None,
                filename_stem=f"{title}_{values['number']}"[:200], issued_by=actor,
            ))
        documents = _inserted(IssuedDocument, documents)
        made: list[tuple[_Row, Case, PermitSnapshot]] = []
        for row, case, document in zip(fresh, cases, documents, strict=True):
            matter = case.matter
            entry_append(event=_imported_event(case=case, row=row, document=document), actor=actor)
            if document.pdf is not None:
                # The document's file, as a document issued here is entered (the case file's documents/).
                entry_append(event=_document_event(document=document, pdf=document.pdf.stored_file), actor=actor,
                             then=_seq_store(document))
            # The engine's picture of the case as saved, built here (the records, the documents and
            # the catalogue are known): publication and the projection read it instead of building it.
            snapshot = facts_load(PermitSnapshot, case.facts, state=case.state,
                                  records=frozenset({"application_form", document.record_kind}),
                                  region=agency.region_code, matter=matter.code if matter is not None else "",
                                  catalogue=catalogue, officers=(), documents_issued=((document.kind, document.number),))
            made.append((row, case, snapshot))
        PermitImport.objects.bulk_create([
            PermitImport(agency=agency, source_system=row.values["source_system"], source_id=row.values["source_id"],
                         case=case, decision=row.decision, row_sha256=row.digest, row=row.values, imported_by=actor)
            for row, case, _ in made
        ], batch_size=500)
        # As native decisions, all at once: publication drafts them (7 working days) and counts them
        # in the annual data, in this transaction.
        events.CASE_EVENTS.emit(events.CompulsoryDecidedBatch(decisions=tuple(
            events.CompulsoryDecided(case=case, procedure="permit", action=DOCUMENT_KINDS[row.decision][3],
                                     snapshot=snapshot, on=row.dates["decided_on"], actor=actor, recorded_on=today)
            for row, case, snapshot in made)))
        case_projection_refresh(case_ids=[case.pk for _, case, _ in made], on=today,
                                snapshots={case.pk: snapshot for _, case, snapshot in made},
                                cases={case.pk: case for _, case, _ in made}, locked=True)
    report.imported_ids = [row.values["source_id"] for row, _, _ in made]
    report.imported = len(made)


# --- the Excel template ----------------------------------------------------------------------------

SHEET_TITLE = "行政许可决定"
EXAMPLE = {
    "source_system": "内蒙古政务服务网", "source_id": "XK2025000001", "decision": "准予",
    "party_kind": PARTY_ORGANIZATION, "party_name": "乌审旗示例商贸有限公司", "party_credit_code": "91150626MA0N000088",
    "legal_representative": "张某", "matter": "食品经营许可", "number": "乌市监许准〔2025〕1号",
    "decided_on": "2025-03-10", "received_on": "2025-03-03", "accepted_on": "2025-03-03", "category": "普通",
    "content": "预包装食品（含冷藏冷冻食品）销售", "licence_name": "食品经营许可证", "licence_number": "JY11506260001234",
    "valid_until": "2030-03-09", "delivered_on": "2025-03-12",
}
NOTES = (
    "每行一项行政许可决定。整个文件有任何错误时不导入任何一行，并按行、列列出原因。",
    "同一“来源系统”和“来源编号”只导入一次：再次导入内容相同的行显示为“已存在”，内容不同的行作为冲突拒绝，不会覆盖。",
    "决定类型填写：准予、不予。准予的须填写许可类别（普通、特许、认可、核准、登记、其他）和许可内容；不予的须填写理由。",
    "行政相对人类别填写：法人及非法人组织、自然人、个体工商户。法人及非法人组织须填写统一社会信用代码；自然人须填写身份证号码。",
    "日期写成2025-03-10。许可机关统一社会信用代码须为本机关的代码。",
    "事项编码填写本机关权责清单中的行政许可事项编码；列入重大执法决定法制审核目录的事项须填写法制审核日期。",
    "已送达许可证件的填写送达日期；未填写的，导入后在案件中办理送达。",
)


def permit_import_template_build(*, agency: Agency | None = None) -> bytes:
    """The Excel template: the header row (bold), one example row, and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([header for _, header in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    example = dict(EXAMPLE, agency_credit_code=agency.credit_code if agency is not None else "")
    sheet.append([example.get(name, "") for name, _ in COLUMNS])
    for column in sheet.columns:
        for cell in column:
            cell.number_format = "@"
    notes = workbook.create_sheet("填写说明")
    for line in NOTES:
        notes.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def permit_import_file_read(*, content: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """The rows of an uploaded template (row numbers as Excel shows them), or why the file cannot be read."""
    from sanxiang.registry.discretion_excel import SheetUnreadable, xlsx_rows_read

    try:
        rows = xlsx_rows_read(content, columns=COLUMNS, sheet_title=SHEET_TITLE, what="行政许可决定", max_rows=MAX_ROWS)
    except SheetUnreadable as unreadable:
        return [], [RowError(0, unreadable.column, "", unreadable.message)]
    return rows, []


def permit_import_upload(*, actor: User, agency: Agency, content: bytes, today: dt.date | None = None,
                         max_bytes: int = 10 * 1024 * 1024) -> PermitImportReport:
    """The Excel upload: read the sheet, then the import (all or nothing)."""
    permission_require(user_can_import_permits(actor, agency.pk), IMPORT_REFUSED)
    if len(content) > max_bytes:
        return PermitImportReport(errors=[RowError(0, "", "", f"文件大小超过{max_bytes // (1024 * 1024)}MB的上限")])
    rows, errors = permit_import_file_read(content=content)
    if errors:
        return PermitImportReport(errors=errors)
    return permit_decisions_import(actor=actor, agency=agency, rows=rows, today=today)


__all__ = [
    "COLUMNS",
    "DECISIONS",
    "IMPORT_REFUSED",
    "IMPORT_RULE",
    "PermitImportReport",
    "RowError",
    "permit_decisions_import",
    "permit_import_template_build",
    "permit_import_upload",
    "permit_rows_validate",
    "user_can_import_permits",
]
