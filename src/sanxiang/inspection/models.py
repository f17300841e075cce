"""行政检查 and 双随机一公开 (issue 17): the registers (抽查事项清单, 检查对象名录, declared relations
for 回避, the optional expert pool), the plans (年度检查计划, 专项检查), the random draws
(`RandomInspection`) and the inspections themselves (`Inspection`; its procedure is part B's).

Rules live in `sanxiang.procedure.inspection`; writes go through the services (`register_services`,
`plan_services`, `draw_services`), each with its ledger entry in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckKind(models.TextChoices):
    ON_SITE = "on_site", _("现场检查")
    DOCUMENTS = "documents", _("书面检查")
    OFF_SITE = "off_site", _("非现场检查")
    SAMPLING = "sampling", _("抽样检测")


class InspectionItem(models.Model):
    """One line of an agency's 抽查事项清单: what may be checked, on which basis, how."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="inspection_items"
    )
    code = models.CharField(_("事项编码"), max_length=40)
    name = models.CharField(_("抽查事项"), max_length=200)
    legal_basis = models.TextField(_("检查依据"))
    check_kind = models.CharField(_("检查方式"), max_length=16, choices=CheckKind.choices, default=CheckKind.ON_SITE)
    enforcement_field = models.CharField(
        _("执法领域"), max_length=60, blank=True, help_text=_("检查人员须持有本领域有效执法证")
    )
    offsite_first = models.BooleanField(_("先行非现场检查"), default=False)
    is_published = models.BooleanField(_("已公开"), default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("抽查事项")
        verbose_name_plural = _("抽查事项清单")
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="inspection_item_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class RiskGrade(models.TextChoices):
    HIGH = "high", _("高风险")
    MEDIUM = "medium", _("中风险")
    LOW = "low", _("低风险")


class CreditGrade(models.TextChoices):
    A = "A", _("A类（信用良好）")
    B = "B", _("B类（信用一般）")
    C = "C", _("C类（信用较差）")
    D = "D", _("D类（严重失信）")


class InspectionTarget(models.Model):
    """One 市场主体 of an agency's 检查对象名录 (register of inspection targets)."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("名录所属执法主体"), on_delete=models.PROTECT, related_name="inspection_targets"
    )
    name = models.CharField(_("市场主体名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    legal_representative = models.CharField(_("法定代表人或负责人"), max_length=50, blank=True)
    address = models.CharField(_("住所或经营场所"), max_length=200, blank=True)
    sector = models.CharField(_("行业"), max_length=60, blank=True)
    risk_grade = models.CharField(_("风险等级"), max_length=8, choices=RiskGrade.choices, default=RiskGrade.MEDIUM)
    credit_grade = models.CharField(_("信用等级"), max_length=1, choices=CreditGrade.choices, default=CreditGrade.B)
    is_active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("检查对象")
        verbose_name_plural = _("检查对象名录")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "credit_code"], name="inspection_target_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def credit_grade_name(self) -> str:
        """The grade in words alone (pages show no Latin letter)."""
        from sanxiang.procedure.inspection.registers import CREDIT_GRADE_NAMES

        return CREDIT_GRADE_NAMES.get(self.credit_grade, "")


class DeclaredRelation(models.Model):
    """An officer's declared relation to a target (亲属、利害关系 …): the officer is never drawn for
    it (回避)."""

    officer = models.ForeignKey(
        "registry.Officer", verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="declared_relations"
    )
    target = models.ForeignKey(
        InspectionTarget, verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="declared_relations"
    )
    relation = models.CharField(_("关系"), max_length=100)
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("回避关系申报")
        verbose_name_plural = _("回避关系申报")
        constraints = [
            models.UniqueConstraint(fields=["officer", "target"], name="inspection_relation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id}—{self.target_id}"


class InspectionExpert(models.Model):
    """The optional expert pool (专家库) of an agency."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="inspection_experts"
    )
    name = models.CharField(_("姓名"), max_length=50)
    field = models.CharField(_("专业领域"), max_length=60)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    is_active = models.BooleanField(_("在库"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("检查专家")
        verbose_name_plural = _("专家库")
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return self.name


class PlanKind(models.TextChoices):
    ANNUAL = "annual", _("年度检查计划")
    SPECIAL = "special", _("专项检查")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("起草中")
    APPROVED = "approved", _("已批准")
    FILED = "filed", _("已备案")
    PUBLISHED = "published", _("已公布")


class InspectionPlan(models.Model):
    """An agency's annual inspection plan, or a special inspection (专项检查): drafted, approved by
    the head (a special one by the government, recorded), filed with the 司法局 (备案), published
    (抽查计划公告)."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="inspection_plans"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=PlanKind.choices, default=PlanKind.ANNUAL)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    items = models.ManyToManyField(InspectionItem, verbose_name=_("检查事项"), related_name="plans")
    scope = models.TextField(_("检查对象范围"))
    frequency = models.CharField(_("检查频次"), max_length=200)
    starts_on = models.DateField(_("实施期间自"))
    ends_on = models.DateField(_("实施期间至"))
    state = models.CharField(_("状态"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批准人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    approval_authority = models.CharField(_("批准机关"), max_length=100, blank=True)
    approval_reference = models.CharField(_("批准文件文号"), max_length=100, blank=True)
    filing_due_on = models.DateField(_("备案期限"), null=True, blank=True)
    filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    filed_with = models.CharField(_("备案机关"), max_length=100, blank=True)
    filing_reference = models.CharField(_("备案编号"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    notice = models.TextField(_("抽查计划公告"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        ordering = ["agency", "-year", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="inspection_plan_period"),
        ]

    def __str__(self) -> str:
        return self.title


class DrawState(models.TextChoices):
    PREPARED = "prepared", _("待公布种子摘要")
    COMMITTED = "committed", _("已公布种子摘要，待抽取")
    DRAWN = "drawn", _("已抽取")
    CANCELLED = "cancelled", _("已撤销")


class RandomInspection(models.Model):
    """One 双随机 task: a plan's items, the period, and the draw (targets by ratio per risk and
    credit grade, officers in pairs). The seed's commitment is recorded and published before the
    draw, the seed after it; `public_inputs` is the JSON anyone repeats the draw from."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("检查计划"), on_delete=models.PROTECT, related_name="random_inspections"
    )
    title = models.CharField(_("任务名称"), max_length=200)
    items = models.ManyToManyField(InspectionItem, verbose_name=_("抽查事项"), related_name="random_inspections")
    period_from = models.DateField(_("检查期间自"))
    period_to = models.DateField(_("检查期间至"))
    draw_on = models.DateField(_("抽取日"))
    state = models.CharField(_("状态"), max_length=16, choices=DrawState.choices, default=DrawState.PREPARED)
    seed_commitment = models.CharField(_("随机种子摘要"), max_length=64, blank=True)
    seed = models.CharField(_("随机种子"), max_length=128, blank=True)
    committed_at = models.DateTimeField(_("摘要公布时间"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    public_inputs = models.JSONField(_("公开抽取输入"), default=dict, blank=True)
    exclusions = models.JSONField(_("排除情况"), default=list, blank=True)
    result = models.JSONField(_("抽取结果"), default=dict, blank=True)
    notice = models.TextField(_("任务公告"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("双随机抽查任务")
        verbose_name_plural = _("双随机抽查任务")
        ordering = ["-draw_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_to__gte=models.F("period_from")), name="inspection_random_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InspectionSource(models.TextChoices):
    RANDOM = "random", _("双随机抽查")
    PLANNED = "planned", _("计划检查")
    SPECIAL = "special", _("专项检查")
    COMPLAINT = "complaint", _("投诉举报")
    REFERRAL = "referral", _("转办交办")
    FOLLOW_UP = "follow_up", _("整改复查")
    REQUESTED = "requested", _("企业申请")


class InspectionState(models.TextChoices):
    ASSIGNED = "assigned", _("已派出")
    APPROVED = "approved", _("已批准")
    IN_PROGRESS = "in_progress", _("检查中")
    RECORDED = "recorded", _("已记录")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已取消")


class Inspection(models.Model):
    """One inspection of one target (its procedure, 检查码, record and result are part B's)."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="inspections"
    )
    target = models.ForeignKey(
        InspectionTarget, verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="inspections"
    )
    source = models.CharField(_("任务来源"), max_length=16, choices=InspectionSource.choices)
    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("检查计划"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="inspections",
    )
    random_inspection = models.ForeignKey(
        RandomInspection, verbose_name=_("双随机抽查任务"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="inspections",
    )
    items = models.ManyToManyField(InspectionItem, verbose_name=_("检查事项"), related_name="inspections")
    officers = models.ManyToManyField("registry.Officer", verbose_name=_("检查人员"), related_name="inspections")
    # 综合查一次: the other bodies that joined the visit with their items and officers (`agency` is
    # the body that organised it); each joining head's decision is kept in `facts`.
    joint_agencies = models.ManyToManyField("registry.Agency", verbose_name=_("联合检查主体"), blank=True,
                                            related_name="joint_inspections")
    state = models.CharField(_("状态"), max_length=16, choices=InspectionState.choices, default=InspectionState.ASSIGNED)
    planned_from = models.DateField(_("计划检查日期自"))
    planned_to = models.DateField(_("计划检查日期至"))
    started_on = models.DateField(_("检查日期"), null=True, blank=True)
    finished_on = models.DateField(_("办结日期"), null=True, blank=True)
    facts = models.JSONField(_("检查情况"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Part B (carrying out, results): the 检查码 the enterprise scans, the result, what followed, and
    # what the lists and the statistics need, stored at write time.
    code = models.CharField(_("检查码"), max_length=16, unique=True, null=True, blank=True)
    result_outcome = models.CharField(_("检查结果"), max_length=16, blank=True)
    result_sent_on = models.DateField(_("告知结果日期"), null=True, blank=True)
    publish_due = models.DateField(_("结果公示期限"), null=True, blank=True)
    published_on = models.DateField(_("结果公示日期"), null=True, blank=True)
    counts_in_statistics = models.BooleanField(_("计入年度统计"), default=False)
    penalty_case = models.ForeignKey(
        "cases.Case", verbose_name=_("立案查处的案件"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # 紧急情况先行检查 (事后补办): the day the officers began before the approval, the last day to obtain
    # it, and the head's decision after the fact (the day; refused or not), for the lists and the
    # supervision desk's alerts (the facts keep the whole record).
    emergency_started_on = models.DateField(_("紧急先行检查日期"), null=True, blank=True)
    emergency_approval_due = models.DateField(_("补办批准期限"), null=True, blank=True)
    emergency_decided_on = models.DateField(_("补办审批日期"), null=True, blank=True)
    emergency_refused = models.BooleanField(_("负责人不同意追认"), default=False)
    follow_up_of = models.ForeignKey(
        "self", verbose_name=_("复查的检查"), null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups"
    )

    class Meta:
        verbose_name = _("行政检查")
        verbose_name_plural = _("行政检查")
        ordering = ["-planned_from", "-pk"]
        indexes = [models.Index(fields=["target", "planned_from"], name="inspection_target_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_to__gte=models.F("planned_from")), name="inspection_planned_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_id} {self.planned_from}"
