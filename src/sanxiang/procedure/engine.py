"""A small declarative procedure engine: a procedure is data (states and transitions), and each
transition carries the guards that must hold and the records that must exist before it.

Why our own engine rather than a state-machine library (tech_notes §6): every library we looked at
either reports no reason (a boolean condition) or stops at the first failed validator. The law
needs the opposite: an officer must see *every* reason an action is refused, each with its article
of law, so `evaluate` runs every guard and every record check and never short-circuits.

A guard is a small pure function `guard(snapshot, context) -> Iterable[Violation]`. The snapshot is
an immutable picture of the case that the Django side builds from the database (plus the form
being submitted); the context carries what is not a fact of the case: the day the action would be
taken, the working-day calendar and the parameter set. The engine never mutates anything: the
caller performs the transition (state, ledger entry) once `evaluate` returns no violation.
"""

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar, runtime_checkable

from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.violations import Refused, Violation


class PeriodEnd(Protocol):
    """What a calendar answers for a period: its last day, whether it rests on a year whose
    official holiday schedule is unknown, and the counting rule it applied."""

    @property
    def date(self) -> dt.date: ...

    @property
    def estimated(self) -> bool: ...

    @property
    def basis(self) -> str: ...


@runtime_checkable
class LegalCalendar(Protocol):
    """The working-day calendar the guards and deadlines need (implemented by
    `sanxiang.procedure.calendar.WorkingDayCalendar`). Both methods leave the start day out of the
    count (《民法典》第二百零一条); `calendar_days_after` moves a last day that is a rest day to the
    next day (第二百零三条)."""

    def working_days_after(self, start: dt.date, n: int) -> PeriodEnd: ...

    def calendar_days_after(self, start: dt.date, n: int) -> PeriodEnd: ...


@dataclass(frozen=True)
class GuardContext:
    """What a guard may depend on besides the case: the day of the action, the calendar, the
    parameters in force (a deployment passes its regional overrides)."""

    today: dt.date
    calendar: LegalCalendar
    parameters: ParameterSet = field(default_factory=parameters_default)


class CaseSnapshot(Protocol):
    """The engine reads only the current state and which records exist; guards read the rest."""

    @property
    def state(self) -> str: ...

    @property
    def records(self) -> Collection[str]: ...


S = TypeVar("S", bound=CaseSnapshot)
S_contra = TypeVar("S_contra", bound=CaseSnapshot, contravariant=True)


class Guard(Protocol[S_contra]):
    def __call__(self, snapshot: S_contra, context: GuardContext, /) -> Iterable[Violation]: ...


@dataclass(frozen=True)
class State:
    name: str
    label: str
    final: bool = False


@dataclass(frozen=True)
class RecordKind:
    """A kind of record of whole-process recording (全过程记录): a document, a 笔录, a recording."""

    name: str
    label: str


@dataclass(frozen=True)
class RecordRequirement(Generic[S]):
    """One record that must exist before a transition; `any_of` lists alternatives (e.g. an
    询问笔录 or a 现场检查笔录), and `when` limits the requirement to the cases it concerns."""

    any_of: tuple[str, ...]
    legal_basis: str
    when: Callable[[S, GuardContext], bool] | None = None

    def applies(self, snapshot: S, context: GuardContext) -> bool:
        return self.when is None or self.when(snapshot, context)

    def satisfied_by(self, records: Collection[str]) -> bool:
        return any(kind in records for kind in self.any_of)


@dataclass(frozen=True)
class Transition(Generic[S]):
    name: str  # stable: API action name, ledger event name, permission name
    label: str  # Chinese, shown on the button
    sources: tuple[str, ...]
    target: str
    guards: tuple[Guard[S], ...] = ()
    records: tuple[RecordRequirement[S], ...] = ()
    legal_basis: str = ""


class ProcedureDefinitionError(ValueError):
    def __init__(self, name: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"procedure {name}: " + "; ".join(problems))


