"""The public portal on a phone (issue 13, acceptance): at 390×844 a citizen searches the decisions,
opens one, verifies the officer's certificate and opens its printable card, and from there the
agency's page. On every page: nothing scrolls sideways (the document is no wider than the
viewport), the navigation is a menu that opens, tables are cards, and the words are Chinese."""

import datetime as dt
import re
import shutil

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanxiang.publication.models import Publication, PublicationDraft
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.publication.services import publication_approve
from tests.cases.support import to_decided, world_make
from tests.web.crawl import english_words

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)"),
]

PHONE = {"width": 390, "height": 844}
# Words that may stay in Latin letters on a public page: the feeds' format names (a subscriber's
# reader knows them by these names) and web addresses (the card prints the one its QR code holds).
# Numbers, 文号 and certificate numbers have no letters to flag.
LATIN_ALLOWED = {"RSS", "Atom", "JSON", "Feed"}


def assert_fits(page, where: str) -> None:
    """No sideways scroll: the document is no wider than the viewport, nor is any element."""
    widths = page.evaluate(
        "() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,"
        " viewport: window.innerWidth})"
    )
    assert widths["viewport"] == PHONE["width"], where
    assert widths["doc"] <= widths["viewport"] and widths["body"] <= widths["viewport"], (where, widths)
    wide = page.evaluate(
        "() => Array.from(document.querySelectorAll('body *')).filter(e => {"
        " const r = e.getBoundingClientRect(); return r.width > 0 && r.right > window.innerWidth + 1; })"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert wide == [], (where, wide)


def assert_chinese(page, where: str, *, data: tuple[str, ...] = ()) -> None:
    """No English word on the page; `data` are values shown as they are (a query code of letters)."""
    text = re.sub(r"https?://\S+", " ", page.locator("body").inner_text() + " " + page.title())
    for value in data:
        text = text.replace(value, " ")
    # A token with a digit is data (a 文号, a credit code such as 91150626MA0N7Q2XN1), not a word.
    latin = set(english_words(text)) - LATIN_ALLOWED
    assert latin == set(), (where, latin)


def menu_open(page) -> None:
    """The links are folded into 栏目 on a phone: the bar's own links are hidden, the menu opens."""
    assert not page.locator(".portal-nav-wide").is_visible()
    menu = page.get_by_test_id("portal-menu")
    assert menu.is_visible()
    page.get_by_text("栏目", exact=True).click()
    links = menu.get_by_role("link")
    assert links.count() == 10 and all(links.nth(i).is_visible() for i in range(10))
    box = menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.django_db(transaction=True)
def test_a_citizen_on_a_phone_searches_opens_a_decision_and_verifies_a_certificate(browser_page, live_server):
    page = browser_page
    page.set_viewport_size(PHONE)
    w = world_make()
    case = to_decided(w)
    public_registry_refresh()
    publication_approve(actor=w.head, draft=PublicationDraft.objects.get(case=case), on=timezone.localdate())
    # The case's story is set in March 2026; keep the decision on display for the walk, whatever today is.
    Publication.objects.update(display_until=timezone.localdate() + dt.timedelta(days=365))
    certificate = w.zhang.certificates.get()

    page.goto(live_server.url + "/")
    assert_fits(page, "home")
    assert_chinese(page, "home")
    page.get_by_label("搜索执法决定").fill("保质期")
    page.get_by_role("button", name="搜索").click()

    # The list: each decision a card as wide as the screen allows, its cells labelled.
    rows = page.locator("[data-testid=decision-row]")
    assert rows.count() == 1
    assert_fits(page, "decision list")
    assert_chinese(page, "decision list")
    row = rows.first
    assert row.evaluate("e => getComputedStyle(e).display") == "block"
    assert page.locator("[data-testid=decision-table] thead").bounding_box()["height"] <= 1
    labels = row.locator("[data-label]").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert '"决定书文号："' in labels and '"当事人："' in labels, labels
    row.get_by_role("link").first.click()

    assert "涉嫌经营超过保质期的食品案" in page.locator("[data-testid=decision-title]").inner_text()
    assert "罚款人民币叁仟元整" in page.locator("main").inner_text()
    assert_fits(page, "decision")
    assert_chinese(page, "decision")

    # The menu leads to the certificate check.
    menu_open(page)
    page.get_by_test_id("portal-menu").get_by_role("link", name="执法证件核验").click()
    assert_fits(page, "certificate lookup")
    page.get_by_label("执法证号").fill(certificate.number)
    page.get_by_role("button", name="核验").click()

    assert "有效" in page.get_by_test_id("certificate-state").inner_text()
    assert page.get_by_test_id("certificate-valid-from").inner_text() == (
        f"{certificate.valid_from.year}年{certificate.valid_from.month}月{certificate.valid_from.day}日"
    )
    assert page.get_by_test_id("certificate-valid-to").inner_text() == (
        f"{certificate.valid_to.year}年{certificate.valid_to.month}月{certificate.valid_to.day}日"
    )
    assert_fits(page, "certificate")
    assert_chinese(page, "certificate")
    page.get_by_test_id("certificate-card-link").click()

    card = page.get_by_test_id("certificate-card")
    assert card.is_visible() and certificate.number in card.inner_text()
    assert page.get_by_test_id("certificate-qr").locator("svg").is_visible()
    assert_fits(page, "card")
    assert_chinese(page, "card")

    # The agency of the certificate: its long tables (matters, inspections) as cards too.
    page.go_back()
    page.locator("[data-testid=certificate-facts] a").first.click()
    expect(page.get_by_test_id("agency-name")).to_be_visible()
    assert_fits(page, "agency")
    assert_chinese(page, "agency")
