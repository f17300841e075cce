from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.services import (
    API_TOKEN_DAYS,
    OFFICER_LOGIN_ROLES,
    USER_CHANGE_FIELDS,
    user_create_violations,
    user_update_violations,
)
from sanxiang.registry.models import Officer


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("密码"), max_length=4096, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("动态验证码"),
        max_length=8,
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ReauthForm(forms.Form):
    """The password again, before the second factor is enrolled or changed."""

    password = forms.CharField(label=_("当前密码"), max_length=4096, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CountedPasswordChangeForm(PasswordChangeForm):
    """Django's password change, except that the current password is checked like a login
    (`authenticate` with the request): a wrong one counts toward django-axes' lock of the address
    and name, so that a session left open cannot be used to guess the password without limit."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=100)
    days = forms.TypedChoiceField(
        label=_("有效期"), coerce=int, initial=90, choices=[(d, _("%(d)d天") % {"d": d}) for d in API_TOKEN_DAYS]
    )
    # A token outlives the session, the logout and a password change: a session left open must
    # not be enough to mint one (the password of whoever issues it, checked like a login).
    password = forms.CharField(
        label=_("您的当前密码"), max_length=4096, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class OfficerLoginForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("执法人员"), queryset=Officer.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=[(r.value, r.label) for r in OFFICER_LOGIN_ROLES])
    username = forms.CharField(label=_("用户名"), max_length=150)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class SupervisorAccountLinkForm(forms.Form):
    """Link an existing supervisor account of the bureau to a supervisor of the register."""

    user = forms.ModelChoiceField(label=_("已有的监督人员账号"), queryset=User.objects.none())

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class SupervisorLoginForm(forms.Form):
    """Give a supervisor of the register a new login (a temporary password, shown once)."""

    username = forms.CharField(label=_("用户名"), max_length=150)


class AdminUserCreationForm(UserCreationForm):
    """Django's admin "add user" form, with the role and agency, checked by the same rules as
    `user_create` (which the admin then calls), so that a refusal shows beside its field instead of
    a database error."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "role", "agency", "officer")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        violations = user_create_violations(
            username=cleaned.get("username") or "",
            password=None,  # UserCreationForm has applied the password validators
            role=cleaned.get("role") or Role.OFFICER,
            agency=cleaned.get("agency"),
            officer=cleaned.get("officer"),
        )
        for violation in violations:
            field = violation.field if violation.field in self.fields else None
            if field and field in self.errors:
                continue
            self.add_error(field, violation.message)
        return cleaned


class AdminUserChangeForm(UserChangeForm):
    """Django's admin "change user" form, checked by the rules of `user_update` (which the admin
    then calls, with the ledger entry), so that a refusal shows beside its field."""

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def changes(self) -> dict:
        """The fields this form changes, as `user_update` takes them."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in USER_CHANGE_FIELDS}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # Before `_post_clean`: self.instance still holds the user as stored.
        for violation in user_update_violations(user=self.instance, changes=self.changes()):
            field = violation.field if violation.field in self.fields else None
            if field and field in self.errors:
                continue
            self.add_error(field, violation.message)
        return cleaned
