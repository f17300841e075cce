"""The 案卷评查 standards a county's 司法局 publishes (issue 16, item 1): each version is stored whole
(its items as data, `procedure.evaluation.casefile_standard.standard_to_data`) with what it changed
against the version before; a version is never edited, a change is a new version with a later date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseFileStandardVersion(models.Model):
    bureau = models.ForeignKey(
        "registry.Agency", verbose_name=_("司法局"), on_delete=models.PROTECT, related_name="casefile_standards"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    kind = models.CharField(_("案卷类别"), max_length=32)
    version = models.CharField(_("版本号"), max_length=40)
    title = models.CharField(_("标准名称"), max_length=100)
    valid_from = models.DateField(_("施行日期"))
    data = models.JSONField(_("评查标准"))
    changes = models.JSONField(_("与上一版本相比的修改"), default=list)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("案卷评查标准版本")
        verbose_name_plural = _("案卷评查标准版本")
        ordering = ["region_code", "kind", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "kind", "version"], name="evaluation_casefile_standard_version"),
            models.UniqueConstraint(fields=["region_code", "kind", "valid_from"], name="evaluation_casefile_standard_from"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"
