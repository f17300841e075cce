"""Issue 10, item 1: a bearer token is judged by the token alone; a browser session needs the
CSRF token on unsafe methods."""

import json

import pytest
from django.middleware.csrf import get_token
from django.test import Client

from sanxiang.accounts.services import api_token_create
from sanxiang.cases.models import Case
from tests.cases.support import ACT, world_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world_make()


def body(w) -> str:
    return json.dumps({"title": "涉嫌无证经营案", "party_id": w.company.pk, "officer_ids": [w.zhang.pk, w.li.pk],
                       "act_date": ACT.isoformat()})


def test_a_bearer_token_writes_with_csrf_checks_on(client, w):
    _, token = api_token_create(actor=w.officer, user=w.officer, name="对接")
    response = client.post("/api/cases", body(w), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content


def test_a_bearer_token_is_judged_alone_even_beside_a_session_cookie(client, w):
    """A logged-in browser session (without CSRF token) plays no part when a token is presented;
    a wrong token is 401 even though the session is valid."""
    _, token = api_token_create(actor=w.officer, user=w.officer, name="对接")
    client.force_login(w.head)
    response = client.post("/api/cases", body(w), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    assert Case.objects.get().created_by == w.officer
    wrong = client.post("/api/cases", body(w), content_type="application/json", HTTP_AUTHORIZATION="Bearer sx_wrong")
    assert wrong.status_code == 401


def test_a_session_write_needs_the_csrf_token(w):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(w.officer)
    refused = browser.post("/api/cases", body(w), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    assert not Case.objects.exists()
    # The page gives the browser its CSRF cookie; the script sends the token back in the header.
    page = browser.get("/staff/cases/new/")
    token = get_token(page.wsgi_request)
    browser.cookies["csrftoken"] = page.wsgi_request.META["CSRF_COOKIE"]
    accepted = browser.post("/api/cases", body(w), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201, accepted.content
    assert browser.get("/api/cases").status_code == 200  # safe methods need no token


def test_an_anonymous_write_is_401_not_a_csrf_error(client, w):
    response = client.post("/api/cases", body(w), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
