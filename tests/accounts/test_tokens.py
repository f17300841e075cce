"""API tokens: issued on a page by their user only, listed and revoked by the user or the agency's
administrator, with an expiry; shown once; every issue and revocation in the ledger."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import ApiToken, Role
from sanxiang.accounts.services import TOKEN_ISSUE_REFUSED, api_token_authenticate, api_token_create
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


def test_the_agency_administrator_lists_and_revokes_the_tokens_of_their_agency_only():
    own, other = agency_make(), agency_make()
    admin = user_make(role=Role.AGENCY_ADMIN, agency=own)
    colleague = user_make(role=Role.OFFICER, agency=own)
    stranger = user_make(role=Role.OFFICER, agency=other)
    row, _ = api_token_create(actor=colleague, user=colleague, name="对接")
    client = csrf_client(admin)
    page = client.get(reverse("accounts:user_tokens", args=[colleague.pk]))
    assert page.status_code == 200 and row.prefix in page.content.decode()
    assert csrf_post(client, reverse("accounts:token_revoke", args=[row.pk])).status_code == 302
    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None
    entry = Entry.objects.get(kind=EventKind.API_TOKEN_REVOKED, subject=f"user:{colleague.pk}")
    assert entry.actor_id == admin.pk
    # Another agency's user and token are answered like missing ones (404): no telling them apart.
    missing_user = stranger.pk + 1000
    foreign, _ = api_token_create(actor=stranger, user=stranger, name="他人")
    for user_id in (stranger.pk, missing_user):
        assert client.get(reverse("accounts:user_tokens", args=[user_id])).status_code == 404
    for token_id in (foreign.pk, foreign.pk + 1000):
        assert csrf_post(client, reverse("accounts:token_revoke", args=[token_id])).status_code == 404
    assert ApiToken.objects.get(pk=foreign.pk).revoked_at is None


@pytest.mark.parametrize("target_role", [Role.REVIEWER, Role.AGENCY_HEAD, Role.OFFICER])
def test_the_agency_administrator_cannot_issue_a_token_for_someone_else(target_role):
    # A token issued for the legal reviewer or the agency head would let the administrator act as
    # them (a 法制审核 opinion, a head's decision), with nothing to tell the two apart.
    agency = agency_make()
    admin = user_make(role=Role.AGENCY_ADMIN, agency=agency)
    target = user_make(role=target_role, agency=agency)
    client = csrf_client(admin)
    page = client.get(reverse("accounts:user_tokens", args=[target.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert TOKEN_ISSUE_REFUSED in html and 'name="password"' not in html and "签发</button>" not in html
    before = Entry.objects.count()
    response = csrf_post(client, reverse("accounts:user_tokens", args=[target.pk]),
                         {"name": "对接", "days": "30", "password": PASSWORD})
    assert response.status_code == 403 and TOKEN_ISSUE_REFUSED in response.content.decode()
    assert not ApiToken.objects.exists() and Entry.objects.count() == before
    # The service refuses it too, whoever calls it.
    with pytest.raises(PermissionDenied):
        api_token_create(actor=admin, user=target, name="对接")
    assert not ApiToken.objects.exists()


def test_a_system_administrator_cannot_issue_a_token_for_a_supervisor():
    # It would act as the supervisor without the supervisor's second factor.
    bureau = agency_make()
    root = user_make(role=Role.SYSTEM_ADMIN)
    supervisor = user_make(role=Role.SUPERVISOR, agency=bureau)
    with pytest.raises(PermissionDenied):
        api_token_create(actor=root, user=supervisor, name="对接")
    assert not ApiToken.objects.exists()
    client = csrf_client(root)
    response = csrf_post(client, reverse("accounts:user_tokens", args=[supervisor.pk]),
                         {"name": "对接", "days": "30", "password": PASSWORD})
    assert response.status_code == 403 and not ApiToken.objects.exists()


def test_an_officer_cannot_manage_a_colleagues_tokens():
    agency = agency_make()
    officer = user_make(role=Role.OFFICER, agency=agency)
    colleague = user_make(role=Role.OFFICER, agency=agency)
    row, _ = api_token_create(actor=colleague, user=colleague, name="同事")
    client = csrf_client(officer)
    assert client.get(reverse("accounts:user_tokens", args=[colleague.pk])).status_code == 404
    assert csrf_post(client, reverse("accounts:token_revoke", args=[row.pk])).status_code == 404
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None
    # Their own page under their own id is theirs.
    assert client.get(reverse("accounts:user_tokens", args=[officer.pk])).status_code == 200


def test_issuing_a_token_needs_the_password_of_whoever_issues_it():
    # A session left open was enough to mint a token valid for a year, which outlives the
    # session, the logout and a change of password.
    officer = user_make(role=Role.OFFICER, agency=agency_make())
    client = csrf_client(officer)
    url = reverse("accounts:tokens")
    assert csrf_post(client, url, {"name": "对接", "days": "90"}).status_code == 400
    response = csrf_post(client, url, {"name": "对接", "days": "90", "password": "not-the-password"})
    assert response.status_code == 400 and "密码不正确" in response.content.decode()
    assert not ApiToken.objects.exists()
    response = csrf_post(client, url, {"name": "对接", "days": "90", "password": PASSWORD})
    assert response.status_code == 201 and ApiToken.objects.get().user == officer
