"""制度文件 (issue 15, item 5): the documents each agency sends to its county's 司法局 against the
plan's checklist, and every step of their review (submitted, accepted, returned, resubmitted)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure.evaluation.documents import (
    DOCUMENT_ACTION_LABELS,
    DOCUMENT_KIND_LABELS,
    DOCUMENT_STATE_LABELS,
    DocumentState,
)

DOCUMENT_KIND_CHOICES = [(k.value, label) for k, label in DOCUMENT_KIND_LABELS.items()]
DOCUMENT_STATE_CHOICES = [(s.value, label) for s, label in DOCUMENT_STATE_LABELS.items()]
DOCUMENT_ACTION_CHOICES = [(a.value, label) for a, label in DOCUMENT_ACTION_LABELS.items()]


class SystemDocument(models.Model):
    agency = models.ForeignKey("registry.Agency", verbose_name=_("报送机关"), on_delete=models.PROTECT,
                               related_name="system_documents")
    bureau = models.ForeignKey("registry.Agency", verbose_name=_("司法局"), on_delete=models.PROTECT,
                               related_name="system_documents_received")
    kind = models.CharField(_("类别"), max_length=20, choices=DOCUMENT_KIND_CHOICES)
    title = models.CharField(_("标题"), max_length=200)
    public = models.BooleanField(_("审查通过后向社会公开"), default=True)
    state = models.CharField(_("状态"), max_length=16, choices=DOCUMENT_STATE_CHOICES,
                             default=DocumentState.SUBMITTED, db_index=True)
    # The file now under review, or accepted (the latest submitted).
    file = models.ForeignKey("evidence.EvidenceRecord", verbose_name=_("文件"), on_delete=models.PROTECT,
                             related_name="+")
    version = models.PositiveIntegerField(_("报送次数"), default=1)
    submitted_on = models.DateField(_("最近报送日期"))
    decided_on = models.DateField(_("最近审查日期"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    updated_on = models.DateField(_("最近办理日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("制度文件")
        verbose_name_plural = _("制度文件")
        ordering = ["agency_id", "kind", "id"]
        indexes = [models.Index(fields=["bureau", "state"], name="evaluation_sysdoc_desk")]

    def __str__(self) -> str:
        return self.title


class SystemDocumentStep(models.Model):
    """One step of a document's handling, as recorded (the history both sides see)."""

    document = models.ForeignKey(SystemDocument, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("办理"), max_length=16, choices=DOCUMENT_ACTION_CHOICES)
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey("evidence.EvidenceRecord", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    version = models.PositiveIntegerField(_("报送次数"))
    reason = models.TextField(_("理由"), blank=True)
    state_to = models.CharField(max_length=16, choices=DOCUMENT_STATE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "id"]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.action}"
