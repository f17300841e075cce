"""Excel (.xlsx) template and all-or-nothing import of 裁量基准 (discretion benchmarks).

One row per tier (裁量阶次) of a violation, or per entry of the 不予处罚 list (首违不罚/轻微不罚).
The columns of the version (事项编码, 版本, dates, 文件名称及文号) and of the violation (编号,
违法行为, 违反条款, 处罚依据, 罚款模式, statutory limits) are written on the first row of each and
may be left blank below it (or repeated: then they must agree).

Conditions (适用情形) are written one after another, separated by "；": a fact that must hold
("及时改正"), one that must not ("危害后果：否"), or a threshold ("违法所得<=5000元", "持续时间（天）≤20",
"同类违法次数>=1", the last one found by the platform from the party's earlier cases).

The whole file is imported or nothing: every error is reported with its row (as Excel numbers it)
and its column (the Chinese header). Versions go through `discretion_benchmark_add`, which checks
them and records each in the ledger.
"""

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from sanxiang.procedure.discretion import (
    AMOUNT_MAX_FEN,
    EXAMPLE_PUNISHED_BY,
    EXAMPLE_VIOLATED,
    LOOKBACK_MAX_MONTHS,
    MODELS,
    MULTIPLE_MAX,
    NO_PENALTY_KINDS,
    REPEAT_FACT,
    TIERS,
    Band,
    Benchmark,
    Condition,
    Entry,
    MaximumOnly,
    MinimumOnly,
    MultipleFine,
    NoPenaltyRule,
    RangeFine,
    Rounding,
    Tier,
)
from sanxiang.procedure.violations import Refused
from sanxiang.registry.discretion_services import discretion_benchmark_add
from sanxiang.registry.models import Matter
from sanxiang.registry.permissions import Actor
from sanxiang.tabular import SheetTooLarge, xlsx_archive_problem, xlsx_rows

SHEET_TITLE = "裁量基准"
MAX_ROWS = 2000
MAX_FILE_BYTES = 5 * 1024 * 1024

COLUMNS: tuple[tuple[str, str], ...] = (
    ("matter", "事项编码"),
    ("version", "版本"),
    ("effective_from", "施行日期"),
    ("effective_to", "失效日期"),
    ("source", "文件名称及文号"),
    ("code", "违法行为编号"),
    ("violation", "违法行为"),
    ("violated", "违反条款"),
    ("punished_by", "处罚依据"),
    ("model", "罚款模式"),
    ("min_yuan", "法定下限（元）"),
    ("max_yuan", "法定上限（元）"),
    ("base_label", "倍数基数"),
    ("min_multiple", "法定最低倍数"),
    ("max_multiple", "法定最高倍数"),
    ("rounding_yuan", "取整单位（元）"),
    ("level", "裁量阶次"),
    ("conditions", "适用情形"),
    ("tier_min_yuan", "阶次下限（元）"),
    ("tier_max_yuan", "阶次上限（元）"),
    ("tier_min_multiple", "阶次最低倍数"),
    ("tier_max_multiple", "阶次最高倍数"),
    ("lookback_months", "追溯期限（月）"),
    ("explanation", "说明"),
)
HEADER = {name: header for name, header in COLUMNS}
VERSION_FIELDS = ("matter", "version", "effective_from", "effective_to", "source")
ENTRY_FIELDS = (
    "violation",
    "violated",
    "punished_by",
    "model",
    "min_yuan",
    "max_yuan",
    "base_label",
    "min_multiple",
    "max_multiple",
    "rounding_yuan",
)
LEVEL_OF_LABEL = {label: key for key, label in TIERS.items()}
NO_PENALTY_OF_LABEL = {label: key for key, label in NO_PENALTY_KINDS.items()}
MODEL_OF_LABEL = {label: key for key, label in MODELS.items()}
REPEAT_LABEL = "同类违法次数"

