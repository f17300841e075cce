"""`sanxiang grow` writes made-up cases and ledger entries that can never be removed: it refuses,
with a clear message, a database that is not a demo database (without loading the demo here;
the demo county itself is grown in test_grow.py, which also checks a demo with a real agency
added)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanxiang.cases.models import Case
from sanxiang.demo.grow import GrowError, demo_grow
from sanxiang.ledger.models import Entry
from tests.cases.support import lead_make, world_make

pytestmark = pytest.mark.django_db


def test_a_county_database_with_its_own_cases_is_not_grown():
    w = world_make()
    lead_make(w)
    cases, entries = Case.objects.count(), Entry.objects.count()
    with pytest.raises(GrowError, match="本库没有加载演示旗县，不是演示库：不能扩充"):
        demo_grow(cases=cases + 10, open_cases=0)
    with pytest.raises(CommandError, match="不是演示库"):
        call_command("grow", "--cases", str(cases + 10))
    assert (Case.objects.count(), Entry.objects.count()) == (cases, entries)
