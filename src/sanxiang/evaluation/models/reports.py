"""Monthly progress reports (月报, issue 15 item 4): one per agency and month, drafted by the platform
from the agency's records, written and submitted by its head, received, commented on or returned by
the county's judicial bureau. The rules are `sanxiang.procedure.evaluation.reports`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure.evaluation.reports import (
    REPORT_ACTION_LABELS,
    REPORT_STATE_LABELS,
    ReportMonth,
    ReportState,
)

REPORT_STATE_CHOICES = [(state.value, label) for state, label in REPORT_STATE_LABELS.items()]
REPORT_STEP_CHOICES = [("draft", "平台起草"), *((a.value, label) for a, label in REPORT_ACTION_LABELS.items()),
                       ("matter", "转为监督事项")]


class MonthlyReport(models.Model):
    agency = models.ForeignKey("registry.Agency", verbose_name=_("报送机关"), on_delete=models.PROTECT,
                               related_name="monthly_reports")
    # The county's judicial bureau it goes to (None: none registered for the county yet).
    bureau = models.ForeignKey("registry.Agency", verbose_name=_("司法局"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="monthly_reports_received")
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    state = models.CharField(_("状态"), max_length=16, choices=REPORT_STATE_CHOICES, default=ReportState.DRAFT,
                             db_index=True)
    drafted_on = models.DateField(_("起草日期"))
    due_on = models.DateField(_("报送期限"))
    # {section: text}: the four parts the agency writes (procedure's ReportSection).
    sections = models.JSONField(_("报告内容"), default=dict)
    # The figures as drafted ([{key, group, label, value}]), then as submitted: frozen at each
    # submission, beside the live figures that the page computes afresh.
    figures = models.JSONField(_("报送时的数据"), default=list)
    figures_frozen_on = models.DateField(_("数据固定日期"), null=True, blank=True)
    first_submitted_on = models.DateField(_("首次报送日期"), null=True, blank=True)
    submitted_on = models.DateField(_("最近报送日期"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("接收日期"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    # The supervision matter opened about a late or missing report.
    matter = models.ForeignKey("supervision.Matter", verbose_name=_("监督事项"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("月报")
        verbose_name_plural = _("月报")
        ordering = ["-year", "-month", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "month"], name="evaluation_report_once"),
        ]
        indexes = [
            models.Index(fields=["bureau", "year", "month"], name="evaluation_report_bureau"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.year}-{self.month:02d}"

    @property
    def report_month(self) -> ReportMonth:
        return ReportMonth(self.year, self.month)

    @property
    def title(self) -> str:
        return f"{self.year}年{self.month}月“三项制度”工作推进情况报告"


class ReportStep(models.Model):
    """One step of a report's handling as it was recorded (drafted, saved, submitted, returned,
    commented on, received): the history both sides read."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("办理"), max_length=16, choices=REPORT_STEP_CHOICES)
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    text = models.TextField(_("内容"), blank=True)
    state_to = models.CharField(max_length=16, choices=REPORT_STATE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.action}"
