"""The law lives in `procedure` (DESIGN.md, "Law as code"): no Python file or template of another app
writes an article of a statute itself; it names a citation of `procedure.citations` or calls the rule
that carries one, and a template receives it from its view. `documents` (the printed 文书's fixed
wording) and `demo` (sample data) are outside this rule, and migrations are history."""

import re
from pathlib import Path

import sanxiang

ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇0-9]+条")
EXEMPT = ("procedure", "documents", "demo")
ROOT = Path(sanxiang.__file__).parent


def _checked_files(root: Path = ROOT) -> list[Path]:
    """The Python files, and the templates (`.html`, `.txt` under a `templates` folder)."""
    templates = [p for suffix in ("html", "txt") for p in root.rglob(f"templates/**/*.{suffix}")]
    return sorted([*root.rglob("*.py"), *templates])


def _citing_lines(root: Path = ROOT) -> list[str]:
    citing = []
    for path in _checked_files(root):
        relative = path.relative_to(root)
        if relative.parts[0] in EXEMPT or "migrations" in relative.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ARTICLE.search(line):
                citing.append(f"{relative}:{number}: {line.strip()[:80]}")
    return citing


def test_the_rule_reads_templates_too(tmp_path):
    # An article written in a page or a text template is flagged like one in Python; the exempt
    # apps' templates (the 文书's fixed wording) are not.
    for relative, text in {
        "cases/templates/cases/form.html": "<p>（行政处罚法第五十一条）</p>",
        "cases/templates/cases/mail.txt": "依据第四十八条",
        "cases/templates/cases/plain.html": "<p>{{ basis }}</p>",
        "cases/static/cases/note.html": "第一条",
        "documents/templates/documents/notice.html": "第四十四条",
    }.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    assert _citing_lines(tmp_path) == [
        "cases/templates/cases/form.html:1: <p>（行政处罚法第五十一条）</p>",
        "cases/templates/cases/mail.txt:1: 依据第四十八条",
    ]


def test_no_file_outside_procedure_cites_a_statute_article():
    citing = _citing_lines()
    assert citing == [], "\n".join(citing)
