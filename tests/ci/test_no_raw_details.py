"""No app reads another app's raw JSON keys (DESIGN.md): a case's texts are typed per procedure
(`ProcedureSpec.texts_type`, e.g. `procedure.penalty.texts.PenaltyTexts`), stored under
`Case.details["texts"]` and read through `cases.selectors.case_texts` / `case_publication_texts`.

The only code that touches `Case.details` as JSON is the cases app's own storage of it: the
services and selectors, for the keys they manage for every procedure ("records", the records
the steps made; "texts", the typed texts; "step_values", the values of the correctable records). Everywhere else `.details` is not read at all, and no
template reaches into it. Migrations are history and read the JSON of their time."""

import ast
import re
from pathlib import Path

import sanxiang

ROOT = Path(sanxiang.__file__).parent
STORAGE = {
    Path("cases/services.py"),
    Path("cases/selectors.py"),
    # `sanxiang grow` copies a case's stored row whole, moving every date in it; it reads no key
    # but the managed ones (checked like the storage).
    Path("demo/grow.py"),
}
# "step_values": the values of the records a step made, kept for their corrections (更正).
MANAGED_KEYS = {"records", "texts", "step_values"}
ACCESSORS = {"get", "setdefault", "pop", "update", "items", "keys", "values"}


def _is_details(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "details") or (
        isinstance(node, ast.Name) and node.id == "details"
    )


def _key(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def raw_details_reads(source: str, *, storage: bool) -> list[tuple[int, str]]:
    """(line, what) for each read of a case's raw details the rule forbids in this source."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_details(node.value):
            key = _key(node.slice)
            if not storage or key not in MANAGED_KEYS:
                found.append((node.lineno, f"details[{key!r}]"))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ACCESSORS
              and _is_details(node.func.value)):
            key = _key(node.args[0]) if node.args else None
            if not storage or key not in MANAGED_KEYS:
                found.append((node.lineno, f"details.{node.func.attr}({key!r})"))
        elif isinstance(node, ast.Attribute) and node.attr == "details" and not storage:
            found.append((node.lineno, ".details"))
    return sorted(set(found))


def test_no_code_reads_a_cases_raw_details_outside_their_storage():
    offending = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts:
            continue
        for line, what in raw_details_reads(path.read_text(encoding="utf-8"), storage=relative in STORAGE):
            offending.append(f"{relative}:{line}: {what}")
    assert offending == [], "\n".join(offending)


def test_no_template_reaches_into_a_cases_details():
    offending = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\{[{%][^}]*\.details\b", line)
    ]
    assert offending == [], "\n".join(offending)


def test_the_rule_sees_the_reads_it_forbids():
    """The check itself: each way of reading the raw keys is caught, the storage's own keys pass."""
    reads = """
def f(case, details):
    a = case.details.get("findings", {})
    b = case.details["decision_number"]
    c = details.get("hearing", {}).get("public")
    d = [k for k in case.details.items()]
    return _protected_values(case, case.details)
"""
    assert [what for _, what in raw_details_reads(reads, storage=False)] == [
        ".details", "details.get('findings')", ".details", "details['decision_number']",
        "details.get('hearing')", ".details", "details.items(None)", ".details",
    ]
    assert [what for _, what in raw_details_reads(reads, storage=True)] == [
        "details.get('findings')", "details['decision_number']", "details.get('hearing')", "details.items(None)",
    ]
    managed = 'def g(case, draft):\n    draft.details["records"] = case.details.get("records", [])\n'
    assert raw_details_reads(managed, storage=True) == []
    assert raw_details_reads(managed, storage=False) != []
