"""The catalogue of procedures: each kind of enforcement registers its procedures here once, and
every screen, API route, document, deadline list and statistics row reads them from here.

A `ProcedureSpec` ties together what `procedure` knows of one procedure: its engine (states and
transitions with their guards), the snapshot its guards read, the steps with their roles, fields,
records and documents, how the state moves, and its deadlines. The Django side stores a case's
procedure key (`Case.procedure`), the spec's stored facts, and nothing procedure-specific.

`step_evaluate` is the one answer to "may this step be taken now": the state (from the engine
for transitions, from the step for recording steps), the role, what the step's `apply` found and
the engine's own guards and records, every reason at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from sanxiang.procedure.citations import PROCESS_RECORDED
from sanxiang.procedure.engine import GuardContext, LegalCalendar, Procedure, evaluate
from sanxiang.procedure.parameters import ParameterSet
from sanxiang.procedure.penalty.deadlines import Deadline, DeadlinePhase, DeadlineProblem
from sanxiang.procedure.steps import Draft, Step, step_role_violation
from sanxiang.procedure.violations import FORM_BASIS, Violation

# The kinds of enforcement act of the plan (行政许可、行政处罚、行政强制、行政检查、行政征收征用).
ACT_KINDS: dict[str, str] = {
    "penalty": "行政处罚",
    "coercion": "行政强制措施",
    "enforcement": "行政强制执行",
    "inspection": "行政检查",
    "licensing": "行政许可",
    "expropriation": "行政征收征用",
    "other": "其他行政行为",
}

Deadlines = Callable[..., tuple[list[Deadline], list[Violation]]]
DeadlinePhases = Callable[..., tuple[list[DeadlinePhase], list[DeadlineProblem]]]


@dataclass(frozen=True)
class ProcedureSpec:
    key: str  # stored in Case.procedure; stable
    label: str  # 普通程序, 查封、扣押 …
    act_kind: str  # a key of ACT_KINDS
    engine: Procedure
    snapshot_type: type
    steps: tuple[Step, ...]
    # Snapshot fields read afresh (from the registry, the evidence store, the case's columns)
    # rather than stored: the rest is the case's facts, stored by `facts_of`.
    derived_fields: frozenset[str]
    # The snapshot after a transition (the engine's state plus what it stamps), or `Refused`.
    advance: Callable[[Any, str, GuardContext], Any]
    # (deadlines, why some could not be computed): called with snapshot, calendar=, today=.
    deadlines: Deadlines
    # The same deadlines as phases whose state on any day follows from stored dates alone
    # (`penalty.deadlines.DeadlinePhase`): called with snapshot, calendar=, on=. What the case
    # projection stores; `deadlines` gives, on each day, the phases shown that day.
    deadline_phases: DeadlinePhases | None = None
    # Steps whose audio-video record the evidence store can hold (record `audio_video_<step>`).
    audio_video_steps: frozenset[str] = frozenset()
    # The facts of a new case, from what registration gives: facts_initial(discovered_on=,
    # act_date=, on=, options=, parent=) with options checked against `options` first; `parent`
    # is the snapshot of the case it belongs to, or None.
    facts_initial: Callable[..., dict[str, Any]] = lambda **_: {}
    # The records a new case starts with (the 案源登记 of an ordinary penalty case).
    records_initial: tuple[str, ...] = ()
    # The choices a case of this procedure needs at registration beyond the common ones
    # (a measure's kind: 查封 or 扣押): name → {value: label}.
    options: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    # The labels of those choices (name → label), for the registration form.
    option_labels: dict[str, str] = dataclasses.field(default_factory=dict)
    # The act kinds of the case a case of this procedure may belong to (`Case.parent`: a seizure
    # inside a penalty case, the execution of a penalty decision), and whether it must.
    parent_act_kinds: tuple[str, ...] = ()
    parent_required: bool = False
    # What refuses another case of this procedure under the same parent, given the numbers of
    # those still open (`open_cases=`): one execution of a decision at a time.
    siblings_problems: Callable[..., list[Violation]] | None = None
    # The kinds of the 权责清单's matters (registry MatterKind) a case of this procedure serves.
    matter_kinds: tuple[str, ...] = ()
    help: str = ""
    # The frozen dataclass of the case's texts (what documents print beyond the facts), stored
    # typed and checked on every write; None: the procedure has no texts.
    texts_type: type | None = None
    # What a step's form starts with, from the case's texts so far (typed, or None without
    # `texts_type`): the penalty proposed.
    form_initial: Callable[[Any], dict[str, Any]] = lambda texts: {}
    # The rule a recording step taken in the wrong state breaks (the procedure's recording rule).
    recording_basis: str = PROCESS_RECORDED

    def __post_init__(self) -> None:
        names = [s.name for s in self.steps]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"procedure {self.key}: duplicate steps {duplicates}")
        transitions = {t.name for t in self.engine.transitions}
        for step in self.steps:
            if step.transition and step.name not in transitions:
                raise ValueError(f"procedure {self.key}: step {step.name} is no transition of the engine")
            for state in step.states:
                if self.engine.state(state) is None:
                    raise ValueError(f"procedure {self.key}: step {step.name} names unknown state {state}")
        missing = transitions - {s.name for s in self.steps if s.transition}
        if missing:
            raise ValueError(f"procedure {self.key}: transitions without a step {sorted(missing)}")

    @property
    def act_label(self) -> str:
        return ACT_KINDS[self.act_kind]

    @property
    def fact_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(self.snapshot_type) if f.name not in self.derived_fields)

    @property
    def final_states(self) -> frozenset[str]:
        return frozenset(s.name for s in self.engine.states if s.final)

    def options_problems(self, options: dict[str, str]) -> list[Violation]:
        """A registration's choices for this procedure: each one it needs, each among its values."""
        problems = []
        for name, values in self.options.items():
            value = options.get(name, "")
            label = self.option_labels.get(name, name)
            if value not in values:
                allowed = "、".join(values.values())
                problems.append(Violation(f"case.option.{name}", f"请选择{label}（{allowed}）", FORM_BASIS, name))
        for name in sorted(set(options) - set(self.options)):
            if options[name]:
                problems.append(Violation(f"case.option.{name}", f"{self.label}没有“{name}”这一选项", FORM_BASIS, name))
        return problems

    def step(self, action: str) -> Step | None:
        return next((s for s in self.steps if s.name == action), None)

    def state_label(self, state: str) -> str:
        return self.engine.state_label(state)

    def step_final_state(self, step: Step) -> str:
        """The final state a step moves the case to (撤销立案, 不予立案, 归档 …), or "": after it
        nothing more is done in the case, so the step is not taken without confirmation."""
        if not step.transition:
            return ""
        target = self.engine.transition(step.name).target
        return target if target in self.final_states else ""

    def record_label(self, name: str) -> str:
        return self.engine.record_label(name)

    def facts_of(self, snapshot: Any) -> dict[str, Any]:
        """The stored part of a snapshot, as values (the Django side serialises them)."""
        return {name: getattr(snapshot, name) for name in self.fact_fields}

    def deadlines_checked(self, snapshot: Any, *, calendar: LegalCalendar, today: dt.date,
                          parameters: ParameterSet | None = None) -> tuple[list[Deadline], list[Violation]]:
        kwargs: dict[str, Any] = {"calendar": calendar, "today": today}
        if parameters is not None:
            kwargs["parameters"] = parameters
        return self.deadlines(snapshot, **kwargs)

    def deadline_phases_checked(self, snapshot: Any, *, calendar: LegalCalendar, on: dt.date,
                                parameters: ParameterSet | None = None
                                ) -> tuple[list[DeadlinePhase], list[DeadlineProblem]]:
        """The deadlines as phases (`deadline_phases`), what the case projection stores. A
        procedure that declares none is taken as its deadlines on `on`, each one phase, met or not
        for good, with no due-soon alert: exact for running and overdue only (every procedure of
        the catalogue declares its phases; a new one should)."""
        kwargs: dict[str, Any] = {"calendar": calendar}
        if parameters is not None:
            kwargs["parameters"] = parameters
        if self.deadline_phases is not None:
            return self.deadline_phases(snapshot, on=on, **kwargs)
        deadlines, problems = self.deadlines(snapshot, today=on, **kwargs)
        return (
            [DeadlinePhase(d.code, d.label, d.due, d.basis, d.estimated, d.completed_on, d.late, met=d.state == "met")
             for d in deadlines],
            [DeadlineProblem(v) for v in problems],
        )


