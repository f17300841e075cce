"""The demo's imported licence decisions (demo.permit_import), on a small world, not the county."""

import datetime as dt

import pytest

from sanxiang.cases.models import PermitImport
from sanxiang.demo.permit_import import demo_permit_imports_load
from sanxiang.publication.models import PublicationDraft
from tests.cases.support import world_make


@pytest.mark.django_db
def test_the_demo_imports_its_decisions_once():
    w = world_make()
    today = dt.date(2026, 5, 15)
    assert demo_permit_imports_load(agency=w.agency, today=today) == 4
    states = sorted(PermitImport.objects.filter(agency=w.agency).values_list("case__state", flat=True))
    assert states == ["granted", "in_force", "in_force", "refused"]
    assert PublicationDraft.objects.filter(case__permit_import__agency=w.agency).count() == 3
    assert demo_permit_imports_load(agency=w.agency, today=today) == 0
