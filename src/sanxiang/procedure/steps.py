"""The steps of a procedure as an officer meets them, declared once: the states a step happens
in, the roles that may take it, its form fields, what it does to the case's facts, the documents
(文书) it issues and the records it makes. Pure Python: the Django side only parses a form into
values, persists what a step returns, renders its documents and appends the ledger entry.

Two sorts of step:
- transitions of the engine (`transition=True`): the service applies the form to the snapshot,
  then the procedure's engine decides, with every violation;
- recording steps that happen within a state (a questioning, a statement, a payment, a review
  opinion): they change the facts but not the state; their `apply` checks them, with the
  engine's own rules where it has them, and the catalogue's `step_evaluate` adds the state and
  role checks, so that one evaluation answers every action.

A step reads and returns values (`Draft`); nothing here touches a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.registry_rules import OfficerSnapshot
from sanxiang.procedure.roles import ROLE_LABELS, Role
from sanxiang.procedure.violations import FORM_BASIS, Violation

# --- fields ----------------------------------------------------------------------------------------

FIELD_KINDS = ("text", "textarea", "lines", "date", "datetime", "bool", "int", "yuan", "choice", "choices",
               "officer", "officers", "team")


@dataclass(frozen=True)
class Field:
    """One input of a step's form. `kind` says how it is parsed:
    text, textarea, lines (one item a line), date, datetime, bool, int, yuan (money, stored in
    fen), choice, choices, officer (one of the agency's officers), officers (several), team (the
    case's officers, chosen among the agency's)."""

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    # Free text may name people: the ledger keeps its digest, the case row the text (as the
    # registry and evidence events do). Dates, numbers, choices and flags are recorded as given.
    personal: bool = False
    # Text that names nobody and that supervisors must be able to read in the ledger itself (the
    # reason for overriding the catalogue, for extending a period): recorded in clear.
    clear: bool = False
    # A choice shown as radio buttons, none preselected (an approval's 同意 / 不同意, a checklist's
    # finding): the person must answer it; nothing is taken for granted.
    radio: bool = False

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"field {self.name}: unknown kind {self.kind}")

    @property
    def recorded_in_clear(self) -> bool:
        return self.clear or (not self.personal and self.kind not in ("text", "textarea", "lines"))


def choices(labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(labels.items())


def text_field(name: str, label: str, **kw) -> Field:
    return Field(name, label, "text", personal=True, **kw)


def area_field(name: str, label: str, **kw) -> Field:
    return Field(name, label, "textarea", personal=True, **kw)


def lines_field(name: str, label: str, **kw) -> Field:
    return Field(name, label, "lines", personal=True, **kw)


def date_field(name: str, label: str, **kw) -> Field:
    return Field(name, label, "date", **kw)


def bool_field(name: str, label: str, **kw) -> Field:
    return Field(name, label, "bool", required=False, **kw)


def reason_field(name: str, label: str, **kw) -> Field:
    return Field(name, label, "text", clear=True, **kw)


# The explicit answer of an approval: a platform rule of the form (no approval is presumed).
APPROVAL_FORM_RULE = "平台规则：审批须明确选择同意或者不同意，不同意的须写明理由"
APPROVAL_CHOICES = (("agree", "同意"), ("disagree", "不同意"))


def approval_field(name: str = "approval", label: str = "审批决定", **kw) -> Field:
    """同意 / 不同意 as radio buttons with nothing chosen: the approver answers explicitly."""
    return Field(name, label, "choice", choices=kw.pop("choices", APPROVAL_CHOICES), radio=True, clear=True, **kw)


# --- the draft a step works on ------------------------------------------------------------------


@dataclass
class Draft:
    """The case as a step sees it: the engine's snapshot, the documents' details, the day, and
    who acts. Steps replace `snapshot` and update `details`; `violations` collects what a
    recording step finds wrong; `records` the records the step makes without a rendered
    document (a statement received, a payment receipt entered)."""

    snapshot: Any
    details: dict[str, Any]
    context: GuardContext
    actor_name: str
    actor_officer: OfficerSnapshot | None = None
    actor_role: str = ""
    reviewer_first_time: bool = False
    # For assigning a legal reviewer: the agency's designated reviewers, whether each would be
    # reviewing for the first time, and how many requests each has pending (`needs` "reviewers").
    reviewers: tuple[OfficerSnapshot, ...] = ()
    reviewers_first_time: frozenset[int] = frozenset()
    reviewer_loads: dict[int, int] = field(default_factory=dict)
    # For changing the case's officers: the officers of the agency to choose from (`needs`
    # "agency_officers").
    agency_officers: tuple[OfficerSnapshot, ...] = ()
    # For drafting a penalty decision: the 裁量基准 in force for the case's matter (a
    # `procedure.discretion.Benchmark`, or None) and the party's earlier offences of the same
    # matter (`EarlierOffence`s) (`needs` "discretion").
    discretion_benchmark: Any = None
    earlier_offences: tuple[Any, ...] = ()
    violations: list[Violation] = field(default_factory=list)
    records: set[str] = field(default_factory=set)
    # The case's texts, typed, for a procedure that declares `texts_type` (what its documents
    # print beyond the snapshot's facts: places, items, reasons); steps replace it.
    texts: Any = None

    @property
    def on(self) -> dt.date:
        return self.context.today

    def update(self, **changes: Any) -> None:
        self.snapshot = replace(self.snapshot, **changes)

    def refuse(self, code: str, message: str, legal_basis: str, field_name: str | None = None) -> None:
        self.violations.append(Violation(code, message, legal_basis, field_name))


Apply = Callable[[Draft, dict[str, Any]], None]
Correct = Callable[[Draft, dict[str, Any], dict[str, Any]], None]
# What the Django side must gather before a step runs (each a field of `Draft`).
NEEDS = frozenset({"reviewers", "agency_officers", "reviewer_first_time", "discretion"})


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    procedures: tuple[str, ...]
    # For recording steps, the states they happen in; transitions take theirs from the engine.
    states: tuple[str, ...] = ()
    transition: bool = False
    fields: tuple[Field, ...] = ()
    apply: Apply | None = None
    # (document kind, the record it provides): the documents issued when the step succeeds.
    documents: tuple[tuple[str, str], ...] = ()
    roles: frozenset[Role] | None = None  # None: every agency role of the case's agency
    # Violation fields (prefixes) that the form itself fills: before the form is sent, the page
    # does not count them against the step (the service checks them again with the form).
    supplies: tuple[str, ...] = ()
    help: str = ""
    # The engine's name of the transition when the step's own key differs (two procedures of
    # one catalogue with an engine action of the same name).
    engine_action: str = ""
    # Which of the documents apply to this case (a no-penalty decision has no 行政处罚决定书).
    document_applies: Callable[[str, Draft], bool] | None = None
    needs: frozenset[str] = frozenset()
    # The step issues the procedure's decision (its subscribers react: publication drafts it).
    decides: bool = False
    # How a mistake in the record this step made is corrected (更正): given the draft, the form
    # data as recorded and as corrected, it replaces that record in the facts and texts (and
    # checks the corrected record as the step checked the original). None: not correctable.
    correct: Correct | None = None
    # What to do instead once the record may no longer be corrected (outside `states`), as the
    # refusal says it: the lawful path (补充调查 and a new record before the decision …).
    correction_instead: str = ""

    @property
    def correctable(self) -> bool:
        return self.correct is not None

    def __post_init__(self) -> None:
        unknown = self.needs - NEEDS
        if unknown:
            raise ValueError(f"step {self.action}: unknown needs {sorted(unknown)}")
        if not self.transition and not self.states:
            raise ValueError(f"step {self.action}: a recording step names the states it happens in")

    @property
    def name(self) -> str:
        """The action's name for the engine, the API and the ledger."""
        return self.engine_action or self.action

    def documents_for(self, draft: Draft) -> tuple[tuple[str, str], ...]:
        """The documents this step issues for this case."""
        if self.document_applies is None:
            return self.documents
        return tuple(d for d in self.documents if self.document_applies(d[0], draft))


