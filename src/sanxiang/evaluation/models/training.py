"""培训 (issue 15, item 6): training sessions organised by an agency or by the 司法局, and who
attended each (the hours per officer the training rule counts)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure.evaluation.training import TRAINING_KIND_LABELS

TRAINING_KIND_CHOICES = [(k.value, label) for k, label in TRAINING_KIND_LABELS.items()]


class AttendanceSource(models.TextChoices):
    MARKED = "marked", _("页面登记")
    IMPORTED = "imported", _("Excel导入")


class TrainingSession(models.Model):
    organiser = models.ForeignKey("registry.Agency", verbose_name=_("组织机关"), on_delete=models.PROTECT,
                                  related_name="training_sessions")
    kind = models.CharField(_("培训类别"), max_length=20, choices=TRAINING_KIND_CHOICES)
    topic = models.CharField(_("培训主题"), max_length=200)
    held_on = models.DateField(_("培训日期"), db_index=True)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.topic


class TrainingAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    officer = models.ForeignKey("registry.Officer", verbose_name=_("执法人员"), on_delete=models.PROTECT,
                                related_name="training_attendances")
    # The officer's agency when the attendance was recorded (an officer may later move).
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    source = models.CharField(_("登记方式"), max_length=16, choices=AttendanceSource.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("参训记录")
        verbose_name_plural = _("参训记录")
        ordering = ["session_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "officer"], name="evaluation_attendance_once"),
        ]
        indexes = [models.Index(fields=["agency", "officer"], name="evaluation_attendance_agency")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.officer_id}"
