"""Reminders (issue 15, item 9): one row per thing to remind of, per recipient, written by the
parts that know what is coming due through `reminder_services.reminder_upsert` and shown in the
recipient's inbox until it is dismissed or no longer applies (closed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """A reminder for one user (`recipient_user`) or for a role of one agency (`recipient_role`
    and `recipient_agency`: every agency head of the agency, every supervisor of the bureau).

    `key` names it (kind, subject, recipient), so that writing the same reminder again changes
    nothing: a new `stage` (the next rung of a ladder) brings a dismissed reminder back."""

    kind = models.CharField(_("提醒种类"), max_length=40)
    key = models.CharField(_("提醒标识"), max_length=200, unique=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提醒对象"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="reminders",
    )
    recipient_role = models.CharField(_("提醒对象角色"), max_length=20, blank=True, default="")
    recipient_agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("提醒对象所属单位"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("涉及的执法主体"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    subject_type = models.CharField(_("提醒事项类别"), max_length=40)
    subject_id = models.BigIntegerField(_("提醒事项"))
    title = models.CharField(_("提醒内容"), max_length=200)
    detail = models.CharField(_("说明"), max_length=300, blank=True, default="")
    url = models.CharField(_("链接"), max_length=300, blank=True, default="")
    stage = models.CharField(_("提醒阶段"), max_length=20, blank=True, default="")
    due_on = models.DateField(_("到期日"), null=True, blank=True)
    raised_on = models.DateField(_("提醒日期"))
    dismissed_at = models.DateTimeField(_("已知悉时间"), null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("知悉人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_on = models.DateField(_("不再适用日期"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient_user__isnull=False)
                | (~models.Q(recipient_role="") & models.Q(recipient_agency__isnull=False)),
                name="evaluation_reminder_has_recipient",
            )
        ]
        indexes = [
            models.Index(fields=["recipient_user", "closed_on", "dismissed_at"], name="eval_reminder_user"),
            models.Index(fields=["recipient_agency", "recipient_role", "closed_on", "dismissed_at"],
                         name="eval_reminder_role"),
            models.Index(fields=["kind", "subject_type", "subject_id"], name="eval_reminder_subject"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def open(self) -> bool:
        return self.closed_on is None and self.dismissed_at is None