EXAMPLE_ROWS: tuple[tuple[Any, ...], ...] = (
    (
        "SC-001",
        "1",
        "2025-01-01",
        "",
        "某县市场监督管理局行政处罚裁量基准（某市监〔2025〕1号）",
        "1",
        "未按规定公示营业执照",
        EXAMPLE_VIOLATED,
        EXAMPLE_PUNISHED_BY,
        "幅度",
        1000,
        5000,
        "",
        "",
        "",
        100,
        "从重处罚",
        "同类违法次数>=1",
        3000,
        5000,
        "",
        "",
        "",
        "一年内再次违法",
    ),
    (
        "",
        "",
        "",
        "",
        "",
        "1",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "从轻处罚",
        "及时改正；危害后果轻微",
        1000,
        3000,
        "",
        "",
        "",
        "",
    ),
    (
        "",
        "",
        "",
        "",
        "",
        "1",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "一般处罚",
        "",
        3000,
        3000,
        "",
        "",
        "",
        "",
    ),
    (
        "",
        "",
        "",
        "",
        "",
        "1",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "首违不罚",
        "及时改正；危害后果轻微",
        "",
        "",
        "",
        "",
        12,
        "",
    ),
)


@dataclass(frozen=True)
class CellError:
    row: int  # as Excel numbers it (the header is row 1)
    column: str  # the Chinese header, "" for the whole row
    message: str


