from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """Why an action is refused: a stable code for machines, a Chinese message for people,
    and the rule of law (or standard) that requires it."""

    code: str
    message: str
    legal_basis: str
    field: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "legal_basis": self.legal_basis, "field": self.field}


class Refused(Exception):
    """An action was refused; carries every reason."""

    def __init__(self, violations: list[Violation]):
        self.violations = list(violations)
        super().__init__("；".join(v.message for v in self.violations))

    def by_field(self) -> dict[str | None, list[Violation]]:
        grouped: dict[str | None, list[Violation]] = {}
        for violation in self.violations:
            grouped.setdefault(violation.field, []).append(violation)
        return grouped