class UnknownAction(KeyError):
    """The caller named an action the procedure does not have (a programming or URL error, not a
    refusal: a refusal is a list of violations)."""


@dataclass(frozen=True)
class Procedure(Generic[S]):
    name: str  # prefix of the violation codes the engine itself produces
    label: str
    states: tuple[State, ...]
    initial: str
    transitions: tuple[Transition[S], ...]
    record_kinds: tuple[RecordKind, ...] = ()
    legal_basis: str = ""

    def __post_init__(self) -> None:
        # A procedure with an unknown or unreachable state is a bug in the law-as-code itself;
        # refuse to build it rather than let a case get stuck in production.
        problems = procedure_problems(self)
        if problems:
            raise ProcedureDefinitionError(self.name, problems)

    def transition(self, action: str) -> Transition[S]:
        for transition in self.transitions:
            if transition.name == action:
                return transition
        raise UnknownAction(action)

    def state(self, name: str) -> State | None:
        return next((s for s in self.states if s.name == name), None)

    def state_label(self, name: str) -> str:
        state = self.state(name)
        return state.label if state else name

    def record_label(self, name: str) -> str:
        return next((k.label for k in self.record_kinds if k.name == name), name)


def procedure_problems(procedure: Procedure) -> list[str]:
    """Every defect of a procedure definition: duplicate or unknown names, states that cannot be
    reached from the initial state, non-final states with no way out, undeclared record kinds."""
    problems: list[str] = []
    names = [s.name for s in procedure.states]
    known = set(names)
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"duplicate state {name}")
    if procedure.initial not in known:
        problems.append(f"unknown initial state {procedure.initial}")
    actions = [t.name for t in procedure.transitions]
    for name in sorted({a for a in actions if actions.count(a) > 1}):
        problems.append(f"duplicate transition {name}")
    kinds = {k.name for k in procedure.record_kinds}
    for transition in procedure.transitions:
        if not transition.sources:
            problems.append(f"transition {transition.name} has no source state")
        for source in transition.sources:
            if source not in known:
                problems.append(f"transition {transition.name}: unknown source state {source}")
        if transition.target not in known:
            problems.append(f"transition {transition.name}: unknown target state {transition.target}")
        if not transition.legal_basis:
            problems.append(f"transition {transition.name} has no legal basis")
        for requirement in transition.records:
            for kind in requirement.any_of:
                if kind not in kinds:
                    problems.append(f"transition {transition.name}: undeclared record kind {kind}")
    reachable = {procedure.initial} if procedure.initial in known else set()
    changed = True
    while changed:
        changed = False
        for transition in procedure.transitions:
            if reachable.intersection(transition.sources) and transition.target not in reachable:
                reachable.add(transition.target)
                changed = True
    for state in procedure.states:
        if state.name not in reachable and procedure.initial in known:
            problems.append(f"state {state.name} is unreachable from {procedure.initial}")
        leaves = any(state.name in t.sources and t.target != state.name for t in procedure.transitions)
        if not state.final and not leaves:
            problems.append(f"state {state.name} is not final and has no transition out")
        if state.final and any(state.name in t.sources for t in procedure.transitions):
            problems.append(f"final state {state.name} has a transition out")
    return problems


DATE_OUT_OF_RANGE = Violation(
    "case.date_out_of_range", "案件的日期超出可计算的范围，无法判断本步骤是否合法，请核对有关日期", "系统输入校验规则", None
)


