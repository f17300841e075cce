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
