"""The exchange's writes: the export of a year to a folder (files only: the records are read, not
changed) and the import of an assignment from above as a supervision matter (through the
supervision desk's own service, which appends its ledger entry in the same transaction).

The export folder::

    manifest.json            every file's path, format, key, SHA-256 and size (schema: manifest)
    manifest.json.sha256     the manifest's SHA-256, in the form `sha256sum -c` reads
    cases/case-<h>.json      one per case of the year (h: the first 16 hex of SHA-256 of the case number)
    decisions/decision-<h>.json  one per 行政处罚 / 行政许可 decision published, decided in the year
    years/year-<year>.json   the year's figures per agency
    schemas/*.schema.json    the schemas the files follow, as shipped

Every document is checked against its schema before anything is written: one that fails stops the
export with every problem named, and the folder keeps what it held. The files are written to a
folder beside the target and put in its place at the end, so that a reader never meets half an
export. The bytes are canonical JSON, so the same records give the same folder, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from sanxiang.accounts.models import User
from sanxiang.exchange.formats import (
    ASSIGNMENT_FORMAT,
    CASE_FORMAT,
    DECISION_FORMAT,
    FORMAT_VERSION,
    MANIFEST_FORMAT,
    SCHEMA_NAMES,
    YEAR_FORMAT,
    Problem,
    document_problems,
    exchange_json,
    schema_text,
)
from sanxiang.exchange.selectors import (
    exchange_case_documents,
    exchange_decision_documents,
    year_document_build,
)
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.procedure.violations import PLATFORM_PREFIX, Refused, Violation
from sanxiang.registry.models import Agency
from sanxiang.supervision.models import Matter
from sanxiang.supervision.services import matter_open

MANIFEST = "manifest.json"
SCHEMA_FORMAT = "json-schema"
EXCHANGE_FORMAT_RULE = f"{PLATFORM_PREFIX}：交换数据应当符合本平台发布的交换格式（JSON Schema）"


class ExchangeExportError(Exception):
    """The export was refused: every document that failed its schema, with its problems."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ExportSummary:
    directory: Path
    year: int
    counts: dict[str, int]
    manifest_sha256: str
    files: list[dict[str, Any]] = field(default_factory=list)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{name}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


@dataclass(frozen=True)
class ExchangeFile:
    path: str  # relative to the export folder
    format: str
    key: str  # the case number, the decision's 文号, the year, the schema's name
    data: bytes


def exchange_files_iter(*, year: int, problems: list[str]) -> Iterator[ExchangeFile]:
    """Every file of `year`'s export but the manifest, one at a time (memory flat whatever the
    number of cases). Each document that does not validate adds its problems to `problems`, named
    by its key; it is still given, so that the caller sees every problem before refusing."""
    taken: set[str] = set()

    def made(folder: str, stem: str, key: str, document: dict[str, Any]) -> ExchangeFile:
        problems.extend(f"{key}：{problem}" for problem in document_problems(document))
        return ExchangeFile(f"{_unique(f'{folder}/{stem}', taken)}.json", document["format"], key,
                            exchange_json(document))

    for document in exchange_case_documents(year=year):
        number = document["case"]["number"]
        yield made("cases", f"case-{_digest(number)}", number, document)
    for document in exchange_decision_documents(year=year):
        fields = document["fields"]
        number = fields.get("CF_WSH") or fields.get("XK_WSH") or document["case_number"]
        yield made("decisions", f"decision-{_digest(document['layout'] + ':' + number)}", number, document)
    yield made("years", f"year-{year}", str(year), year_document_build(year=year))
    for name in sorted(SCHEMA_NAMES.values()):
        yield ExchangeFile(f"schemas/{name}.schema.json", SCHEMA_FORMAT, name, schema_text(name).encode("utf-8"))


def exchange_files_build(*, year: int) -> list[ExchangeFile]:
    """Every file of `year`'s export but the manifest, by path, held in memory (for checks and
    small years; the export writes them one at a time). Raises ExchangeExportError naming every
    document that does not validate."""
    problems: list[str] = []
    files = sorted(exchange_files_iter(year=year, problems=problems), key=lambda f: f.path)
    if problems:
        raise ExchangeExportError(problems)
    return files


