"""The annual acts on the demo county (loaded once for the module, in a transaction rolled back at
its end): the figures counted from the stored acts equal the old computation from the cases'
facts, and a tampered row is named by the check until the rebuild restores it."""

import datetime as dt

import pytest

from sanxiang.cases.models import Case
from sanxiang.projections import projections_all
from sanxiang.publication.annual import (
    annual_figures,
    annual_figures_recomputed,
    annual_projection_check,
    annual_report_generate,
)
from sanxiang.publication.models import AnnualAct
from sanxiang.registry.models import Agency
from tests.shared_demo import demo_county_shared

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_TODAY = dt.date(2026, 6, 15)
pytestmark = pytest.mark.shared_demo(day=DEMO_TODAY)
SOME_DAY = dt.date(2025, 3, 1)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_county_shared(day=DEMO_TODAY, blocker=django_db_blocker) as loaded:
        yield loaded.result


@pytest.mark.django_db
def test_on_the_demo_county_the_stored_figures_are_those_recomputed_from_the_facts(demo):
    assert AnnualAct.objects.exists()  # the demo decides penalties and takes measures
    for agency in Agency.objects.order_by("pk"):
        for year in (DEMO_TODAY.year - 2, DEMO_TODAY.year - 1, DEMO_TODAY.year):
            assert annual_figures(agency=agency, year=year) == annual_figures_recomputed(agency=agency, year=year)
            assert annual_report_generate(agency=agency, year=year) == annual_report_generate(
                agency=agency, year=year, recompute=True
            )
    assert annual_projection_check() == []


@pytest.mark.django_db
def test_a_tampered_row_is_named_by_the_check_and_the_rebuild_restores_it(demo):
    row = AnnualAct.objects.filter(kind="penalty").order_by("pk").first()
    AnnualAct.objects.filter(pk=row.pk).update(on=row.on - dt.timedelta(days=400))
    found = annual_projection_check()
    assert len(found) == 1 and f"案件{row.case_id}" in found[0]
    # A row of a case that counts nothing is named too.
    lead = Case.objects.exclude(pk__in=AnnualAct.objects.values("case_id")).first()
    AnnualAct.objects.create(case=lead, agency_id=lead.agency_id, procedure=lead.procedure, kind="penalty", on=SOME_DAY)
    assert len(annual_projection_check()) == 2
    projection = next(p for p in projections_all() if p.name == "publication.annual")
    assert projection.check is annual_projection_check
    assert projection.rebuild() == AnnualAct.objects.count()
    assert annual_projection_check() == []