@dataclass
class BenchmarkImportReport:
    rows: int = 0
    versions: list[str] = field(default_factory=list)  # "事项编码 第N版"
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def discretion_template_build() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([header for _, header in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in EXAMPLE_ROWS:
        sheet.append(list(row))
    notes = workbook.create_sheet("说明")
    for line in (
        "每行是一个违法行为的一个裁量阶次，或者一条不予处罚清单（首违不罚、轻微不罚）。",
        "事项编码、版本、日期和文件名称只在每个版本的第一行填写；违法行为的各列只在该违法行为的第一行填写。",
        f"罚款模式：{'、'.join(MODELS.values())}。倍数模式填写倍数基数（如违法所得、货值金额）和倍数。",
        f"裁量阶次：{'、'.join(TIERS.values())}、{'、'.join(NO_PENALTY_KINDS.values())}。",
        "适用情形用“；”分隔：如“及时改正”“危害后果：否”“违法所得<=5000元”“同类违法次数>=1”。",
        "阶次幅度不填的，按法定幅度的中间值划分（从轻低于中间值，一般为中间值，从重不低于中间值）。",
        "整个文件全部正确才导入；有错误的，逐行逐列列出，一条也不导入。",
    ):
        notes.append([line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- parsing ----------------------------------------------------------------------------------


CONDITION = re.compile(
    r"^(?P<label>.+?)\s*(?P<op>>=|<=|≥|≤|>|<|=|＝)\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>元)?$"
)
OP_ALIASES = {"≥": ">=", "≤": "<=", "＝": "==", "=": "=="}


class _Bad(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def conditions_parse(text: str) -> tuple[Condition, ...]:
    conditions = []
    for item in re.split(r"[；;\n]", text or ""):
        item = item.strip()
        if not item:
            continue
        match = CONDITION.match(item)
        if match:
            label = match["label"].strip()
            op = OP_ALIASES.get(match["op"], match["op"])
            number = Decimal(match["value"])
            unit = "元" if match["unit"] else ""
            if number * (100 if unit else 1) > AMOUNT_MAX_FEN:
                raise _Bad(HEADER["conditions"], f"“{item}”的数值超出可以处理的范围")
            value = int(number * 100) if unit else int(number)
            fact = REPEAT_FACT if label == REPEAT_LABEL else label
            conditions.append(Condition(fact, label, op, value, unit=unit))
        elif item.endswith(("：否", ":否")):
            label = item[:-2].strip()
            conditions.append(Condition(label, label, "false"))
        else:
            conditions.append(Condition(item, item))
    return tuple(conditions)


def cell_text(value: Any) -> str:
    """A cell as text: integers without “.0”, dates as ISO, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _date(name: str, value: Any, *, required: bool) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        if required:
            raise _Bad(HEADER[name], "必须填写")
        return None
    match = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$", text)
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3])) if match else dt.date.fromisoformat(text)
    except ValueError as error:
        raise _Bad(HEADER[name], f"“{text}”不是有效的日期，应写成2025-01-01") from error


def _fen(name: str, value: Any) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise _Bad(HEADER[name], f"“{text}”不是金额，请只填写数字（单位：元）") from error
    if not amount.is_finite():
        raise _Bad(HEADER[name], f"“{text}”不是金额，请只填写数字（单位：元）")
    if amount < 0:
        raise _Bad(HEADER[name], "金额不能为负数")
    if amount > Decimal(AMOUNT_MAX_FEN) / 100:  # compared in 元: "1e999999999" would overflow in 分
        raise _Bad(HEADER[name], f"金额超出可以处理的范围（不超过{AMOUNT_MAX_FEN // 100}元）")
    return int((amount * 100).to_integral_value())


def _decimal(name: str, value: Any) -> Decimal | None:
    text = cell_text(value)
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise _Bad(HEADER[name], f"“{text}”不是数字") from error
    if not number.is_finite():
        raise _Bad(HEADER[name], f"“{text}”不是数字")
    if number < 0:
        raise _Bad(HEADER[name], "倍数不能为负数")
    if number > MULTIPLE_MAX:
        raise _Bad(HEADER[name], f"倍数超出可以处理的范围（不超过{MULTIPLE_MAX}倍）")
    return number


def _need(name: str, value: Any) -> Any:
    if value is None or value == "":
        raise _Bad(HEADER[name], "必须填写")
    return value


@dataclass
class _Draft:
    first_row: int
    values: dict[str, Any]
    entries: dict[str, dict] = field(default_factory=dict)  # code -> {"values", "row", "tiers", "rules"}


def rows_parse(
    rows: Iterable[tuple[int, dict[str, Any]]],
) -> tuple[list[tuple[int, Benchmark]], list[CellError]]:
    """Rows (Excel row number, field → cell) into benchmarks, each with its first row; every error."""
    errors: list[CellError] = []
    drafts: dict[tuple[str, str], _Draft] = {}
    current: _Draft | None = None
    for number, row in rows:
        try:
            if cell_text(row.get("matter")) or cell_text(row.get("version")):
                key = (
                    cell_text(_need("matter", cell_text(row.get("matter")))),
                    cell_text(_need("version", cell_text(row.get("version")))),
                )
                if key in drafts:
                    current = drafts[key]
                else:
                    current = None
                    values = {
                        "effective_from": _date("effective_from", row.get("effective_from"), required=True),
                        "effective_to": _date("effective_to", row.get("effective_to"), required=False),
                        "source": cell_text(_need("source", cell_text(row.get("source")))),
                    }
                    current = drafts[key] = _Draft(number, values)
            if current is None:
                raise _Bad(HEADER["matter"], "第一行数据必须填写事项编码和版本")
            code = cell_text(_need("code", cell_text(row.get("code"))))
            entry = current.entries.get(code)
            if entry is None:
                entry = current.entries[code] = {"row": number, "values": None, "tiers": [], "rules": []}
                try:
                    entry["values"] = _entry_values(row)
                except _Bad as bad:
                    errors.append(CellError(number, bad.column, bad.message))
            elif entry["values"] is not None:
                for name in ENTRY_FIELDS:
                    given = cell_text(row.get(name))
                    if given and given != cell_text(entry["values"]["raw"].get(name)):
                        raise _Bad(
                            HEADER[name], f"与违法行为“{code}”第一行（第{entry['row']}行）填写的不一致"
                        )
            _tier_add(entry, row)
        except _Bad as bad:
            errors.append(CellError(number, bad.column, bad.message))
    benchmarks = []
    for (matter, version), draft in drafts.items():
        entries = []
        rules = []
        for code, entry in draft.entries.items():
            if entry["values"] is None:
                continue
            try:
                entries.append(_entry_build(code, entry))
            except _Bad as bad:
                errors.append(CellError(entry["row"], bad.column, bad.message))
                continue
            rules += entry["rules"]
        benchmarks.append(
            (
                draft.first_row,
                Benchmark(
                    matter,
                    version,
                    draft.values["effective_from"],
                    draft.values["effective_to"],
                    draft.values["source"],
                    tuple(entries),
                    tuple(rules),
                ),
            )
        )
    return benchmarks, errors


def _entry_values(row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {"raw": {name: row.get(name) for name in ENTRY_FIELDS}}
    for name in ("violation", "violated", "punished_by"):
        values[name] = cell_text(_need(name, cell_text(row.get(name))))
    label = cell_text(_need("model", cell_text(row.get("model"))))
    if label not in MODEL_OF_LABEL:
        raise _Bad(HEADER["model"], f"“{label}”不是罚款模式，应为{'、'.join(MODELS.values())}之一")
    model = MODEL_OF_LABEL[label]
    low, high = _fen("min_yuan", row.get("min_yuan")), _fen("max_yuan", row.get("max_yuan"))
    if model == "range":
        sanction: Any = RangeFine(_need("min_yuan", low), _need("max_yuan", high))
    elif model == "maximum":
        sanction = MaximumOnly(_need("max_yuan", high))
    elif model == "minimum":
        sanction = MinimumOnly(_need("min_yuan", low))
    else:
        base = cell_text(_need("base_label", cell_text(row.get("base_label"))))
        sanction = MultipleFine(
            base,
            base,
            _need("min_multiple", _decimal("min_multiple", row.get("min_multiple"))),
            _need("max_multiple", _decimal("max_multiple", row.get("max_multiple"))),
            low,
            high,
        )
    values["sanction"] = sanction
    step = _fen("rounding_yuan", row.get("rounding_yuan"))
    if step == 0:
        raise _Bad(HEADER["rounding_yuan"], "取整单位必须大于0")
    values["rounding"] = Rounding(step or 100)
    return values


def _tier_add(entry: dict, row: dict[str, Any]) -> None:
    label = cell_text(_need("level", cell_text(row.get("level"))))
    conditions = conditions_parse(cell_text(row.get("conditions")))
    if label in NO_PENALTY_OF_LABEL:
        months = cell_text(row.get("lookback_months")) or "12"
        if not re.fullmatch(r"[0-9]{1,4}", months) or not 0 < int(months) <= LOOKBACK_MAX_MONTHS:
            raise _Bad(HEADER["lookback_months"], f"追溯期限应当填写1至{LOOKBACK_MAX_MONTHS}的整数（月）")
        caps = tuple(c for c in conditions if c.op not in ("true", "false"))
        others = tuple(c for c in conditions if c.op in ("true", "false"))
        code = cell_text(row.get("code"))
        entry["rules"].append(NoPenaltyRule(NO_PENALTY_OF_LABEL[label], code, int(months), caps, others))
        return
    if label not in LEVEL_OF_LABEL:
        choices = "、".join([*TIERS.values(), *NO_PENALTY_KINDS.values()])
        raise _Bad(HEADER["level"], f"“{label}”不是裁量阶次，应为{choices}之一")
    low, high = (
        _fen("tier_min_yuan", row.get("tier_min_yuan")),
        _fen("tier_max_yuan", row.get("tier_max_yuan")),
    )
    band = Band(low, high) if low is not None or high is not None else None
    low_m = _decimal("tier_min_multiple", row.get("tier_min_multiple"))
    high_m = _decimal("tier_max_multiple", row.get("tier_max_multiple"))
    multiples = None
    if low_m is not None or high_m is not None:
        multiples = (_need("tier_min_multiple", low_m), _need("tier_max_multiple", high_m))
    entry["tiers"].append(
        Tier(LEVEL_OF_LABEL[label], conditions, band, multiples, cell_text(row.get("explanation")))
    )


def _entry_build(code: str, entry: dict) -> Entry:
    values = entry["values"]
    return Entry(
        code,
        values["violation"],
        values["violated"],
        values["punished_by"],
        values["sanction"],
        tuple(entry["tiers"]),
        values["rounding"],
    )


# --- reading the file and importing -----------------------------------------------------------


# PLATFORM_RULE: how large an import workbook of these templates may be once unpacked (a few MB
# at most when filled; the archive's own compression makes a small file unpack to much more).
XLSX_INFLATED_MAX = 50 * 1024 * 1024


class SheetUnreadable(Exception):
    """The file as a whole cannot be imported (not a workbook, a header missing, no rows ...)."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def xlsx_rows_read(
    content: bytes, *, columns: Sequence[tuple[str, str]], sheet_title: str, what: str, max_rows: int = MAX_ROWS
) -> list[tuple[int, dict[str, Any]]]:
    """The data rows of an import file, each with its row number as Excel shows it: {name: value}
    by the Chinese headers of `columns` ((name, header) pairs; a trailing * marks nothing). Blank rows
    are skipped. Raises SheetUnreadable with the reason in Chinese (`what`: what the rows are, for
    the message). Shared by the imports that report errors by row and column."""
    problem = xlsx_archive_problem(content, inflated_max=XLSX_INFLATED_MAX)
    if problem:
        raise SheetUnreadable("", problem)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        raise SheetUnreadable(
            "", "无法读取：文件不是有效的 Excel 工作簿（.xlsx）。请下载模板，在模板中填写后再导入"
        ) from error
    try:
        worksheet = workbook[sheet_title] if sheet_title in workbook.sheetnames else workbook.worksheets[0]
        worksheet.reset_dimensions()
        rows: list[tuple[int, dict[str, Any]]] = []
        positions: dict[int, str] | None = None
        for number, values in enumerate(xlsx_rows(worksheet, columns=len(columns), rows=max_rows), start=1):
            if positions is None:
                headers = [re.sub(r"\s+", "", str(v)).rstrip("*＊") if v is not None else "" for v in values]
                of_header = {header: name for name, header in columns}
                missing = [header for _, header in columns if header not in headers]
                if missing:
                    raise SheetUnreadable(
                        "", f"第1行表头缺少列{'、'.join(f'“{h}”' for h in missing)}。请下载模板，不要修改表头"
                    )
                positions = {i: of_header[h] for i, h in enumerate(headers) if h in of_header}
                continue
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(rows) >= max_rows:
                raise SheetUnreadable("", f"文件的数据超过{max_rows}行的上限")
            rows.append((number, {name: values[i] for i, name in positions.items() if i < len(values)}))
        if positions is None:
            raise SheetUnreadable("", "文件是空的。请下载模板，在模板中填写后再导入")
        if not rows:
            raise SheetUnreadable("", f"文件没有数据行：表头下面没有填写任何{what}。请在模板中填写后再导入")
        return rows
    except SheetUnreadable:
        raise
    except SheetTooLarge as wide:
        raise SheetUnreadable("", wide.message) from None
    except Exception as error:
        # A sheet read lazily (read-only mode) can turn out broken only while its rows are read.
        raise SheetUnreadable(
            "", "无法读取：文件不是有效的 Excel 工作簿（.xlsx）。请下载模板，在模板中填写后再导入"
        ) from error
    finally:
        workbook.close()


def _file_rows(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    try:
        return xlsx_rows_read(content, columns=COLUMNS, sheet_title=SHEET_TITLE, what="裁量基准")
    except SheetUnreadable as unreadable:
        raise _Bad(unreadable.column, unreadable.message) from unreadable


def _field_column(field_name: str | None) -> str:
    names = {
        "effective_to": "effective_to",
        "version": "version",
        "source": "source",
        "matter": "matter",
        "code": "code",
        "sanction": "min_yuan",
        "tiers": "level",
        "entry": "code",
        "kind": "level",
        "lookback_months": "lookback_months",
    }
    name = names.get(field_name or "")
    return HEADER[name] if name else ""


def discretion_import(
    *, actor: Actor | None, file: IO[bytes], agency_ids: Sequence[int] | None = None
) -> BenchmarkImportReport:
    """Import every benchmark version of the file, or none; `agency_ids`: the matters the actor may
    touch (None: any, for the loaders)."""
    report = BenchmarkImportReport()
    content = file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        report.errors.append(CellError(0, "", f"文件大小超过{MAX_FILE_BYTES // (1024 * 1024)}MB的上限"))
        return report
    try:
        rows = _file_rows(content)
    except _Bad as bad:
        report.errors.append(CellError(0, bad.column, bad.message))
        return report
    report.rows = len(rows)
    benchmarks, errors = rows_parse(rows)
    report.errors += errors
    matters = {m.code: m for m in Matter.objects.filter(code__in=[b.matter for _, b in benchmarks])}
    for first_row, benchmark in benchmarks:
        matter = matters.get(benchmark.matter)
        if matter is None or (agency_ids is not None and matter.agency_id not in agency_ids):
            report.errors.append(
                CellError(first_row, HEADER["matter"], f"没有本单位可以维护的执法事项“{benchmark.matter}”")
            )
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for first_row, benchmark in benchmarks:
                try:
                    discretion_benchmark_add(
                        actor=actor, matter=matters[benchmark.matter], benchmark=benchmark
                    )
                    report.versions.append(f"{benchmark.matter} 第{benchmark.version}版")
                except Refused as refused:
                    report.errors += [
                        CellError(first_row, _field_column(v.field), v.message) for v in refused.violations
                    ]
            if report.errors:
                raise _RolledBack
    except _RolledBack:
        report.versions = []
    report.errors.sort(key=lambda e: (e.row, e.column))
    return report


class _RolledBack(Exception):
    pass
