"""Enforcement publicity (行政执法公示): the public read model, and the drafts it is made from.

Two kinds of table, kept apart on purpose (DESIGN: "the public sees what the law says, and
nothing more"):

- The public tables (`PublicAgency`, `PublicCertificate`, `PublicDocument`, `PublicCatalogue`,
  `Publication`, `AnnualReport`) hold only what the public may read: desensitized text and the fields the law
  lists. They have no foreign key into internal tables (only the source id, as a plain integer,
  for the refresh), so no query of the portal can join its way into cases, parties or officers.
  They are written only by `publication.services`.
- `PublicationDraft` is internal: the original and the redacted text side by side, the redactions
  and the reasons a case may not be published, for the person who approves it.

The portal (`sanxiang.portal`) reads the public tables and nothing else; a test enforces it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicAgency(models.Model):
    """事前公开: an agency as the public sees it, regenerated from the registry."""

    source_id = models.BigIntegerField(_("来源编号"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("主体类别"), max_length=40)
    legal_basis = models.TextField(_("职权依据"), blank=True)
    enforcement_fields = models.CharField(_("执法领域"), max_length=200, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    parent_government = models.CharField(_("所属人民政府"), max_length=100, blank=True)
    entrusted_by = models.CharField(_("委托机关"), max_length=100, blank=True)
    # Lists of plain dicts, each documented where it is written (services.public_agency_refresh).
    matters = models.JSONField(_("执法事项"), default=list)
    procedures = models.JSONField(_("执法流程"), default=list)
    remedies = models.JSONField(_("救济渠道"), default=list)
    inspections = models.JSONField(_("随机抽查事项清单"), default=list)
    service_guides = models.JSONField(_("服务指南"), default=list)
    officer_count = models.PositiveIntegerField(_("执法人员数"), default=0)
    refreshed_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("公开的执法主体")
        verbose_name_plural = _("公开的执法主体")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CertificateState(models.TextChoices):
    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("已注销")


class PublicCertificate(models.Model):
    """事中公示: what a citizen who scans an officer's certificate may see, and nothing more:
    name, agency, certificate number, field, and the dates from which validity is judged today."""

    token = models.CharField(_("核验码"), max_length=32, unique=True)
    source_id = models.BigIntegerField(_("来源编号"), unique=True)
    number = models.CharField(_("执法证号"), max_length=40, db_index=True)
    officer_name = models.CharField(_("姓名"), max_length=50)
    agency = models.ForeignKey(PublicAgency, on_delete=models.CASCADE, related_name="certificates")
    enforcement_field = models.CharField(_("执法领域"), max_length=100, blank=True)
    state = models.CharField(_("证件状态"), max_length=16, choices=CertificateState.choices)
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"))
    refreshed_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("公开的执法证件")
        verbose_name_plural = _("公开的执法证件")
        ordering = ["agency__name", "officer_name"]

    def __str__(self) -> str:
        return f"{self.officer_name} {self.number}"


class PublicDocument(models.Model):
    """A policy document an agency publishes (制度、清单、服务指南、流程图、执法工作手册). The row
    names its file by digest; the portal streams it through `publication.public_files`."""

    agency = models.ForeignKey(PublicAgency, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("类别"), max_length=20)
    title = models.CharField(_("标题"), max_length=200)
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    published_at = models.DateTimeField(_("发布时间"))

    class Meta:
        verbose_name = _("公开的制度文件")
        verbose_name_plural = _("公开的制度文件")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title


class PublicSystemDocument(models.Model):
    """A 制度文件 the judicial bureau accepted and its agency made public (issue 15, item 5), as the
    portal's 事前 pages show it. Written by the evaluation app's event (`SystemDocumentPublished`, in
    the accepting transaction); an accepted revision replaces the row. Keyed by the document's number
    as a plain integer, with no foreign key into internal tables; the file is named by its digest."""

    source_id = models.BigIntegerField(_("制度文件来源编号"), unique=True)
    agency = models.ForeignKey(PublicAgency, on_delete=models.CASCADE, related_name="system_documents")
    kind_label = models.CharField(_("类别"), max_length=20)
    title = models.CharField(_("标题"), max_length=200)
    filename = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    version = models.PositiveIntegerField(_("版本"))
    accepted_on = models.DateField(_("审查通过日期"))
    bureau_name = models.CharField(_("审查机关"), max_length=100)
    published_at = models.DateTimeField(_("发布时间"))

    class Meta:
        verbose_name = _("公开的制度文件（经司法局审查）")
        verbose_name_plural = _("公开的制度文件（经司法局审查）")
        ordering = ["agency_id", "kind_label", "-accepted_on", "-source_id"]

    def __str__(self) -> str:
        return self.title


class PublicCatalogue(models.Model):
    """A published version of an agency's catalogue of major decisions (重大执法决定法制审核目录清单),
    as the public reads it. Written when the review app publishes the version (the
    `CataloguePublished` event, in the same transaction) and never changed: a correction is the
    next version. Keyed by the registry's agency number, as a plain integer (the public pages are
    addressed by it), with no foreign key into internal tables."""

    agency_source_id = models.BigIntegerField(_("执法主体来源编号"))
    version = models.PositiveIntegerField(_("版本"))
    published_on = models.DateField(_("发布日期"))
    published_at = models.DateTimeField(_("发布时间"))
    title = models.CharField(_("标题"), max_length=200)
    agency_name = models.CharField(_("执法主体"), max_length=100)
    legal_basis = models.TextField(_("制定依据"))
    listed = models.JSONField(_("须经法制审核的决定"), default=list)  # [sentence]
    matters = models.JSONField(_("列入目录的执法事项"), default=list)  # [{code, name, legal_basis}]
    statutory = models.JSONField(_("法定须经法制审核的情形"), default=list)  # [sentence]
    statutory_basis = models.TextField(_("法定情形的依据"))
    discussion_for = models.JSONField(_("须经集体讨论的情形"), default=list)  # [label]
    discussion_basis = models.TextField(_("集体讨论的依据"))
    explanation = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("公开的法制审核目录清单")
        verbose_name_plural = _("公开的法制审核目录清单")
        ordering = ["agency_source_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency_source_id", "version"], name="publication_catalogue_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_name} 第{self.version}版"


class PublicationStatus(models.TextChoices):
    PUBLISHED = "published", _("公示中")
    WITHDRAWN = "withdrawn", _("已撤回")
    EXPIRED = "expired", _("公示期满")


class Publication(models.Model):
    """事后公开: a decision as published, desensitized. A withdrawn publication keeps its number
    and the public statement of why; an expired one is no longer listed."""

    agency = models.ForeignKey(PublicAgency, on_delete=models.PROTECT, related_name="publications")
    agency_name = models.CharField(_("执法机关"), max_length=100)
    agency_credit_code = models.CharField(_("执法机关统一社会信用代码"), max_length=18, blank=True)
    # penalty | permit | expropriation | other_act (publication.acts), and the compulsory decisions (`publication.compulsory`): measure
    # (查封、扣押、冻结决定), execution (强制执行决定), substitute (代履行决定). A compulsory decision
    # uses the columns under its own labels (`Publication.labels`): violation_type holds the
    # category (执法类别), kinds_label the kind (扣押 …), facts the reason, content the conclusion.
    decision_kind = models.CharField(_("决定类别"), max_length=16, default="penalty")
    number = models.CharField(_("决定书文号"), max_length=80, db_index=True)
    title = models.CharField(_("案件名称"), max_length=200)
    party_name = models.CharField(_("当事人"), max_length=200)
    party_kind = models.CharField(_("当事人类别"), max_length=20)  # 自然人 | 法人及非法人组织 | 个体工商户
    party_credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    violation_type = models.CharField(_("违法行为类型"), max_length=200)
    facts = models.TextField(_("违法事实"))
    basis = models.TextField(_("处罚依据"))
    kinds = models.JSONField(_("处罚类别"), default=list)  # keys of PENALTY_KINDS
    kinds_label = models.CharField(_("处罚种类"), max_length=200)
    content = models.TextField(_("处罚内容"))
    fine_fen = models.BigIntegerField(_("罚款金额（分）"), default=0)
    confiscation_fen = models.BigIntegerField(_("没收金额（分）"), default=0)
    licence = models.CharField(_("暂扣或者吊销证照名称及编号"), max_length=200, blank=True)
    decided_on = models.DateField(_("决定日期"))
    published_on = models.DateField(_("公示日期"))
    display_until = models.DateField(_("公示截止期"))
    status = models.CharField(_("状态"), max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.PUBLISHED)
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawal_statement = models.TextField(_("撤回说明"), blank=True)
    # The tokens of the public text's characters and pairs of characters, for the search index
    # (`publication.search`); empty once withdrawn or expired.
    search_text = models.TextField(default="", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("公示的执法决定")
        verbose_name_plural = _("公示的执法决定")
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["status", "decided_on"], name="publication_status_day"),
            models.Index(fields=["agency", "status"], name="publication_agency_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"

    @property
    def is_compulsory(self) -> bool:
        return self.decision_kind in COMPULSORY_DECISION_KINDS

    @property
    def labels(self) -> dict[str, str]:
        """The public labels of the columns, by the kind of decision (a seizure has no 处罚内容)."""
        if self.decision_kind == "permit":
            return PERMIT_LABELS
        if self.decision_kind in ACT_DECISION_KINDS:
            return ACT_LABELS
        return COMPULSORY_LABELS if self.is_compulsory else PENALTY_LABELS


# The labels of the public columns (portal, feeds, notice board), by the kind of decision.
PENALTY_LABELS: dict[str, str] = {
    "violation_type": "违法行为类型",
    "facts": "违法事实",
    "basis": "处罚依据",
    "kinds_label": "处罚种类",
    "content": "处罚内容",
}
COMPULSORY_LABELS: dict[str, str] = {
    "violation_type": "执法类别",
    "facts": "理由",
    "basis": "依据",
    "kinds_label": "决定种类",
    "content": "执法结论",
}
# A licence decision (`publication.permit`, decision_kind "permit").
PERMIT_LABELS: dict[str, str] = {
    "violation_type": "许可事项",
    "facts": "决定事由",
    "basis": "依据",
    "kinds_label": "许可类别",
    "content": "许可内容",
    "licence": "许可证件名称及编号",
}
# A decision of 征收征用 or of another act (`publication.acts`, decision_kind its procedure).
ACT_LABELS: dict[str, str] = {
    "violation_type": "行为类别",
    "facts": "事由",
    "basis": "依据",
    "kinds_label": "决定种类",
    "content": "决定内容",
}
ACT_DECISION_KINDS: dict[str, str] = {
    "expropriation": "征收征用决定",
    "other_act": "行政决定",
}
COMPULSORY_DECISION_KINDS: dict[str, str] = {
    "measure": "行政强制措施决定",
    "execution": "强制执行决定",
    "substitute": "代履行决定",
}


class AnnualReport(models.Model):
    """年度行政执法数据: an agency's counts for a year, as published."""

    agency = models.ForeignKey(PublicAgency, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    counts = models.JSONField(_("数据"))  # {category: count or null where the agency has no such power}
    # The rows of 行政强制 (procedure.annual.COERCION_ROWS: 查封、扣押、冻结、本机关强制执行、申请人民法院
    # 强制执行、代履行), the same rule: a count, 0, or null where the agency has no such power. Their
    # sum is counts["coercion"]. Empty for a report published before the rows were counted.
    coercion_rows = models.JSONField(_("行政强制分项数据"), default=dict, blank=True)
    # The 行政处罚 table (procedure.annual_counting.PenaltyTable.as_public: decisions per column of
    # the heaviest kind, "total", and 罚没金额 in 分 as "amount_fen"); empty for a report published
    # before it was counted, or for an agency without penalty power.
    penalty_rows = models.JSONField(_("行政处罚分项数据"), default=dict, blank=True)
    # The rows of 行政许可 (procedure.permit.annual.PERMIT_ROWS: 申请、受理、不予受理、准予许可、不予许可、
    # 变更、延续、不予延续、撤回、撤销、注销), the same rule: a count, 0, or null where the agency has no
    # licensing power; counts["permit"] is the sum of the rows `permit.annual_total_rows` names. Empty
    # for a report published before the rows were published.
    permit_rows = models.JSONField(_("行政许可分项数据"), default=dict, blank=True)
    # The other acts outside the six categories (行政给付、确认、奖励、裁决、其他, by the row keys of
    # procedure.other_acts.rules.ANNUAL_KINDS): what the platform recorded in the year. Empty for a
    # report published before they were published.
    other_act_rows = models.JSONField(_("其他行政行为数据"), default=dict, blank=True)
    # 行政执法情况说明 as submitted when the report was published: {section key: text}.
    narrative = models.JSONField(_("行政执法情况说明"), default=dict, blank=True)
    published_at = models.DateTimeField(_("发布时间"))

    class Meta:
        verbose_name = _("年度行政执法数据")
        verbose_name_plural = _("年度行政执法数据")
        ordering = ["-year", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="publication_annual_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}"


# --- internal ------------------------------------------------------------------------------------


class AnnualNarrative(models.Model):
    """行政执法情况说明: the narrative an agency writes for a year's statistics, in the sections of
    procedure.annual_counting.NARRATIVE_SECTIONS, submitted (each submission recorded in the
    ledger with its text) and made public with the figures when the report is published."""

    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    sections = models.JSONField(_("各部分内容"), default=dict)
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("行政执法情况说明")
        verbose_name_plural = _("行政执法情况说明")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="publication_narrative_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}"



class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("待审核")
    PUBLISHED = "published", _("已公示")
    NOT_PUBLISHED = "not_published", _("依法不予公开")
    # A compulsory measure taken in an emergency, until the head approves it (publication.compulsory).
    HELD = "held", _("暂缓公开")
    WITHDRAWN = "withdrawn", _("已撤回")
    EXPIRED = "expired", _("公示期满")


class PublicationDraft(models.Model):
    """The internal side of a publication: created when a decision is made, approved by a person
    on a side-by-side view of the original and the public text.

    One per decision of a case: a penalty case has one (`decision` ""); a compulsory case one per
    decision it makes (`decision` a key of COMPULSORY_DECISION_KINDS: a measure's case one, an
    enforcement case possibly both an execution and a 代履行 decision); a licence case one per
    decision document it issues (`decision` a key of PERMIT_DECISIONS, `document_number` its 文号:
    every change and renewal of the licence is published)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="publication_drafts")
    decision = models.CharField(_("决定"), max_length=16, blank=True, default="")
    # The 文号 of the document the decision was issued as, where a case issues several decisions of
    # one kind (a licence's second change or renewal: each is published); "" for the others.
    document_number = models.CharField(_("决定书文号"), max_length=80, blank=True, default="")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    decided_on = models.DateField(_("决定日期"))
    due_on = models.DateField(_("应当公示日期"))
    due_estimated = models.BooleanField(default=False)
    original = models.JSONField(_("原文"))  # field → text as in the decision
    public = models.JSONField(_("公开文本"))  # field → value as it would be published
    redactions = models.JSONField(_("脱敏记录"), default=list)
    refusals = models.JSONField(_("不予公开的理由"), default=list)
    facts = models.JSONField(_("公示规则所用事实"), default=dict)
    # No reverse accessor: nothing reached from a public row may lead back to the case.
    publication = models.OneToOneField(Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # When the decision was changed, revoked, held unlawful or void: the withdrawal is due then.
    change_kind = models.CharField(max_length=20, blank=True)
    changed_on = models.DateField(null=True, blank=True)
    withdrawal_due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("公示草稿")
        verbose_name_plural = _("公示草稿")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "decision", "document_number"],
                                               name="publication_draft_document_unique")]
        indexes = [
            # The drafts still to approve, by agency and due day (公示审核 in the inbox, the overdue
            # alerts of the homes): a few among every draft ever made, read without the others.
            models.Index(fields=["agency", "due_on", "id"], condition=models.Q(status="draft"),
                         name="publication_draft_waiting"),
        ]

    @property
    def is_compulsory(self) -> bool:
        return self.decision in COMPULSORY_DECISION_KINDS

    @property
    def is_permit(self) -> bool:
        """A licence decision's draft (`publication.permit`)."""
        return self.decision.startswith("permit_")

    @property
    def is_act(self) -> bool:
        """A decision of 征收征用 or of another act (`publication.acts`)."""
        return self.decision in ACT_DECISION_KINDS

    @property
    def decision_label(self) -> str:
        from sanxiang.procedure.publication_permit import PERMIT_DECISIONS

        # A licence decision by its document's name without 书: 准予行政许可决定.
        return (COMPULSORY_DECISION_KINDS.get(self.decision, "") or ACT_DECISION_KINDS.get(self.decision, "")
                or PERMIT_DECISIONS.get(self.decision, "").removesuffix("书"))

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_status_display()}"


class AnnualAct(models.Model):
    """Internal, never public: one act that the annual data counts (年度行政执法数据), kept at write
    time from its case's facts (`publication.annual`, the projection "publication.annual"), so
    that a year's figures are one GROUP BY over indexed columns instead of every case's facts read
    in Python.

    `kind` is a penalty decision ("penalty", on its decision date), an on-site inspection
    ("inspection", on its day), a row of 行政强制 (a key of `procedure.annual.COERCION_ROWS`, on
    the day it counts), or the marker "execution_power" (no day): an enforcement case in which the
    agency declared it may execute by itself. A case has as many rows as acts; they are replaced
    whenever its facts change."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.CharField(_("程序"), max_length=32)
    kind = models.CharField(_("类别"), max_length=24)
    on = models.DateField(_("日期"), null=True, blank=True)
    # A penalty decision only: the column of the 行政处罚 table it counts in (the heaviest of its
    # kinds, procedure.annual_counting.penalty_column) and its 罚没金额 in 分.
    penalty_column = models.CharField(_("处罚种类统计项"), max_length=24, blank=True, default="")
    amount_fen = models.BigIntegerField(_("罚没金额（分）"), default=0)

    class Meta:
        verbose_name = _("年度数据计数项")
        verbose_name_plural = _("年度数据计数项")
        indexes = [models.Index(fields=["agency", "on", "kind"], name="publication_annual_agency_on")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.on}"


class PublicComplaint(models.Model):
    """投诉举报的办理情况 as the public tracking page shows it (issue 14, part D): written by
    `publication.complaints` when the supervision app publishes the complaint's status, and nothing
    else. No personal data and no internal note: the receipt number, the agency complained about,
    dates and the public status, reason category and outcome. The query code is held as a salted
    digest only."""

    receipt_number = models.CharField(_("受理编号"), max_length=40, unique=True)
    query_code_digest = models.CharField(max_length=120)
    bureau_name = models.CharField(_("受理机关"), max_length=100)
    agency_name = models.CharField(_("被投诉机关"), max_length=100)
    received_on = models.DateField(_("收到日期"))
    status = models.CharField(_("办理状态"), max_length=20)
    status_label = models.CharField(_("办理状态"), max_length=20)
    status_on = models.DateField(_("状态日期"))
    reason = models.CharField(_("不予受理理由"), max_length=200, blank=True)
    outcome = models.TextField(_("办理结果"), blank=True)
    history = models.JSONField(_("办理过程"), default=list)  # [{"status_label", "on"}], oldest first
    refreshed_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("公开的投诉举报办理情况")
        verbose_name_plural = _("公开的投诉举报办理情况")

    def __str__(self) -> str:
        return self.receipt_number


class PublicFormAttempt(models.Model):
    """One use of a public form (the complaint form, the complaint lookup) by a network address,
    kept an hour to limit abuse. The address is held as a digest."""

    scope = models.CharField(max_length=30)
    address_digest = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "address_digest", "at"], name="publication_form_attempt")]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"


class PublicFormLimit(models.Model):
    """The lock row of one address on one public form: `public_form_attempt` locks it before it
    counts and records a use, so two requests at the same moment cannot both pass the hour's limit
    (a count then an insert is not atomic). Removed once unused for the hour."""

    scope = models.CharField(max_length=30)
    address_digest = models.CharField(max_length=64)
    last_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "address_digest"], name="publication_form_limit")]

    def __str__(self) -> str:
        return f"{self.scope} {self.last_at:%Y-%m-%d %H:%M}"


class PublicSupervisionNotice(models.Model):
    """A 通报 the judicial bureau published to society , redacted like a
    decision (natural persons' names, ID numbers, phones, addresses, bank accounts). Written when the
    supervision app approves it (`SupervisionNoticePublished`, in the same transaction); keyed by the
    notice's number as a plain integer, with no foreign key into internal tables."""

    source_id = models.BigIntegerField(_("通报来源编号"), unique=True)
    bureau_name = models.CharField(_("发布机关"), max_length=100)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    indicators = models.TextField(_("指标情况"), blank=True)
    agencies = models.JSONField(_("通报对象"), default=list)
    published_on = models.DateField(_("发布日期"))
    basis = models.CharField(_("依据"), max_length=200)
    redactions = models.JSONField(_("隐去的内容"), default=list)  # [{field, kind, digest}]

    class Meta:
        verbose_name = _("公开的行政执法监督通报")
        verbose_name_plural = _("公开的行政执法监督通报")
        ordering = ["-published_on", "-source_id"]

    def __str__(self) -> str:
        return self.title


class PublicSupervisionPlan(models.Model):
    """A judicial bureau's annual supervision work plan as published (issue 14, item 5): its
    objectives and items (what, about which agencies, when), no person named. Keyed by the plan's
    number as a plain integer."""

    source_id = models.BigIntegerField(_("计划来源编号"), unique=True)
    bureau_name = models.CharField(_("发布机关"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("计划名称"), max_length=200)
    objectives = models.TextField(_("年度工作目标"))
    items = models.JSONField(_("计划事项"), default=list)  # [{kind_label, subject, description, agencies, months_text}]
    approved_on = models.DateField(_("批准日期"))
    published_on = models.DateField(_("发布日期"))
    basis = models.CharField(_("依据"), max_length=200)
    redactions = models.JSONField(_("隐去的内容"), default=list)

    class Meta:
        verbose_name = _("公开的年度监督工作计划")
        verbose_name_plural = _("公开的年度监督工作计划")
        ordering = ["-year", "-source_id"]

    def __str__(self) -> str:
        return self.title


class PublicSupervisionEvaluation(models.Model):
    """An 执法质效评议 as published: scheme, process, standards (when approved), then the results (when
    every agency is scored). Keyed by the evaluation's number as a plain integer."""

    source_id = models.BigIntegerField(_("评议来源编号"), unique=True)
    bureau_name = models.CharField(_("发布机关"), max_length=100)
    title = models.CharField(_("评议名称"), max_length=200)
    scheme = models.TextField(_("评议方案"))
    process = models.TextField(_("评议步骤和时间安排"))
    period_start = models.DateField(_("评议期间自"))
    period_end = models.DateField(_("评议期间至"))
    agencies = models.JSONField(_("参评机关"), default=list)
    standards = models.JSONField(_("评议标准"), default=list)  # [{number, level, text, points, veto}]
    full_marks = models.CharField(_("满分"), max_length=12)
    grade_bands = models.JSONField(_("等次划分"), default=list)  # [[lower bound %, label]]
    published_on = models.DateField(_("方案和标准公开日期"))
    basis = models.CharField(_("依据"), max_length=200)
    results = models.JSONField(_("评议结果"), default=list)  # [{agency, total, full_marks, grade, vetoed}]
    results_published_on = models.DateField(_("结果公开日期"), null=True, blank=True)
    redactions = models.JSONField(_("隐去的内容"), default=list)

    class Meta:
        verbose_name = _("公开的执法质效评议")
        verbose_name_plural = _("公开的执法质效评议")
        ordering = ["-published_on", "-source_id"]

    def __str__(self) -> str:
        return self.title


class PublicInspectionResult(models.Model):
    """The result of a 双随机 inspection as published (结果公告, issue 17 part B): written when the
    inspection app publishes it (`InspectionResultPublished`, in the same transaction); keyed by
    the inspection's number as a plain integer, with no foreign key into internal tables."""

    source_id = models.BigIntegerField(_("检查来源编号"), unique=True)
    agency_name = models.CharField(_("检查主体"), max_length=200)
    target_name = models.CharField(_("被检查企业"), max_length=200)
    target_credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    items = models.JSONField(_("检查事项"), default=list)
    outcome = models.CharField(_("检查结果"), max_length=100)
    finished_on = models.DateField(_("检查完成日期"))
    published_on = models.DateField(_("公示日期"))
    basis = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("公示的双随机抽查结果")
        verbose_name_plural = _("公示的双随机抽查结果")
        ordering = ["-published_on", "-source_id"]

    def __str__(self) -> str:
        return f"{self.target_name} {self.finished_on}"


class PublicEvaluationCampaign(models.Model):
    """A 案卷评查活动 whose results the 司法局 made public (issue 16, item 4): its scope, each file drawn
    with its score and grade, and the draw's public inputs (seed included) from which anyone repeats
    the draw. Keyed by the campaign's number as a plain integer."""

    source_id = models.BigIntegerField(_("评查活动来源编号"), unique=True)
    bureau_name = models.CharField(_("组织机关"), max_length=100)
    title = models.CharField(_("评查活动名称"), max_length=200)
    period_start = models.DateField(_("结案期间自"))
    period_end = models.DateField(_("结案期间至"))
    kinds = models.JSONField(_("案件种类"), default=list)
    agencies = models.JSONField(_("被评查机关"), default=list)
    population_count = models.PositiveIntegerField(_("列入范围的案卷数"))
    seed_commitment = models.CharField(_("随机种子摘要"), max_length=64)
    draw_inputs = models.JSONField(_("抽取的公开输入"), default=dict)
    results = models.JSONField(_("评查结果"), default=list)  # [{file, agency, total, grade}]
    published_on = models.DateField(_("结果公开日期"))
    basis = models.CharField(_("依据"), max_length=200)

    class Meta:
        verbose_name = _("公开的案卷评查活动")
        verbose_name_plural = _("公开的案卷评查活动")
        ordering = ["-published_on", "-source_id"]

    def __str__(self) -> str:
        return self.title


class PublicInspectionNotice(models.Model):
    """双随机一公开 (issue 17): an agency's 抽查计划公告 or a task's 任务公告 as the public reads it. A
    task's notice is written with the seed's commitment before the draw and completed with the seed,
    the public inputs (the JSON anyone repeats the draw from) and the result after it."""

    key = models.CharField(_("来源"), max_length=40, unique=True)  # "plan:<id>" | "task:<id>"
    kind = models.CharField(_("类别"), max_length=8)  # plan | task
    agency_source_id = models.BigIntegerField(_("执法主体来源编号"), db_index=True)
    agency_name = models.CharField(_("执法主体"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    seed_commitment = models.CharField(_("随机种子摘要"), max_length=64, blank=True)
    seed = models.CharField(_("随机种子"), max_length=128, blank=True)
    public_inputs = models.TextField(_("公开抽取输入"), blank=True)
    drawn = models.JSONField(_("抽取结果"), default=list, blank=True)
    published_at = models.DateTimeField(_("公布时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("双随机公告")
        verbose_name_plural = _("双随机公告")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title
