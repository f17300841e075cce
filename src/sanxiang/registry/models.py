"""The registry: who may enforce what (执法主体, 执法人员, 执法证, 执法事项) and the parties
(当事人) enforcement concerns. Rules about these live in `sanxiang.procedure`; writes go
through `services.py`."""

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure import identifiers
from sanxiang.procedure.discretion import Benchmark, benchmark_from_dict
from sanxiang.procedure.registry_rules import CertificateSnapshot, OfficerSnapshot


class AgencyKind(models.TextChoices):
    ADMINISTRATIVE_ORGAN = "administrative_organ", _("行政机关")
    AUTHORIZED_ORGANIZATION = "authorized_organization", _("法律法规授权组织")
    ENTRUSTED_ORGANIZATION = "entrusted_organization", _("受委托组织")


class AgencyStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    SUSPENDED = "suspended", _("暂停执法")
    DISSOLVED = "dissolved", _("已撤销")


class Agency(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    kind = models.CharField(_("主体类别"), max_length=32, choices=AgencyKind.choices)
    entrusting_agency = models.ForeignKey(
        "self",
        verbose_name=_("委托机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entrusted_organizations",
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    parent_government = models.CharField(_("所属人民政府"), max_length=100)
    legal_basis = models.TextField(_("职权依据"), blank=True)
    enforcement_fields = models.CharField(
        _("执法领域"), max_length=200, blank=True, help_text=_("多个领域用顿号“、”分隔")
    )
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=AgencyStatus.choices, default=AgencyStatus.ACTIVE)
    is_judicial_bureau = models.BooleanField(
        _("是司法行政部门"), default=False, help_text=_("本级司法局：其监督人员可查看全部执法主体")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("执法主体")
        verbose_name_plural = _("执法主体")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def field_list(self) -> list[str]:
        return split_list(self.enforcement_fields)

    def get_absolute_url(self) -> str:
        return reverse("registry:agency_detail", args=[self.pk])


class StaffingType(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("行政编制")
    CIVIL_SERVICE_MANAGED = "civil_service_managed", _("参公事业编制")
    PUBLIC_INSTITUTION = "public_institution", _("事业编制")
    SUPPORT_STAFF = "support_staff", _("工勤")
    AGENCY_DISPATCHED = "agency_dispatched", _("劳务派遣")
    OTHER = "other", _("其他")


class OfficerStatus(models.TextChoices):
    ACTIVE = "active", _("在岗")
    TRANSFERRED = "transferred", _("调离")
    RETIRED = "retired", _("退休")


class Officer(models.Model):
    agency = models.ForeignKey(Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="officers")
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务岗位"), max_length=60, blank=True)
    department = models.CharField(
        _("内设机构"), max_length=60, blank=True, help_text=_("如：执法一中队、法制股；选择承办人员时据此区分同名人员")
    )
    id_number = models.CharField(_("公民身份号码"), max_length=18, unique=True)
    staffing_type = models.CharField(_("人员身份"), max_length=32, choices=StaffingType.choices)
    has_legal_qualification = models.BooleanField(_("具有法律职业资格"), default=False)
    is_legal_reviewer = models.BooleanField(_("法制审核人员"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=OfficerStatus.choices, default=OfficerStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return identifiers.id_number_mask(self.id_number)

    def get_absolute_url(self) -> str:
        return reverse("registry:officer_detail", args=[self.pk])

    def snapshot(self) -> OfficerSnapshot:
        return OfficerSnapshot(
            id=self.pk,
            name=self.name,
            status=self.status,
            staffing_type=self.staffing_type,
            is_legal_reviewer=self.is_legal_reviewer,
            has_legal_qualification=self.has_legal_qualification,
            certificates=tuple(c.snapshot() for c in self.certificates.all()),
        )


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("注销")


class Certificate(models.Model):
    officer = models.ForeignKey(
        Officer, verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(_("执法证号"), max_length=40, unique=True)
    issuing_authority = models.CharField(_("发证机关"), max_length=100)
    enforcement_fields = models.CharField(_("执法领域"), max_length=200, help_text=_("多个领域用顿号“、”分隔"))
    enforcement_areas = models.CharField(_("执法区域"), max_length=200, blank=True)
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"))
    status = models.CharField(
        _("证件状态"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("执法证")
        verbose_name_plural = _("执法证")
        ordering = ["-valid_to"]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_to__gte=models.F("valid_from")), name="certificate_period"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("registry:officer_detail", args=[self.officer_id])

    def snapshot(self) -> CertificateSnapshot:
        return CertificateSnapshot(
            id=self.pk,
            number=self.number,
            status=self.status,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            fields=tuple(split_list(self.enforcement_fields)),
            areas=tuple(split_list(self.enforcement_areas)),
        )

    def is_valid_on(self, on: dt.date) -> bool:
        from sanxiang.procedure.registry_rules import certificate_is_valid_on

        return certificate_is_valid_on(self.snapshot(), on)


class MatterKind(models.TextChoices):
    PERMIT = "permit", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    INSPECTION = "inspection", _("行政检查")
    EXPROPRIATION = "expropriation", _("行政征收")
    REQUISITION = "requisition", _("行政征用")
    OTHER = "other", _("其他")


class Matter(models.Model):
    """One enforcement power in the catalogue (权责清单), with its legal bases."""

    agency = models.ForeignKey(Agency, verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="matters")
    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=200)
    kind = models.CharField(_("事项类别"), max_length=16, choices=MatterKind.choices)
    enforcement_field = models.CharField(_("执法领域"), max_length=60, blank=True)
    legal_bases = models.JSONField(
        _("法律依据"), default=list, help_text=_("[{\"law\": \"《…法》\", \"article\": \"第…条\"}]")
    )
    discretion_standard = models.TextField(_("裁量基准"), blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("执法事项")
        verbose_name_plural = _("执法事项")
        ordering = ["agency__name", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def legal_bases_text(self) -> str:
        return legal_bases_format(self.legal_bases)

    def get_absolute_url(self) -> str:
        return reverse("registry:matter_detail", args=[self.pk])


class DiscretionBenchmark(models.Model):
    """A version of a matter's 裁量基准 (discretion benchmark), as data: its content is read by
    `sanxiang.procedure.discretion` (`benchmark_from_dict`). Versions are never edited: a change
    is a new version, so that a decision that applied one can always show it."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("执法事项"), on_delete=models.PROTECT, related_name="discretion_benchmarks"
    )
    version = models.CharField(_("版本"), max_length=20)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    source = models.CharField(_("文件名称及文号"), max_length=200)
    content = models.JSONField(_("内容"), default=dict)
    content_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")
        ordering = ["matter_id", "-effective_from", "-id"]
        constraints = [models.UniqueConstraint(fields=["matter", "version"], name="discretion_benchmark_version_unique")]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.version}"

    def as_benchmark(self) -> Benchmark:
        return benchmark_from_dict(
            self.content,
            matter=self.matter.code,
            version=self.version,
            effective_from=self.effective_from,
            effective_to=self.effective_to,
            source=self.source,
        )


class PartyKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人")
    OTHER_ORGANIZATION = "other_organization", _("非法人组织")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")


class IdentityDocumentType(models.TextChoices):
    RESIDENT_ID_CARD = "resident_id_card", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_PERMIT = "hk_macao_permit", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "taiwan_permit", _("台湾居民来往大陆通行证")
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident", _("外国人永久居留身份证")
    OTHER = "other", _("其他")


class Party(models.Model):
    """当事人. Registered by one agency, and visible to that agency only: parties carry
    personal information."""

    agency = models.ForeignKey(Agency, verbose_name=_("登记主体"), on_delete=models.PROTECT, related_name="parties")
    kind = models.CharField(_("当事人类别"), max_length=32, choices=PartyKind.choices)
    name = models.CharField(_("名称或姓名"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = models.CharField(_("法定代表人或负责人"), max_length=50, blank=True)
    id_type = models.CharField(
        _("证件类型"), max_length=32, choices=IdentityDocumentType.choices, blank=True
    )
    id_number = models.CharField(_("证件号码"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("住所或地址"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return identifiers.id_number_mask(self.id_number) if self.id_number else ""

    def get_absolute_url(self) -> str:
        return reverse("registry:party_detail", args=[self.pk])


def split_list(value: str) -> list[str]:
    for separator in ",，;；/":
        value = value.replace(separator, "、")
    return [part.strip() for part in value.split("、") if part.strip()]


def legal_bases_format(bases: list[dict]) -> str:
    return "；".join(f"{b.get('law', '')}{b.get('article', '')}" for b in bases)


# --- the judicial bureau's supervisors (行政执法监督人员) ------------------------------------------


class Supervisor(models.Model):
    """A person of the judicial bureau (司法局) who supervises enforcement, with their supervision
    certificates (行政执法监督检查证件). An account (`accounts.User.supervisor`) acts as them."""

    bureau = models.ForeignKey(
        Agency, verbose_name=_("所属司法行政部门"), on_delete=models.PROTECT, related_name="supervisors"
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("公民身份号码"), max_length=18, unique=True)
    post = models.CharField(_("职务岗位"), max_length=60, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("行政执法监督人员")
        verbose_name_plural = _("行政执法监督人员")
        ordering = ["bureau_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:supervisor_detail", args=[self.pk])

    @property
    def id_number_masked(self) -> str:
        return identifiers.id_number_mask(self.id_number) if self.id_number else ""


class SupervisionCertificate(models.Model):
    """A 行政执法监督检查证件: checked on the day a supervisor acts, as an officer's 执法证 is."""

    supervisor = models.ForeignKey(
        Supervisor, verbose_name=_("监督人员"), on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(_("监督检查证号"), max_length=40, unique=True)
    issuing_authority = models.CharField(_("发证机关"), max_length=100)
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"))
    status = models.CharField(
        _("证件状态"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("行政执法监督检查证件")
        verbose_name_plural = _("行政执法监督检查证件")
        ordering = ["-valid_to", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")), name="supervision_certificate_period"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("registry:supervisor_detail", args=[self.supervisor_id])
