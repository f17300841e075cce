"""执法协调 (issue 14, part C): a request an agency raises through the 司法局 (a major or complex
problem, or a dispute about competence with another agency), and every
step of its handling."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure.supervision.coordination import (
    ACTIONS,
    COORDINATION_KIND_LABELS,
    COORDINATION_STATE_LABELS,
    CoordinationState,
)

COORDINATION_KIND_CHOICES = [(k.value, label) for k, label in COORDINATION_KIND_LABELS.items()]
COORDINATION_STATE_CHOICES = [(s.value, label) for s, label in COORDINATION_STATE_LABELS.items()]
COORDINATION_ACTION_CHOICES = [("raise", "提请协调"), *((a.name, a.label) for a in ACTIONS.values())]


class Coordination(models.Model):
    bureau = models.ForeignKey("registry.Agency", verbose_name=_("司法局"), on_delete=models.PROTECT,
                               related_name="coordinations_handled")
    agency = models.ForeignKey("registry.Agency", verbose_name=_("提请机关"), on_delete=models.PROTECT,
                               related_name="coordinations_raised")
    other_agency = models.ForeignKey("registry.Agency", verbose_name=_("发生争议的机关"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="coordinations_concerning")
    kind = models.CharField(_("类别"), max_length=16, choices=COORDINATION_KIND_CHOICES)
    state = models.CharField(_("状态"), max_length=16, choices=COORDINATION_STATE_CHOICES,
                             default=CoordinationState.SUBMITTED, db_index=True)
    subject = models.CharField(_("协调事项"), max_length=200)
    description = models.TextField(_("问题或者争议的情况"))
    raised_on = models.DateField(_("提请日期"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField(_("协调意见"), blank=True)
    handling_opinion = models.TextField(_("报请政府决定的处理意见"), blank=True)
    government_decision = models.TextField(_("政府的决定"), blank=True)
    government_decided_on = models.DateField(_("政府决定日期"), null=True, blank=True)
    updated_on = models.DateField(_("最近办理日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("执法协调")
        verbose_name_plural = _("执法协调")
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["bureau", "state"], name="supervision_coord_desk")]

    def __str__(self) -> str:
        return self.subject


class CoordinationStep(models.Model):
    """One step of the handling, as it was recorded (the history shown to both agencies)."""

    coordination = models.ForeignKey(Coordination, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("办理"), max_length=32, choices=COORDINATION_ACTION_CHOICES)
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("内容"), blank=True)
    state_to = models.CharField(max_length=16, choices=COORDINATION_STATE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["coordination_id", "id"]

    def __str__(self) -> str:
        return f"{self.coordination_id}:{self.action}"
