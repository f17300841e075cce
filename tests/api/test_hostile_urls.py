"""Issue 10, item 3: ids beyond the databases' integer, NUL and control characters in the query
string, and huge page numbers give 404/400/422 on every URL, never a 500."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sanxiang.accounts.models import Role
from sanxiang.accounts.services import api_token_create
from tests.cases.support import lead_make, world_make
from tests.factories import user_make

pytestmark = pytest.mark.django_db
HUGE = (2**63, 10**30)


def routes(resolver=None, prefix="") -> list[str]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found.extend(routes(entry, pattern))
        elif isinstance(entry, URLPattern):
            found.append(pattern)
    return found


def int_routes() -> list[str]:
    return sorted({r for r in routes() if "<int:" in r and not r.startswith("^")})


def test_every_int_url_is_a_404_for_an_id_beyond_the_database_integer():
    w = world_make()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    failures = []
    for user in (w.officer, user_make(role=Role.SYSTEM_ADMIN)):
        client.force_login(user)
        for route in int_routes():
            for number in HUGE:
                url = "/" + re.sub(r"<int:\w+>", str(number), route)
                url = re.sub(r"<(?:str|slug|path):\w+>", "x", url)
                status = client.get(url).status_code
                if status >= 500 or status == 200:
                    failures.append((url, status))
    assert int_routes(), "the URLconf has int routes"
    assert failures == []


def test_the_converter_still_accepts_real_ids():
    w = world_make()
    case = lead_make(w)
    client = Client()
    client.force_login(w.officer)
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 200


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "q=%1b", "page=%00", "%00=1"])
def test_nul_and_control_characters_in_the_query_string_are_a_400(query):
    w = world_make()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(w.officer)
    for path in ("/staff/cases/", "/staff/registry/officers/", "/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, path
        assert "控制字符" in response.content.decode()
    _, token = api_token_create(actor=w.officer, user=w.officer, name="对接")
    response = client.get(f"/api/cases?{query}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def text_routes() -> list[str]:
    return sorted({r for r in routes() if re.search(r"<(?:str|slug|path):", r) and not r.startswith("^")})


@pytest.mark.parametrize("part", ["%00", "a%00b", "%1b", "a%0Ab"])
def test_nul_and_control_characters_in_the_path_are_a_400_before_any_view(part):
    """Review r3 F2: the query string was checked, not the path: /certificates/%00/ reached
    PostgreSQL (`get_object_or_404(token=...)`), which refuses NUL in text, a 500. Every route with a
    text part, on either database, now answers 400 before its view runs."""
    w = world_make()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(user_make(role=Role.SYSTEM_ADMIN))
    failures = []
    for route in text_routes():
        url = "/" + re.sub(r"<(?:str|slug|path):\w+>", part, re.sub(r"<int:\w+>", "1", route))
        response = client.get(url)
        if response.status_code != 400 or "控制字符" not in response.content.decode():
            failures.append((url, response.status_code))
    assert any(r.startswith("certificates/<str:") for r in text_routes())
    assert failures == []
    anonymous = Client(raise_request_exception=False)
    for url in (f"/certificates/{part}/", f"/certificates/{part}/qr.svg", f"/certificates/{part}/card/"):
        assert anonymous.get(url).status_code == 400, url
    _, token = api_token_create(actor=w.officer, user=w.officer, name="对接")
    response = client.get(f"/api/cases/{part}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_ordinary_searches_and_huge_page_numbers_still_work():
    w = world_make()
    lead_make(w)
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(w.officer)
    assert client.get("/staff/cases/?q=无证%20经营&page=99999999999999999999999").status_code == 200


@pytest.mark.parametrize("url", [
    f"/api/registry/officers?agency={2**64}",
    f"/api/registry/matters?agency={2**63}",
    f"/api/registry/agencies/{2**63}",
    f"/api/cases/{2**63}",
    f"/api/cases/{2**63}/actions",
    "/api/cases?q=" + "案" * 201,
])
def test_api_ids_and_searches_out_of_range_are_a_422_or_404(url):
    w = world_make()
    _, token = api_token_create(actor=w.officer, user=w.officer, name="对接")
    response = Client(enforce_csrf_checks=True, raise_request_exception=False).get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code in (404, 422), response.content
    assert response.json()["error"]["code"] in ("invalid", "not_found")


HOSTILE_QUERY = "&".join(f"{name}={value}" for name in (
    "agency", "case", "year", "page", "kind", "officer", "party", "matter", "since", "after", "from_seq", "seq", "limit",
    "layout", "state", "q", "number",
) for value in (2**63,))


def test_every_page_survives_huge_and_negative_numbers_in_its_filters():
    """The filters pages read from the query string (?agency=, ?case=, ?year=, ?page= and the
    like) with numbers beyond the databases' integer: never a 500 (SQLite's OverflowError). The
    installation has its ledger key, as one that serves has (`serve` makes it): without it
    /ledger/key answers 503 by design (a read never makes a key)."""
    from sanxiang.ledger.keys import signing_key_ensure

    signing_key_ensure()
    w = world_make()
    lead_make(w)
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    failures = []
    for user in (w.officer, user_make(role=Role.SYSTEM_ADMIN)):
        client.force_login(user)
        for route in routes():
            if "<" in route or route.startswith(("^", "admin/", "i18n/", "api/")) or "logout" in route:
                continue
            url = "/" + route
            status = client.get(f"{url}?{HOSTILE_QUERY}").status_code
            if status >= 500:
                failures.append((url, status))
    assert failures == []
