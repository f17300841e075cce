"""The upload widget in headless Chromium: progress, retry after a dropped connection, and
resumption after a page reload (the upload URL kept in localStorage)."""

import os
import shutil
from pathlib import Path

import pytest
from django.test import Client

from sanxiang.evidence.models import EvidenceRecord, UploadChunk, UploadSession
from tests.evidence.conftest import mp4_bytes
from tests.ledger.helpers import ledger_purge

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHUNK = 8 * 1024 * 1024  # the widget's chunk size
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]


@pytest.fixture
def staff_page(live_server, user, case, monkeypatch):
    """A logged-in page on the upload page of `case`. Playwright is started here rather than
    through pytest-playwright's session-wide fixtures: its sync API leaves an event loop marked
    running in this thread, in which Django refuses database work, so it must stop before the
    next test."""
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(user)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test's own queries, while it runs
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page()
        page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        page.goto(f"{live_server.url}/staff/evidence/upload/?case={case.pk}")
        try:
            yield page
        finally:
            browser.close()
    ledger_purge()


def choose(page, path: Path) -> None:
    page.set_input_files("#ev-file", str(path))
    page.select_option("#ev-kind", "video")
    page.fill("#ev-step", "inspection")


@pytest.mark.django_db(transaction=True)
def test_upload_with_progress_and_a_dropped_connection(staff_page, tmp_path):
    page = staff_page
    source = tmp_path / "执法记录仪.mp4"
    source.write_bytes(mp4_bytes(CHUNK + 500_000, seed=71))
    patches = []

    def drop_first_patch(route, request):
        if request.method == "PATCH":
            patches.append(request)
            if len(patches) == 1:
                route.abort("connectionreset")
                return
        route.continue_()

    page.route("**/staff/evidence/tus/**", drop_first_patch)
    assert "单个文件不超过" in page.content()
    choose(page, source)
    page.click("#ev-start")
    page.wait_for_selector("#ev-status:has-text('自动重试')", timeout=10_000)
    page.wait_for_selector("#ev-status:has-text('上传完成')", timeout=30_000)
    assert page.eval_on_selector("#ev-progress", "e => e.value") == 100
    record = EvidenceRecord.objects.get()
    assert record.original_name == "执法记录仪.mp4" and record.step == "inspection"
    assert record.stored_file.size == source.stat().st_size
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('sanxiang-tus:')).length") == 0


@pytest.mark.django_db(transaction=True)
def test_resume_after_a_page_reload(staff_page, tmp_path, case):
    page = staff_page
    source = tmp_path / "长录像.mp4"
    source.write_bytes(mp4_bytes(2 * CHUNK + 100_000, seed=72))
    os.utime(source, (1_700_000_000, 1_700_000_000))
    accepted = []

    def cut_after_first_chunk(route, request):
        if request.method == "PATCH":
            if accepted:
                route.abort("internetdisconnected")
                return
            accepted.append(request)
        route.continue_()

    page.route("**/staff/evidence/tus/**", cut_after_first_chunk)
    choose(page, source)
    page.click("#ev-start")
    page.wait_for_selector("#ev-status:has-text('自动重试')", timeout=30_000)
    assert UploadSession.objects.get().offset == CHUNK

    page.unroute("**/staff/evidence/tus/**")
    page.reload()
    assert "未上传完成" in page.text_content("#ev-pending")
    choose(page, source)
    page.click("#ev-start")
    page.wait_for_selector("#ev-status:has-text('上传完成')", timeout=30_000)
    assert UploadSession.objects.count() == 1  # the same upload, continued
    assert list(UploadChunk.objects.values_list("offset", flat=True)) == [0, CHUNK, 2 * CHUNK]
    assert EvidenceRecord.objects.get().stored_file.size == source.stat().st_size
