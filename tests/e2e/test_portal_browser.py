"""The public portal in headless Chromium, as a citizen uses it: search the decisions, open one,
and verify an officer's certificate by its number."""

import datetime as dt
import shutil

import pytest
from django.utils import timezone

from sanxiang.publication.models import Publication, PublicationDraft
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.publication.services import publication_approve
from tests.cases.support import to_decided, world_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]




@pytest.mark.django_db(transaction=True)
def test_a_citizen_searches_opens_a_decision_and_verifies_a_certificate(browser_page, live_server):
    page = browser_page
    w = world_make()
    case = to_decided(w)
    public_registry_refresh()
    publication_approve(actor=w.head, draft=PublicationDraft.objects.get(case=case), on=timezone.localdate())
    # The case's story is set in March 2026; keep the decision on display for the walk, whatever today is.
    Publication.objects.update(display_until=timezone.localdate() + dt.timedelta(days=365))
    certificate = w.zhang.certificates.get()

    page.goto(live_server.url + "/")
    page.get_by_label("搜索执法决定").fill("保质期")
    page.get_by_role("button", name="搜索").click()
    rows = page.locator("[data-testid=decision-row]")
    assert rows.count() == 1
    assert "超过保质期" in rows.first.inner_text()
    rows.first.locator("a").first.click()
    title = page.locator("[data-testid=decision-title]").inner_text()
    assert "涉嫌经营超过保质期的食品案" in title
    body = page.locator("main").inner_text()
    assert w.company.name in body and "罚款人民币叁仟元整" in body  # the 处罚内容 as the 决定书 states it
    assert "巴特尔" in body  # the company's legal representative is published (and is also its interviewee)

    page.goto(live_server.url + "/certificates/")
    page.get_by_label("执法证号").fill(certificate.number)
    page.get_by_role("button", name="核验").click()
    state = page.locator("[data-testid=certificate-state]").inner_text()
    assert "有效" in state
    verified = page.locator("main").inner_text()
    assert "张三" in verified and certificate.number in verified
    assert w.zhang.id_number not in verified
