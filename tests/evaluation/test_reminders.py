"""Reminders (issue 15, item 9): the certificate expiry ladder (a platform rule: 90, 30 and 7 days
before, then overdue) for the officer, the agency's head and the county's 司法局, in their inbox
only; the generic `reminder_upsert` other parts write to, idempotent and in the ledger; dismissal;
optional e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.evaluation.models import Reminder
from sanxiang.evaluation.reminder_selectors import reminders_waiting
from sanxiang.evaluation.reminder_services import (
    certificate_reminders_refresh,
    reminder_dismiss,
    reminder_upsert,
    reminders_close,
)
from sanxiang.inbox.selectors import REMINDER
from sanxiang.jobs.schedule import schedule_tick_on
from sanxiang.ledger.models import Entry
from sanxiang.procedure.evaluation.reminders import ReminderKind
from sanxiang.registry import services as registry_services
from sanxiang.web.inbox import inbox_build, inbox_count
from tests.factories import agency_make, certificate_make, officer_make, user_make
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db
LAST_DAY = dt.date(2027, 3, 31)


def before(days: int) -> dt.date:
    return LAST_DAY - dt.timedelta(days=days)


@pytest.fixture
def county():
    """Two agencies of one county with its 司法局, and another county's agency and bureau; an
    officer whose certificate ends on LAST_DAY, and everyone who might see a reminder of it."""
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    agency, neighbour = agency_make(name="市场监督管理局"), agency_make(name="交通运输局")
    far_bureau = agency_make(name="他旗司法局", is_judicial_bureau=True, region_code="150627")
    far_agency = agency_make(name="他旗市场监督管理局", region_code="150627")
    officer = officer_make(agency=agency, name="张三", valid_to=LAST_DAY)
    colleague = officer_make(agency=agency, name="李四")  # a certificate valid for years
    users = {
        "officer": user_make(role=Role.OFFICER, agency=agency, officer=officer),
        "colleague": user_make(role=Role.OFFICER, agency=agency, officer=colleague),
        "head": user_make(role=Role.AGENCY_HEAD, agency=agency),
        "admin": user_make(role=Role.AGENCY_ADMIN, agency=agency),
        "supervisor": supervisor_user_make(bureau=bureau),
        "neighbour_head": user_make(role=Role.AGENCY_HEAD, agency=neighbour),
        "far_supervisor": supervisor_user_make(bureau=far_bureau),
        "far_head": user_make(role=Role.AGENCY_HEAD, agency=far_agency),
    }
    return {"agency": agency, "officer": officer, "certificate": officer.certificates.get(), "users": users,
            "bureau": bureau}


def titles(user, on) -> list[str]:
    return [r.title for r in reminders_waiting(user=user)]


def test_the_ladder_reminds_the_officer_the_head_and_the_bureau_only(county):
    users = county["users"]
    assert certificate_reminders_refresh(on=before(91)).startswith("执法证件到期提醒：新提醒0条")
    assert not Reminder.objects.exists()

    summary = certificate_reminders_refresh(on=before(90))

    assert summary == "执法证件到期提醒：新提醒3条，仍在提醒0条，不再适用0条"
    number = county["certificate"].number
    expected = f"张三的执法证{number}将于2027-03-31到期"
    seen = {name: titles(user, before(90)) for name, user in users.items()}
    assert seen == {"officer": [expected], "head": [expected], "supervisor": [expected], "colleague": [],
                    "admin": [], "neighbour_head": [], "far_supervisor": [], "far_head": []}
    # In the inbox, as a kind of its own, counted the same as listed, opening the officer's page.
    inbox = inbox_build(user=users["head"], on=before(90))
    [item] = inbox.group(REMINDER).items
    assert (item.title, item.url, item.due, item.due_note) == (
        expected, reverse("registry:officer_detail", args=[county["officer"].pk]), LAST_DAY, "还有90日")
    assert inbox_count(user=users["head"], on=before(90)) == inbox.total
    assert list(inbox_build(user=users["far_supervisor"], on=before(90)).group(REMINDER).items) == []


def test_each_rung_reminds_once_and_a_dismissed_reminder_comes_back_at_the_next(county):
    users = county["users"]
    certificate_reminders_refresh(on=before(90))
    entries = Entry.objects.count()
    # The days between two rungs change nothing (no new row, no ledger entry).
    assert "新提醒0条，仍在提醒3条" in certificate_reminders_refresh(on=before(45))
    assert Entry.objects.count() == entries and Reminder.objects.count() == 3
    [mine] = reminders_waiting(user=users["officer"])
    reminder_dismiss(reminder=mine, actor=users["officer"])
    assert reminders_waiting(user=users["officer"]) == [] and len(reminders_waiting(user=users["head"])) == 1
    certificate_reminders_refresh(on=before(44))
    assert reminders_waiting(user=users["officer"]) == []  # dismissed stays dismissed on its rung

    certificate_reminders_refresh(on=before(30))

    [back] = reminders_waiting(user=users["officer"])
    assert back.pk == mine.pk and back.stage == "30" and back.raised_on == before(30)
    certificate_reminders_refresh(on=before(7))
    certificate_reminders_refresh(on=LAST_DAY + dt.timedelta(days=1))
    [overdue] = reminders_waiting(user=users["supervisor"])
    assert overdue.stage == "overdue" and overdue.title.endswith("已于2027-03-31到期")
    assert inbox_build(user=users["supervisor"], on=LAST_DAY + dt.timedelta(days=1)).group(REMINDER).items[0].overdue


def test_a_renewed_certificate_closes_its_reminders(county):
    users = county["users"]
    certificate_reminders_refresh(on=before(30))
    certificate_make(officer=county["officer"], valid_from=before(30), valid_to=LAST_DAY + dt.timedelta(days=5 * 365))

    summary = certificate_reminders_refresh(on=before(29))

    assert summary.endswith("不再适用3条")
    assert all(reminders_waiting(user=u) == [] for u in users.values())
    assert Reminder.objects.filter(closed_on=before(29)).count() == 3


def test_a_revoked_certificate_is_no_longer_reminded_of(county):
    certificate_reminders_refresh(on=before(7))
    certificate = county["certificate"]
    registry_services.certificate_update(actor=None, certificate=certificate, status="revoked", reason="调离执法岗位")
    certificate_reminders_refresh(on=before(6))
    assert not Reminder.objects.filter(closed_on__isnull=True).exists()


def test_the_scheduled_task_writes_the_day_s_reminders(county):
    [outcome] = schedule_tick_on(on=before(30), tasks=["certificate_reminders"])
    assert outcome.ok and outcome.summary.startswith("执法证件到期提醒：新提醒3条")
    assert len(reminders_waiting(user=county["users"]["head"])) == 1


# --- the generic table --------------------------------------------------------------------------------


def test_reminder_upsert_is_idempotent_and_ledgered(county):
    agency, head = county["agency"], county["users"]["head"]
    common = {"kind": ReminderKind.MONTHLY_REPORT_DUE, "subject_type": "monthly_report", "subject_id": 7,
              "recipient_role": Role.AGENCY_HEAD, "recipient_agency": agency, "agency": agency,
              "title": "2026年11月月报应于12月25日前报送", "due_on": dt.date(2026, 12, 25), "stage": "5"}
    entries = Entry.objects.count()
    first = reminder_upsert(**common, on=dt.date(2026, 12, 20))
    again = reminder_upsert(**common, on=dt.date(2026, 12, 21))
    assert (first.created, first.changed, again.created, again.changed) == (True, True, False, False)
    assert Reminder.objects.count() == 1 and Entry.objects.count() == entries + 1
    assert Entry.objects.filter(kind="evaluation.reminder_raised", subject=f"reminder:{first.reminder.pk}",
                                agency_id=agency.pk).count() == 1
    assert [r.title for r in reminders_waiting(user=head)] == ["2026年11月月报应于12月25日前报送"]
    assert reminders_close(kind=ReminderKind.MONTHLY_REPORT_DUE, subject_type="monthly_report", subject_id=7,
                           on=dt.date(2026, 12, 22)) == 1
    assert reminders_waiting(user=head) == []
    # Written again (the report was returned): it reopens.
    assert reminder_upsert(**common, on=dt.date(2026, 12, 23)).changed
    assert len(reminders_waiting(user=head)) == 1


def test_a_reminder_needs_a_known_kind_and_a_recipient(county):
    with pytest.raises(ValueError, match="recipient"):
        reminder_upsert(kind=ReminderKind.TRAINING_SHORT, subject_type="officer", subject_id=1, title="x",
                        on=dt.date(2026, 1, 1), recipient_role=Role.AGENCY_HEAD)
    with pytest.raises(ValueError, match="kind"):
        reminder_upsert(kind="no_such_kind", subject_type="officer", subject_id=1, title="x", on=dt.date(2026, 1, 1),
                        recipient_user=county["users"]["officer"])
    assert not Reminder.objects.exists()


# --- dismissal through the pages ---------------------------------------------------------------------------


def test_dismissing_from_the_inbox_is_for_a_recipient_only(client, county):
    users = county["users"]
    certificate_reminders_refresh(on=before(30))
    [theirs] = reminders_waiting(user=users["head"])
    client.force_login(users["neighbour_head"])
    assert client.post(reverse("evaluation:reminder_dismiss", args=[theirs.pk])).status_code == 404
    client.force_login(users["far_supervisor"])
    assert client.post(reverse("evaluation:reminder_dismiss", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.dismissed_at is None

    client.force_login(users["head"])
    page = client.get(reverse("web:inbox")).content.decode()
    assert theirs.title in page and reverse("evaluation:reminder_dismiss", args=[theirs.pk]) in page
    response = client.post(reverse("evaluation:reminder_dismiss", args=[theirs.pk]), {"next": reverse("web:inbox")})
    assert response.status_code == 302 and response["Location"] == reverse("web:inbox")
    theirs.refresh_from_db()
    assert theirs.dismissed_by == users["head"]
    assert theirs.title not in client.get(reverse("web:inbox")).content.decode()
    # Somewhere else: back to the list.
    [officers] = reminders_waiting(user=users["officer"])
    client.force_login(users["officer"])
    assert officers.title in client.get(reverse("evaluation:reminder_list")).content.decode()
    response = client.post(reverse("evaluation:reminder_dismiss", args=[officers.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("evaluation:reminder_list")


# --- e-mail ---------------------------------------------------------------------------------------------------


def test_reminders_are_e_mailed_after_the_commit_when_e_mail_is_on(county, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users = county["users"]
    for user, address in ((users["officer"], "zhang@example.cn"), (users["head"], "head@example.cn")):
        user.email = address
        user.save(update_fields=["email"])
    settings.SANXIANG_REMINDER_EMAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        certificate_reminders_refresh(on=before(90))
    assert mail.outbox == []

    settings.SANXIANG_REMINDER_EMAIL = True
    with django_capture_on_commit_callbacks(execute=True):
        certificate_reminders_refresh(on=before(30))
        assert mail.outbox == []  # nothing before the commit
    assert sorted(m.to[0] for m in mail.outbox) == ["head@example.cn", "zhang@example.cn"]
    assert all("将于2027-03-31到期" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_reminders_refresh(on=before(29))  # the same rung: no second mail
    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(emailed_at__isnull=False).count() == 2  # the bureau's supervisor has no address
