"""The demo county, loaded through the services: every decision stored its review figures as it
was made, and the figures equal the per-case recomputation they replaced, year by year."""

import datetime as dt

import pytest

from sanxiang.accounts.models import Role, User
from sanxiang.review.models import ReviewTally
from sanxiang.review.selectors import review_supervision, review_supervision_recomputed
from sanxiang.review.tallies import review_tallies_check
from tests.review.test_tallies import comparable
from tests.shared_demo import demo_county_shared

TODAY = dt.date(2026, 6, 15)
pytestmark = pytest.mark.shared_demo(day=TODAY)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_county_shared(day=TODAY, blocker=django_db_blocker) as loaded:
        yield loaded.result


@pytest.mark.django_db
def test_the_demo_countys_stored_figures_equal_the_recomputation(demo):
    assert ReviewTally.objects.filter(major=True).exists()
    assert review_tallies_check() == []
    supervisor = User.objects.filter(role=Role.SUPERVISOR).first()
    years = sorted({d.year for d in ReviewTally.objects.values_list("decided_on", flat=True)})
    assert years
    for year in years:
        stored = review_supervision(user=supervisor, year=year)
        assert comparable(stored) == comparable(review_supervision_recomputed(user=supervisor, year=year))
