"""Attacker review of issue 15 (task 8): odd query strings and form input on the evaluation pages
(huge numbers, NUL bytes, month=13, negative or NaN hours, very long text) give a page or a Chinese
refusal, never a 500. These probes found no defect; they stay as regression tests."""

import pytest
from django.urls import reverse

from tests.evaluation.support import county_make

pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("path, params", [
    ("evaluation:training_list", {"year": "99999999999999999999"}),
    ("evaluation:training_list", {"year": "2026\x00"}),
    ("evaluation:training_list", {"organiser": "99999999999999999999999"}),
    ("evaluation:training_list", {"page": "-1"}),
    ("evaluation:training_summary", {"year": "1e9"}),
    ("evaluation:training_officers", {"agency": "99999999999999999999999", "met": "x\x00"}),
    ("evaluation:training_officers", {"year": "-5"}),
    ("evaluation:report_list", {"month": "2026-13"}),
    ("evaluation:report_list", {"month": "2026-00"}),
    ("evaluation:report_list", {"month": "99999999999999999999-1"}),
    ("evaluation:report_list", {"month": "\x00"}),
    ("evaluation:document_checklist", {"agency": "99999999999999999999999"}),
    ("evaluation:document_checklist", {"agency": "\x00"}),
    ("evaluation:reminder_list", {}),
])
def test_odd_query_strings_never_give_a_500(client, path, params):
    county = county_make()
    for user in (county.head, county.supervisor):
        client.force_login(user)
        r = client.get(reverse(path), params)
        assert r.status_code < 500

@pytest.mark.parametrize("data", [
    {"kind": "three_systems", "topic": "x", "held_on": "2026-02-30", "hours": "2"},
    {"kind": "three_systems", "topic": "x\x00", "held_on": "2026-02-01", "hours": "2"},
    {"kind": "three_systems", "topic": "x", "held_on": "2026-02-01", "hours": "-2"},
    {"kind": "three_systems", "topic": "x", "held_on": "2026-02-01", "hours": "1e400"},
    {"kind": "three_systems", "topic": "x", "held_on": "2026-02-01", "hours": "NaN"},
    {"kind": "three_systems", "topic": "x", "held_on": "2026-02-01", "hours": "99999999999999999999999"},
    {"kind": "three_systems", "topic": "x" * 100000, "held_on": "2026-02-01", "hours": "2"},
    {"kind": "three_systems", "topic": "x", "held_on": "99999-02-01", "hours": "2"},
])
def test_odd_training_input_is_refused_not_a_500(client, data):
    county = county_make()
    client.force_login(county.head)
    r = client.post(reverse("evaluation:training_new"), data)
    assert r.status_code == 400  # refused with reasons on the form, nothing recorded


# --- finding: a run whose lease another server took over must not overwrite that server's run --------


def test_a_run_whose_lease_was_taken_over_does_not_overwrite_the_new_runner_s_record():
    """A run lasting past `SCHEDULE_LEASE` is taken again by another server (it looks dead). When the
    first one then finishes, it must not mark the run done (or failed) over the other's attempt: the
    record would say "done" while the second run is still working, and a failure of the first
    would hide the second's outcome. Platform rule of the scheduler (at most once per period)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from sanxiang.jobs.models import RunState, ScheduledRun
    from sanxiang.jobs.schedule import (
        SCHEDULE_LEASE,
        Daily,
        PeriodicTask,
        periodic_task_register,
        periodic_task_unregister,
        schedule_tick,
    )

    started = dt.datetime(2026, 6, 15, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

    def slow(on):  # meanwhile the lease ran out and another server took the run again
        ScheduledRun.objects.filter(task="review_slow").update(
            attempts=2, runner="other", started_at=started + SCHEDULE_LEASE + dt.timedelta(minutes=1))
        return "完成"

    periodic_task_register(PeriodicTask(name="review_slow", label="测试任务", period=Daily(at=dt.time(6, 0)),
                                        run=slow, atomic=False))
    try:
        [outcome] = schedule_tick(now=started, tasks=["review_slow"], runner="first")
    finally:
        periodic_task_unregister("review_slow")
    run = ScheduledRun.objects.get(task="review_slow")
    assert (run.state, run.runner, run.attempts) == (RunState.RUNNING, "other", 2)
    assert not outcome.ok and "其他" in outcome.summary


# --- finding: an administrator's retry of a failed scheduled run left no record --------------------


def test_an_administrator_s_retry_of_a_failed_run_is_recorded_in_the_ledger(client):
    """Every change leaves a record: giving a failed run its attempts again (系统管理员, on the
    scheduled tasks page) is a person's decision about the platform's work; the ledger names who
    did it and which run. A run that is not failed is refused and records nothing."""
    import datetime as dt

    from sanxiang.accounts.models import Role
    from sanxiang.jobs.models import RunState, ScheduledRun
    from sanxiang.ledger.models import Entry
    from tests.factories import user_make

    admin = user_make(role=Role.SYSTEM_ADMIN)
    failed = ScheduledRun.objects.create(task="review_task", period_key="2026-06-15", on=dt.date(2026, 6, 15),
                                         state=RunState.FAILED, attempts=3, error="RuntimeError: 存储不可用")
    done = ScheduledRun.objects.create(task="review_task", period_key="2026-06-16", on=dt.date(2026, 6, 16),
                                       state=RunState.DONE, attempts=1)
    client.force_login(admin)
    before = Entry.objects.count()
    client.post(reverse("evaluation:schedule_retry", args=[failed.pk]))
    assert Entry.objects.count() == before + 1
    entry = Entry.objects.order_by("-seq").first()
    assert (entry.kind, entry.actor_id, entry.subject) == (
        "jobs.scheduled_run_retried", admin.pk, f"scheduled_run:{failed.pk}")
    assert b"review_task" in bytes(entry.body)
    failed.refresh_from_db()
    assert failed.attempts == 0
    client.post(reverse("evaluation:schedule_retry", args=[done.pk]))
    assert Entry.objects.count() == before + 1  # nothing to retry: nothing recorded


def test_an_atomic_task_that_lost_its_lease_has_its_writes_undone():
    """The same takeover for a task that runs in one transaction with its record (the default): its
    writes go with the lost lease, so the period's work is not done twice (the new runner does it)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from sanxiang.jobs.models import ScheduledRun
    from sanxiang.jobs.schedule import (
        Daily,
        PeriodicTask,
        periodic_task_register,
        periodic_task_unregister,
        schedule_tick,
    )

    def slow(on):
        Session.objects.create(session_key="review-lease", session_data="", expire_date=timezone.now())
        ScheduledRun.objects.filter(task="review_slow").update(attempts=2, runner="other")
        return "完成"

    periodic_task_register(PeriodicTask(name="review_slow", label="测试任务", period=Daily(at=dt.time(6, 0)),
                                        run=slow))
    try:
        [outcome] = schedule_tick(now=dt.datetime(2026, 6, 15, 7, tzinfo=ZoneInfo("Asia/Shanghai")),
                                  tasks=["review_slow"], runner="first")
    finally:
        periodic_task_unregister("review_slow")
    assert not outcome.ok and "其他" in outcome.summary
    assert not Session.objects.filter(session_key="review-lease").exists()
