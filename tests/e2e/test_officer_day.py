"""Acceptance (issue 13): an officer's day on a phone, 390×844, in headless Chromium.

Worklist → case → 现场检查笔录 written in the field: the record is kept on the phone and restored
after a reload, a photo is taken (a file chooser here) and the party signs on the screen, both
uploaded resumably and tied to the record; the record is sent while the connection is lost and
goes out by itself when it returns; then the files are seen (the evidence list, the viewer page)
and the next step is taken. No page it visits scrolls sideways."""

import datetime as dt
import json
import shutil
import struct
import zlib

import pytest
from django.utils import timezone

from sanxiang.access.models import AccessLogEntry
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.cases.support import investigating_today
from tests.e2e.support import login

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]

PHONE = {"width": 390, "height": 844}
INSPECTION = "现场检查并制作现场检查笔录"


def photo_png(width: int = 64, height: int = 48) -> bytes:
    """A small real PNG (a grey picture), as the phone's camera would hand over a file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([(x * 4) % 256, 120, 200]) * 1 + b"\x80\x80\x80" * (width - 1) for x in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


WIDE_ELEMENTS = """() => {
    const out = [];
    for (const el of document.querySelectorAll("main *")) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 0.5 && r.width > 0) out.push(el.tagName.toLowerCase() + "." + el.className);
    }
    return out.slice(0, 8);
}"""


def assert_no_sideways_scroll(page, where: str) -> None:
    """The document is no wider than the viewport (it would scroll sideways otherwise)."""
    width, viewport = page.evaluate(
        "() => [Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), window.innerWidth]"
    )
    assert width <= viewport, f"{where}: the page is {width} px wide at {viewport} px: {page.evaluate(WIDE_ELEMENTS)}"



@pytest.mark.django_db(transaction=True)
def test_officer_day_on_a_phone(browser_page, live_server):
    page = browser_page
    page.set_viewport_size(PHONE)
    w, case = investigating_today()
    case_url = f"/staff/cases/{case.pk}/"
    login(page, live_server, w.officer)

    # The worklist, then the case.
    page.goto(f"{live_server.url}/staff/")
    assert_no_sideways_scroll(page, "worklist")
    page.locator(f"a[href='{case_url}']").first.click()
    page.wait_for_url(f"**{case_url}")
    assert_no_sideways_scroll(page, "case page")

    # The 现场检查笔录, written in the field; the phone keeps it as it is typed.
    step = page.locator("[data-testid=action-record_inspection]")
    step.locator("summary").first.click()
    step.locator("input[name=place]").fill("当事人经营场所")
    step.locator("input[name=certificate_shown]").check()
    step.locator("input[name=recorder]").fill("李四")
    step.locator("textarea[name=findings]").fill("现场查见超过保质期的纯牛奶12箱，已拍照取证。")
    assert_no_sideways_scroll(page, "现场检查笔录 form")
    page.reload()
    step = page.locator("[data-testid=action-record_inspection]")
    assert step.locator("details").first.get_attribute("open") is not None  # reopened with the kept draft
    assert step.locator("textarea[name=findings]").input_value() == "现场查见超过保质期的纯牛奶12箱，已拍照取证。"
    assert step.locator("input[name=certificate_shown]").is_checked()
    assert "已恢复本机保存的笔录草稿" in step.locator("[data-draft-notice]").inner_text()

    # A photo from the camera (a file chooser here), uploaded at once.
    capture = step.locator("[data-testid=capture-record_inspection]")
    assert capture.locator("input[type=file]").get_attribute("capture") == "environment"
    capture.locator("input[type=file]").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": photo_png()}]
    )
    capture.locator("[data-capture-list] li.done:has-text('照片 现场.png')").wait_for()

    # The party signs on the screen (pointer events from the mouse, as from a finger).
    capture.locator("[data-sign-role]").select_option("party")
    capture.locator("[data-sign-name]").fill("巴特尔")
    pad = capture.locator("[data-sign-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.6)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(box["x"] + 20 + i * 22, box["y"] + box["height"] * (0.6 - 0.3 * (i % 2)), steps=3)
    page.mouse.up()
    capture.locator("[data-sign-save]").click()
    capture.locator("[data-capture-list] li.done:has-text('签名（当事人 巴特尔）')").wait_for()
    assert_no_sideways_scroll(page, "现场检查笔录 with its photo and signature")

    captured = list(EvidenceRecord.objects.filter(case=case).exclude(draft_key="").order_by("id"))
    assert [(r.kind, r.step, r.record_seq) for r in captured] == [
        ("photo", "record_inspection", None), ("signature", "record_inspection", None)
    ]
    assert captured[1].stored_file.content_type == "image/png" and captured[1].signer_name == "巴特尔"

    # The connection drops as the record is sent: it stays on the phone and goes out on its return.
    before = Entry.objects.filter(kind=EventKind.STEP_DONE).count()
    page.context.set_offline(True)
    step.locator("[data-testid=perform-record_inspection]").click()
    page.wait_for_selector("[data-draft-notice]:has-text('网络已断开')")
    assert Entry.objects.filter(kind=EventKind.STEP_DONE).count() == before
    page.context.set_offline(False)
    page.wait_for_selector(f".msg:has-text('已完成：{INSPECTION}')")
    assert "recorded=" not in page.url  # the script saw it and cleared the kept draft
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('sanxiang-draft:'))") == []
    assert INSPECTION in page.locator("[data-testid=timeline]").inner_text()
    assert_no_sideways_scroll(page, "case page after the record")

    entry = Entry.objects.get(kind=EventKind.STEP_DONE, subject=f"case:{case.pk}:record_inspection")
    payload = json.loads(bytes(entry.body))["payload"]
    assert [e["record"] for e in payload["evidence"]] == [r.pk for r in captured]
    device_time = dt.datetime.fromisoformat(payload["device_time"].replace("Z", "+00:00"))
    assert abs(device_time - timezone.now()) < dt.timedelta(hours=1)  # the phone's clock, kept beside the ledger's
    assert set(EvidenceRecord.objects.filter(pk__in=[r.pk for r in captured]).values_list("record_seq", flat=True)) == {entry.seq}

    # The files are seen: the case's evidence, each with its record and step, and the photo shown.
    page.goto(f"{live_server.url}/staff/evidence/cases/{case.pk}/")
    assert_no_sideways_scroll(page, "evidence list")
    listed = page.locator("[data-testid=evidence-list]").inner_text()
    assert "现场.png" in listed and "当事人 巴特尔" in listed and INSPECTION in listed
    assert f"账本第 {entry.seq} 条" in listed
    page.locator(f"[data-testid=evidence-{captured[0].pk}] a:has-text('查看')").click()
    image = page.locator("[data-testid=evidence-viewer] img")
    image.wait_for()
    page.wait_for_function("() => document.querySelector('[data-testid=evidence-viewer] img').naturalWidth > 0")
    assert_no_sideways_scroll(page, "evidence viewer")
    assert AccessLogEntry.objects.filter(object_kind="evidence", object_id=str(captured[0].pk), action="view").exists()

    # The next step of the day: the 询问笔录, from the case page.
    page.goto(f"{live_server.url}{case_url}")
    inquiry = page.locator("[data-testid=action-record_inquiry]")
    inquiry.locator("summary").first.click()
    inquiry.locator("input[name=place]").fill("本局询问室")
    inquiry.locator("input[name=certificate_shown]").check()
    inquiry.locator("input[name=recorder]").fill("李四")
    inquiry.locator("input[name=interviewee]").fill("巴特尔")
    inquiry.locator("textarea[name=exchanges]").fill("问：我们是执法人员，这是执法证件，看清楚了吗？\n答：看清楚了。")
    assert_no_sideways_scroll(page, "询问笔录 form")
    inquiry.locator("[data-testid=perform-record_inquiry]").click()
    page.wait_for_selector(".msg:has-text('已完成：询问并制作询问笔录')")
    assert_no_sideways_scroll(page, "case page after the inquiry")


@pytest.mark.django_db(transaction=True)
def test_a_photo_taken_without_signal_goes_with_its_record_when_the_signal_returns(browser_page, live_server):
    page = browser_page
    page.set_viewport_size(PHONE)
    w, case = investigating_today()
    login(page, live_server, w.officer)
    page.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    step = page.locator("[data-testid=action-record_inspection]")
    step.locator("summary").first.click()
    step.locator("input[name=place]").fill("当事人仓库")
    step.locator("input[name=certificate_shown]").check()
    step.locator("input[name=recorder]").fill("李四")
    step.locator("textarea[name=findings]").fill("仓库内查见过期纯牛奶3箱。")

    page.context.set_offline(True)
    step.locator("input[type=file]").set_input_files(
        files=[{"name": "仓库.png", "mimeType": "image/png", "buffer": photo_png()}]
    )
    step.locator("[data-testid=perform-record_inspection]").click()
    page.wait_for_selector("[data-draft-notice]:has-text('网络已断开')")
    assert not EvidenceRecord.objects.filter(case=case).exclude(draft_key="").exists()

    # Signal again: the photo goes first, then the record, whose entry lists it.
    page.context.set_offline(False)
    page.wait_for_selector(f".msg:has-text('已完成：{INSPECTION}')", timeout=30_000)
    photo = EvidenceRecord.objects.get(case=case, kind="photo")
    entry = Entry.objects.get(kind=EventKind.STEP_DONE, subject=f"case:{case.pk}:record_inspection")
    assert [e["record"] for e in json.loads(bytes(entry.body))["payload"]["evidence"]] == [photo.pk]
    assert photo.record_seq == entry.seq
    assert_no_sideways_scroll(page, "case page after the record")
