"""Forms only parse input (amounts in 元 into fen, choices into codes); the services decide whether
it is lawful and report every reason."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.procedure.penalty.snapshot import PENALTY_KINDS
from sanxiang.registry.models import Matter
from sanxiang.review.selectors import DISCUSSION_CASES, SUPERVISION_FIGURES, CatalogueValues

FEN_PER_YUAN = Decimal(100)


def fen_from_yuan(amount: Decimal) -> int:
    return int((amount * FEN_PER_YUAN).to_integral_value())


def yuan_from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


class CatalogueForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("一律须经法制审核的处罚种类"),
        choices=list(PENALTY_KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fine_natural_person_yuan = forms.DecimalField(
        label=_("对公民的罚没数额标准（元）"), max_digits=14, decimal_places=2,
        help_text=_("罚款或者没收违法所得、没收非法财物的数额超过标准（勾选“含本数”时达到标准）的，须经法制审核"),
    )
    fine_organization_yuan = forms.DecimalField(
        label=_("对法人或者其他组织的罚没数额标准（元）"), max_digits=14, decimal_places=2
    )
    amount_inclusive = forms.BooleanField(
        label=_("数额标准含本数（目录写“以上”）"), required=False, help_text=_("不勾选：超过标准数额的才须审核")
    )
    discretion_deviation = forms.BooleanField(label=_("减轻处罚或者超出裁量基准从重处罚的，须经法制审核"), required=False)
    discussion_for = forms.MultipleChoiceField(
        label=_("须经负责人集体讨论决定的情形"),
        choices=list(DISCUSSION_CASES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    matters = forms.ModelMultipleChoiceField(
        label=_("列入目录的执法事项"),
        queryset=Matter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    explanation = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, agency_id: int, values: CatalogueValues, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer the agency's own matters; the service still refuses any other (a forged POST).
        self.fields["matters"].queryset = Matter.objects.filter(agency_id=agency_id).order_by("code")
        if not self.is_bound:
            self.initial = {
                "kinds": list(values.kinds),
                "fine_natural_person_yuan": yuan_from_fen(values.fine_natural_person_fen),
                "fine_organization_yuan": yuan_from_fen(values.fine_organization_fen),
                "amount_inclusive": values.amount_inclusive,
                "discretion_deviation": values.discretion_deviation,
                "discussion_for": list(values.discussion_for),
                "matters": [m.pk for m in values.matters],
                "explanation": values.explanation,
            }

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "kinds": data["kinds"],
            "fine_natural_person_fen": fen_from_yuan(data["fine_natural_person_yuan"]),
            "fine_organization_fen": fen_from_yuan(data["fine_organization_yuan"]),
            "amount_inclusive": data["amount_inclusive"],
            "discretion_deviation": data["discretion_deviation"],
            "discussion_for": data["discussion_for"],
            "matters": list(data["matters"]),
            "explanation": data["explanation"],
        }


# Violations name the service's fields; the form shows them beside its own.
SERVICE_FIELDS = {
    "fine_natural_person_fen": "fine_natural_person_yuan",
    "fine_organization_fen": "fine_organization_yuan",
}


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return default


class SupervisionCasesForm(forms.Form):
    """Which number of the supervision table to open: the year, the figure, the agency (none: the
    total row)."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    figure = forms.ChoiceField(
        label=_("统计项"), choices=[(key, label) for key, (label, _q) in SUPERVISION_FIGURES.items()], required=False
    )
    agency = forms.IntegerField(label=_("执法主体"), min_value=1, required=False)

    def clean_figure(self) -> str:
        return self.cleaned_data["figure"] or "major"  # none given: every major decision of the year
