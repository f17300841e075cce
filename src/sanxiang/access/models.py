"""Who viewed or downloaded what (访问记录). Each row also has a ledger entry, so that the access
log of a case cannot be pruned silently; the table is there to list and export it fast."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("查看")
    DOWNLOAD = "download", _("下载")
    EXPORT = "export", _("导出")


# What an entry is about, as the list and the exports name it. Kinds not listed show as stored.
OBJECT_KIND_LABELS = {
    "case": _("案件"),
    "casefile": _("案卷"),
    "document": _("文书"),
    "evidence": _("证据"),
    "access_log": _("访问记录"),
    "publication_draft": _("公示稿"),
    "publication.dual_publicity": _("双公示数据"),
    "review.supervision": _("法制审核统计"),
    "registry.agencies": _("执法主体"),
    "registry.officers": _("执法人员"),
    "registry.certificates": _("执法证"),
    "registry.matters": _("执法事项"),
    "supervision.complaint": _("投诉举报"),
    "evaluation.system_document": _("制度文件"),
    "evaluation.campaign_file": _("案卷评查副本"),  # issue 16, item 4
    "supervision.complainant": _("投诉举报人信息"),
    "supervision_filing": _("重大执法决定备案"),  # issue 14, part C
    "supervision_instrument": _("监督文书"),
    "supervision.proposal": _("处理执法人员建议"),
    "supervision.notice": _("通报"),
}


class AccessLogEntry(models.Model):
    # Null only for work on the server's command line (sanxiang export-case), which has no
    # platform user; its ledger entry says so.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=16, choices=AccessAction.choices)
    object_kind = models.CharField(_("对象类别"), max_length=40)
    object_id = models.CharField(_("对象"), max_length=80)
    object_label = models.CharField(_("对象名称"), max_length=200, blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    ledger_seq = models.BigIntegerField(_("账本序号"), null=True)

    class Meta:
        verbose_name = _("访问记录")
        verbose_name_plural = _("访问记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "at"]),
            models.Index(fields=["user", "at"]),
            # Agency heads list their own agency's log.
            models.Index(fields=["agency", "at"], name="access_log_agency_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user or '命令行'} {self.action} {self.object_kind}:{self.object_id}"

    @property
    def object_kind_label(self) -> str:
        return str(OBJECT_KIND_LABELS.get(self.object_kind, self.object_kind))