def step_role_violation(step: Step, role: str) -> Violation | None:
    """A platform rule: who in the agency takes which step (本单位职责分工, set here for every
    agency alike), not a rule of law."""
    if step.roles is None or role in step.roles:
        return None
    who = "、".join(ROLE_LABELS[r] for r in sorted(step.roles))
    return Violation("case.role", f"“{step.label}”须由{who}办理", ROLE_BASIS, "role")


ROLE_BASIS = "本单位职责分工"


def replaced_last(items: tuple, old: Any, new: Any) -> tuple | None:
    """`items` with its last element equal to `old` replaced by `new`; None when there is none."""
    for index in range(len(items) - 1, -1, -1):
        if items[index] == old:
            return (*items[:index], new, *items[index + 1:])
    return None


# The correction found no record equal to the one it corrects (the facts were changed since).
CORRECTION_NOT_FOUND = "平台规则：更正须对应案件中已有的记录"
# The law says how a decision is changed (变更、撤销, by the agency or on review); it says nothing
# of how a mistake in a record is set right before. These are the platform's rules, shown as such.
CORRECTION_RULE = "平台规则：记录有误的，以更正记录更正，写明理由，原记录保留在账本中"

# A record is corrected only in the step's own states (a 询问笔录 while the case is 调查取证): the
# 调查终结报告, the legal review, the 告知书 and the decision are made on the records as they stood
# then, and a later correction would redo none of them.
CORRECTION_STATE_RULE = (
    "平台规则：记录只在制作它的环节中更正；此后作出的调查终结报告、法制审核意见、告知书和决定依据原记录，"
    "更正不会重做它们（《中华人民共和国行政处罚法》第五十五条：询问、检查应当制作笔录；第五十七条：调查终结，"
    "行政机关负责人对调查结果进行审查后作出决定）"
)
# Who corrects: those who made the record (the case's officers) or the head who answers for it.
CORRECTION_ACTOR_RULE = "平台规则：记录由本案承办的执法人员或者机关负责人更正；法制审核人员、单位管理员不更正案件记录"
CORRECTORS = frozenset({Role.AGENCY_HEAD})


