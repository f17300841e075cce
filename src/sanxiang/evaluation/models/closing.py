"""The plan's closing steps (总结验收, issue 15 item 7): each agency's summary of the year, the
司法局's acceptance round with one checklist per agency, and the county's work report to the
government. The rules are `sanxiang.procedure.evaluation.closing`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.evaluation.models.reports import REPORT_STATE_CHOICES, REPORT_STEP_CHOICES
from sanxiang.procedure.evaluation.closing import ACCEPTANCE_RESULT_LABELS
from sanxiang.procedure.evaluation.reports import ReportState

RESULT_CHOICES = [(result.value, label) for result, label in ACCEPTANCE_RESULT_LABELS.items()]


class AnnualSummary(models.Model):
    """An agency's summary of its year's work on the three systems (工作总结), handled as a monthly
    report is: drafted with the year's figures, written and submitted by the head, received or
    returned by the bureau; figures frozen at each submission."""

    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("报送机关"),
        on_delete=models.PROTECT,
        related_name="annual_summaries",
    )
    bureau = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("司法局"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annual_summaries_received",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(
        _("状态"), max_length=16, choices=REPORT_STATE_CHOICES, default=ReportState.DRAFT, db_index=True
    )
    drafted_on = models.DateField(_("起草日期"))
    due_on = models.DateField(_("报送期限"))
    sections = models.JSONField(_("总结内容"), default=dict)
    figures = models.JSONField(_("报送时的数据"), default=list)
    figures_frozen_on = models.DateField(_("数据固定日期"), null=True, blank=True)
    first_submitted_on = models.DateField(_("首次报送日期"), null=True, blank=True)
    submitted_on = models.DateField(_("最近报送日期"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("接收日期"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("工作总结")
        verbose_name_plural = _("工作总结")
        ordering = ["-year", "agency_id"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="evaluation_summary_once")]
        indexes = [models.Index(fields=["bureau", "year"], name="evaluation_summary_bureau")]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.year}"

    @property
    def title(self) -> str:
        return f"{self.year}年推行“三项制度”工作总结"


class SummaryStep(models.Model):
    summary = models.ForeignKey(AnnualSummary, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("办理"), max_length=16, choices=REPORT_STEP_CHOICES)
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("内容"), blank=True)
    state_to = models.CharField(max_length=16, choices=REPORT_STATE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["summary_id", "id"]

    def __str__(self) -> str:
        return f"{self.summary_id}:{self.action}"


class AcceptanceRound(models.Model):
    """The 司法局's acceptance of its county's agencies for a year: one checklist per agency."""

    bureau = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("司法局"),
        on_delete=models.PROTECT,
        related_name="acceptance_rounds",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    opened_on = models.DateField(_("开始日期"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The maximum scores and pass mark in force when the round opened (procedure's parameters).
    max_scores = models.JSONField(_("评分项目及分值"), default=dict)
    pass_score = models.DecimalField(_("通过分数"), max_digits=6, decimal_places=1)
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("验收")
        verbose_name_plural = _("验收")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["bureau", "year"], name="evaluation_acceptance_once")]

    def __str__(self) -> str:
        return f"{self.bureau_id}:{self.year}"

    @property
    def closed(self) -> bool:
        return self.closed_on is not None


class AcceptanceCheck(models.Model):
    """One agency's checklist in a round: a score and findings per criterion, then a result."""

    round = models.ForeignKey(AcceptanceRound, on_delete=models.CASCADE, related_name="checks")
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("被验收单位"),
        on_delete=models.PROTECT,
        related_name="acceptance_checks",
    )
    scores = models.JSONField(_("得分"), default=dict)  # {criterion: "18.0"}
    findings = models.JSONField(_("发现的问题"), default=dict)  # {criterion: text}
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=1, default=0)
    result = models.CharField(_("结论"), max_length=8, choices=RESULT_CHOICES, blank=True)
    concluded_on = models.DateField(_("结论日期"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round_id", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="evaluation_acceptance_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.agency_id}"


class WorkReport(models.Model):
    """The county's work report to the government (工作报告) on a year: the bureau's text and the
    figures generated from the records, frozen when it is submitted."""

    bureau = models.ForeignKey(
        "registry.Agency", verbose_name=_("司法局"), on_delete=models.PROTECT, related_name="work_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    round = models.ForeignKey(AcceptanceRound, on_delete=models.PROTECT, related_name="+")
    sections = models.JSONField(_("报告内容"), default=dict)
    figures = models.JSONField(_("报告数据"), default=list)
    figures_on = models.DateField(_("数据生成日期"))
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("工作报告")
        verbose_name_plural = _("工作报告")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["bureau", "year"], name="evaluation_work_report_once")]

    def __str__(self) -> str:
        return f"{self.bureau_id}:{self.year}"

    @property
    def title(self) -> str:
        return f"关于{self.year}年全面推行行政执法“三项制度”工作情况的报告"
