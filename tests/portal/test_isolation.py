"""The public portal reads the public read model and nothing else (DESIGN: "the public site reads
only from it; it cannot reach internal case data even through a bug in a view").

Two checks: no portal module imports an internal app's models, services or selectors; and no
public page, crawled from the home page, sends a query to an internal table.
"""

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import sanxiang.portal
from sanxiang.cases.selectors import case_snapshot_build
from sanxiang.publication.models import Publication, PublicationDraft
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.publication.services import publication_approve
from sanxiang.review.services import catalogue_publish, catalogue_update
from tests.cases.support import to_decided, world_make

PORTAL = Path(sanxiang.portal.__file__).parent
# What a portal module may import from the project: the public tables, their search and their
# files (by digest, through publication), and the pure rules. Nothing of review or evidence.
ALLOWED = (
    "sanxiang.publication.models",
    "sanxiang.publication.search",
    "sanxiang.publication.public_files",
    "sanxiang.procedure",
    "sanxiang.portal",
    # 投诉举报 (issue 14, part D): the public status rows and the per-address limit of the public forms,
    # and the typed slot through which the form hands a complaint to the supervision app.
    "sanxiang.publication.complaints",
    "sanxiang.public_events",
    # The platform's input rules (ids and dates from a query string): a leaf module that imports
    # nothing of sanxiang and reads no table.
    "sanxiang.inputs",
)
INTERNAL_TABLES = ("cases_", "registry_", "accounts_", "evidence_", "access_", "ledger_", "review_", "supervision_",
                   "evaluation_",
                   "publication_publicationdraft", "auth_", "django_session")


def project_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return [n for n in names if n.startswith("sanxiang")]


def test_no_portal_module_imports_internal_code():
    modules = sorted(PORTAL.rglob("*.py"))
    assert len(modules) >= 6
    offending = {
        str(path.relative_to(PORTAL)): [n for n in project_imports(path) if not n.startswith(ALLOWED)]
        for path in modules
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_the_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from sanxiang.cases.models import Case\nimport sanxiang.registry.selectors\n", encoding="utf-8")
    assert [n for n in project_imports(bad) if not n.startswith(ALLOWED)] == ["sanxiang.cases.models",
                                                                             "sanxiang.registry.selectors"]


@pytest.mark.django_db
def test_no_public_page_queries_an_internal_table():
    w = world_make()
    case = to_decided(w)
    public_registry_refresh()
    publication_approve(actor=w.head, draft=PublicationDraft.objects.get(case=case), on=timezone.localdate())
    # The case's story is set in March 2026: keep its decision on display, so that its pages are crawled.
    Publication.objects.update(display_until=timezone.localdate() + dt.timedelta(days=365))
    assert case_snapshot_build(case).decided_on is not None
    # A catalogue of major decisions in two versions, so that /catalogues/ and both versions' pages
    # are crawled too (they once read the review app's table).
    catalogue_publish(actor=None, agency=w.agency)
    catalogue_update(actor=None, agency=w.agency, explanation="第二版。")
    catalogue_publish(actor=None, agency=w.agency)
    client = Client()
    pages, queue = set(), ["/"]
    touched: dict[str, list[str]] = {}
    while queue and len(pages) < 200:
        url = queue.pop()
        if url in pages:
            continue
        pages.add(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        # Tables as the SQL names them after FROM or JOIN (a column such as "ledger_seq" is not one).
        internal = [
            f"{t}: {q['sql'][:300]}" for q in queries for t in INTERNAL_TABLES
            if re.search(rf'(?:FROM|JOIN)\s+"?{t}', q["sql"])
        ]
        if internal:
            touched[url] = internal
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
                href = href.replace("&amp;", "&")
                if not href.startswith(("/staff/", "/accounts/", "/admin/", "/api/", "/i18n/", "/static/", "/ledger/")):
                    queue.append(href)
    assert len(pages) > 10
    assert any(re.fullmatch(r"/decisions/\d+/", p) for p in pages)
    assert {f"/catalogues/{w.agency.pk}/", f"/catalogues/{w.agency.pk}/v1/"} <= pages
    assert touched == {}
