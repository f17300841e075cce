"""The crawl of issue 13's acceptance: every staff page reachable by links from each demo role's
home, in Chromium at desktop size (1280×800) and at phone size (390×844): no page scrolls
sideways (the document is no wider than the viewport), no English word or internal code in the
page's text (tests/web/crawl.py says which words are data), no 500.

The demo county is served by `sanxiang demo` as a user would start it, and each role logs in
through the login form (with its second factor). One browser for everything; each page is loaded
once at desktop size and then narrowed to the phone's width, which re-lays it out under the
phone's media queries. Each kind of address (numbers collapsed) is visited at most twice."""

import os
from pathlib import Path

import pytest

from sanxiang.accounts.totp import totp_code
from tests.e2e.demo_cli import parse_accounts
from tests.web.crawl import Frontier, page_read

# `sanxiang demo` serves the embedded SQLite whatever DATABASE_URL says: the SQLite run covers it, and the
# client crawl (tests/web/test_crawl_client.py) visits the pages on PostgreSQL too.
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                                                  reason="sanxiang demo runs on the embedded SQLite")]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PAGES_PER_ROLE = 30

# What sticks out past the right edge of the viewport, to say where a page overflows.
OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      out.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "")
               + "「" + (el.textContent || "").trim().slice(0, 20) + "」");
      if (out.length >= 3) break;
    }
  }
  return document.documentElement.scrollWidth + "px: " + out.join(" ");
}"""


def _log_in(page, base: str, account: dict) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", account["username"])
    page.fill("input[name=password]", account["password"])
    page.get_by_role("button", name="登录").click()
    if account["secret"]:
        page.wait_for_selector("input[name=code]")
        page.fill("input[name=code]", totp_code(account["secret"]))
        page.get_by_role("button", name="验证").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url, timeout=15000)


def _overflow_at(page, size: dict) -> str | None:
    page.set_viewport_size(size)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate(OVERFLOW)


def test_every_staff_page_of_every_role_fits_both_sizes_and_speaks_chinese(demo_server, chromium_page):
    page = chromium_page
    base = demo_server["url"]
    accounts = parse_accounts(demo_server["output"])
    assert len(accounts) == 6
    failures: list[str] = []
    visited: dict[str, int] = {}
    for account in accounts:
        who = account["username"]
        page.set_viewport_size(DESKTOP)
        _log_in(page, base, account)
        frontier = Frontier("/staff/", cap=PAGES_PER_ROLE)
        for path in frontier:
            response = page.goto(base + path)
            visited[who] = visited.get(who, 0) + 1
            if response is None:
                continue
            if response.status >= 500:
                failures.append(f"{who} {path}: {response.status}")
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            html = page.content()
            words, links = page_read(html)
            if words:
                failures.append(f"{who} {path}: 英文或代码 {' '.join(words)}")
            for size in (DESKTOP, PHONE):
                overflow = _overflow_at(page, size)
                if overflow:
                    failures.append(f"{who} {path} @{size['width']}: 横向溢出 {overflow}")
            page.set_viewport_size(DESKTOP)
            frontier.add(page.url.removeprefix(base) or "/", links)
    assert all(count >= 10 for count in visited.values()), visited
    assert not failures, f"{len(failures)} 处问题（共访问 {sum(visited.values())} 页）：\n" + "\n".join(failures)


def test_the_overflow_check_sees_a_page_wider_than_the_phone(chromium_page):
    page = chromium_page
    page.set_content('<html><body><p>窄</p><div class="wide" style="width:600px">宽</div></body></html>')
    assert _overflow_at(page, DESKTOP) is None
    found = _overflow_at(page, PHONE)
    assert found is not None and "div.wide「宽」" in found


SITE_JS = Path(__file__).resolve().parents[2] / "src/sanxiang/web/static/web/site.js"
PAGE = """<!doctype html><html lang="zh-hans"><head><meta name="viewport" content="width=device-width">
<link rel="stylesheet" href="/static/web/site.css"><script src="/static/web/site.js" defer></script></head><body>
<header class="topbar"><button type="button" class="menu-toggle" data-menu-toggle aria-controls="sidenav" aria-expanded="false">菜单</button></header>
<div class="layout"><nav class="sidenav" id="sidenav"><a href="/x">工作台</a></nav><main>
<table><thead><tr><th>姓名</th><th>执法证号</th></tr></thead><tbody><tr><td>乌力吉</td><td>15062622000010</td></tr></tbody></table>
<form method="post" action="/sent" data-confirm="吊销这个接口令牌？"><button>吊销</button></form></main></div></body></html>"""


def _static_site(page) -> None:
    css = SITE_JS.with_name("site.css")

    def serve(route):
        path = route.request.url.removeprefix("http://site.test")
        if path == "/static/web/site.js":
            route.fulfill(body=SITE_JS.read_text(encoding="utf-8"), content_type="text/javascript")
        elif path == "/static/web/site.css":
            route.fulfill(body=css.read_text(encoding="utf-8"), content_type="text/css")
        elif path == "/sent":
            route.fulfill(body="<p id=sent>已提交</p>", content_type="text/html; charset=utf-8")
        else:
            route.fulfill(body=PAGE, content_type="text/html; charset=utf-8")

    page.route("http://site.test/**", serve)


def test_on_a_phone_the_menu_folds_tables_become_labelled_cards_and_irreversible_forms_ask_first(chromium_page):
    page = chromium_page
    _static_site(page)
    page.set_viewport_size(PHONE)
    page.goto("http://site.test/")
    page.wait_for_load_state("load")
    # The navigation is behind the 菜单 button, which opens and closes it.
    assert not page.locator("#sidenav").is_visible()
    page.get_by_role("button", name="菜单").click()
    assert page.locator("#sidenav").is_visible()
    assert page.get_by_role("button", name="菜单").get_attribute("aria-expanded") == "true"
    page.get_by_role("button", name="菜单").click()
    assert not page.locator("#sidenav").is_visible()
    # Each cell carries its column's name; the header row is out of sight.
    assert page.locator("td").nth(1).get_attribute("data-label") == "执法证号"
    assert not page.locator("thead").is_visible() or page.locator("thead").bounding_box()["width"] <= 1
    # An irreversible form asks; declined, nothing is sent; accepted, it is.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="吊销").click()
    page.wait_for_timeout(100)
    assert asked == ["吊销这个接口令牌？"] and page.url == "http://site.test/"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="吊销").click()
    page.wait_for_selector("#sent")
    # At desktop size the navigation is a side column again, without the button.
    page.goto("http://site.test/")
    page.set_viewport_size(DESKTOP)
    assert page.locator("#sidenav").is_visible() and not page.get_by_role("button", name="菜单").is_visible()
