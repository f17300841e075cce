"""The demo year's part B: loaded after the demo county, through the services, with instruments
in every state, one overdue, and a public 通报 on the portal."""

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.demo.supervision_instruments import supervision_instruments_demo_load
from sanxiang.procedure.supervision.instruments import InstrumentState, is_overdue
from sanxiang.publication.models import PublicSupervisionNotice
from sanxiang.registry.models import Agency
from sanxiang.supervision.models import Instrument, Matter
from tests.shared_demo import demo_county_shared
from tests.supervision.support import supervisor_user_make

TODAY = dt.date(2026, 6, 15)
pytestmark = pytest.mark.shared_demo(day=TODAY)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_county_shared(day=TODAY, blocker=django_db_blocker):
        bureau = Agency.objects.get(is_judicial_bureau=True)
        agencies = list(Agency.objects.filter(is_judicial_bureau=False, users__isnull=False).distinct().order_by("pk"))
        # LEAD: part A's matter_open after the merge (these rows stand in for its matters).
        matters = [
            Matter.objects.create(bureau=bureau, agency=agencies[i % len(agencies)], number=f"JD-DEMO-{i:03d}",
                                  source="routine", state="accepted", subject=f"演示监督事项{i}",
                                  received_on=TODAY - dt.timedelta(days=90))
            for i in range(9)
        ]
        supervisors = [supervisor_user_make(bureau=bureau, name="演示监督甲"),
                       supervisor_user_make(bureau=bureau, name="演示监督乙")]
        yield supervision_instruments_demo_load(matters=matters, supervisors=supervisors, today=TODAY)


@pytest.mark.django_db
def test_the_demo_has_instruments_in_every_state_one_overdue_and_a_public_notice(demo, client):
    states = set(Instrument.objects.values_list("state", flat=True))
    assert states == {str(s) for s in InstrumentState}
    assert any(is_overdue(due_on=i.due_on, state=i.state, on=TODAY) for i in Instrument.objects.all())
    kinds = set(Instrument.objects.values_list("kind", flat=True))
    assert kinds == {"supervise_letter", "opinion", "recommendation", "decision_proposal"}
    assert PublicSupervisionNotice.objects.filter(source_id=demo.notice.pk).exists()
    assert demo.notice.title in client.get(reverse("portal:supervision_notice_list")).content.decode()