def record_correction_problems(step: Step, *, state: str, state_label: Callable[[str], str]) -> list[Violation]:
    """Whether the record `step` made may be corrected with the case in `state`: only in the
    step's own states. Outside them the refusal says when it could have been, and the path left."""
    if not step.correctable:
        return [Violation("case.correction.not_correctable", f"“{step.label}”的记录不能更正", CORRECTION_RULE, None)]
    if state in step.states:
        return []
    allowed = "、".join(f"“{state_label(s)}”" for s in step.states)
    instead = f"；{step.correction_instead}" if step.correction_instead else ""
    return [Violation(
        "case.correction_state",
        f"本案现为“{state_label(state)}”，不能再更正“{step.label}”的记录：只能在{allowed}时更正{instead}",
        CORRECTION_STATE_RULE,
        None,
    )]


def record_corrector_problems(*, role: str, officer_id: int | None, case_officer_ids: Iterable[int]) -> list[Violation]:
    """Who may correct a record of the case: an officer assigned to it, or the agency head."""
    if role in CORRECTORS or (role == Role.OFFICER and officer_id is not None and officer_id in set(case_officer_ids)):
        return []
    return [Violation("case.correction_actor", "只有本案承办的执法人员或者机关负责人可以更正记录", CORRECTION_ACTOR_RULE,
                      "role")]


# --- parsing helpers --------------------------------------------------------------------------------


def fen(value: Any) -> int:
    """Yuan as entered (Decimal or str) → integer fen, never through float."""
    if value in (None, ""):
        return 0
    return int((Decimal(str(value)) * 100).to_integral_value())


def iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def officer_ids(data: dict[str, Any], name: str = "officer_ids") -> tuple[int, ...]:
    return tuple(int(i) for i in data.get(name) or ())


__all__ = [
    "APPROVAL_CHOICES",
    "APPROVAL_FORM_RULE",
    "CORRECTION_ACTOR_RULE",
    "CORRECTION_NOT_FOUND",
    "CORRECTION_RULE",
    "CORRECTION_STATE_RULE",
    "CORRECTORS",
    "FORM_BASIS",
    "Apply",
    "Correct",
    "Draft",
    "Field",
    "Step",
    "approval_field",
    "area_field",
    "bool_field",
    "choices",
    "date_field",
    "fen",
    "iso",
    "lines_field",
    "officer_ids",
    "reason_field",
    "record_correction_problems",
    "record_corrector_problems",
    "replaced_last",
    "step_role_violation",
    "text_field",
]
