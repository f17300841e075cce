"""Forms only parse: the services decide whether a step is lawful and report every reason.

A step's form is built from its field spec (`procedure.steps`), so that the page and the API parse
the same fields the same way."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.models import Case, procedure_choices
from sanxiang.inputs import date_problem, date_validator, text_validator
from sanxiang.procedure.back_entry import REASON_MAX_LENGTH
from sanxiang.procedure.catalog import procedures_all
from sanxiang.procedure.citations import LIMITATION_DISCOVERY, OFFICERS_ACT
from sanxiang.procedure.steps import Field, Step
from sanxiang.registry.forms import PartyForm
from sanxiang.registry.models import IdentityDocumentType, Matter, Officer, Party, PartyKind
from sanxiang.registry.selectors import OfficerChoice, officer_choice_list


def _date_list(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,，、;；]+", text or "") if part]


class LinesField(forms.CharField):
    """One item a line (a list is accepted as it is, from the API)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list | tuple):
            lines = [str(v) for v in value]
        else:
            lines = str(value or "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: list[str]) -> None:
        # CharField's validators would see the list as one string ("['a', 'b']"): check each line,
        # and the total length of the text.
        text_validator()(value)
        total = sum(len(line) for line in value)
        if self.max_length is not None and total > self.max_length:
            raise forms.ValidationError(f"不能超过{self.max_length}个字符（现有{total}个）", code="max_length")

    def prepare_value(self, value: Any) -> str:
        return "\n".join(value) if isinstance(value, list | tuple) else (value or "")


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time as documents print it (Asia/Shanghai), kept without a zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"})

    def to_python(self, value: Any) -> dt.datetime | None:
        if value not in self.empty_values and not isinstance(value, str | dt.datetime | dt.date):
            # A number or a flag from JSON: Django's parser would fail on it (a 500).
            raise forms.ValidationError("应为日期时间（YYYY-MM-DDTHH:MM）", code="invalid")
        parsed = super().to_python(value)
        if parsed is not None and timezone.is_aware(parsed):
            try:
                parsed = timezone.make_naive(parsed)
            except OverflowError as far:  # 9999-12-31T23:59-12:00 has no local time
                raise forms.ValidationError(date_problem(dt.date.max), code="date_range") from far
        return parsed


class LocalDateField(forms.DateField):
    """A date; a number or a flag from JSON is refused as such, not parsed."""

    def to_python(self, value: Any) -> dt.date | None:
        if value not in self.empty_values and not isinstance(value, str | dt.date):
            raise forms.ValidationError("应为日期（YYYY-MM-DD）", code="invalid")
        return super().to_python(value)


def _form_field(spec: Field, *, agency_officers: list[tuple[str, str]], case_officers: list[tuple[str, str]]):
    common = {"label": spec.label, "required": spec.required, "help_text": spec.help}
    kind = spec.kind
    if kind == "text":
        return forms.CharField(max_length=500, validators=[text_validator()], **common)
    if kind == "textarea":
        return forms.CharField(
            max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), validators=[text_validator(multiline=True)], **common
        )
    if kind == "lines":
        return LinesField(max_length=10000, **common)
    if kind == "date":
        return LocalDateField(
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), validators=[date_validator], **common
        )
    if kind == "datetime":
        return LocalDateTimeField(validators=[date_validator], **common)
    if kind == "bool":
        return forms.BooleanField(**common)
    if kind == "int":
        return forms.IntegerField(min_value=0, max_value=1000, **common)
    if kind == "yuan":
        return forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, **common)
    if kind == "choice" and spec.radio:
        # Nothing chosen until the person chooses: an approval or a checklist item is answered,
        # never presumed; a missing answer is an error beside that item.
        return forms.ChoiceField(choices=spec.choices, widget=forms.RadioSelect, **common)
    if kind == "choice":
        # A required choice starts blank too ("请选择"), so that the first option is not sent
        # by someone who never looked at it.
        return forms.ChoiceField(choices=[("", "—" if not spec.required else "请选择"), *spec.choices], **common)
    if kind == "choices":
        return forms.MultipleChoiceField(choices=spec.choices, widget=forms.CheckboxSelectMultiple, **common)
    if kind == "officer":
        return forms.ChoiceField(choices=[("", "—"), *agency_officers], **common)
    if kind == "officers":
        return forms.MultipleChoiceField(choices=case_officers, widget=forms.CheckboxSelectMultiple, **common)
    if kind == "team":
        return forms.MultipleChoiceField(choices=agency_officers, widget=forms.CheckboxSelectMultiple, **common)
    raise ValueError(f"unknown field kind {kind}")


