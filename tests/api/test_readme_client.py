"""Issue 19 item 6: the README's Python client example, run as a reader would run it (its own
process, the standard library only) against a live server: it registers a penalty case, prints
what blocks each step with its article, has the head approve, opens the case and prints its
deadlines. A change of the API that breaks the example fails here."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sanxiang.accounts.services import api_token_create
from sanxiang.cases.models import Case
from tests.cases.support import world_make
from tests.ledger.helpers import ledger_purge

README = Path(__file__).resolve().parents[2] / "README.md"


def example() -> str:
    found = re.search(r"<!-- client-example -->\n```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert found, "the README's client example (marked <!-- client-example -->) is missing"
    return found.group(1)


@pytest.mark.django_db(transaction=True)
def test_the_readme_client_example_registers_and_opens_a_case(live_server, tmp_path):
    w = world_make()
    _, officer = api_token_create(actor=w.officer, user=w.officer, name="README")
    _, head = api_token_create(actor=w.head, user=w.head, name="README")
    script = tmp_path / "client.py"
    script.write_text(example(), encoding="utf-8")
    env = {**os.environ, "SANXIANG_URL": live_server.url, "SANXIANG_TOKEN": officer, "SANXIANG_HEAD_TOKEN": head,
           "PARTY_ID": str(w.company.pk), "OFFICER_IDS": f"{w.zhang.pk},{w.li.pk}"}
    try:
        result = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        case = Case.objects.get()
        assert case.state == "opened" and case.title == "涉嫌经营超过保质期的食品案"
        # Before the approval, 立案 was blocked, and the example printed why, with the article.
        assert "立案须经行政机关负责人批准" in result.stdout and "第五十四条" in result.stdout
        # After opening, the deadlines with their basis.
        assert "第六十条" in result.stdout, result.stdout
    finally:
        ledger_purge()
