"""Reminders of monthly reports due, system documents due and training hours short (issue 15,
item 9): each on the rungs of its ladder (platform rules, parameters), to the right users only, in
their inbox with 知悉, written once a rung (idempotent), closed when what they remind of is done,
e-mailed after the commit when e-mail is on, and produced by the daily scheduled task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.evaluation.document_services import system_document_submit
from sanxiang.evaluation.models import MonthlyReport, Reminder
from sanxiang.evaluation.reminder_selectors import reminders_waiting
from sanxiang.evaluation.reminder_services import (
    document_reminders_refresh,
    reminder_dismiss,
    report_reminders_refresh,
    training_reminders_refresh,
)
from sanxiang.evaluation.report_services import report_drafts_create, report_submit
from sanxiang.jobs.schedule import schedule_tick_on
from sanxiang.ledger.models import Entry
from sanxiang.procedure.evaluation.reminders import ReminderKind
from tests.evaluation import support as documents_support
from tests.evaluation.indicator_support import training_make
from tests.evaluation.report_support import county_make as report_county_make
from tests.factories import agency_make, officer_make, user_make
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db
D = dt.date
WRITTEN = {"problems": "无", "results": "公示全部按期。", "next_plan": "开展案卷自查。", "coordination": ""}


def titles(user) -> list[str]:
    return [r.title for r in reminders_waiting(user=user)]


# --- monthly reports ------------------------------------------------------------------------------------


@pytest.fixture
def reports():
    county = report_county_make()
    report_drafts_create(on=D(2026, 10, 1))  # September's, due 25 October
    return county


def test_a_report_is_reminded_5_and_1_days_before_then_overdue_to_the_bureau_too(reports):
    county = reports
    report_reminders_refresh(on=D(2026, 10, 19))  # 6 days left: not yet
    assert titles(county.head) == []
    report_reminders_refresh(on=D(2026, 10, 20))
    assert titles(county.head) == ["2026年9月工作月报应于2026-10-25前报送"]
    assert titles(county.other_head) == ["2026年9月工作月报应于2026-10-25前报送"]
    # Not the officer (who may not submit), nor the bureau before the due day.
    assert titles(county.officer) == [] and titles(county.first) == []
    [reminder] = reminders_waiting(user=county.head)
    reminder_dismiss(reminder=reminder, actor=county.head)
    report_reminders_refresh(on=D(2026, 10, 22))  # the same rung: stays dismissed
    assert titles(county.head) == []
    report_reminders_refresh(on=D(2026, 10, 24))  # the next rung brings it back
    assert titles(county.head) == ["2026年9月工作月报应于2026-10-25前报送"]
    report_reminders_refresh(on=D(2026, 10, 26))
    overdue = "2026年9月工作月报已逾期未报送（报送期限2026-10-25）"
    assert titles(county.head) == [overdue]
    assert sorted(titles(county.first)) == sorted([overdue, overdue])  # both agencies' reports, to the bureau
    assert titles(county.second) == titles(county.first)  # every supervisor of the bureau


def test_submitting_closes_the_reports_reminders_and_a_second_run_changes_nothing(reports):
    county = reports
    report_reminders_refresh(on=D(2026, 10, 26))
    entries = Entry.objects.count()
    assert report_reminders_refresh(on=D(2026, 10, 26)).startswith("月报报送提醒：新提醒0条")
    assert Entry.objects.count() == entries
    mine = MonthlyReport.objects.get(agency=county.agency)
    report_submit(report=mine, actor=county.head, on=D(2026, 10, 27), sections=WRITTEN)
    summary = report_reminders_refresh(on=D(2026, 10, 27))
    assert summary.endswith("不再适用2条")  # the head's and the bureau's reminder of that report
    assert titles(county.head) == []
    assert len(titles(county.first)) == 1  # the other agency's report is still overdue


# --- system documents --------------------------------------------------------------------------------------


def test_documents_missing_are_reminded_to_the_head_and_administrator_then_overdue_to_the_bureau():
    county = documents_support.county_make()
    admin = user_make(role=Role.AGENCY_ADMIN, agency=county.agency)
    officer = user_make(role=Role.OFFICER, agency=county.agency)
    # The plan's checklist is due on 2022-11-30 (the parameter): 25 days before is the 30-day rung.
    system_document_submit(
        actor=county.head,
        kind="rules",
        title="行政执法公示制度",
        public=True,
        upload=documents_support.Upload(),
        on=D(2022, 11, 4),
    )
    document_reminders_refresh(on=D(2022, 11, 5))
    expected = "制度文件应于2022-11-30前报送：尚缺清单、服务指南、流程图、执法工作手册"
    assert titles(county.head) == [expected] and titles(admin) == [expected]
    assert titles(officer) == [] and titles(county.supervisor) == []
    document_reminders_refresh(on=D(2022, 12, 1))
    overdue = "制度文件逾期未报送：清单、服务指南、流程图、执法工作手册（报送期限2022-11-30）"
    assert titles(county.head) == [overdue]
    assert sorted(titles(county.supervisor)) == sorted(
        [overdue, "制度文件逾期未报送：制度、清单、服务指南、流程图、执法工作手册（报送期限2022-11-30）"]
    )


def test_a_complete_checklist_closes_the_documents_reminders():
    county = documents_support.county_make()
    document_reminders_refresh(on=D(2022, 12, 1))
    assert len(titles(county.head)) == 1
    for kind in ("rules", "list", "service_guide", "flow_chart", "manual"):
        system_document_submit(
            actor=county.head,
            kind=kind,
            title=f"文件{kind}",
            public=True,
            upload=documents_support.Upload(),
            on=D(2022, 12, 2),
        )
    document_reminders_refresh(on=D(2022, 12, 2))
    assert titles(county.head) == []  # submitted, waiting for review: not the agency's delay
    assert len(titles(county.supervisor)) == 1  # the other agency's checklist


# --- training hours ---------------------------------------------------------------------------------------


@pytest.fixture
def trained():
    bureau = agency_make(is_judicial_bureau=True)
    agency = agency_make(name="市场监督管理局")
    supervisor = supervisor_user_make(bureau=bureau)
    short, done, no_login = (officer_make(agency=agency, name=n) for n in ("张三", "李四", "王五"))
    users = {
        "short": user_make(role=Role.OFFICER, agency=agency, officer=short),
        "done": user_make(role=Role.OFFICER, agency=agency, officer=done),
        "head": user_make(role=Role.AGENCY_HEAD, agency=agency),
        "supervisor": supervisor,
    }
    training_make(bureau, supervisor, short, on=D(2026, 3, 1), hours="12.5")
    training_make(bureau, supervisor, done, on=D(2026, 3, 1), hours="40")
    return {"agency": agency, "short": short, "no_login": no_login, "users": users, "bureau": bureau}


def test_officers_short_of_hours_are_reminded_as_the_year_ends_and_the_head_of_how_many(trained):
    users = trained["users"]
    training_reminders_refresh(on=D(2026, 10, 1))  # 91 days left: not yet
    assert titles(users["short"]) == []
    training_reminders_refresh(on=D(2026, 10, 2))
    assert titles(users["short"]) == ["张三2026年培训学时12.5，未达到年度规定的40学时"]
    assert titles(users["done"]) == [] and titles(users["supervisor"]) == []
    # 王五 has no account: counted in the head's reminder.
    assert titles(users["head"]) == ["本机关有2名执法人员2026年培训学时未达到规定的40学时"]
    training_reminders_refresh(on=D(2026, 10, 3))
    assert Reminder.objects.filter(kind=ReminderKind.TRAINING_SHORT).count() == 2  # once a rung
    training_make(trained["bureau"], users["supervisor"], trained["short"], on=D(2026, 11, 5), hours="30")
    summary = training_reminders_refresh(on=D(2026, 11, 6))
    assert titles(users["short"]) == []  # reached the hours: closed
    assert titles(users["head"]) == ["本机关有1名执法人员2026年培训学时未达到规定的40学时"]
    assert summary.endswith("不再适用1条")
    # The 30-day rung brings the head's reminder back; a new year closes it.
    training_reminders_refresh(on=D(2026, 12, 1))
    assert Reminder.objects.get(subject_type="training_agency").stage == "30"
    training_reminders_refresh(on=D(2027, 1, 2))
    assert titles(users["head"]) == []


def test_the_scheduled_task_writes_the_three_kinds_and_e_mails_after_the_commit(
    trained, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SANXIANG_REMINDER_EMAIL = True
    head = trained["users"]["head"]
    head.email = "head@example.cn"
    head.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        [outcome] = schedule_tick_on(on=D(2026, 10, 2), tasks=["evaluation_reminders"])
        assert mail.outbox == []
    assert outcome.ok, outcome.summary
    assert "月报报送提醒" in outcome.summary and "制度文件报送提醒" in outcome.summary
    assert "培训学时提醒：新提醒2条" in outcome.summary
    # The head's two reminders (the checklist, overdue since 2022; the officers short of hours).
    assert sorted(m.subject for m in mail.outbox) == [
        "【三项制度平台提醒】制度文件逾期未报送：制度、清单、服务指南、流程图、执法工作手册（报送期限2022-11-30）",
        "【三项制度平台提醒】本机关有2名执法人员2026年培训学时未达到规定的40学时",
    ]
    assert all(m.to == ["head@example.cn"] for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_tick_on(on=D(2026, 10, 3), tasks=["evaluation_reminders"])
    assert len(mail.outbox) == 2  # the same rungs: no second mail


def test_the_inbox_shows_the_reminders_with_their_link_and_知悉(trained, client):
    users = trained["users"]
    training_reminders_refresh(on=D(2026, 10, 2))
    [mine] = reminders_waiting(user=users["short"])
    client.force_login(users["short"])
    page = client.get(reverse("web:inbox")).content.decode()
    assert mine.title in page and reverse("evaluation:reminder_dismiss", args=[mine.pk]) in page
    assert mine.url.replace("&", "&amp;") in page
    assert client.get(mine.url).status_code == 200  # the link opens the officers short of hours
    client.post(reverse("evaluation:reminder_dismiss", args=[mine.pk]))
    assert mine.title not in client.get(reverse("web:inbox")).content.decode()
