"""The law lives in `procedure` (DESIGN.md, "Law as code"): no Python file of another app writes an
article of a statute itself; it names a citation of `procedure.citations` or calls the rule that
carries one. `documents` (the printed 文书's fixed wording) and `demo` (sample data) are outside this
rule, and migrations are history."""

import re
from pathlib import Path

import sanxiang

ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇0-9]+条")
EXEMPT = ("procedure", "documents", "demo")


def test_no_file_outside_procedure_cites_a_statute_article():
    root = Path(sanxiang.__file__).parent
    citing = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in EXEMPT or "migrations" in relative.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ARTICLE.search(line):
                citing.append(f"{relative}:{number}: {line.strip()[:80]}")
    assert citing == [], "\n".join(citing)
