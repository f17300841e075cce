"""Complaints from the public (投诉举报) and leads from the 12345 hotline and the enterprise channel
(issue 14, part D).

The complaint and the person who made it are two tables: `Complaint` holds what the desk works on
(the receipt number, the agency complained about, what happened, the public answer), and
`Complainant` holds the personal data (name, phone, ID number), which only the bureau's supervisors
open, each opening recorded in the access log. The ledger records the personal data as salted
digests (`Complainant.salt`), never in clear."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure.supervision.complaints import (
    COMPLAINT_CHANNEL_LABELS,
    NOT_ACCEPTED_REASON_LABELS,
    PENDING_REMEDY_LABELS,
)

COMPLAINT_CHANNEL_CHOICES = [(c.value, label) for c, label in COMPLAINT_CHANNEL_LABELS.items()]
PENDING_REMEDY_CHOICES = [(r.value, label) for r, label in PENDING_REMEDY_LABELS.items()]
NOT_ACCEPTED_REASON_CHOICES = [(r.value, label) for r, label in NOT_ACCEPTED_REASON_LABELS.items()]


class ComplaintCounter(models.Model):
    """The last receipt number given by a bureau in a year (no gap, no duplicate)."""

    bureau = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bureau", "year"], name="supervision_complaint_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Complaint(models.Model):
    matter = models.OneToOneField(
        "supervision.Matter", verbose_name=_("监督事项"), on_delete=models.PROTECT, related_name="complaint"
    )
    bureau = models.ForeignKey(
        "registry.Agency", verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("被投诉机关"), on_delete=models.PROTECT, related_name="+"
    )
    receipt_number = models.CharField(_("受理编号"), max_length=40, unique=True)
    year = models.PositiveIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    channel = models.CharField(_("渠道"), max_length=20, choices=COMPLAINT_CHANNEL_CHOICES)
    channel_reference = models.CharField(_("原渠道编号"), max_length=60, blank=True)
    received_on = models.DateField(_("收到日期"))
    happened_on = models.DateField(_("发生日期"), null=True, blank=True)
    description = models.TextField(_("反映的问题"))
    pending_remedy = models.CharField(_("复议或者诉讼情况"), max_length=20, choices=PENDING_REMEDY_CHOICES)
    query_code_digest = models.CharField(max_length=120, blank=True)
    # The public answer (the tracking page shows these and nothing else of the desk's work).
    not_accepted_reason = models.CharField(
        _("不予受理理由"), max_length=30, choices=NOT_ACCEPTED_REASON_CHOICES, blank=True
    )
    public_outcome = models.TextField(_("向公众公开的办理结果"), blank=True)
    # The inspection complained about, named by its 检查码 (issue 17).
    inspection = models.ForeignKey(
        "inspection.Inspection", verbose_name=_("涉及的行政检查"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "year", "sequence"], name="supervision_complaint_sequence_unique"),
        ]
        indexes = [models.Index(fields=["bureau", "-received_on"], name="supervision_complaint_desk")]

    def __str__(self) -> str:
        return self.receipt_number


class Complainant(models.Model):
    """The complainant's personal data: read only by the bureau's supervisors, each read logged."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="complainant")
    anonymous = models.BooleanField(_("匿名"), default=False)
    name = models.CharField(_("姓名或者名称"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    id_number = models.CharField(_("身份证件号码"), max_length=30, blank=True)
    salt = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("投诉举报人")
        verbose_name_plural = _("投诉举报人")

    def __str__(self) -> str:
        return f"投诉举报人 {self.complaint_id}"

    @property
    def name_masked(self) -> str:
        if self.anonymous or not self.name:
            return "匿名"
        return self.name[0] + "*" * max(len(self.name) - 1, 1)

    @property
    def phone_masked(self) -> str:
        if not self.phone:
            return "—"
        return self.phone[:3] + "****" + self.phone[-2:] if len(self.phone) > 6 else "****"