_CATALOGUE: dict[str, ProcedureSpec] = {}
_loaded = False


class UnknownProcedure(KeyError):
    pass


def procedure_register(spec: ProcedureSpec) -> ProcedureSpec:
    if spec.key in _CATALOGUE and _CATALOGUE[spec.key] is not spec:
        raise ValueError(f"procedure {spec.key} registered twice")
    _CATALOGUE[spec.key] = spec
    return spec


def _load() -> None:
    # Each kind of enforcement registers its procedures when its package's `catalogue` module is
    # imported; adding a kind adds a line here and nothing in the apps above.
    # The order is the registration form's: the penalty first.
    from sanxiang.procedure.penalty import catalogue as _penalty  # noqa: F401, I001
    from sanxiang.procedure.coercion import catalogue as _coercion  # noqa: F401
    from sanxiang.procedure.enforcement import catalogue as _enforcement  # noqa: F401
    from sanxiang.procedure.permit import catalogue as _permit  # noqa: F401
    from sanxiang.procedure.expropriation import catalogue as _expropriation  # noqa: F401
    from sanxiang.procedure.other_acts import catalogue as _other_acts  # noqa: F401


def procedures_all() -> dict[str, ProcedureSpec]:
    global _loaded
    if not _loaded:
        # Once, whatever was registered first (a test's throwaway procedure must not keep the
        # real ones out).
        _load()
        _loaded = True
    return dict(_CATALOGUE)


