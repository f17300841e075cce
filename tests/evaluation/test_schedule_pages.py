"""The staff page of the scheduled work (issue 15, item 9): each task with its period, its last run
and its counts, each count opening the runs it counts; the failures, with their error and a retry
for the system administrators only; a number of queries that does not grow with the runs."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.jobs.models import RunState, ScheduledRun
from tests.factories import agency_make, user_make
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


@pytest.fixture
def people():
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    admin = user_make(role=Role.SYSTEM_ADMIN)
    return {"supervisor": supervisor_user_make(bureau=bureau), "admin": admin}


def runs(n: int, *, start: int = 0) -> None:
    """n days of every task's runs: done, but the sessions' every third day failed."""
    for task in ("sessions_clear", "publication_daily", "certificate_reminders"):
        for i in range(start, start + n):
            failed = task == "sessions_clear" and i % 3 == 0
            ScheduledRun.objects.create(
                task=task, period_key=(DAY + dt.timedelta(days=i)).isoformat(), on=DAY + dt.timedelta(days=i),
                state=RunState.FAILED if failed else RunState.DONE, attempts=3 if failed else 1,
                error="OperationalError: database is locked" if failed else "", summary="" if failed else f"完成{i}",
            )


def get(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_the_page_lists_every_task_and_its_failures_in_the_same_queries_at_any_size(client, people):
    runs(3)
    few, _ = get(client, people["supervisor"], reverse("evaluation:schedule"))
    runs(60, start=3)
    many, page_many = get(client, people["supervisor"], reverse("evaluation:schedule"))
    assert many == few
    for label in ("删除过期会话", "公示期满下架、事前公开信息更新", "执法证件到期提醒", "平台预警转为监督事项"):
        assert label in page_many
    # A supervisor sees that a run failed, not its error text nor the summaries, which cover every
    # county of the installation (the administrators' business).
    assert page_many.count('data-testid="schedule-failure"') == 21
    assert "database is locked" not in page_many and 'data-testid="schedule-retry"' not in page_many
    assert "完成62" not in page_many
    admins = get(client, people["admin"], reverse("evaluation:schedule"))[1]
    assert "完成62" in admins and "database is locked" in admins  # the last run's summary, the errors


def test_each_count_opens_the_runs_it_counts(client, people):
    runs(10)
    _, page = get(client, people["admin"], reverse("evaluation:schedule"))
    row = re.search(r'<tr data-testid="schedule-task">\s*<td data-label="任务"><a href="[^"]*sessions_clear/">.*?</tr>',
                    page, re.S).group(0)
    failed = int(re.search(r'data-testid="failed-count">(\d+)<', row).group(1))
    done = int(re.search(r'data-testid="done-count">(\d+)<', row).group(1))
    assert (failed, done) == (4, 6)
    url = reverse("evaluation:schedule_task", args=["sessions_clear"])
    _, failed_page = get(client, people["admin"], url + "?state=failed")
    _, done_page = get(client, people["admin"], url + "?state=done")
    assert failed_page.count('data-testid="schedule-run"') == failed and "database is locked" in failed_page
    assert done_page.count('data-testid="schedule-run"') == done
    # The supervisor reads the runs without the errors' text.
    _, supervisors = get(client, people["supervisor"], url + "?state=failed")
    assert supervisors.count("运行失败") == failed and "database is locked" not in supervisors
    client.force_login(people["admin"])
    assert client.get(reverse("evaluation:schedule_task", args=["no_such_task"])).status_code == 404


def test_an_administrator_retries_a_failed_run_from_the_page(client, people):
    runs(1)
    failed = ScheduledRun.objects.get(state=RunState.FAILED)
    _, page = get(client, people["admin"], reverse("evaluation:schedule"))
    assert "database is locked" in page and reverse("evaluation:schedule_retry", args=[failed.pk]) in page
    response = client.post(reverse("evaluation:schedule_retry", args=[failed.pk]), follow=True)
    assert "已安排重新运行" in response.content.decode()
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.retry_after) == (RunState.FAILED, 0, None)
    done = ScheduledRun.objects.filter(state=RunState.DONE).first()
    response = client.post(reverse("evaluation:schedule_retry", args=[done.pk]), follow=True)
    assert "不是失败状态" in response.content.decode()
