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


def test_a_listed_step_without_its_recording_opens_one_matter_over_two_ticks():
    """A 听证 (on the audio-video list, parameter penalty.recording.audio_video_steps) whose transcript
    is on the case but no audio or video of it: one matter, kept once over two daily ticks, linked
    to the case. A hearing with its video, a photo taken for a recording, a seizure's decision the
    day itself (its recording may still come that day) raise none."""
    from tests.evaluation.indicator_support import document_make, evidence_make

    desk = desk_make()
    user = desk.first
    missing = case_create(actor=None, agency=desk.agency, number="av-001", title="听证无录像")
    document_make(missing, record_kind="hearing_transcript", on=dt.date(2026, 6, 1), user=user)
    evidence_make(missing, step="hearing", kind="photo", content_type="image/jpeg", on=dt.date(2026, 6, 1), user=user)
    recorded = case_create(actor=None, agency=desk.agency, number="av-002", title="听证有录像")
    document_make(recorded, record_kind="hearing_transcript", on=dt.date(2026, 6, 2), user=user)
    evidence_make(recorded, step="hearing", kind="video", content_type="video/mp4", on=dt.date(2026, 6, 2), user=user)
    today = case_create(actor=None, agency=desk.agency, number="av-003", title="当日扣押")
    document_make(today, record_kind="measure_decision", on=ON, user=user)

    call_command("supervision_tick", "--on", ON.isoformat())
    call_command("supervision_tick", "--on", (ON + dt.timedelta(days=1)).isoformat())

    alerts = Matter.objects.filter(alert_key__startswith="recording_missing:").order_by("id")
    assert [m.alert_key for m in alerts] == [
        f"recording_missing:{missing.pk}:hearing_transcript", f"recording_missing:{today.pk}:measure_decision"]
    matter = alerts.get(alert_key__contains=f":{missing.pk}:")
    assert matter.source == "platform_alert" and matter.bureau == desk.bureau and matter.agency == desk.agency
    assert matter.subject == "听证环节缺少音像记录（av-001）" and "2026-06-01" in matter.summary
    client = Client()
    client.force_login(desk.first)
    assert reverse("cases:case_detail", args=[missing.pk]) in client.get(matter.get_absolute_url()).content.decode()
    # The seizure's matter came the day after, once (查封、扣押 share one decision, one alert).
    assert alerts.get(alert_key__contains=f":{today.pk}:").received_on == ON + dt.timedelta(days=1)


def test_finding_missing_recordings_costs_the_same_queries_for_one_case_and_five():
    """The source reads stored records: one query per region and kind of step, whatever the cases."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanxiang.supervision.alerts import recording_missing_alerts
    from tests.evaluation.indicator_support import document_make

    desk = desk_make()

    def cost(n: int) -> tuple[int, int]:
        for k in range(n):
            case = case_create(actor=None, agency=desk.agency, number=f"avq-{n}-{k}", title="听证无录像")
            document_make(case, record_kind="hearing_transcript", on=dt.date(2026, 6, 1), user=desk.first)
        with CaptureQueriesContext(connection) as captured:
            alerts = list(recording_missing_alerts(on=ON))
        return len(alerts), len(captured.captured_queries)

    (one, small), (six, large) = cost(1), cost(5)
    assert (one, six) == (1, 6) and small == large
