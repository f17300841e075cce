"""Jobs: work that follows a committed change, run once, by one runner, retried when it fails."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    PENDING = "pending", _("待执行")
    DONE = "done", _("已完成")
    # Failed every attempt: left for an administrator (`sanxiang jobs --retry-failed`), and shown
    # where the work was awaited.
    FAILED = "failed", _("失败")


class Job(models.Model):
    """One piece of work. `key` names what it produces ("document_copy:12"), so that it is enqueued
    once; `case_id` (no foreign key: this app sits below cases) lets the case page find its jobs.

    A runner takes a due pending job with `SELECT ... FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite
    has one writer), runs its handler and marks it done in that same transaction: what the handler
    wrote and the job's DONE commit together or not at all, and no other runner can take it
    meanwhile. A failure rolls the handler's work back and records the attempt, its error and the
    time of the next one."""

    kind = models.CharField(_("任务种类"), max_length=64)
    key = models.CharField(_("任务标识"), max_length=200, unique=True)
    payload = models.JSONField(_("任务内容"), default=dict)
    case_id = models.BigIntegerField(_("案件"), null=True, blank=True, db_index=True)
    state = models.CharField(_("状态"), max_length=16, choices=JobState.choices, default=JobState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    run_after = models.DateTimeField(_("最早执行时间"), default=timezone.now)
    last_error = models.TextField(_("最近一次错误"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["state", "run_after"], name="jobs_job_due")]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"


class RunState(models.TextChoices):
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ScheduledRun(models.Model):
    """One run of a periodic task for one period (`schedule.py`). The row is the claim: whoever
    inserts (task, period_key) first runs the task for that period, every other server (or cron)
    hits the unique constraint and leaves it, so a task runs at most once per period however many
    servers share the database. A failed run keeps its row (its error, its attempts) and is taken
    again by a conditional UPDATE, which also lets only one server retry it."""

    task = models.CharField(_("定时任务"), max_length=64)
    period_key = models.CharField(_("周期"), max_length=32)
    on = models.DateField(_("运行日期"))  # the day the task ran for (passed to its function)
    state = models.CharField(_("状态"), max_length=16, choices=RunState.choices, default=RunState.RUNNING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=1)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    retry_after = models.DateTimeField(_("最早重试时间"), null=True, blank=True)
    summary = models.TextField(_("结果"), blank=True, default="")
    error = models.TextField(_("错误"), blank=True, default="")
    runner = models.CharField(_("运行者"), max_length=120, blank=True, default="")  # host:pid or "cron"

    class Meta:
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")
        constraints = [
            models.UniqueConstraint(fields=["task", "period_key"], name="jobs_scheduled_run_once_per_period")
        ]
        indexes = [
            models.Index(fields=["task", "-on"], name="jobs_sched_task_on"),
            models.Index(fields=["state", "retry_after"], name="jobs_sched_state"),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.period_key} ({self.state})"
