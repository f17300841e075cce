"""The annual acts stored at write time (the projection "publication.annual"): the figures counted
from them equal the old computation from every case's facts (on random cases here, on the demo
county in test_annual_projection_demo), a tampered row is named by the check, the rebuild restores it, the figures take a fixed
number of queries whatever the number of cases, and a database made before the projection is
filled after migrate."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.cases.models import Case
from sanxiang.publication.annual import (
    annual_figures,
    annual_figures_recomputed,
    annual_projection_check,
    annual_projection_rebuild_if_empty,
    annual_report_generate,
)
from sanxiang.publication.models import AnnualAct
from tests.factories import agency_make, user_make
from tests.publication.test_annual import YEAR, act, agency_with_powers, case_with

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_TODAY = dt.date(2026, 6, 15)


YEAR_DAY = dt.date(YEAR, 3, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(5))
def test_on_random_cases_the_stored_figures_are_those_recomputed(seed):
    rng = random.Random(seed)
    agency = agency_with_powers(f"随机局{seed}", rng.sample(["penalty", "inspection", "coercion", "permit"], 2))
    day = lambda: dt.date(rng.choice((YEAR - 1, YEAR, YEAR + 1)), rng.randint(1, 12), rng.randint(1, 28))  # noqa: E731
    for _ in range(rng.randint(5, 25)):
        case_with(
            agency,
            procedure=rng.choice(("ordinary", "summary")),
            decided_on=rng.choice((None, day())),
            outcome=rng.choice(("penalty", "no_penalty", "transfer")),
            acts=tuple(act(rng.choice(("inspection", "inquiry")), day()) for _ in range(rng.randint(0, 3))),
        )
    for year in (YEAR - 1, YEAR, YEAR + 1):
        assert annual_figures(agency=agency, year=year) == annual_figures_recomputed(agency=agency, year=year)
        assert annual_report_generate(agency=agency, year=year) == annual_report_generate(
            agency=agency, year=year, recompute=True
        )
    assert annual_projection_check() == []


@pytest.mark.django_db
def test_a_changed_decision_replaces_the_case_s_acts():
    agency = agency_with_powers("乌审旗测试局", ["penalty"])
    case = case_with(agency, decided_on=YEAR_DAY)
    assert annual_figures(agency=agency, year=YEAR).counted == {"penalty": 1}
    case.facts = {**case.facts, "decided_on": dt.date(YEAR + 1, 1, 2).isoformat()}
    case.save(update_fields=["facts"])
    assert annual_figures(agency=agency, year=YEAR).counted == {}
    assert annual_figures(agency=agency, year=YEAR + 1).counted == {"penalty": 1}


@pytest.mark.django_db
def test_a_database_made_before_the_projection_is_filled_after_migrate():
    agency = agency_with_powers("乌审旗旧库局", ["penalty", "inspection"])
    case_with(agency, decided_on=YEAR_DAY, acts=(act("inspection", YEAR_DAY),))
    Case.objects.filter(agency=agency).update(state="decided")
    AnnualAct.objects.all().delete()  # as before migration 0006
    assert annual_projection_rebuild_if_empty() == 2
    assert annual_projection_rebuild_if_empty() is None  # not again: the table has rows
    assert annual_figures(agency=agency, year=YEAR).counted == {"penalty": 1, "inspection": 1}


def _annual_page_queries(client, user, agency) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("publication:annual"), {"year": YEAR, "agency": agency.pk})
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_the_annual_page_takes_the_same_queries_at_10_and_200_cases(client):
    agency = agency_with_powers("乌审旗计数局", ["penalty", "inspection", "coercion"])
    supervisor = user_make(role=Role.SUPERVISOR, agency=agency_make(name="乌审旗司法局", is_judicial_bureau=True))
    head = user_make(role=Role.AGENCY_HEAD, agency=agency)
    for _ in range(10):
        case_with(agency, decided_on=YEAR_DAY, acts=(act("inspection", YEAR_DAY),))
    few = (_annual_page_queries(client, supervisor, agency), _annual_page_queries(client, head, agency))
    for _ in range(190):
        case_with(agency, decided_on=YEAR_DAY, acts=(act("inspection", YEAR_DAY),))
    many = (_annual_page_queries(client, supervisor, agency), _annual_page_queries(client, head, agency))
    assert many == few
    assert annual_figures(agency=agency, year=YEAR).counted == {"penalty": 200, "inspection": 200}
