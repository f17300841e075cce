"""Every staff page reachable from each demo role's home, with Django's test client: no 500 and
no English word or internal code in the page's text (issue 13 items 1 and 6). The browser crawl
(tests/e2e/test_crawl.py) adds the widths; this one needs no browser and runs everywhere."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.demo.county import ACCOUNT_PLANS
from tests.shared_demo import demo_county_shared
from tests.web.crawl import Frontier, english_words, page_read, url_pattern

# The day before today, as the demo's year of supervision (tests/demo/test_demo_supervision.py): one load.
TODAY = timezone.localdate() - dt.timedelta(days=1)
pytestmark = [pytest.mark.django_db, pytest.mark.shared_demo(day=TODAY)]

PAGES_PER_ROLE = 80


def test_the_word_check_tells_codes_and_english_from_data():
    assert english_words("步骤 record_inquiry 已完成") == ["record_inquiry"]
    assert english_words("Login throttles：3") == ["Login", "throttles"]
    assert english_words("下载 PDF 或 Word；文件 照片1.jpg，大小 2 MB") == []
    assert english_words("乌市监罚〔2026〕12号 91150626MA0N7Q2X3K 22:00 ¥5,000 a3f9c2") == []
    assert page_read('<p>审核<span translate="no">officer</span></p><script>var x="code";</script>')[0] == []
    assert page_read('<input placeholder="Search">')[0] == ["Search"]


def test_url_patterns_collapse_numbers_and_query_values():
    assert url_pattern("/staff/cases/12/") == url_pattern("/staff/cases/345/") == "/staff/cases/N/"
    assert url_pattern("/staff/cases/?status=open&page=2") == url_pattern("/staff/cases/?page=3&status=x")
    frontier = Frontier("/staff/", cap=10)
    frontier.add("/staff/", ["/staff/cases/1/", "/staff/cases/2/", "/staff/cases/3/", "/admin/",
                             "/accounts/logout/", "/staff/cases/1/decision.pdf", "https://example.org/staff/"])
    assert list(frontier) == ["/staff/", "/staff/cases/1/", "/staff/cases/2/"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_county_shared(day=TODAY, blocker=django_db_blocker) as loaded:
        yield loaded


def test_no_staff_page_fails_or_shows_a_code_for_any_demo_role(demo, settings):
    settings.DATA_DIR, settings.MEDIA_ROOT = demo.data_dir, demo.data_dir / "files"  # the demo's files
    failures = []
    visited = 0
    for plan in ACCOUNT_PLANS:
        client = Client()
        client.force_login(User.objects.get(username=plan.username))
        frontier = Frontier("/staff/", cap=PAGES_PER_ROLE)
        for path in frontier:
            response = client.get(path)
            visited += 1
            if response.status_code >= 500:
                failures.append(f"{plan.username} {path}: {response.status_code}")
                continue
            if response.status_code in (301, 302):
                frontier.add(path, [response["Location"]])
                continue
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            words, links = page_read(response.content.decode())
            if words:
                failures.append(f"{plan.username} {path}: {' '.join(words)}")
            frontier.add(path, links)
    assert visited > 6 * 15, visited
    assert not failures, "\n".join(failures)
