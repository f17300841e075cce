"""The inbox over the demo county (every procedure, every role): each account's inbox builds, its
count is the inbox's, its page opens, and the heads' collective discussions are the engine's."""

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role, User
from sanxiang.web.inbox import inbox_build, inbox_count
from tests.shared_demo import demo_county_shared
from tests.web.test_inbox import same_as_the_engine

TODAY = dt.date(2026, 6, 15)
pytestmark = pytest.mark.shared_demo(day=TODAY)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_county_shared(day=TODAY, blocker=django_db_blocker) as loaded:
        yield loaded.result


@pytest.mark.django_db
def test_every_demo_account_has_its_inbox(demo, client):
    kinds: dict[str, int] = {}
    for user in User.objects.filter(is_active=True).order_by("pk"):
        inbox = inbox_build(user=user, on=TODAY)
        assert inbox_count(user=user, on=TODAY) == inbox.total, user.username
        for group in inbox.groups:
            kinds[group.kind] = kinds.get(group.kind, 0) + group.count
            for item in group.items:
                assert item.what and item.number and item.url.startswith("/"), item
        if user.role == Role.AGENCY_HEAD:
            same_as_the_engine(user, TODAY)
        client.force_login(user)
        assert client.get(reverse("web:inbox")).status_code == 200, user.username
    # The demo's cases leave work waiting of more than one kind (printed with -s).
    print(f"\ndemo inbox items by kind on {TODAY}: {kinds}")
    assert sum(1 for n in kinds.values() if n) >= 2, kinds
