"""Part B of the supervision desk: instruments (督办函、意见书、建议书、决定书), the agency's replies,
person-level proposals, referrals to the 监察机关 and 通报."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure.supervision.instruments import (
    INSTRUMENT_KIND_LABELS,
    INSTRUMENT_STATE_LABELS,
    NOTICE_SCOPE_LABELS,
    PERSONAL_MEASURE_LABELS,
)

INSTRUMENT_KIND_CHOICES = [(k.value, label) for k, label in INSTRUMENT_KIND_LABELS.items()]
INSTRUMENT_STATE_CHOICES = [(s.value, label) for s, label in INSTRUMENT_STATE_LABELS.items()]


class Instrument(models.Model):
    """A supervision instrument served on an agency, numbered per bureau, kind and year."""

    matter = models.ForeignKey("supervision.Matter", verbose_name=_("监督事项"), on_delete=models.PROTECT,
                               related_name="instruments")
    bureau = models.ForeignKey("registry.Agency", verbose_name=_("监督机构"), on_delete=models.PROTECT,
                               related_name="supervision_instruments_issued")
    agency = models.ForeignKey("registry.Agency", verbose_name=_("被监督机关"), on_delete=models.PROTECT,
                               related_name="supervision_instruments")
    kind = models.CharField(_("文书种类"), max_length=32, choices=INSTRUMENT_KIND_CHOICES)
    state = models.CharField(_("状态"), max_length=32, choices=INSTRUMENT_STATE_CHOICES, db_index=True)
    number = models.CharField(_("文号"), max_length=80, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    findings = models.TextField(_("发现的问题"))
    required_actions = models.TextField(_("要求"))
    issued_on = models.DateField(_("签发日期"))
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    due_basis = models.CharField(_("期限依据"), max_length=300, blank=True)
    objection_deadline = models.DateField(_("异议期限"), null=True, blank=True)
    supervisors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("监督人员"), related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pdf = models.ForeignKey("evidence.EvidenceRecord", on_delete=models.PROTECT, related_name="+", null=True)
    docx = models.ForeignKey("evidence.EvidenceRecord", on_delete=models.PROTECT, related_name="+", null=True)
    source = models.ForeignKey("self", verbose_name=_("提请决定书所依据的文书"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="escalations")
    # The 决定书 as the government issued it.
    decision_number = models.CharField(_("决定书文号"), max_length=80, blank=True)
    decision_on = models.DateField(_("政府作出日期"), null=True, blank=True)
    decision_content = models.TextField(_("决定内容"), blank=True)
    ledger_seq = models.BigIntegerField(_("账本序号"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("监督文书")
        verbose_name_plural = _("监督文书")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "kind", "year", "sequence"], name="supervision_instrument_number"),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "due_on"], name="supervision_instrument_agency"),
            models.Index(fields=["bureau", "state", "due_on"], name="supervision_instrument_bureau"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:instrument_detail", args=[self.pk])


class InstrumentStep(models.Model):
    """One move on an instrument: the agency's report or objection, the supervisors' answer, the
    government's decision recorded. The history of the instrument, in order."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(_("操作"), max_length=32)
    state_before = models.CharField(max_length=32)
    state_after = models.CharField(max_length=32)
    text = models.TextField(_("内容"), blank=True)
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    files = models.ManyToManyField("evidence.EvidenceRecord", verbose_name=_("附件"), related_name="+", blank=True)
    ledger_seq = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("监督文书办理记录")
        verbose_name_plural = _("监督文书办理记录")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.instrument_id}:{self.action}"


PERSONAL_MEASURE_CHOICES = [(m.value, label) for m, label in PERSONAL_MEASURE_LABELS.items()]


class PersonalProposal(models.Model):
    """A proposal to deal with an officer, and the competent body's decision."""

    matter = models.ForeignKey("supervision.Matter", on_delete=models.PROTECT, related_name="personal_proposals")
    officer = models.ForeignKey("registry.Officer", verbose_name=_("执法人员"), on_delete=models.PROTECT,
                                related_name="supervision_proposals")
    measure = models.CharField(_("建议措施"), max_length=32, choices=PERSONAL_MEASURE_CHOICES)
    reasons = models.TextField(_("理由"))
    competent_body = models.CharField(_("有权机关"), max_length=100)
    proposed_on = models.DateField(_("提出日期"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision = models.TextField(_("决定情况"), blank=True)
    decision_adopted = models.BooleanField(_("是否采纳"), null=True)
    certificate = models.ForeignKey("registry.Certificate", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("处理执法人员建议")
        verbose_name_plural = _("处理执法人员建议")
        ordering = ["-proposed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.officer_id}:{self.get_measure_display()}"


class Referral(models.Model):
    """A clue referred to the 监察机关."""

    matter = models.ForeignKey("supervision.Matter", on_delete=models.PROTECT, related_name="referrals")
    what = models.TextField(_("移送线索"))
    to_body = models.CharField(_("接收机关"), max_length=100)
    referred_on = models.DateField(_("移送日期"))
    reference_number = models.CharField(_("移送文号"), max_length=80)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ledger_seq = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("问题线索移送")
        verbose_name_plural = _("问题线索移送")
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return self.reference_number


NOTICE_SCOPE_CHOICES = list(NOTICE_SCOPE_LABELS.items())


class Notice(models.Model):
    """A 通报: drafted from matters, approved by a second supervisor; internal (the
    named agencies see it) or public (published through the public read model)."""

    bureau = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="supervision_notices")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    indicators = models.TextField(_("指标情况"), blank=True)
    scope = models.CharField(_("范围"), max_length=16, choices=NOTICE_SCOPE_CHOICES)
    matters = models.ManyToManyField("supervision.Matter", related_name="notices", blank=True)
    agencies = models.ManyToManyField("registry.Agency", verbose_name=_("通报对象"), related_name="supervision_notices_named")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_on = models.DateField(_("起草日期"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-drafted_on", "-id"]

    def __str__(self) -> str:
        return self.title