def step_form_class(
    step: Step, *, agency_officers: list[tuple[str, str]], case_officers: list[tuple[str, str]]
) -> type[forms.Form]:
    """The form of one step, from its field spec."""
    fields = {
        spec.name: _form_field(spec, agency_officers=agency_officers, case_officers=case_officers)
        for spec in step.fields
    }
    return type(f"{step.action.title().replace('_', '')}Form", (forms.Form,), fields)


def step_initial(step: Step, *, today: dt.date, case_officer_ids: list[str], proposed: dict[str, Any]) -> dict:
    """Sensible starting values: today's date, the case's officers, the penalty proposed so far."""
    initial: dict[str, Any] = {}
    for spec in step.fields:
        if spec.kind == "date" and spec.required:
            initial[spec.name] = today
        elif spec.kind in ("officers", "team"):
            initial[spec.name] = case_officer_ids
        elif spec.name in proposed:
            initial[spec.name] = proposed[spec.name]
    return initial


class OfficerPickerWidget(forms.CheckboxSelectMultiple):
    """The case officers' picker: one checkbox an officer, labelled with what tells two officers of
    the same name apart (内设机构, 执法证号) and the certificate's state; an officer who may not act
    today is marked (the service refuses them, with the reason, beside the field)."""

    option_template_name = "cases/_officer_option.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices_by_pk: dict[str, OfficerChoice] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        choice = self.choices_by_pk.get(str(value))
        option["may_act"] = choice.may_act if choice is not None else True
        option["problems"] = choice.problems if choice is not None else ()
        return option


PARTY_MODE_EXISTING = "existing"
PARTY_MODE_NEW = "new"


