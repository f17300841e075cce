"""The demo county's complaints (issue 14, part D), loaded after the demo county."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings

from sanxiang.accounts.models import Role, User
from sanxiang.demo.county import demo_county_load
from sanxiang.demo.supervision_complaints import supervision_complaints_demo_load
from sanxiang.publication.models import PublicComplaint
from sanxiang.registry.models import Agency
from sanxiang.supervision.models import Complaint
from tests.supervision.support import supervisor_user_make

TODAY = dt.date(2026, 11, 20)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_demo_complaints_in_every_public_state_from_every_channel():
    with transaction.atomic():
        demo_county_load(today=TODAY)
    supervisor = User.objects.get(role=Role.SUPERVISOR, username="supervisor")
    bureau = Agency.objects.get(pk=supervisor.agency_id)
    pair = [supervisor_user_make(bureau=bureau, name="演示监督甲"), supervisor_user_make(bureau=bureau, name="演示监督乙")]
    assert supervision_complaints_demo_load(bureau=bureau, supervisors=pair, today=TODAY) == 10
    assert supervision_complaints_demo_load(bureau=bureau, supervisors=pair, today=TODAY) == 0  # once
    statuses = set(PublicComplaint.objects.values_list("status_label", flat=True))
    assert statuses == {"已收到", "已受理", "不予受理", "已办结"}
    assert set(Complaint.objects.values_list("channel", flat=True)) == {"portal", "hotline_12345", "enterprise"}
    numbers = sorted(Complaint.objects.filter(year=2026).values_list("sequence", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))  # no gap in the year
    assert PublicComplaint.objects.filter(reason__contains="第三十三条").exists()
