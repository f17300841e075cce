"""The case projection on the demo county: every case loaded through the services has its stored
deadlines equal to a full recomputation, and the homes' worklists read from it list the same rows,
labels and states as the engine gives, on the demo's day and the days around it.

Loaded once for the module (slow)."""

import datetime as dt

import pytest

from sanxiang.accounts.models import User
from sanxiang.cases.models import Case, CaseDeadline
from sanxiang.cases.projection import case_projection_check
from sanxiang.cases.selectors import case_deadlines, officer_worklist, state_label
from sanxiang.procedure.penalty import deadline_open
from tests.cases.test_case_projection import assert_sql_equals_engine
from tests.shared_demo import demo_county_shared

TODAY = dt.date(2026, 10, 9)
pytestmark = pytest.mark.shared_demo(day=TODAY)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_county_shared(day=TODAY, blocker=django_db_blocker) as loaded:
        data_dir = loaded.data_dir
        yield data_dir


@pytest.mark.django_db
def test_the_check_finds_no_difference_on_the_demo_county(demo):
    assert Case.objects.count() > 20 and CaseDeadline.objects.exists()
    assert case_projection_check() == []
    assert case_projection_check(on=TODAY) == []


@pytest.mark.django_db
def test_sql_gives_the_engines_deadlines_for_every_demo_case_around_the_demo_day(demo):
    days = (TODAY - dt.timedelta(days=40), TODAY, TODAY + dt.timedelta(days=3), TODAY + dt.timedelta(days=30))
    assert_sql_equals_engine(list(Case.objects.values_list("pk", flat=True)), days=days)


@pytest.mark.django_db
def test_every_officers_worklist_is_the_one_the_engine_gives(demo):
    officers = User.objects.filter(officer__isnull=False, agency__isnull=False).select_related("officer")
    seen = 0
    for user in officers:
        rows = officer_worklist(user=user, on=TODAY)
        expected = []
        for row in rows:
            open_ = [d for d in case_deadlines(case=row.case, on=TODAY) if deadline_open(d)]
            expected.append((row.case.pk, state_label(row.case), open_[0] if open_ else None, len(open_)))
        assert [(r.case.pk, r.state_label, r.next_deadline, r.open_deadlines) for r in rows] == expected
        never = dt.date.max
        assert [e[2].due if e[2] else never for e in expected] == sorted(e[2].due if e[2] else never for e in expected)
        seen += len(rows)
    assert seen > 10
