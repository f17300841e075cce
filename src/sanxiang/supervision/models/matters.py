"""The 司法局's supervision desk (《行政执法监督条例》): supervision matters, and what hangs on them.

A matter (监督事项) is the unit of work: where it came from, whom it concerns (an agency, maybe an
officer), which judicial bureau handles it, and where it stands. Measures, instruments, replies,
filings and the rest refer to it."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure.supervision.matters import (
    CLOSE_REASON_LABELS,
    DISPUTE_LABELS,
    MATTER_STATE_LABELS,
    MEASURE_LABELS,
    MatterState,
)
from sanxiang.procedure.supervision.rules import MATTER_SOURCE_LABELS, MatterSource

MATTER_SOURCE_CHOICES = [(source.value, label) for source, label in MATTER_SOURCE_LABELS.items()]
MATTER_STATE_CHOICES = [(state.value, label) for state, label in MATTER_STATE_LABELS.items()]
DISPUTE_CHOICES = [(d.value, label) for d, label in DISPUTE_LABELS.items()]
CLOSE_REASON_CHOICES = [(r.value, label) for r, label in CLOSE_REASON_LABELS.items()]
MEASURE_CHOICES = [(k.value, label) for k, label in MEASURE_LABELS.items()]


class Matter(models.Model):
    bureau = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("监督机构"),
        on_delete=models.PROTECT,
        related_name="supervision_matters_handled",
    )
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("被监督机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_matters",
    )
    officer = models.ForeignKey(
        "registry.Officer",
        verbose_name=_("被监督执法人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_matters",
    )
    number = models.CharField(_("事项编号"), max_length=40)
    source = models.CharField(_("来源"), max_length=32, choices=MATTER_SOURCE_CHOICES, default=MatterSource.ROUTINE)
    state = models.CharField(_("状态"), max_length=32, db_index=True, choices=MATTER_STATE_CHOICES,
                             default=MatterState.RECEIVED)
    subject = models.CharField(_("事由"), max_length=200)
    summary = models.TextField(_("基本情况"), blank=True)
    received_on = models.DateField(_("收到日期"))
    # Part A: where it came from, triage, marks.
    origin = models.CharField(_("来源记录"), max_length=120, blank=True)  # e.g. "complaint:12", "alert:..."
    alert_key = models.CharField(_("预警标识"), max_length=120, null=True, blank=True, unique=True)
    assigning_body = models.CharField(_("交办（部署）机关"), max_length=120, blank=True)
    assigning_reference = models.CharField(_("交办文号"), max_length=80, blank=True)
    dispute = models.CharField(_("复议诉讼情况"), max_length=20, blank=True, choices=DISPUTE_CHOICES)
    transfer_due_on = models.DateField(_("移送期限"), null=True, blank=True)
    transferred_to = models.CharField(_("移送机关"), max_length=120, blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("并入事项"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged")
    close_reason = models.CharField(_("不予监督原因"), max_length=32, blank=True, choices=CLOSE_REASON_CHOICES)
    outcome = models.TextField(_("办理结果"), blank=True)  # what the agency or the complainant is told
    internal_notes = models.TextField(_("内部意见"), blank=True)  # the supervisors' own; never shown to the agency
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    listed = models.BooleanField(_("挂牌督办"), default=False)
    escalated = models.BooleanField(_("提级监督"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("监督事项")
        verbose_name_plural = _("监督事项")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["bureau", "state", "-received_on"], name="supervision_matter_desk"),
            models.Index(fields=["agency", "-received_on"], name="supervision_matter_agency"),
        ]
        # Numbers run per bureau and year (two counties' bureaus may share an abbreviation).
        constraints = [models.UniqueConstraint(fields=["bureau", "number"], name="supervision_matter_number")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("supervision:matter_detail", args=[self.pk])


class MatterSupervisor(models.Model):
    """A supervisor assigned to a matter; a recusal (回避) keeps the row, with its reason."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="pair")
    user = models.ForeignKey("accounts.User", verbose_name=_("监督人员"), on_delete=models.PROTECT, related_name="+")
    assigned_on = models.DateField(_("指派日期"))
    recused = models.BooleanField(_("已回避"), default=False)
    recusal_reason = models.CharField(_("回避原因"), max_length=200, blank=True)
    recusal_declared = models.BooleanField(_("本人申请回避"), default=False)
    recused_on = models.DateField(_("回避日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("承办监督人员")
        verbose_name_plural = _("承办监督人员")
        constraints = [models.UniqueConstraint(fields=["matter", "user"], name="supervision_pair_unique")]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.matter_id}/{self.user_id}"


class Measure(models.Model):
    """A supervision measure taken on the matter (one of the regulation's measures)."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("措施"), max_length=32, choices=MEASURE_CHOICES)
    taken_on = models.DateField(_("日期"))
    summary = models.TextField(_("内容和发现的情况"), blank=True)
    reply_on = models.DateField(_("报告自查情况的日期"), null=True, blank=True)
    attendees = models.CharField(_("被约谈人和参加人员"), max_length=300, blank=True)
    record = models.TextField(_("约谈记录"), blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("监督措施")
        verbose_name_plural = _("监督措施")
        ordering = ["taken_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.taken_on}"


class ReadGrant(models.Model):
    """调阅案卷: the matter's supervisors may read this case until `expires_at`."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="read_grants")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="read_grants")
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("调阅开始"))
    expires_at = models.DateTimeField(_("调阅截止"))

    class Meta:
        verbose_name = _("调阅案卷")
        verbose_name_plural = _("调阅案卷")
        indexes = [models.Index(fields=["case", "expires_at"], name="supervision_grant_case")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.expires_at:%Y-%m-%d %H:%M}"
