"""What the demo load does while it runs, watched on the shared load of tests.shared_demo.WATCHED_DAY
(one load for the group demo-a, instead of one more load per check):

- every record of the demo is written through the services, so each has its ledger entry; counted
  at the call sites of `entry_append`, so that the check holds whatever the ledger's storage looks
  like;
- issue 12 ("no snapshot rebuilt twice"): the projection refresh of a step takes the snapshot the
  step computed instead of building it again, and on every step of the demo county (every
  procedure: 处罚, 强制, 执行, 检查 …) that snapshot is the one a fresh build of the saved case gives."""

from collections import Counter

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxiang.accounts.models import User
from sanxiang.demo.county import demo_county_load
from sanxiang.ledger.events import EventKind
from sanxiang.registry.models import Agency, Certificate, Matter, Officer, Party
from tests.shared_demo import WATCHED_DAY, demo_county_shared

pytestmark = [pytest.mark.django_db, pytest.mark.shared_demo(day=WATCHED_DAY)]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_county_shared(day=WATCHED_DAY, blocker=django_db_blocker) as loaded:
        assert loaded.watch is not None
        yield loaded


def test_every_demo_record_has_its_ledger_entry(demo, settings, monkeypatch):
    expected = {
        EventKind.AGENCY_CREATED: Agency.objects.count(),
        EventKind.OFFICER_CREATED: Officer.objects.count(),
        EventKind.CERTIFICATE_CREATED: Certificate.objects.count(),
        EventKind.MATTER_CREATED: Matter.objects.count(),
        EventKind.PARTY_CREATED: Party.objects.count(),
        EventKind.USER_CREATED: User.objects.count(),
        EventKind.TOTP_ENABLED: TOTPDevice.objects.filter(confirmed=True).count(),
    }
    # The registry's and accounts' records (the import's own case and document entries aside).
    assert Counter(event.kind for event, _ in demo.watch.appended if event.kind in expected) == expected
    # Every record is the loader's own (no actor), except the parties of the penalty cases that the
    # demo's inspections opened (the enterprise is registered by the staff member acting) and the
    # parties of the licence decisions the head imported from the 政务服务 system.
    from sanxiang.cases.models import Case
    from sanxiang.inspection.models import Inspection

    acting = [event.kind for event, actor in demo.watch.appended if actor is not None and event.kind in expected]
    opened = Inspection.objects.exclude(penalty_case=None).count()
    imported = Case.objects.filter(permit_import__isnull=False).values("party_id").distinct().count()
    assert opened and imported and acting == [EventKind.PARTY_CREATED] * (opened + imported)
    # Loaded again, the county is found and nothing more is appended.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    again = []
    for module in ("sanxiang.registry.services", "sanxiang.accounts.services", "sanxiang.demo.county"):
        monkeypatch.setattr(f"{module}.entry_append", lambda *, event, actor=None: again.append(event))
    assert not demo_county_load(today=WATCHED_DAY).created
    assert again == []


def test_the_projection_takes_the_steps_snapshot_which_equals_a_fresh_one_after_every_step_of_the_demo(demo):
    given = demo.watch.snapshots
    assert demo.watch.snapshot_differences == []
    assert len(given) > 100 and {"ordinary", "summary"} <= set(given) and len(set(given)) >= 5, set(given)
