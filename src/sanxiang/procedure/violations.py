from dataclasses import dataclass

# The bases of refusals that are not law: the platform's own rules, shown as such.
PLATFORM_PREFIX = "平台规则"
FORM_BASIS = "数据校验"


def basis_kind(legal_basis: str) -> str:
    """"law" when the basis cites a law, regulation or normative document (《…》, a published list
    or standard), "platform" when it is a rule of this platform (data checks, who in the agency
    does what, the input limits)."""
    if legal_basis.startswith((PLATFORM_PREFIX, "系统规则")) or legal_basis in PLATFORM_BASES:
        return "platform"
    return "law"


# Bases written before platform rules carried their prefix (stored in ledger entries and API
# clients' fixtures): still recognised as platform rules.
PLATFORM_BASES = frozenset({"数据校验", "系统输入校验规则", "系统规则", "本单位职责分工", "本平台权限设置"})


@dataclass(frozen=True, slots=True)
class Violation:
    """Why an action is refused: a stable code for machines, a Chinese message for people,
    and the rule of law (or standard, or the platform's own rule) that requires it."""

    code: str
    message: str
    legal_basis: str
    field: str | None = None

    @property
    def basis_kind(self) -> str:
        return basis_kind(self.legal_basis)

    @property
    def is_law(self) -> bool:
        return self.basis_kind == "law"

    @property
    def basis_display(self) -> str:
        """The basis as pages print it: a platform rule says so."""
        if self.is_law or self.legal_basis.startswith(PLATFORM_PREFIX):
            return self.legal_basis
        return f"{PLATFORM_PREFIX}：{self.legal_basis}"

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "legal_basis": self.legal_basis, "field": self.field,
                "basis_kind": self.basis_kind}


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
