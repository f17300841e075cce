"""Evidence pages: the upload page, lists and downloads, and who may open them."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.evidence.conftest import mp4_bytes
from tests.factories import user_make

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download_url(record) -> str:
    return f"/staff/evidence/records/{record.pk}/download/"


def test_download_records_the_access_before_streaming(ingest, user, case):
    data = mp4_bytes(seed=51)
    record = ingest(data, case=case, name="询问 录像（张三）.mp4")
    response = logged_in(user).get(download_url(record))
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(len(data))
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]  # the sanitized Chinese name, RFC 5987
    access = AccessLogEntry.objects.get()
    assert (access.user_id, access.action, access.object_kind, access.object_id) == (user.pk, "download", "evidence", str(record.pk))
    assert (access.case_id, access.agency_id) == (case.pk, case.agency_id)
    assert Entry.objects.filter(kind=EventKind.ACCESS, seq=access.ledger_seq).exists()
    assert b"".join(response.streaming_content) == data


def test_inline_view_is_recorded_as_a_view(ingest, user):
    record = ingest(mp4_bytes(seed=52))
    response = logged_in(user).get(download_url(record) + "?inline=1")
    assert response.status_code == 200 and "inline" in response["Content-Disposition"]
    # Sandboxed (no script, no form, no origin); framed by this site's own viewer page only.
    assert response["Content-Security-Policy"] == "sandbox; frame-ancestors 'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert AccessLogEntry.objects.get().action == "view"


def test_a_supervisor_reads_evidence_only_under_a_read_grant_and_is_recorded(ingest, supervisor, case):
    """No general read-all of case files (《行政执法监督条例》第二十二条第四项, 调阅案卷): without a grant
    naming the case the supervisor gets the 需经调阅 page; with one the download is served and logged."""
    from tests.supervision.support import read_grant_give

    record = ingest(mp4_bytes(seed=53), case=case)
    refused = logged_in(supervisor).get(download_url(record))
    assert refused.status_code == 403 and "需经调阅" in refused.content.decode()
    assert AccessLogEntry.objects.count() == 0
    read_grant_give(case=case, user=supervisor)
    assert logged_in(supervisor).get(download_url(record)).status_code == 200
    assert AccessLogEntry.objects.get().user_id == supervisor.pk


def test_another_agency_can_neither_list_nor_download(ingest, case, other_user):
    record = ingest(mp4_bytes(seed=54), case=case)
    stranger = logged_in(other_user)
    assert stranger.get(download_url(record)).status_code == 404
    assert stranger.get(f"/staff/evidence/cases/{case.pk}/").status_code == 404
    assert stranger.get(f"/staff/evidence/upload/?case={case.pk}").status_code == 404
    index = stranger.get("/staff/evidence/")
    assert index.status_code == 200 and record.original_name not in index.content.decode()
    assert AccessLogEntry.objects.count() == 0


def test_anonymous_users_are_sent_to_the_login(ingest):
    record = ingest(mp4_bytes(seed=55))
    response = Client().get(download_url(record))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert AccessLogEntry.objects.count() == 0


def test_case_list_shows_the_records(ingest, user, case):
    ingest(mp4_bytes(seed=56), case=case, name="现场检查录像.mp4", step="inspection", device_number="DSJ-9")
    page = logged_in(user).get(f"/staff/evidence/cases/{case.pk}/").content.decode()
    assert "现场检查录像.mp4" in page and "DSJ-9" in page and "MP4 视频" in page and "现场检查" in page


def test_upload_page_shows_the_size_limit_up_front(user, case, settings):
    settings.SANXIANG_EVIDENCE_MAX_BYTES = 2 * 1024**3
    response = logged_in(user).get(f"/staff/evidence/upload/?case={case.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "单个文件不超过 2 GB" in page
    assert 'data-max-bytes="2147483648"' in page
    assert "evidence/upload.js" in page and "/staff/evidence/tus/" in page


def test_supervisors_cannot_upload(supervisor, case):
    assert logged_in(supervisor).get(f"/staff/evidence/upload/?case={case.pk}").status_code == 403


def test_a_colleague_sees_the_agency_records(ingest, agency):
    record = ingest(mp4_bytes(seed=57))
    colleague = user_make(role=Role.REVIEWER, agency=agency)
    assert logged_in(colleague).get(download_url(record)).status_code == 200


def test_the_widget_script_ships_with_the_app():
    path = finders.find("evidence/upload.js")
    assert path is not None
    source = open(path, encoding="utf-8").read()
    # The pieces the widget promises: the tus headers, resumption from localStorage, retries.
    for needle in ("Tus-Resumable", "Upload-Offset", "localStorage", "RETRY_DELAYS", "Upload-Checksum", "X-CSRFToken"):
        assert needle in source


@pytest.mark.parametrize("value", ["%C2%B2", "1" * 5000, "9" * 20, "-1"])
def test_upload_page_with_a_case_that_is_no_id_is_not_found(user, value):
    """Review r1 F4: "²" and 5,000 digits passed str.isdigit() and made int() raise (a 500)."""
    client = logged_in(user)
    client.raise_request_exception = False
    assert client.get(f"/staff/evidence/upload/?case={value}").status_code == 404