def evaluate(procedure: Procedure[S], snapshot: S, action: str, *, context: GuardContext) -> list[Violation]:
    """Every reason why `action` may not be taken on this case now; [] when it may.

    Everything runs, whatever fails first: the state check, every record requirement and every
    guard, so the officer sees the whole list at once (and the API answers 409 with it)."""
    transition = procedure.transition(action)
    violations: list[Violation] = []
    if snapshot.state not in transition.sources:
        allowed = "、".join(f"“{procedure.state_label(s)}”" for s in transition.sources)
        violations.append(
            Violation(
                f"{procedure.name}.wrong_state",
                f"案件当前处于“{procedure.state_label(snapshot.state)}”，不能{transition.label}"
                f"（只能在{allowed}时进行）",
                transition.legal_basis,
                "state",
            )
        )
    records = snapshot.records
    for requirement in transition.records:
        try:
            applies = requirement.applies(snapshot, context)
        except ParameterMissing as missing:
            violations.append(missing.violation)
        except OverflowError:  # a date of the case so far out that a period leaves the calendar
            violations.append(DATE_OUT_OF_RANGE)
            continue
        if applies and not requirement.satisfied_by(records):
            labels = "或".join(f"“{procedure.record_label(k)}”" for k in requirement.any_of)
            violations.append(
                Violation(
                    f"{procedure.name}.record_missing.{'_or_'.join(requirement.any_of)}",
                    f"{transition.label}前须有{labels}（全过程记录）",
                    requirement.legal_basis,
                    "records",
                )
            )
    for guard in transition.guards:
        try:
            # A guard yields its violations lazily: collect them here, so that a parameter
            # missing half-way becomes a violation of its own beside those already found.
            for violation in guard(snapshot, context):
                violations.append(violation)
        except ParameterMissing as missing:
            violations.append(missing.violation)
        except OverflowError:  # a date of the case so far out that a period leaves the calendar
            violations.append(DATE_OUT_OF_RANGE)
    # Two guards may find the same fact; report it once, in the order found.
    return list(dict.fromkeys(violations))


@dataclass(frozen=True)
class ActionStatus:
    action: str
    label: str
    allowed: bool
    violations: tuple[Violation, ...]
    target: str = ""


def actions_available(
    procedure: Procedure[S], snapshot: S, *, context: GuardContext, from_current_state_only: bool = False
) -> list[ActionStatus]:
    """What can be done next, and what blocks each other step: one status per transition, in the
    order of the procedure (the UI shows blocked buttons disabled with their reasons)."""
    statuses = []
    for transition in procedure.transitions:
        if from_current_state_only and snapshot.state not in transition.sources:
            continue
        violations = evaluate(procedure, snapshot, transition.name, context=context)
        statuses.append(
            ActionStatus(transition.name, transition.label, not violations, tuple(violations), transition.target)
        )
    return statuses


def action_check(procedure: Procedure[S], snapshot: S, action: str, *, context: GuardContext) -> str:
    """The state the case moves to; raises `Refused` with every violation. The Django service calls
    this inside the transaction that writes the new state and its ledger entry."""
    violations = evaluate(procedure, snapshot, action, context=context)
    if violations:
        raise Refused(violations)
    return procedure.transition(action).target


def mermaid_text(text: str) -> str:
    # Mermaid ends a transition label at a newline and treats `:` / `"` specially; labels are
    # short Chinese phrases, so replacing them by their full-width forms loses nothing.
    return text.replace("\n", " ").replace('"', "＂").replace(":", "：").replace(";", "；")


def procedure_mermaid(procedure: Procedure) -> str:
    """The transition table as a Mermaid state diagram, labelled in Chinese: the public flowchart
    (执法流程图) is drawn from it, so it can never disagree with what the engine enforces."""
    lines = ["stateDiagram-v2", f"    %% {mermaid_text(procedure.label)}"]
    for state in procedure.states:
        lines.append(f'    state "{mermaid_text(state.label)}" as {state.name}')
    lines.append(f"    [*] --> {procedure.initial}")
    for transition in procedure.transitions:
        for source in transition.sources:
            lines.append(f"    {source} --> {transition.target} : {mermaid_text(transition.label)}")
    for state in procedure.states:
        if state.final:
            lines.append(f"    {state.name} --> [*]")
    return "\n".join(lines) + "\n"
