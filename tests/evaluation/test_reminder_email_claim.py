"""Review finding: a reminder's e-mail could go out twice, with two servers, or after a failure
between sending and recording it. Sending now claims the reminder first (`emailed_at` set by an
UPDATE … WHERE emailed_at IS NULL, committed before the mail goes): only the claimant sends; a
failure to send releases the claim for the next run."""

import datetime as dt

import pytest
from django.core import mail

from sanxiang.accounts.models import Role
from sanxiang.evaluation import reminder_services
from sanxiang.evaluation.models import Reminder
from sanxiang.evaluation.reminder_services import (
    reminder_email_send,
    reminder_upsert,
    reminders_email_pending,
)
from sanxiang.procedure.evaluation.reminders import ReminderKind
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 12, 20)


@pytest.fixture
def reminder(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SANXIANG_REMINDER_EMAIL = False  # written without the after-commit mail; sent below
    agency = agency_make(name="市场监督管理局")
    head = user_make(role=Role.AGENCY_HEAD, agency=agency)
    head.email = "head@example.cn"
    head.save(update_fields=["email"])
    written = reminder_upsert(
        kind=ReminderKind.MONTHLY_REPORT_DUE,
        subject_type="monthly_report",
        subject_id=1,
        recipient_role=Role.AGENCY_HEAD,
        recipient_agency=agency,
        agency=agency,
        title="2026年11月月报应于12月25日前报送",
        stage="due",
        on=ON,
    )
    settings.SANXIANG_REMINDER_EMAIL = True
    return written.reminder


def test_two_servers_sending_the_same_reminder_send_one_mail(reminder):
    assert reminder_email_send(reminder_id=reminder.pk) == 1
    assert reminder_email_send(reminder_id=reminder.pk) == 0  # the second server finds it claimed
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["head@example.cn"]
    assert Reminder.objects.get(pk=reminder.pk).emailed_at is not None


def test_the_claim_is_recorded_before_the_mail_goes(reminder, monkeypatch):
    seen = []

    def send_mail(**kwargs):
        # What another server would read at this instant: the reminder already claimed.
        seen.append(Reminder.objects.filter(pk=reminder.pk, emailed_at__isnull=True).exists())
        assert reminder_email_send(reminder_id=reminder.pk) == 0  # a second server meanwhile
        return 1

    monkeypatch.setattr(reminder_services, "send_mail", send_mail)
    assert reminder_email_send(reminder_id=reminder.pk) == 1
    assert seen == [False]


def test_a_crash_after_sending_never_sends_again(reminder, monkeypatch):
    def send_then_crash(**kwargs):
        mail.outbox.append(kwargs["subject"])
        raise KeyboardInterrupt  # the process dies between sending and anything after it

    monkeypatch.setattr(reminder_services, "send_mail", send_then_crash)
    with pytest.raises(KeyboardInterrupt):
        reminder_email_send(reminder_id=reminder.pk)
    monkeypatch.undo()
    assert reminder_email_send(reminder_id=reminder.pk) == 0
    assert reminders_email_pending(on=ON) == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_releases_the_claim_and_the_scheduled_run_sends_it(reminder, monkeypatch):
    def refused(**kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(reminder_services, "send_mail", refused)
    assert reminder_email_send(reminder_id=reminder.pk) == 0
    assert Reminder.objects.get(pk=reminder.pk).emailed_at is None
    monkeypatch.undo()
    assert reminders_email_pending(on=ON) == 1
    assert reminders_email_pending(on=ON) == 0
    assert len(mail.outbox) == 1
