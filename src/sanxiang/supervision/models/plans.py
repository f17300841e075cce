"""The annual supervision work plan and 执法质效评议 (issue 14, item 5).

A plan (年度监督工作计划) has items (what, about whom, when, by whom); the supervision matters that
carry an item out are linked to it (`PlanItemMatter`), and the item's progress is counted from them.
An evaluation (执法质效评议) has its scheme, process, agencies and standards (a tree of criteria), and
one score per agency given by at least two supervisors, rule by rule."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure.supervision.plans import (
    EVALUATION_STATE_LABELS,
    PLAN_ITEM_KIND_LABELS,
    PLAN_STATE_LABELS,
    EvaluationState,
    PlanState,
)

PLAN_STATE_CHOICES = [(s.value, label) for s, label in PLAN_STATE_LABELS.items()]
PLAN_ITEM_KIND_CHOICES = [(k.value, label) for k, label in PLAN_ITEM_KIND_LABELS.items()]
EVALUATION_STATE_CHOICES = [(s.value, label) for s, label in EVALUATION_STATE_LABELS.items()]


class Plan(models.Model):
    bureau = models.ForeignKey("registry.Agency", verbose_name=_("司法局"), on_delete=models.PROTECT,
                               related_name="supervision_plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    objectives = models.TextField(_("年度工作目标"))
    state = models.CharField(_("状态"), max_length=16, choices=PLAN_STATE_CHOICES, default=PlanState.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_on = models.DateField(_("起草日期"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("年度监督工作计划")
        verbose_name_plural = _("年度监督工作计划")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["bureau", "year"], name="supervision_plan_one_per_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:plan_detail", args=[self.pk])


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类别"), max_length=24, choices=PLAN_ITEM_KIND_CHOICES)
    subject = models.CharField(_("计划事项"), max_length=200)
    description = models.TextField(_("工作内容"), blank=True)
    all_agencies = models.BooleanField(_("全部执法机关"), default=False)
    agencies = models.ManyToManyField("registry.Agency", verbose_name=_("监督对象"), blank=True,
                                      related_name="supervision_plan_items")
    months = models.JSONField(_("计划月份"), default=list)  # [1..12]
    supervisors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("负责的监督人员"),
                                         related_name="supervision_plan_items")

    class Meta:
        verbose_name = _("计划事项")
        verbose_name_plural = _("计划事项")
        ordering = ["plan_id", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="supervision_plan_item_position")]

    def __str__(self) -> str:
        return self.subject


class PlanItemMatter(models.Model):
    """A supervision matter opened to carry out a plan item (a matter carries one item at most)."""

    item = models.ForeignKey(PlanItem, on_delete=models.PROTECT, related_name="matter_links")
    matter = models.OneToOneField("supervision.Matter", on_delete=models.PROTECT, related_name="plan_link")

    class Meta:
        verbose_name = _("计划事项的监督事项")
        verbose_name_plural = _("计划事项的监督事项")

    def __str__(self) -> str:
        return f"{self.item_id}:{self.matter_id}"


class Evaluation(models.Model):
    """一次执法质效评议: its scheme (方案), process, period, agencies and standards."""

    bureau = models.ForeignKey("registry.Agency", verbose_name=_("司法局"), on_delete=models.PROTECT,
                               related_name="supervision_evaluations")
    title = models.CharField(_("评议名称"), max_length=200)
    scheme = models.TextField(_("评议方案"))
    process = models.TextField(_("评议步骤和时间安排"))
    period_start = models.DateField(_("评议期间自"))
    period_end = models.DateField(_("评议期间至"))
    agencies = models.ManyToManyField("registry.Agency", verbose_name=_("参评机关"),
                                      related_name="supervision_evaluations_in")
    plan_item = models.ForeignKey(PlanItem, verbose_name=_("所属计划事项"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="evaluations")
    state = models.CharField(_("状态"), max_length=16, choices=EVALUATION_STATE_CHOICES,
                             default=EvaluationState.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_on = models.DateField(_("起草日期"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    results_published_on = models.DateField(_("结果公开日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("执法质效评议")
        verbose_name_plural = _("执法质效评议")
        ordering = ["-drafted_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:evaluation_detail", args=[self.pk])


class Criterion(models.Model):
    """A node of the standards: 一级指标 (level 1), 二级指标 (2) or 评分细则 (3, with points and maybe
    a 单项否决)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveSmallIntegerField(_("序号"))
    level = models.PositiveSmallIntegerField(_("层级"))
    text = models.CharField(_("内容"), max_length=500)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=1, null=True, blank=True)
    veto = models.BooleanField(_("单项否决"), default=False)

    class Meta:
        verbose_name = _("评议标准")
        verbose_name_plural = _("评议标准")
        ordering = ["evaluation_id", "position"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "position"], name="supervision_criterion_position")]

    def __str__(self) -> str:
        return self.text


class EvaluationScore(models.Model):
    """An agency's score in an evaluation, given by the supervisors named (at least two)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="scores")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="supervision_evaluation_scores")
    supervisors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("评分人员"), related_name="+")
    scored_on = models.DateField(_("评分日期"))
    points_sum = models.DecimalField(_("细则得分合计"), max_digits=7, decimal_places=1)
    full_marks = models.DecimalField(_("满分"), max_digits=7, decimal_places=1)
    total = models.DecimalField(_("得分"), max_digits=7, decimal_places=1)
    vetoed = models.BooleanField(_("单项否决"), default=False)
    grade = models.CharField(_("等次"), max_length=20)
    comment = models.TextField(_("评议意见"), blank=True)

    class Meta:
        verbose_name = _("评议得分")
        verbose_name_plural = _("评议得分")
        ordering = ["evaluation_id", "-total", "agency_id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "agency"], name="supervision_evaluation_score_once")]

    def __str__(self) -> str:
        return f"{self.evaluation_id}:{self.agency_id}"


class CriterionScore(models.Model):
    score = models.ForeignKey(EvaluationScore, on_delete=models.CASCADE, related_name="items")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    awarded = models.DecimalField(_("得分"), max_digits=6, decimal_places=1)
    veto = models.BooleanField(_("单项否决"), default=False)
    reason = models.TextField(_("扣分原因"), blank=True)

    class Meta:
        ordering = ["score_id", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["score", "criterion"], name="supervision_criterion_score_once")]

    def __str__(self) -> str:
        return f"{self.score_id}:{self.criterion_id}"