def procedure_spec(key: str) -> ProcedureSpec:
    try:
        return procedures_all()[key]
    except KeyError as unknown:
        raise UnknownProcedure(key) from unknown


def audio_video_steps_labelled(procedure: str | None = None) -> dict[str, str]:
    """The steps whose audio-video recording a procedure's cases can hold (one procedure's, or
    every procedure's), with their Chinese names as the record kinds give them: what an evidence
    upload offers as its step."""
    labels: dict[str, str] = {}
    specs = [procedure_spec(procedure)] if procedure else list(procedures_all().values())
    for spec in specs:
        for step in sorted(spec.audio_video_steps):
            label = spec.record_label(f"audio_video_{step}")
            labels.setdefault(step, label.removeprefix("音像记录（").removesuffix("）") if label != f"audio_video_{step}" else step)
    return labels


def evidence_step_label(procedure: str, name: str) -> str:
    """The Chinese name of what an evidence file is filed under in a case of `procedure`: a step,
    a record kind (a scanned 没收财物处理记录, say) or a step with audio-video recording; "" when the
    name is none of these (the caller names it otherwise, never by its code)."""
    spec = procedures_all().get(procedure)
    if spec is not None:
        step = spec.step(name)
        if step is not None:
            return step.label
        label = spec.record_label(name)
        if label != name:
            return label
    return audio_video_steps_labelled().get(name, "") if name else ""


def step_get(procedure: str, action: str) -> Step | None:
    spec = procedures_all().get(procedure)
    return spec.step(action) if spec is not None else None


def steps_of(procedure: str) -> list[Step]:
    return list(procedure_spec(procedure).steps)


# --- one evaluation for every step ------------------------------------------------------------------


def step_state_violation(spec: ProcedureSpec, step: Step, state: str) -> Violation | None:
    """A recording step outside the states it happens in (transitions: the engine says it)."""
    if step.transition or state in step.states:
        return None
    allowed = "、".join(f"“{spec.state_label(s)}”" for s in step.states)
    return Violation(
        "case.wrong_state",
        f"案件当前处于“{spec.state_label(state)}”，不能{step.label}（只能在{allowed}时进行）",
        spec.recording_basis,
        "state",
    )


def step_evaluate(spec: ProcedureSpec, step: Step, draft: Draft, *, state: str, role: str,
                  provided_records: Iterable[str] = (), document_problems: Iterable[Violation] = ()) -> list[Violation]:
    """Every reason the step may not be taken on the case as `draft` holds it after the step's
    `apply`: the role, the state, what `apply` found, what its documents would lack, and for a
    transition the engine's guards and record requirements (with the records the step's
    documents will provide)."""
    violations: list[Violation] = []
    for problem in (step_role_violation(step, role), step_state_violation(spec, step, state)):
        if problem is not None:
            violations.append(problem)
    violations += draft.violations
    violations += document_problems
    if step.transition:
        ready = replace(draft.snapshot, records=frozenset(draft.snapshot.records) | draft.records
                        | frozenset(provided_records))
        violations += evaluate(spec.engine, ready, step.name, context=draft.context)
    return list(dict.fromkeys(violations))


__all__ = [
    "ACT_KINDS",
    "ProcedureSpec",
    "UnknownProcedure",
    "procedure_register",
    "procedure_spec",
    "procedures_all",
    "step_evaluate",
    "step_get",
    "step_state_violation",
    "steps_of",
]
