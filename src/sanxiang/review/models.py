"""Legal review of major decisions (重大执法决定法制审核): each agency's catalogue of the decisions
that must be reviewed (目录清单), as it is being kept and as it was published.

The working catalogue (`MajorDecisionCatalogue`) is edited by the agency; the engine and the public
read only published versions (`CataloguePublication`), whose `content` is self-contained: a
citizen's page and the review gate read the very text that was published, never the working row.
Writes go through `services.py`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MajorDecisionCatalogue(models.Model):
    """One per agency. Money in integer fen; penalty kinds are keys of `PENALTY_KINDS`."""

    agency = models.OneToOneField(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="review_catalogue"
    )
    kinds = models.JSONField(_("一律须经法制审核的处罚种类"), default=list, blank=True)
    fine_natural_person_fen = models.BigIntegerField(_("对自然人罚没数额标准（分）"))
    fine_organization_fen = models.BigIntegerField(_("对法人或者其他组织罚没数额标准（分）"))
    amount_inclusive = models.BooleanField(_("数额标准含本数（“以上”）"), default=False)
    discretion_deviation = models.BooleanField(_("减轻或者超出裁量基准加重处罚的须经法制审核"), default=True)
    discussion_for = models.JSONField(_("须经集体讨论的情形"), default=list, blank=True)
    matters = models.ManyToManyField(
        "registry.Matter", verbose_name=_("列入目录的执法事项"), blank=True, related_name="+"
    )
    explanation = models.TextField(_("说明"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("重大执法决定法制审核目录清单")
        verbose_name_plural = _("重大执法决定法制审核目录清单")

    def __str__(self) -> str:
        return f"{self.agency_id}：重大执法决定法制审核目录清单"


class CataloguePublication(models.Model):
    """A published version of an agency's catalogue. Never changed once written: a correction is
    the next version."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="review_catalogue_publications"
    )
    version = models.PositiveIntegerField(_("版本"))
    content = models.JSONField(_("发布内容"))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    ledger_seq = models.BigIntegerField(_("账本序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("目录清单发布记录")
        verbose_name_plural = _("目录清单发布记录")
        ordering = ["agency", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "version"], name="review_publication_version_unique"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="review_publication_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} 第{self.version}版"


class ReviewTally(models.Model):
    """What the judicial bureau's legal-review figures need of one decided penalty case, stored when
    the decision is made (a projection: `sanxiang.review.tallies` writes, checks and rebuilds it).

    Every value is the one `tallies.tally_compute` derives from the case as it stood on the decision
    day, under the catalogue then in force; the supervision view sums these columns in SQL instead
    of rebuilding every decided case's snapshot."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("案件"), primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey("registry.Agency", verbose_name=_("执法主体"), on_delete=models.CASCADE, related_name="+")
    decided_on = models.DateField(_("决定日期"))
    major = models.BooleanField(_("重大执法决定"))
    criteria = models.JSONField(_("认定为重大执法决定的情形"), default=list, blank=True)
    reviewed = models.BooleanField(_("决定前经法制审核"))
    rounds = models.PositiveIntegerField(_("审核轮次"))
    review_days = models.PositiveIntegerField(_("审核用时合计（工作日）"))
    reviews_timed = models.PositiveIntegerField(_("计入用时的审核次数"))
    sent_back = models.BooleanField(_("曾被退回或者不同意"))
    estimated = models.BooleanField(_("用时含估算"))
    # The first review submission: a calendar change of a year refreshes the rows whose review
    # period touches that year.
    first_submitted_on = models.DateField(_("首次送审日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("法制审核统计数据")
        verbose_name_plural = _("法制审核统计数据")
        indexes = [models.Index(fields=["agency", "major", "decided_on"], name="review_tally_agency_major_day")]

    def __str__(self) -> str:
        return f"{self.case_id}：{self.decided_on}"
