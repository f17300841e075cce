"""案卷评查活动 (issue 16, item 4): a campaign of the county's 司法局, the files it lists (the
population, frozen when the campaign is defined, with each agency's self-check), the sample drawn
from them and the two evaluators of each file drawn, whose read grant on the file's copy ends at
`grant_expires_at`. The seed is kept unshown until the draw; its SHA-256 (`seed_commitment`) is
shown from the start, and the draw's public inputs (`draw_inputs`) are stored with the result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationCampaign(models.Model):
    bureau = models.ForeignKey("registry.Agency", verbose_name=_("司法局"), on_delete=models.PROTECT,
                               related_name="evaluation_campaigns")
    title = models.CharField(_("评查活动名称"), max_length=100)
    period_start = models.DateField(_("结案期间起"))
    period_end = models.DateField(_("结案期间止"))
    procedures = models.JSONField(_("案件种类"), default=list)
    agencies = models.ManyToManyField("registry.Agency", verbose_name=_("被评查机关"), related_name="+")
    evaluators = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("评查人员"), related_name="+")
    sample_size = models.PositiveIntegerField(_("抽取数量"), null=True, blank=True)
    sample_percent = models.PositiveSmallIntegerField(_("抽取比例（%）"), null=True, blank=True)
    results_public = models.BooleanField(_("评查结果向社会公开"), default=False)
    state = models.CharField(_("状态"), max_length=20, default="self_check")
    seed = models.CharField(_("随机种子"), max_length=64)  # shown only once drawn
    seed_commitment = models.CharField(_("随机种子摘要（SHA-256）"), max_length=64)
    population_sha256 = models.CharField(_("总体摘要"), max_length=64)
    population_count = models.PositiveIntegerField(_("总体案卷数"), default=0)
    sample_count = models.PositiveIntegerField(_("抽取案卷数"), default=0)
    draw_inputs = models.JSONField(_("抽取的公开输入"), null=True, blank=True)
    # The 案卷评查 standard of each kind of file, as in force on `defined_on` (the county's published
    # version, else the platform's default), stored whole (`standard_to_data`): kind → standard.
    standards = models.JSONField(_("评查标准"), default=dict, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    published_on = models.DateField(_("结果公布日期"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    defined_on = models.DateField(_("确定日期"))
    defined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("案卷评查活动")
        verbose_name_plural = _("案卷评查活动")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class CampaignFile(models.Model):
    """A file the campaign lists (closed in its period), its self-check and, when drawn, its final
    score (the mean of its two evaluators', or the 司法局's re-grading). Scores are on the 案卷评查
    standard of the file's kind in force on `closed_on`; grades are the standard's band labels."""

    campaign = models.ForeignKey(EvaluationCampaign, on_delete=models.PROTECT, related_name="files")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(_("案号"), max_length=80)
    case_procedure = models.CharField(_("程序"), max_length=32)
    closed_on = models.DateField(_("结案日期"))
    # The automatic items computed from the file's records (once: when drawn, or when first opened to
    # score), each with the records it looked at (`automatic_to_data`), and the standard's version.
    automatic_results = models.JSONField(_("自动评查结果"), null=True, blank=True)
    automatic_standard = models.CharField(_("自动评查所用标准版本"), max_length=40, blank=True)
    automatic_at = models.DateTimeField(_("自动评查时间"), null=True, blank=True)
    self_results = models.JSONField(_("自查评分"), null=True, blank=True)
    self_total = models.DecimalField(_("自查得分"), max_digits=6, decimal_places=1, null=True, blank=True)
    self_grade = models.CharField(_("自查等次"), max_length=12, blank=True)
    self_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    sampled = models.BooleanField(_("抽中"), default=False)
    draw_position = models.PositiveIntegerField(_("抽中顺序"), null=True, blank=True)
    regrade_required = models.BooleanField(_("需复评"), default=False)
    regrade_results = models.JSONField(_("复评评分"), null=True, blank=True)
    regrade_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    final_total = models.DecimalField(_("评查得分"), max_digits=6, decimal_places=1, null=True, blank=True)
    final_grade = models.CharField(_("评查等次"), max_length=12, blank=True)  # the band's label
    final_passed = models.BooleanField(_("合格以上"), default=False)  # not in the lowest band
    # The day the campaign's results were published (the indicator's period), stored when published.
    published_on = models.DateField(_("结果公布日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("评查案卷")
        verbose_name_plural = _("评查案卷")
        ordering = ["campaign_id", "case_number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "case"], name="evaluation_campaign_file_once")]
        indexes = [models.Index(fields=["agency", "published_on"], name="evaluation_cfile_published")]

    def __str__(self) -> str:
        return self.case_number


class CampaignAssignment(models.Model):
    """One evaluator of a file drawn (互查: never of the file's agency), the read grant on its copy,
    and the scores given."""

    file = models.ForeignKey(CampaignFile, on_delete=models.PROTECT, related_name="assignments")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    evaluator_agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("顺序"))
    grant_starts_at = models.DateTimeField(_("阅卷开始"))
    grant_expires_at = models.DateTimeField(_("阅卷截止"))
    results = models.JSONField(_("评分"), null=True, blank=True)
    total = models.DecimalField(_("得分"), max_digits=6, decimal_places=1, null=True, blank=True)
    vetoed = models.BooleanField(_("单项否决"), default=False)
    grade = models.CharField(_("等次"), max_length=12, blank=True)
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评查人员分配")
        verbose_name_plural = _("评查人员分配")
        ordering = ["file_id", "position"]
        constraints = [models.UniqueConstraint(fields=["file", "evaluator"], name="evaluation_campaign_assign_once")]

    def __str__(self) -> str:
        return f"{self.file_id}:{self.evaluator_id}"