class BackEntryForm(forms.Form):
    """补录（按实际发生日期）: the day a step happened and why it is entered late, beside the step's
    own form (both empty: the step is taken today). The rules (not in the future, not before the
    previous step, a reason) are the engine's (`procedure.back_entry`), checked by the service; the
    names are `procedure.back_entry.OCCURRED_ON` and `REASON`, which its refusals name."""

    occurred_on = LocalDateField(
        label=_("实际发生日期"), required=False, validators=[date_validator],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    back_entry_reason = forms.CharField(
        label=_("补录理由"), required=False, max_length=REASON_MAX_LENGTH, validators=[text_validator(multiline=True)],
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("如：纸质案卷录入。账本同时记载实际发生日期和录入时间。"),
    )


class CaseCreateForm(forms.Form):
    procedure = forms.ChoiceField(label=_("程序"), choices=procedure_choices)
    title = forms.CharField(
        label=_("案由"), max_length=200, validators=[text_validator()], help_text=_("如：涉嫌经营超过保质期的食品案")
    )
    party_mode = forms.ChoiceField(
        label=_("当事人"), widget=forms.RadioSelect, initial=PARTY_MODE_EXISTING, required=False,
        choices=[(PARTY_MODE_EXISTING, _("选择已登记的当事人")), (PARTY_MODE_NEW, _("新增当事人"))],
    )
    party = forms.ModelChoiceField(
        label=_("已登记的当事人"), queryset=Party.objects.none(), required=False, empty_label="—"
    )
    officers = forms.ModelMultipleChoiceField(
        label=_("承办人员"), queryset=Officer.objects.none(), widget=OfficerPickerWidget,
        help_text=format_lazy(_("不少于规定人数（{basis}），每人持有本领域有效的执法证"), basis=OFFICERS_ACT),
    )
    matter = forms.ModelChoiceField(label=_("执法事项"), queryset=Matter.objects.none(), required=False, empty_label="—")
    parent = forms.ModelChoiceField(
        label=_("所属案件"), queryset=Case.objects.none(), required=False, empty_label="—",
        help_text=_("在行政处罚案件中采取的查封、扣押，或者执行行政处罚决定的，选择该案件"),
    )
    enforcement_field = forms.CharField(label=_("执法领域"), max_length=60, required=False, validators=[text_validator()])
    act_date = forms.DateField(
        label=_("违法行为发生日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), validators=[date_validator]
    )
    discovered_on = forms.DateField(
        label=_("发现日期"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        validators=[date_validator],
        help_text=format_lazy(_("追责期限算至此日（{basis}）；不填为今天"), basis=LIMITATION_DISCOVERY),
    )
    # 补录: a case handled on paper is registered at the day it was (`procedure.back_entry`).
    occurred_on = BackEntryForm.base_fields["occurred_on"]
    back_entry_reason = BackEntryForm.base_fields["back_entry_reason"]

    def __init__(self, *args, agency, viewer=None, on: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_names: list[str] = []
        self.fields["party"].queryset = Party.objects.filter(agency=agency).order_by("name")
        self.fields["parent"].queryset = Case.objects.filter(agency=agency).order_by("-created_at")
        officers = self.fields["officers"]
        officers.queryset = Officer.objects.filter(agency=agency, status="active").order_by("name")
        if viewer is not None:
            # Listed by name, then 内设机构; labelled so that two 张伟 are told apart (two queries).
            choices = officer_choice_list(viewer=viewer, agency=agency, on=on or timezone.localdate())
            officers.choices = [(str(c.officer.pk), c.label) for c in choices]
            officers.widget.choices_by_pk = {str(c.officer.pk): c for c in choices}
        kinds = {kind for spec in procedures_all().values() for kind in spec.matter_kinds}
        self.fields["matter"].queryset = Matter.objects.filter(agency=agency, kind__in=kinds, is_active=True)
        # The choices some procedures need at registration (a measure's kind …), each labelled
        # with its procedure; the service asks for those of the procedure chosen.
        for spec in procedures_all().values():
            for name, values in spec.options.items():
                if name not in self.fields:
                    self.fields[name] = forms.ChoiceField(
                        label=f"{spec.option_labels.get(name, name)}（{spec.label}）", required=False,
                        choices=[("", "—"), *values.items()],
                    )
                    self.option_names.append(name)
        if not self.is_bound and agency.field_list:
            self.initial.setdefault("enforcement_field", agency.field_list[0])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("party_mode") != PARTY_MODE_NEW and not data.get("party") and "party" not in self.errors:
            self.add_error("party", forms.ValidationError(_("请选择当事人，或者选择“新增当事人”并填写其信息"), code="required"))
        return data

    @property
    def option_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.option_names]

    @property
    def party_new(self) -> bool:
        """Whether the registration adds a new party (read before validation, to bind the party form)."""
        return (self.data.get("party_mode") if self.is_bound else None) == PARTY_MODE_NEW


class CaseNewPartyForm(PartyForm):
    """The party added while registering a case: the registry's own party form (the service checks
    the credit code and the ID number as for any party), under the prefix "new_party"."""

    prefix = "new_party"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *PartyKind.choices]
        self.fields["id_type"].choices = [("", "—"), *IdentityDocumentType.choices]


def case_create_options(form: CaseCreateForm) -> dict[str, str]:
    """The registration choices the form carried (the service checks them against the procedure)."""
    return {name: form.cleaned_data.get(name) or "" for name in form.option_names}
