from django import forms

from sanxiang.accounts.models import Role
from sanxiang.accounts.permissions import user_county_region
from sanxiang.inputs import text_validator
from sanxiang.outbox import rules
from sanxiang.outbox.models import Scope
from sanxiang.registry.models import Agency


class SubscriptionForm(forms.Form):
    name = forms.CharField(label="接收系统名称", max_length=100, validators=[text_validator()])
    url = forms.CharField(label="接收地址", max_length=500, help_text="以 https:// 开头的地址；本平台以 POST 推送 JSON",
                          validators=[text_validator()])
    scope = forms.ChoiceField(label="推送范围", choices=Scope.choices)
    agency = forms.ModelChoiceField(label="执法主体", queryset=Agency.objects.none(), required=False,
                                    error_messages={"invalid_choice": "请选择列表中的执法主体"})
    region_code = forms.CharField(label="行政区划代码", max_length=6, required=False,
                                  help_text="推送范围为全县（区）时填写")
    kinds = forms.MultipleChoiceField(
        label="事件类型", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(o.kind, o.label) for o in rules.OFFERED.values()],
        help_text="不选即推送全部类型",
        error_messages={"invalid_choice": "请选择列表中的事件类型"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.order_by("name")
        if user.role == Role.AGENCY_ADMIN:
            agencies = agencies.filter(pk=user.agency_id)
            self.fields["agency"].empty_label = None  # their own agency, the one choice
            self.fields["agency"].initial = user.agency_id
            self.fields["scope"].choices = [(Scope.AGENCY, Scope.AGENCY.label)]
            del self.fields["region_code"]
        elif (region := user_county_region(user)) is not None:
            agencies = agencies.filter(region_code=region)
            self.fields["region_code"].initial = region
        self.fields["agency"].queryset = agencies
