"""The plan's targets (issue 15, item 3): the campaigns a county's 司法局 defines (the share of its
agencies that fully apply the three systems, by a date), and the monthly snapshots of that share
written by the scheduled task (the 事前 publicity and the documents are read as they stand on the
day: a past month cannot be recomputed, so its share is kept)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetCampaign(models.Model):
    """A county's campaign: its milestones [{"due_on": "YYYY-MM-DD", "percent": int}], dates rising.
    The latest campaign of a bureau is the one in force; the plan's (a parameter) until there is one."""

    bureau = models.ForeignKey(
        "registry.Agency", verbose_name=_("司法局"), on_delete=models.PROTECT, related_name="target_campaigns"
    )
    title = models.CharField(_("目标名称"), max_length=100)
    milestones = models.JSONField(_("阶段目标"), default=list)
    defined_on = models.DateField(_("确定日期"))
    defined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("三项制度实施目标")
        verbose_name_plural = _("三项制度实施目标")
        ordering = ["bureau_id", "-id"]

    def __str__(self) -> str:
        return self.title


class TargetSnapshot(models.Model):
    """The share of a county's agencies (same region code) fully applying the three systems, as
    computed on `computed_on` (the latest run of the month: a month's row is final once it ends).
    `agencies` maps each counted agency's id to {"status", "reason"}; `held_back` lists the agencies
    not fully applying, with why, as the page showed them that day."""

    region_code = models.CharField(_("行政区划代码"), max_length=6)
    month = models.DateField(_("月份"))  # the first day of the month
    computed_on = models.DateField(_("计算日期"))
    counted = models.PositiveIntegerField(_("计入的单位数"))
    met = models.PositiveIntegerField(_("全面实行的单位数"))
    agencies = models.JSONField(_("各单位结果"), default=dict)
    campaign_title = models.CharField(_("当时的目标"), max_length=100, blank=True)
    target_percent = models.PositiveSmallIntegerField(_("当时的目标占比"), null=True, blank=True)
    target_due_on = models.DateField(_("当时的目标期限"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("三项制度实施情况月度快照")
        verbose_name_plural = _("三项制度实施情况月度快照")
        ordering = ["region_code", "month"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "month"], name="evaluation_target_snapshot_month"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.month:%Y-%m}"
