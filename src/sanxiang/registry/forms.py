"""Forms only parse input; the services decide whether it is lawful and report every reason."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure.citations import LEGAL_BASIS_EXAMPLE
from sanxiang.registry.models import (
    Agency,
    Certificate,
    CertificateStatus,
    Matter,
    Officer,
    Party,
    SupervisionCertificate,
    Supervisor,
)


class ParseOnlyModelForm(forms.ModelForm):
    """Renders and parses a model's fields, leaving validation to the service so that all
    reasons come back together, with their legal basis."""

    def _post_clean(self) -> None:
        pass


class AgencyForm(ParseOnlyModelForm):
    class Meta:
        model = Agency
        fields = [
            "name",
            "credit_code",
            "kind",
            "entrusting_agency",
            "region_code",
            "parent_government",
            "legal_basis",
            "enforcement_fields",
            "contact_phone",
            "address",
            "status",
            "is_judicial_bureau",
        ]


class OfficerForm(ParseOnlyModelForm):
    class Meta:
        model = Officer
        fields = ["name", "post", "department", "id_number", "staffing_type", "has_legal_qualification", "is_legal_reviewer", "status"]


class CertificateForm(ParseOnlyModelForm):
    reason = forms.CharField(label=_("变更理由"), required=False, help_text=_("暂扣或注销时必须填写"))

    class Meta:
        model = Certificate
        fields = ["number", "issuing_authority", "enforcement_fields", "enforcement_areas", "valid_from", "valid_to", "status"]
        widgets = {"valid_from": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), "valid_to": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}


class MatterForm(ParseOnlyModelForm):
    legal_bases_text = forms.CharField(
        label=_("法律依据"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=format_lazy(_("每行一条，如：{example}"), example=LEGAL_BASIS_EXAMPLE),
    )

    class Meta:
        model = Matter
        fields = ["code", "name", "kind", "enforcement_field", "discretion_standard", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["legal_bases_text"] = "\n".join(
                f"{b.get('law', '')}{b.get('article', '')}" for b in self.instance.legal_bases
            )

    def clean_legal_bases_text(self) -> list[dict]:
        from sanxiang.registry.legal_bases import legal_bases_parse

        return legal_bases_parse(self.cleaned_data["legal_bases_text"])


class PartyForm(ParseOnlyModelForm):
    class Meta:
        model = Party
        fields = ["kind", "name", "credit_code", "legal_representative", "id_type", "id_number", "phone", "address"]


DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class SupervisorForm(ParseOnlyModelForm):
    reason = forms.CharField(label=_("离岗理由"), required=False, help_text=_("取消“在岗”时必须填写"))

    class Meta:
        model = Supervisor
        fields = ["name", "id_number", "post", "is_active"]


class SupervisionCertificateForm(ParseOnlyModelForm):
    """Number, issuer and dates; the status changes on its own page (暂扣、注销 need a reason)."""

    class Meta:
        model = SupervisionCertificate
        fields = ["number", "issuing_authority", "valid_from", "valid_to"]
        widgets = {"valid_from": DATE_WIDGET, "valid_to": DATE_WIDGET}


class SupervisionCertificateStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("证件状态"), choices=CertificateStatus.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("暂扣或注销时必须填写，记入台账"))
