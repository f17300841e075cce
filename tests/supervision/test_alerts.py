"""Platform alerts open supervision matters (来源：平台预警), once per alert, linked to the record
behind them: a publicity draft overdue, a major decision without legal review."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sanxiang.cases.services import case_create
from sanxiang.publication.models import PublicationDraft
from sanxiang.review.models import ReviewTally
from sanxiang.supervision.alerts import platform_alerts_open
from sanxiang.supervision.models import Matter
from tests.factories import agency_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 10)


def test_alerts_open_one_matter_each_once_with_the_record_linked():
    desk = desk_make()
    case = case_create(actor=None, agency=desk.agency, number="alert-001", title="逾期公示案件")
    draft = PublicationDraft.objects.create(case=case, agency=desk.agency, decided_on=dt.date(2026, 5, 20),
                                            due_on=dt.date(2026, 5, 27), original={}, public={})
    on_time = case_create(actor=None, agency=desk.agency, number="alert-002", title="未到期")
    PublicationDraft.objects.create(case=on_time, agency=desk.agency, decided_on=ON, due_on=ON + dt.timedelta(days=7),
                                    original={}, public={})
    major = case_create(actor=None, agency=desk.agency, number="alert-003", title="重大决定")
    ReviewTally.objects.create(case=major, agency=desk.agency, decided_on=dt.date(2026, 6, 1), major=True,
                               reviewed=False, rounds=0, review_days=0, reviews_timed=0, sent_back=False,
                               estimated=False)
    # An agency of a county without a judicial bureau on the platform raises nothing here.
    far = agency_make(region_code="150699")
    lonely = case_create(actor=None, agency=far, number="alert-004", title="无司法局")
    PublicationDraft.objects.create(case=lonely, agency=far, decided_on=dt.date(2026, 5, 1),
                                    due_on=dt.date(2026, 5, 8), original={}, public={})

    assert platform_alerts_open(on=ON) == 2
    assert platform_alerts_open(on=ON) == 0  # idempotent
    call_command("supervision_tick", "--on", ON.isoformat())
    matters = Matter.objects.order_by("id")
    assert [m.source for m in matters] == ["platform_alert", "platform_alert"]
    overdue = matters.get(alert_key=f"publication_overdue:{draft.pk}")
    assert overdue.bureau == desk.bureau and overdue.agency == desk.agency and "alert-001" in overdue.subject
    client = Client()
    client.force_login(desk.first)
    html = client.get(overdue.get_absolute_url()).content.decode()
    assert reverse("publication:draft_detail", args=[draft.pk]) in html
    unreviewed = matters.get(alert_key=f"unreviewed_major:{major.pk}")
    assert reverse("cases:case_detail", args=[major.pk]) in client.get(unreviewed.get_absolute_url()).content.decode()
