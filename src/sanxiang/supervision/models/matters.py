"""The 司法局's supervision desk (《行政执法监督条例》): supervision matters, and what hangs on them.

A matter (监督事项) is the unit of work: where it came from, whom it concerns (an agency, maybe an
officer), which judicial bureau handles it, and where it stands. Measures, instruments, replies,
filings and the rest refer to it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure.supervision.rules import MATTER_SOURCE_LABELS, MatterSource

MATTER_SOURCE_CHOICES = [(source.value, label) for source, label in MATTER_SOURCE_LABELS.items()]


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
    number = models.CharField(_("事项编号"), max_length=40, unique=True)
    source = models.CharField(_("来源"), max_length=32, choices=MATTER_SOURCE_CHOICES, default=MatterSource.ROUTINE)
    state = models.CharField(_("状态"), max_length=32, db_index=True)
    subject = models.CharField(_("事由"), max_length=200)
    summary = models.TextField(_("基本情况"), blank=True)
    received_on = models.DateField(_("收到日期"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("监督事项")
        verbose_name_plural = _("监督事项")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["bureau", "state", "-received_on"], name="supervision_matter_desk")]

    def __str__(self) -> str:
        return self.number