def _manifest_entry(file: ExchangeFile) -> dict[str, Any]:
    return {"path": file.path, "format": file.format, "key": file.key, "sha256": hashlib.sha256(file.data).hexdigest(),
            "size": len(file.data)}


def exchange_manifest_build(*, year: int, entries: list[dict[str, Any]]) -> dict[str, Any]:
    counts = {"case": 0, "decision": 0, "year": 0, "schema": 0}
    by_format = {CASE_FORMAT: "case", DECISION_FORMAT: "decision", YEAR_FORMAT: "year", SCHEMA_FORMAT: "schema"}
    for entry in entries:
        counts[by_format[entry["format"]]] += 1
    return {
        "format": MANIFEST_FORMAT,
        "format_version": FORMAT_VERSION,
        "year": year,
        "counts": counts,
        "files": sorted(entries, key=lambda entry: entry["path"]),
    }


# The folders an export writes (see the module's docstring); a previous export holds only these,
# its manifest and .json files.
EXPORT_FOLDERS = frozenset({"cases", "decisions", "years", "schemas"})


def _export_target_problem(out: Path) -> str | None:
    """Why `out` (resolved) may not be replaced by an export, or None. Only an empty folder or a
    previous export is replaced: one whose manifest.json is an exchange manifest and which holds
    nothing but the export's own files (.json files, its folders, manifest.json.sha256). The data
    folder and every folder containing it are refused outright: `--out .` or `--out
    $SANXIANG_DATA_DIR` typed by mistake would otherwise delete the database, the stored files
    and the keys."""
    import json

    from django.conf import settings

    data_dir = Path(settings.DATA_DIR).resolve()
    if out == data_dir or out in data_dir.parents:
        return f"“{out}”是数据目录或包含数据目录（{data_dir}），不能作为导出目录"
    if not out.exists() and not out.is_symlink():
        return None
    if out.is_symlink() or not out.is_dir():
        return f"“{out}”已存在且不是目录，不能作为导出目录"
    children = list(out.iterdir())
    if not children:
        return None
    not_export = f"“{out}”不是空目录，也不是以前的交换数据导出（没有导出清单{MANIFEST}），为免误删，不替换它"
    try:
        manifest = json.loads((out / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return not_export
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        return not_export
    for child in children:
        if child.is_symlink():
            return f"“{out}”中有符号链接 {child.name}，不像以前的导出，为免误删，不替换它"
        if child.is_dir() and child.name in EXPORT_FOLDERS:
            others = [p.name for p in child.iterdir() if p.is_symlink() or not p.is_file() or p.suffix != ".json"]
            if others:
                return f"“{out}”的 {child.name} 中有导出以外的内容（{others[0]}），为免误删，不替换它"
        elif not (child.is_file() and (child.suffix == ".json" or child.name == f"{MANIFEST}.sha256")):
            return f"“{out}”中有导出以外的内容（{child.name}），为免误删，不替换它"
    return None


def _export_target_check(out: Path) -> None:
    problem = _export_target_problem(out)
    if problem is not None:
        raise ExchangeExportError([problem])


def exchange_export(*, year: int, out: Path) -> ExportSummary:
    """Write `year`'s export to the folder `out` (created, or replaced whole when it is empty or a
    previous export; anything else, and the data folder, is refused). Reads only.

    Files are written one at a time to a staging folder beside `out`; if any document does not
    validate, the staging folder is removed and ExchangeExportError names every problem, `out`
    untouched."""
    out = Path(out).resolve()
    _export_target_check(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        problems: list[str] = []
        entries = []
        for file in exchange_files_iter(year=year, problems=problems):
            target = staging / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.data)
            entries.append(_manifest_entry(file))
        manifest = exchange_manifest_build(year=year, entries=entries)
        problems += [f"{MANIFEST}：{p}" for p in document_problems(manifest)]
        if problems:
            raise ExchangeExportError(problems)
        manifest_bytes = exchange_json(manifest)
        manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
        (staging / MANIFEST).write_bytes(manifest_bytes)
        (staging / f"{MANIFEST}.sha256").write_text(f"{manifest_sha256}  {MANIFEST}\n", encoding="ascii")
        # The owner's only (and the owner's group, which the collecting process may run in): the
        # documents hold personal data (names, masked ID numbers), like the data folder (0700).
        os.chmod(staging, 0o750)
        if out.exists():
            _export_target_check(out)  # again: it may have changed while the files were written
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            os.replace(out, old / out.name)
            os.replace(staging, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ExportSummary(directory=out, year=year, counts=manifest["counts"], manifest_sha256=manifest_sha256,
                         files=manifest["files"])


def exchange_export_check(*, directory: Path) -> list[str]:
    """Every difference between an export folder and its manifest (a file missing, changed or not
    listed; the manifest's own hash), and every file that does not validate; [] when it is whole."""
    import json

    directory = Path(directory)
    problems: list[str] = []
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        return [f"缺少{MANIFEST}"]
    manifest_bytes = manifest_path.read_bytes()
    recorded = directory / f"{MANIFEST}.sha256"
    if recorded.is_file():
        if recorded.read_text(encoding="ascii").split()[:1] != [hashlib.sha256(manifest_bytes).hexdigest()]:
            problems.append(f"{MANIFEST}的SHA-256与{MANIFEST}.sha256不符")
    else:
        problems.append(f"缺少{MANIFEST}.sha256")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        return [*problems, f"{MANIFEST}不是有效的JSON"]
    problems += [f"{MANIFEST}：{p}" for p in document_problems(manifest, expected_format=MANIFEST_FORMAT)]
    if problems:
        return problems
    listed = set()
    for entry in manifest["files"]:
        listed.add(entry["path"])
        path = directory / entry["path"]
        if not path.is_file():
            problems.append(f"{entry['path']}：文件缺失")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"] or len(data) != entry["size"]:
            problems.append(f"{entry['path']}：内容与清单记录的SHA-256不符")
    present = {p.relative_to(directory).as_posix() for p in directory.rglob("*.json") if p.name != MANIFEST}
    problems += [f"{path}：清单中没有这个文件" for path in sorted(present - listed)]
    return problems


# --- import of assignments from above ------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentImported:
    matter: Matter
    created: bool  # False: the same 交办文号 of the same body was registered before; nothing was written


def _refused(problems: list[Problem]) -> Refused:
    return Refused([
        Violation("exchange.schema", str(problem), EXCHANGE_FORMAT_RULE, problem.path.lstrip("/") or None)
        for problem in problems
    ])


@transaction.atomic
def assignment_import(*, actor: User | None, document: Any) -> AssignmentImported:
    """Register an assignment from above (交办、专项监督任务) as a supervision matter of the bureau it
    names, through `supervision.services.matter_open` (ledgered there, in this transaction).

    Refused, with every reason, when the document does not follow its schema, names no judicial
    bureau of this installation or an agency unknown here (and whatever `matter_open` refuses).
    The same body's same 交办文号 registers once: importing it again returns the matter registered
    then and writes nothing."""
    problems = document_problems(document, expected_format=ASSIGNMENT_FORMAT)
    if problems:
        raise _refused(problems)
    violations = []
    bureau = Agency.objects.filter(credit_code=document["bureau_credit_code"], is_judicial_bureau=True).first()
    if bureau is None:
        violations.append(Violation("exchange.bureau", "本平台没有该统一社会信用代码的司法局",
                                    EXCHANGE_FORMAT_RULE, "bureau_credit_code"))
    agency = None
    if document["agency_credit_code"] is not None:
        agency = Agency.objects.filter(credit_code=document["agency_credit_code"]).first()
        if agency is None:
            violations.append(Violation("exchange.agency", "本平台没有该统一社会信用代码的行政执法机关",
                                        EXCHANGE_FORMAT_RULE, "agency_credit_code"))
    if violations:
        raise Refused(violations)
    body, reference = document["assigning_body"].strip(), document["assigning_reference"].strip()
    existing = Matter.objects.filter(bureau=bureau, assigning_body=body, assigning_reference=reference).first()
    if existing is not None:
        return AssignmentImported(matter=existing, created=False)
    matter = matter_open(
        bureau=bureau, source=MatterSource(document["source"]), subject=document["subject"],
        summary=document["summary"], received_on=dt.date.fromisoformat(document["received_on"]), agency=agency,
        actor=actor, origin=f"exchange:{reference}"[:120], assigning_body=body, assigning_reference=reference,
    )
    return AssignmentImported(matter=matter, created=True)
