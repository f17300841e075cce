from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """Passwords mix at least `min_classes` of: lower case, upper case, digits, symbols
    (the usual reading of 等保 2.0's password-complexity requirement)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def _classes(self, password: str) -> int:
        return sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )

    def validate(self, password: str, user=None) -> None:
        if self._classes(password) < self.min_classes:
            raise ValidationError(
                _("密码至少要包含小写字母、大写字母、数字、符号中的%(n)d类。") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码至少要包含小写字母、大写字母、数字、符号中的%(n)d类。") % {"n": self.min_classes}
