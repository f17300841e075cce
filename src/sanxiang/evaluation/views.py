"""The assessment pages (/staff/evaluation/): parse, call a selector or a service, render.

Part: scheduled work and reminders (issue 15, item 9): the user's reminders and their dismissal
(知悉); the scheduled tasks with their last runs and failures, for the 司法局's supervisors and the
system administrators (the error text and the retry for the administrators only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from sanxiang.accounts.models import Role
from sanxiang.accounts.permissions import permission_require, user_reads_all_agencies
from sanxiang.evaluation import reminder_selectors
from sanxiang.evaluation.reminder_services import reminder_dismiss
from sanxiang.inputs import id_from_query
from sanxiang.jobs.models import RunState
from sanxiang.jobs.schedule import periodic_task_get, scheduled_run_retry
from sanxiang.jobs.selectors import schedule_overview, task_runs
from sanxiang.procedure.evaluation.reminders import REMINDER_KIND_LABELS

RUNS_PAGE_SIZE = 50


@login_required
@require_safe
def reminder_list(request: HttpRequest) -> HttpResponse:
    """我的提醒: the user's open reminders (theirs and their role's in their agency)."""
    reminders = reminder_selectors.reminders_waiting(user=request.user)
    rows = [(r, REMINDER_KIND_LABELS.get(r.kind, "提醒")) for r in reminders]
    return render(request, "evaluation/reminder_list.html", {"rows": rows, "today": timezone.localdate()})


@login_required
@require_POST
def reminder_dismiss_view(request: HttpRequest, reminder_id: int) -> HttpResponse:
    reminder = reminder_selectors.reminder_get(user=request.user, reminder_id=reminder_id)
    reminder_dismiss(reminder=reminder, actor=request.user)
    messages.success(request, "已知悉，此提醒不再显示；到下一提醒阶段时会再次提醒")
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("evaluation:reminder_list")


def _schedule_reader(user) -> bool:
    return user_reads_all_agencies(user)


@login_required
@require_safe
def schedule(request: HttpRequest) -> HttpResponse:
    """定时任务: each task, its period, its last run and its counts; the failed runs."""
    permission_require(_schedule_reader(request.user))
    return render(request, "evaluation/schedule.html", {
        "overview": schedule_overview(), "admin": request.user.role == Role.SYSTEM_ADMIN,
    })


@login_required
@require_safe
def schedule_task(request: HttpRequest, task: str) -> HttpResponse:
    """A task's runs, the latest period first; `?state=done|failed` lists those the counts name."""
    permission_require(_schedule_reader(request.user))
    try:
        periodic = periodic_task_get(task)
    except LookupError:
        raise Http404 from None
    state = request.GET.get("state", "")
    state = state if state in RunState.values else ""
    runs = task_runs(task=task, state=state)
    page = Paginator(runs, RUNS_PAGE_SIZE).get_page(id_from_query(request.GET.get("page")) or 1)
    return render(request, "evaluation/schedule_task.html", {
        "task": periodic, "page": page, "state": state,
        "state_label": dict(RunState.choices).get(state, ""), "admin": request.user.role == Role.SYSTEM_ADMIN,
    })


@login_required
@require_POST
def schedule_retry(request: HttpRequest, run_id: int) -> HttpResponse:
    permission_require(request.user.role == Role.SYSTEM_ADMIN, "只有系统管理员可以重新运行定时任务")
    if scheduled_run_retry(run_id=run_id, actor=request.user):
        messages.success(request, "已安排重新运行，下一次检查时执行（或运行 sanxiang tick）")
    else:
        messages.error(request, "该运行记录不是失败状态，无需重新运行")
    return redirect("evaluation:schedule")
