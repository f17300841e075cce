"""The public pages of published decisions: list, filters, search, pages, withdrawn and expired
decisions, the feeds and the printable notice. No login anywhere."""

import datetime as dt
import itertools
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.portal.decisions import PAGE_SIZE
from sanxiang.publication.models import PublicAgency, Publication, PublicationStatus
from sanxiang.publication.search import SEARCH_FIELDS, search_text_build
from tests.pages import linked_css

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)
ATOM = "{http://www.w3.org/2005/Atom}"


def public_agency_make(**fields) -> PublicAgency:
    n = next(_serial)
    values = {
        "source_id": n,
        "name": f"乌审旗执法机关{n}",
        "kind": "行政机关",
        "refreshed_at": timezone.now(),
    }
    return PublicAgency.objects.create(**(values | fields))


def publication_make(*, agency: PublicAgency, **fields) -> Publication:
    n = next(_serial)
    values = {
        "agency_name": agency.name,
        "number": f"乌审旗市监处罚〔2026〕{n}号",
        "title": f"案件{n}",
        "party_name": f"某某商贸有限公司{n}",
        "party_kind": "法人及非法人组织",
        "party_credit_code": "91150626MA0N000000",
        "violation_type": "其他",
        "facts": "经查，当事人存在违法行为。",
        "basis": "《中华人民共和国行政处罚法》第九条",
        "kinds": ["fine"],
        "kinds_label": "罚款",
        "content": "罚款2000元。",
        "fine_fen": 200000,
        "decided_on": dt.date(2026, 10, 1),
        "published_on": dt.date(2026, 10, 8),
        "display_until": dt.date(2029, 10, 8),
    } | fields
    values["search_text"] = search_text_build(texts=[values[f] for f in SEARCH_FIELDS])
    return Publication.objects.create(agency=agency, **values)


def withdrawn_make(*, agency: PublicAgency, **fields) -> Publication:
    return publication_make(
        agency=agency,
        status=PublicationStatus.WITHDRAWN,
        withdrawn_on=dt.date(2026, 11, 3),
        withdrawal_statement="该决定已被行政复议机关撤销，依法撤回公示。",
        **fields,
    )


