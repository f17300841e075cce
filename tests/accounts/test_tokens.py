"""API tokens: issued, listed and revoked on a page by their user or the agency's administrator,
with an expiry; shown once; every issue and revocation in the ledger."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import ApiToken, Role
from sanxiang.accounts.services import api_token_authenticate, api_token_create
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.factories import PASSWORD, agency_make, user_make

pytestmark = pytest.mark.django_db


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_post(client: Client, url: str, data: dict | None = None):
    client.get(reverse("accounts:security"))
    return client.post(url, (data or {}) | {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def api_get(token: str):
    return Client(enforce_csrf_checks=True).get("/api/registry/agencies", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_user_issues_a_token_that_is_shown_once_and_works_on_the_api():
    user = user_make(role=Role.OFFICER, agency=agency_make())
    client = csrf_client(user)
    assert reverse("accounts:tokens") in client.get(reverse("accounts:security")).content.decode()
    response = csrf_post(client, reverse("accounts:tokens"), {"name": "数据对接", "days": "30", "password": PASSWORD})
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    token = response.context["created"][1]
    assert token in response.content.decode()
    assert api_get(token).status_code == 200
    row = ApiToken.objects.get(user=user)
    assert row.created_by == user
    assert dt.timedelta(days=29) < row.expires_at - row.created_at <= dt.timedelta(days=30)
    # Never again: the list shows the name and the first characters only.
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert "数据对接" in listing and row.prefix in listing and token not in listing
    entry = Entry.objects.get(kind=EventKind.API_TOKEN_CREATED)
    assert entry.subject == f"user:{user.pk}" and entry.actor_id == user.pk


def test_a_revoked_token_is_refused_and_the_revocation_is_in_the_ledger():
    user = user_make(role=Role.OFFICER, agency=agency_make())
    row, token = api_token_create(actor=user, user=user, name="备份")
    client = csrf_client(user)
    response = csrf_post(client, reverse("accounts:token_revoke", args=[row.pk]))
    assert response.status_code == 302
    assert api_get(token).status_code == 401
    assert Entry.objects.filter(kind=EventKind.API_TOKEN_REVOKED, subject=f"user:{user.pk}").count() == 1
    assert "已吊销" in client.get(reverse("accounts:tokens")).content.decode()


def test_an_expired_token_is_refused():
    user = user_make(role=Role.OFFICER, agency=agency_make())
    row, token = api_token_create(actor=user, user=user, name="短期", days=30)
    assert api_token_authenticate(token=token) == user
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api_token_authenticate(token=token) is None
    assert api_get(token).status_code == 401


def test_a_token_needs_a_purpose_and_an_allowed_validity():
    user = user_make(role=Role.OFFICER, agency=agency_make())
    client = csrf_client(user)
    response = csrf_post(client, reverse("accounts:tokens"), {"name": " ", "days": "3650", "password": PASSWORD})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_agency_administrator_manages_tokens_of_their_agency_only():
    own, other = agency_make(), agency_make()
    admin = user_make(role=Role.AGENCY_ADMIN, agency=own)
    colleague = user_make(role=Role.OFFICER, agency=own)
    stranger = user_make(role=Role.OFFICER, agency=other)
    client = csrf_client(admin)
    response = csrf_post(client, reverse("accounts:user_tokens", args=[colleague.pk]), {"name": "对接", "days": "90", "password": PASSWORD})
    assert response.status_code == 201
    row = ApiToken.objects.get(user=colleague)
    assert row.created_by == admin
    assert csrf_post(client, reverse("accounts:token_revoke", args=[row.pk])).status_code == 302
    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None
    # Another agency's user: neither the page nor a revocation.
    assert client.get(reverse("accounts:user_tokens", args=[stranger.pk])).status_code == 403
    foreign, _ = api_token_create(actor=stranger, user=stranger, name="他人")
    assert csrf_post(client, reverse("accounts:token_revoke", args=[foreign.pk])).status_code == 403
    assert ApiToken.objects.get(pk=foreign.pk).revoked_at is None


def test_an_officer_cannot_manage_a_colleagues_tokens():
    agency = agency_make()
    officer = user_make(role=Role.OFFICER, agency=agency)
    colleague = user_make(role=Role.OFFICER, agency=agency)
    row, _ = api_token_create(actor=colleague, user=colleague, name="同事")
    client = csrf_client(officer)
    assert client.get(reverse("accounts:user_tokens", args=[colleague.pk])).status_code == 403
    assert csrf_post(client, reverse("accounts:token_revoke", args=[row.pk])).status_code == 403


def test_issuing_a_token_needs_the_password_of_whoever_issues_it():
    # A session left open was enough to mint a token valid for a year, which outlives the
    # session, the logout and a change of password.
    admin = user_make(role=Role.AGENCY_ADMIN, agency=agency_make())
    officer = user_make(role=Role.OFFICER, agency=admin.agency)
    officer.set_password("Officers-Own-2026!")
    officer.save()
    client = csrf_client(admin)
    for url in (reverse("accounts:tokens"), reverse("accounts:user_tokens", args=[officer.pk])):
        assert csrf_post(client, url, {"name": "对接", "days": "90"}).status_code == 400
        response = csrf_post(client, url, {"name": "对接", "days": "90", "password": "not-the-password"})
        assert response.status_code == 400 and "密码不正确" in response.content.decode()
    # The issuer's own password, not the owner's.
    response = csrf_post(client, reverse("accounts:user_tokens", args=[officer.pk]),
                         {"name": "对接", "days": "90", "password": "Officers-Own-2026!"})
    assert response.status_code == 400 and not ApiToken.objects.exists()
    response = csrf_post(client, reverse("accounts:user_tokens", args=[officer.pk]),
                         {"name": "对接", "days": "90", "password": PASSWORD})
    assert response.status_code == 201 and ApiToken.objects.get().user == officer
