"""重大执法决定备案 (issue 14, part C): a major penalty or compulsory decision filed with the county's
judicial bureau, made by the platform in the decision's transaction, and its examination."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure.supervision.filings import (
    FILING_KIND_LABELS,
    FILING_STATE_LABELS,
    FilingState,
)

FILING_KIND_CHOICES = [(kind.value, label) for kind, label in FILING_KIND_LABELS.items()]
FILING_STATE_CHOICES = [(state.value, label) for state, label in FILING_STATE_LABELS.items()]


class Filing(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="supervision_filings")
    agency = models.ForeignKey("registry.Agency", verbose_name=_("备案机关"), on_delete=models.PROTECT,
                               related_name="supervision_filings")
    # The county's judicial bureau the filing goes to (None: no bureau registered for the county
    # yet; the filing is kept, and shown to the agency as not received).
    bureau = models.ForeignKey("registry.Agency", verbose_name=_("受理备案的司法局"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="supervision_filings_received")
    kind = models.CharField(_("决定类别"), max_length=16, choices=FILING_KIND_CHOICES)
    action = models.CharField(_("作出决定的步骤"), max_length=64)
    decision_label = models.CharField(_("决定"), max_length=100)
    criteria = models.JSONField(_("属于重大执法决定的理由"), default=list)
    decided_on = models.DateField(_("决定日期"))
    filed_on = models.DateField(_("备案日期"))
    due_on = models.DateField(_("备案期限"))
    due_estimated = models.BooleanField(default=False)
    documents = models.ManyToManyField("cases.IssuedDocument", verbose_name=_("决定文书"), blank=True,
                                       related_name="supervision_filings")
    state = models.CharField(_("审查状态"), max_length=16, choices=FILING_STATE_CHOICES,
                             default=FilingState.AWAITING, db_index=True)
    examined_on = models.DateField(_("审查日期"), null=True, blank=True)
    examined_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审查人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    examination_note = models.TextField(_("审查意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("重大执法决定备案")
        verbose_name_plural = _("重大执法决定备案")
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "action", "decided_on"], name="supervision_filing_once"),
        ]
        indexes = [
            models.Index(fields=["bureau", "state", "-filed_on"], name="supervision_filing_desk"),
            models.Index(fields=["agency", "-filed_on"], name="supervision_filing_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.decision_label}"

    @property
    def on_time(self) -> bool:
        return self.filed_on <= self.due_on