class _Page(HTMLParser):
    """The bits of a page the tests look at: elements by data-testid, labels, controls."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.testids: dict[str, int] = {}
        self.labels: set[str] = set()
        self.controls: list[dict] = []
        self.lang = ""
        self.th_without_scope = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-testid" in a:
            self.testids[a["data-testid"]] = self.testids.get(a["data-testid"], 0) + 1
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a)
        if tag == "th" and "scope" not in a:
            self.th_without_scope += 1


@pytest.fixture
def agency():
    return public_agency_make(name="乌审旗市场监督管理局")


@pytest.fixture
def other():
    return public_agency_make(name="乌审旗综合行政执法局")


def rows_of(client, **params) -> tuple[str, _Page]:
    response = client.get(reverse("portal:decision_list"), params)
    assert response.status_code == 200
    html = response.content.decode()
    return html, _Page(html)


# --- the list -----------------------------------------------------------------------------------


def test_list_shows_the_public_columns(client, agency):
    p = publication_make(
        agency=agency, title="擅自设置户外广告", party_name="乌审旗某广告有限公司", kinds_label="警告、罚款"
    )
    html, page = rows_of(client)
    assert page.testids["decision-row"] == 1
    for text in (p.number, p.title, p.party_name, agency.name, "警告、罚款", "2026-10-01"):
        assert text in html
    assert reverse("portal:decision_detail", args=[p.pk]) in html


def test_list_is_accessible(client, agency):
    publication_make(agency=agency)
    withdrawn_make(agency=agency)
    _, page = rows_of(client)
    assert page.lang == "zh-Hans"
    ids = {c.get("id") for c in page.controls if c.get("name") in ("q", "agency", "kind", "from", "to")}
    assert ids and ids <= page.labels and len(ids) == 5
    assert page.th_without_scope == 0
    assert "<script" not in rows_of(client)[0]


def test_list_reads_in_three_queries(client, agency, django_assert_max_num_queries):
    for _ in range(25):
        publication_make(agency=agency)
    # The agencies for the filter, then per visible status (published, withdrawn) the page and the
    # days for its bounded count.
    with django_assert_max_num_queries(5):
        client.get(reverse("portal:decision_list"), {"kind": "fine", "agency": agency.pk})
    # A search: the agencies, the first and last day, one range of days (all are on one day) for
    # the page and one for the count (tests/portal/test_search.py bounds longer spans).
    with django_assert_max_num_queries(5):
        client.get(reverse("portal:decision_list"), {"q": "违法", "kind": "fine", "agency": agency.pk})


def test_withdrawn_listed_with_statement_and_expired_hidden(client, agency):
    published = publication_make(agency=agency, title="销售过期食品")
    withdrawn = withdrawn_make(agency=agency, title="无照经营")
    expired = publication_make(agency=agency, title="已过公示期的案件", status=PublicationStatus.EXPIRED)
    html, page = rows_of(client)
    assert page.testids["decision-row"] == 2
    assert published.title in html and withdrawn.title in html and expired.title not in html
    assert page.testids["withdrawn-statement"] == 1
    assert "已撤回" in html and withdrawn.withdrawal_statement in html and "2026年11月3日" in html


def test_filter_by_agency(client, agency, other):
    mine = publication_make(agency=agency)
    theirs = publication_make(agency=other)
    html, page = rows_of(client, agency=agency.pk)
    assert page.testids["decision-row"] == 1 and mine.number in html and theirs.number not in html


def test_filter_by_kind(client, agency):
    fine = publication_make(agency=agency, kinds=["warning", "fine"])
    closed = publication_make(agency=agency, kinds=["suspend_business"], kinds_label="责令停产停业")
    warned = publication_make(agency=agency, kinds=["warning"], kinds_label="警告")
    html, _ = rows_of(client, kind="fine")
    assert fine.number in html and closed.number not in html and warned.number not in html
    html, _ = rows_of(client, kind="suspend_business")
    assert closed.number in html and fine.number not in html
    html, _ = rows_of(client, kind="warning")
    assert fine.number in html and warned.number in html and closed.number not in html


def test_filter_by_dates_inclusive(client, agency):
    early = publication_make(agency=agency, decided_on=dt.date(2026, 3, 1))
    middle = publication_make(agency=agency, decided_on=dt.date(2026, 6, 15))
    late = publication_make(agency=agency, decided_on=dt.date(2026, 9, 30))
    html, _ = rows_of(client, **{"from": "2026-06-15", "to": "2026-09-30"})
    assert middle.number in html and late.number in html and early.number not in html
    html, _ = rows_of(client, to="2026-03-01")
    assert early.number in html and middle.number not in html


def test_invalid_filters_are_reported_and_the_valid_ones_still_apply(client, agency, other):
    mine = publication_make(agency=agency)
    theirs = publication_make(agency=other)
    html, _ = rows_of(client, agency=agency.pk, kind="nonsense", **{"from": "2026-13-45"})
    assert mine.number in html and theirs.number not in html
    assert html.count('role="alert"') == 2
    html, _ = rows_of(client, **{"from": "2026-10-02", "to": "2026-10-01"})
    assert "截止日期不能早于起始日期" in html


def test_search_from_the_list(client, agency):
    ad = publication_make(agency=agency, title="发布虚假广告")
    food = publication_make(agency=agency, title="违反食品安全法规定")
    withdrawn = withdrawn_make(agency=agency, title="擅自设置户外广告")
    html, page = rows_of(client, q="广告")
    assert ad.number in html and food.number not in html and withdrawn.number not in html
    assert page.testids["decision-row"] == 1
    html, _ = rows_of(client, q="食品安全", agency=agency.pk)
    assert food.number in html and ad.number not in html


def _next_link(html: str, rel: str) -> dict[str, str] | None:
    """The query of the pager's link with `rel` ("next", "prev"), or None without one."""
    import re
    from html import unescape
    from urllib.parse import parse_qsl

    match = re.search(rf'<a href="\?([^"]*)" rel="{rel}">', html)
    return dict(parse_qsl(unescape(match[1]))) if match else None


