"""The demo county, then part C of its supervision year (`demo.supervision_filings`): the demo's major
decisions have filed themselves with the county's 司法局; the supervisors examine the older ones; two
coordination requests. Loaded once for the module, rolled back at the end."""

import datetime as dt

import pytest

from sanxiang.accounts.models import User
from sanxiang.demo.supervision_filings import supervision_filings_demo_load
from sanxiang.registry.models import Agency
from sanxiang.supervision.filing_selectors import filing_rates
from sanxiang.supervision.models import Coordination, Filing
from tests.shared_demo import demo_county_shared
from tests.supervision.support import supervisor_user_make

TODAY = dt.date(2026, 6, 15)
pytestmark = pytest.mark.shared_demo(day=TODAY)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_county_shared(day=TODAY, blocker=django_db_blocker):
        supervisor = User.objects.get(username="supervisor")
        bureau = Agency.objects.get(pk=supervisor.agency_id)
        head = User.objects.get(username="head")
        pair = [supervisor_user_make(bureau=bureau, name="乌审旗监督员甲"),
                supervisor_user_make(bureau=bureau, name="乌审旗监督员乙")]
        result = supervision_filings_demo_load(agency=head.agency, head=head, supervisors=pair, today=TODAY)
        again = supervision_filings_demo_load(agency=head.agency, head=head, supervisors=pair, today=TODAY)
        yield result, again, bureau, head


@pytest.mark.django_db
def test_the_demo_decisions_filed_themselves_and_are_examined(demo):
    result, _again, bureau, head = demo
    filings = Filing.objects.filter(agency=head.agency)
    assert filings.exists() and all(f.bureau_id == bureau.pk and f.on_time for f in filings)
    assert result.filings_to_opinion == 1 and result.filings_examined >= 1
    assert set(filings.values_list("state", flat=True)) == {"awaiting", "examined", "opinion"}
    [rate] = [r for r in filing_rates(bureau=bureau, year=2026) if r.agency_id == head.agency_id]
    assert rate.filed == filings.filter(decided_on__year=2026).count() and rate.on_time == rate.filed


@pytest.mark.django_db
def test_the_demo_coordination_requests(demo):
    result, again, _bureau, head = demo
    assert result.coordinations == 2 and again.coordinations == 0 and again.filings_to_opinion == 0
    states = dict(Coordination.objects.filter(agency=head.agency).values_list("kind", "state"))
    assert states == {"competence": "agreed", "problem": "submitted"}
