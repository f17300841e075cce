"""The Content-Security-Policy in headless Chromium: the portal's pages, a case page, the evidence
upload page, the certificate card with its QR code, the registry's forms and the admin load without
one violation, and what would otherwise be inline script (the menu button) works from a file."""

import datetime as dt
import shutil

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.publication.models import Publication, PublicationDraft, PublicCertificate
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.publication.services import publication_approve
from tests.cases.support import to_decided, world_make
from tests.e2e.support import login
from tests.factories import user_make

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]

# Injected by the browser's devtools before any page script, so the policy does not block it.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.mark.django_db(transaction=True)
def test_no_page_breaks_the_policy(browser_page, live_server):
    page = browser_page
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.add_init_script(LISTEN)

    w = world_make()
    case = to_decided(w)
    public_registry_refresh()
    publication_approve(actor=w.head, draft=PublicationDraft.objects.get(case=case), on=timezone.localdate())
    Publication.objects.update(display_until=timezone.localdate() + dt.timedelta(days=365))
    publication = Publication.objects.get()
    token = PublicCertificate.objects.filter(number=w.zhang.certificates.get().number).get().token

    def visit(path: str) -> None:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        violations = page.evaluate("window.__csp")
        assert violations == [], f"{path}: {violations}"

    for path in ("/", reverse("portal:decision_list"), reverse("portal:decision_detail", args=[publication.pk]),
                 reverse("portal:decision_notice"), reverse("portal:agency_list"),
                 reverse("portal:certificate_verify", args=[token]), reverse("portal:certificate_card", args=[token])):
        visit(path)
    assert page.locator("[data-testid=certificate-qr] svg").is_visible()
    # The card's stylesheet applies (a file now): the card is 85.6 mm wide, about 323 CSS pixels.
    assert 300 < page.locator("[data-testid=certificate-card]").bounding_box()["width"] < 345

    login(page, live_server, w.officer)
    for path in (reverse("web:home"), f"/staff/cases/{case.pk}/", f"/staff/evidence/upload/?case={case.pk}",
                 reverse("registry:agency_list")):
        visit(path)
    # The case page's own stylesheet applies: a step is a bordered box.
    assert page.goto(f"{live_server.url}/staff/cases/{case.pk}/").status == 200
    assert page.locator(".step").first.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"

    # The navigation's menu button on a phone, from site.js (no inline onclick=).
    page.set_viewport_size({"width": 390, "height": 844})
    visit(reverse("web:home"))
    assert not page.locator("#sidenav").is_visible()
    page.get_by_role("button", name="菜单").click()
    assert page.locator("#sidenav").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})

    login(page, live_server, user_make(role=Role.SYSTEM_ADMIN))
    page.goto(live_server.url + "/admin/")
    page.wait_for_load_state("load")
    assert page.evaluate("window.__csp") == []

    assert [text for text in console if "Content Security Policy" in text] == []