def test_pages_follow_a_cursor_and_keep_the_filters(client, agency, other):
    """Keyset paging (issue 20): next and previous links carry the filters and a cursor, never a
    page number; walking forward shows every row once, newest first, and back again the same pages."""
    made = [publication_make(agency=agency, decided_on=dt.date(2026, 1, 1) + dt.timedelta(days=i // 3))
            for i in range(2 * PAGE_SIZE + 5)]  # three a day: rows that share a day are ordered by id
    publication_make(agency=other)
    html, page = rows_of(client, agency=agency.pk)
    assert page.testids["decision-row"] == PAGE_SIZE
    assert "共 45 件" in html and "page=" not in html and _next_link(html, "prev") is None
    seen, pages, params = [], [], {"agency": str(agency.pk)}
    while params is not None:
        html, page = rows_of(client, **params)
        pages.append(html)
        seen += [p.number for p in made if f">{p.number}<" in html]
        assert params.get("agency") == str(agency.pk)
        params = _next_link(html, "next")
    newest_first = sorted(made, key=lambda p: (p.decided_on, p.pk), reverse=True)
    assert len(pages) == 3 and sorted(seen) == sorted(p.number for p in made) and len(seen) == len(set(seen))
    # Each page holds its slice of the order, newest first.
    for i in range(0, len(newest_first), PAGE_SIZE):
        chunk = newest_first[i : i + PAGE_SIZE]
        html = pages[i // PAGE_SIZE]
        positions = [html.index(f">{p.number}<") for p in chunk]
        assert positions == sorted(positions)
    assert "2026-01-01" in pages[-1] and _next_link(pages[-1], "next") is None
    # Back from the last page: the middle one, then the first (no previous link on it).
    back = _next_link(pages[-1], "prev")
    assert back is not None and back["agency"] == str(agency.pk)
    html, _ = rows_of(client, **back)
    assert [p.number for p in newest_first[PAGE_SIZE : 2 * PAGE_SIZE] if f">{p.number}<" in html] == [
        p.number for p in newest_first[PAGE_SIZE : 2 * PAGE_SIZE]
    ]
    html, _ = rows_of(client, **_next_link(html, "prev"))
    assert all(f">{p.number}<" in html for p in newest_first[:PAGE_SIZE]) and _next_link(html, "prev") is None


@pytest.mark.parametrize(
    "params",
    [{"page": "3"}, {"page": "abc"}, {"after": "garbage"}, {"after": "20261399-5"}, {"before": "x-1"},
     {"after": "2026-01-01"}, {"before": "29991231-99999999"}, {"after": "99991231-1"}],
)
def test_old_page_links_and_bad_cursors_serve_the_first_page(client, agency, params):
    """An old `?page=` link (the list paged by number before issue 20) or a cursor this page did not
    write is the first page, not an error."""
    for i in range(PAGE_SIZE + 3):
        publication_make(agency=agency, decided_on=dt.date(2026, 1, 1) + dt.timedelta(days=i))
    first_html, _ = rows_of(client)
    html, page = rows_of(client, **params)
    assert page.testids["decision-row"] == PAGE_SIZE
    assert "2026-01-23" in html and "2026-01-03" not in html  # the newest page
    assert (_next_link(html, "next") is not None) and _next_link(first_html, "next") is not None


@pytest.mark.parametrize("rows", [10, 200])
def test_list_queries_do_not_grow_with_the_rows(client, agency, rows, django_assert_num_queries, monkeypatch):
    """The same queries at 10 and at 200 publications, on the first page and a deep one: the
    agencies, then per visible status (published, withdrawn) the page and the newest days up to one
    past the count's bound, and past it the oldest day for the estimate."""
    from sanxiang.portal import decisions

    for i in range(rows):
        publication_make(agency=agency, decided_on=dt.date(2026, 1, 1) + dt.timedelta(days=i % 300))
    url = reverse("portal:decision_list")
    with django_assert_num_queries(5):  # exact: agencies, page ×2, days ×2
        html = client.get(url, {"agency": agency.pk, "kind": "fine"}).content.decode()
    assert f"共 {rows} 件" in html
    with django_assert_num_queries(5):
        client.get(url, {"after": "20260101-999999999"})
    monkeypatch.setattr(decisions, "LIST_COUNT_EXACT", 5)
    with django_assert_num_queries(7):  # estimated: and the oldest day ×2
        client.get(url, {"after": "20261231-1", "agency": agency.pk})


def test_list_count_is_estimated_past_its_bound(client, agency, monkeypatch):
    """Past LIST_COUNT_EXACT rows the list counts the newest ones' days and extrapolates over the
    span (a platform rule of cost), saying so: "约N件（按最近日期的决定数估算）"."""
    from sanxiang.portal import decisions

    for day in range(10):  # two a day over ten days: 20 rows
        for _ in range(2):
            publication_make(agency=agency, decided_on=dt.date(2026, 3, 1) + dt.timedelta(days=day))
    monkeypatch.setattr(decisions, "LIST_COUNT_EXACT", 3)
    html = client.get(reverse("portal:decision_list")).content.decode()
    # The 4th newest row is on the 2nd newest day: the newest day before it holds 2 rows, 2 a day
    # over 10 days → about 20.
    assert "约20件（按最近日期的决定数估算）" in html
    monkeypatch.setattr(decisions, "LIST_COUNT_EXACT", 20)
    assert "共 20 件" in client.get(reverse("portal:decision_list")).content.decode()


# --- one decision --------------------------------------------------------------------------------


def test_detail_shows_every_public_field(client, agency):
    p = publication_make(
        agency=agency,
        title="销售不符合食品安全标准的食品",
        legal_representative="王某",
        violation_type="食品安全",
        facts="当事人销售超过保质期的食品。",
        basis="《中华人民共和国食品安全法》第一百二十四条",
        content="没收违法所得并罚款。",
        fine_fen=5000050,
        confiscation_fen=120000,
        licence="食品经营许可证JY11506260000000",
        agency_credit_code="11150626MB0000000X",
    )
    response = client.get(reverse("portal:decision_detail", args=[p.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert _Page(html).testids["decision-title"] == 1
    for text in (
        p.number,
        p.title,
        p.party_name,
        p.party_kind,
        p.party_credit_code,
        "王某",
        p.facts,
        p.basis,
        p.kinds_label,
        p.content,
        "50000.5元",
        "1200元",
        p.licence,
        agency.name,
        p.agency_credit_code,
        "2026-10-01",
        "2026-10-08",
        "2029-10-08",
    ):
        assert text in html, text
    assert "withdrawn-statement" not in html


def test_withdrawn_detail_shows_the_statement_instead_of_the_content(client, agency):
    p = withdrawn_make(
        agency=agency, title="无照经营", facts="当事人未取得营业执照从事经营活动。", content="罚款8000元。"
    )
    html = client.get(reverse("portal:decision_detail", args=[p.pk])).content.decode()
    page = _Page(html)
    assert page.testids["decision-title"] == 1 and page.testids["withdrawn-statement"] == 1
    assert p.withdrawal_statement in html and "2026年11月3日" in html and "已撤回" in html
    assert p.number in html and p.title in html
    assert p.facts not in html and p.content not in html


def test_expired_and_unknown_decisions_are_not_found(client, agency):
    expired = publication_make(agency=agency, status=PublicationStatus.EXPIRED)
    assert client.get(reverse("portal:decision_detail", args=[expired.pk])).status_code == 404
    assert client.get(reverse("portal:decision_detail", args=[expired.pk + 1000])).status_code == 404


def test_pages_need_no_login_and_refuse_posts(client, agency):
    p = publication_make(agency=agency)
    for url in (reverse("portal:decision_list"), reverse("portal:decision_detail", args=[p.pk])):
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 405
    assert client.post(reverse("portal:decision_feed_rss")).status_code == 405


# --- feeds ---------------------------------------------------------------------------------------


@pytest.fixture
def feed_rows(agency, other):
    return {
        "published": publication_make(agency=agency, title="发布虚假广告", published_on=dt.date(2026, 10, 9)),
        "withdrawn": withdrawn_make(agency=agency, title="无照经营", published_on=dt.date(2026, 10, 5)),
        "expired": publication_make(agency=agency, title="公示期满", status=PublicationStatus.EXPIRED),
        "other": publication_make(agency=other, title="超标排放", published_on=dt.date(2026, 10, 1)),
    }


def test_rss_feed(client, feed_rows):
    response = client.get(reverse("portal:decision_feed_rss"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("language") == "zh-Hans"
    items = channel.findall("item")
    titles = [i.findtext("title") for i in items]
    assert titles[0].startswith("发布虚假广告") and titles[1].startswith("【已撤回】无照经营")
    assert len(items) == 3 and not any("公示期满" in t for t in titles)
    first = items[0]
    assert first.findtext("link").endswith(
        reverse("portal:decision_detail", args=[feed_rows["published"].pk])
    )
    assert first.findtext("pubDate").startswith("Fri, 09 Oct 2026 00:00:00 +0800")
    assert [c.text for c in first.findall("category")] == ["罚款"]
    assert "撤回说明" in items[1].findtext("description")


def test_atom_feed(client, feed_rows, agency):
    response = client.get(reverse("portal:decision_feed_atom"), {"agency": agency.pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed" and agency.name in root.findtext(f"{ATOM}title")
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title")[:6] for e in entries] == ["发布虚假广告", "【已撤回】无"]
    assert all(e.findtext(f"{ATOM}updated") for e in entries)


def test_json_feed(client, feed_rows):
    response = client.get(reverse("portal:decision_feed_json"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["home_page_url"].startswith("http://testserver/")
    items = feed["items"]
    assert len(items) == 3
    first = items[0]
    assert (
        first["id"]
        == first["url"]
        == "http://testserver" + reverse("portal:decision_detail", args=[feed_rows["published"].pk])
    )
    assert first["date_published"] == "2026-10-09T00:00:00+08:00"
    assert first["content_text"] and first["tags"] == ["罚款"]
    assert items[1]["_decision"]["status"] == "withdrawn" and "撤回说明" in items[1]["content_text"]
    for item in items:
        assert {"id", "url", "title", "content_text", "date_published"} <= item.keys()


def test_feeds_of_an_unknown_agency_are_not_found(client, feed_rows):
    for name in ("portal:decision_feed_rss", "portal:decision_feed_atom", "portal:decision_feed_json"):
        assert client.get(reverse(name), {"agency": 999999}).status_code == 404
        assert client.get(reverse(name), {"agency": "x"}).status_code == 404
        # Review r1 F4 / r3 F1: "²" is a digit to str.isdigit(), not to int(), and int() refuses
        # 5,000 digits: both were a 500 on the public site; a number past 64 bits matches nothing.
        for odd in ("²", "1" * 5000, "9" * 30, "１"):
            assert client.get(reverse(name), {"agency": odd}).status_code == 404, odd


# --- the notice for the board --------------------------------------------------------------------


def test_notice_without_an_agency_offers_the_form(client, agency):
    response = client.get(reverse("portal:decision_notice"))
    html = response.content.decode()
    assert response.status_code == 200 and "decision-notice" not in html
    assert agency.name in html and 'for="id_agency"' in html


def test_notice_lists_one_agency_in_the_period(client, agency, other):
    inside = publication_make(agency=agency, decided_on=dt.date(2026, 10, 10), content="罚款3000元。")
    withdrawn = withdrawn_make(agency=agency, decided_on=dt.date(2026, 10, 12))
    before = publication_make(agency=agency, decided_on=dt.date(2026, 9, 1))
    theirs = publication_make(agency=other, decided_on=dt.date(2026, 10, 10))
    expired = publication_make(
        agency=agency, decided_on=dt.date(2026, 10, 11), status=PublicationStatus.EXPIRED
    )
    response = client.get(
        reverse("portal:decision_notice"), {"agency": agency.pk, "from": "2026-10-01", "to": "2026-10-31"}
    )
    html = response.content.decode()
    page = _Page(html)
    assert response.status_code == 200 and page.testids["decision-notice"] == 1
    assert page.testids["decision-row"] == 2
    assert inside.number in html and "罚款3000元。" in html
    assert (
        withdrawn.number in html
        and withdrawn.withdrawal_statement in html
        and withdrawn.content not in html.split(withdrawn.number)[1].split("</tr>")[0]
    )
    assert before.number not in html and theirs.number not in html and expired.number not in html
    assert "2026年10月1日 至 2026年10月31日" in html
    css = linked_css(html)  # page styles are static files: the Content-Security-Policy allows no <style>
    assert "@page" in css and "size: A4" in css and "@media print" in css
    assert ".topbar" in css.split("@media print")[1]  # the navigation is not printed
    assert html.index(inside.number) < html.index(withdrawn.number)  # in date order


def test_notice_defaults_to_the_last_thirty_days(client, agency):
    today = timezone.localdate()
    recent = publication_make(agency=agency, decided_on=today - dt.timedelta(days=3))
    old = publication_make(agency=agency, decided_on=today - dt.timedelta(days=45))
    html = client.get(reverse("portal:decision_notice"), {"agency": agency.pk}).content.decode()
    assert recent.number in html and old.number not in html


def test_notice_refuses_bad_parameters(client, agency):
    url = reverse("portal:decision_notice")
    assert client.get(url, {"agency": ""}).status_code == 400
    assert client.get(url, {"agency": 999999}).status_code == 400  # not one of the choices
    assert client.get(url, {"agency": agency.pk, "from": "2024-01-01", "to": "2026-01-01"}).status_code == 400


@pytest.mark.parametrize("given", [{"to": "0001-01-05"}, {"from": "0001-01-01", "to": "0001-01-20"},
                                   {"from": "9999-12-01", "to": "9999-12-31"}, {"to": "1989-12-31"}])
def test_notice_dates_outside_the_platforms_range_are_refused_in_chinese(client, agency, given):
    """Review r3 F7: a `to` within 30 days of 0001-01-01 made the default `from` overflow (a 500)."""
    client.raise_request_exception = False
    response = client.get(reverse("portal:decision_notice"), {"agency": agency.pk} | given)
    assert response.status_code == 400
    assert "日期应在1990-01-01至2099-12-31之间" in response.content.decode()


def test_notice_on_the_platforms_first_day_is_shown(client, agency):
    response = client.get(reverse("portal:decision_notice"), {"agency": agency.pk, "to": "1990-01-05"})
    assert response.status_code == 200 and "decision-notice" in response.content.decode()


def test_the_list_names_a_date_outside_the_platforms_range_and_keeps_the_other_filters(client, agency):
    kept = publication_make(agency=agency)
    response = client.get(reverse("portal:decision_list"), {"from": "0001-01-01", "agency": agency.pk})
    html = response.content.decode()
    assert response.status_code == 200 and "日期应在1990-01-01至2099-12-31之间" in html and kept.number in html
