"""Writes of the annual supervision plan and 执法质效评议 (issue 14, item 5).

Each service checks everything first (every reason at once, `Refused`), then changes its rows and
appends its ledger entry in one transaction; a publication emits its typed public event inside the
same transaction (the public row is written with it, or neither is). Free text is recorded in the
ledger by its digest (it may name people; the ledger is kept for ever)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import permission_require
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.parameters import ParameterMissing
from sanxiang.procedure.supervision.plans import (
    DESK_BASIS,
    EVALUATION_BASIS,
    PLAN_BASIS,
    PLAN_ITEM_KIND_LABELS,
    EvaluationState,
    ItemScore,
    PlanItemKind,
    PlanState,
    approval_violations,
    evaluation_draft_violations,
    evaluation_result,
    grade_bands,
    plan_draft_violations,
    plan_item_matter_source,
    plan_item_matter_violations,
    plan_item_violations,
    plan_publish_violations,
    results_publish_violations,
    score_violations,
    standards_full_marks,
    standards_parse,
)
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.public_events import (
    PublicCriterion,
    PublicEvaluationResult,
    PublicPlanItem,
    SupervisionEvaluationPublished,
    SupervisionEvaluationResultsPublished,
    SupervisionPlanPublished,
    supervision_evaluation_published_emit,
    supervision_evaluation_results_emit,
    supervision_plan_published_emit,
)
from sanxiang.registry.models import Agency, Officer
from sanxiang.supervision.models import (
    Criterion,
    CriterionScore,
    Evaluation,
    EvaluationScore,
    Matter,
    Plan,
    PlanItem,
    PlanItemMatter,
)
from sanxiang.supervision.services import matter_open, supervisors_check


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def _today() -> dt.date:
    return timezone.localdate()


def _is_bureau_supervisor(user: User, bureau_id: int) -> bool:
    return user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id == bureau_id


def _desk_require(actor: User, bureau_id: int | None) -> None:
    permission_require(bureau_id is not None and _is_bureau_supervisor(actor, bureau_id), "只有本局的监督人员可以办理")


def county_agencies(*, bureau: Agency):
    """The enforcement agencies the bureau supervises: those of its county, itself excluded."""
    return Agency.objects.filter(region_code=bureau.region_code, is_judicial_bureau=False).order_by("name", "id")


def _outside(bureau: Agency, agencies: Sequence[Agency]) -> list[Violation]:
    return [Violation("plan.agency_outside", f"{a}不在本局的监督范围内", DESK_BASIS, "agencies")
            for a in agencies if a.region_code != bureau.region_code or a.is_judicial_bureau]


def _persons(*, bureau: Agency) -> tuple[str, ...]:
    """The natural persons the platform knows around the bureau's county (its agencies' officers and
    its supervisors), whom public text never names."""
    names = set(Officer.objects.filter(agency__region_code=bureau.region_code).values_list("name", flat=True))
    names |= {str(u) for u in User.objects.filter(agency=bureau, role=Role.SUPERVISOR)}
    return tuple(sorted(n for n in names if n))


def _plan_event(plan: Plan, event_kind: EventKind, /, **payload: Any) -> LedgerEvent:
    return LedgerEvent(event_kind, {"plan": plan.pk, "year": plan.year, "state": plan.state, **payload}, plan.bureau_id,
                       subject=f"supervision_plan:{plan.pk}")


def _evaluation_event(evaluation: Evaluation, event_kind: EventKind, /, **payload: Any) -> LedgerEvent:
    return LedgerEvent(event_kind, {"evaluation": evaluation.pk, "state": evaluation.state, **payload},
                       evaluation.bureau_id, subject=f"supervision_evaluation:{evaluation.pk}")


# --- the annual plan ------------------------------------------------------------------------------


@transaction.atomic
def plan_draft(*, actor: User, year: int | None, title: str, objectives: str, on: dt.date | None = None) -> Plan:
    """Draft the bureau's supervision work plan for a year (one per year)."""
    bureau = actor.agency if actor.is_authenticated else None
    _desk_require(actor, bureau.pk if bureau else None)
    on = on or _today()
    violations = plan_draft_violations(title=title, year=year, objectives=objectives, today=on)
    if year is not None and Plan.objects.filter(bureau=bureau, year=year).exists():
        violations.append(Violation("plan.year_taken", f"本局{year}年度的监督工作计划已经存在", PLAN_BASIS, "year"))
    if violations:
        raise Refused(violations)
    plan = Plan.objects.create(bureau=bureau, year=year, title=title.strip(), objectives=objectives.strip(),
                               drafted_by=actor, drafted_on=on)
    entry_append(event=_plan_event(plan, EventKind.SUPERVISION_PLAN_DRAFTED, title_sha256=_digest(plan.title),
                                   objectives_sha256=_digest(plan.objectives), on=on.isoformat()), actor=actor)
    return plan


@transaction.atomic
def plan_item_add(
    *, actor: User, plan: Plan, kind: str, subject: str, description: str = "", all_agencies: bool,
    agencies: Sequence[Agency] = (), months: Sequence[int], supervisors: Sequence[User],
) -> PlanItem:
    """Add an item to a draft plan: its kind, subject, the agencies it concerns (or all), the months
    and the supervisors responsible (the bureau's own)."""
    _desk_require(actor, plan.bureau_id)
    plan = Plan.objects.select_for_update().select_related("bureau").get(pk=plan.pk)
    agencies = [] if all_agencies else list(agencies)
    violations = plan_item_violations(plan_state=plan.state, kind=kind, subject=subject, months=months,
                                      all_agencies=all_agencies, agency_count=len(agencies),
                                      supervisor_count=len(supervisors))
    violations += _outside(plan.bureau, agencies)
    violations += [Violation("plan.item_supervisor", f"{u}不是本局的监督人员", DESK_BASIS, "supervisors")
                   for u in supervisors if not _is_bureau_supervisor(u, plan.bureau_id)]
    if violations:
        raise Refused(violations)
    position = (plan.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    item = PlanItem.objects.create(plan=plan, position=position, kind=kind, subject=subject.strip(),
                                   description=description.strip(), all_agencies=all_agencies,
                                   months=sorted(set(int(m) for m in months)))
    item.agencies.set(agencies)
    item.supervisors.set(supervisors)
    entry_append(event=_plan_event(plan, EventKind.SUPERVISION_PLAN_ITEM_ADDED, item=item.pk, position=position,
                                   kind=kind, subject_sha256=_digest(item.subject),
                                   description_sha256=_digest(item.description), all_agencies=all_agencies,
                                   agencies=sorted(a.pk for a in agencies), months=item.months,
                                   supervisors=sorted(u.pk for u in supervisors)), actor=actor)
    return item


@transaction.atomic
def plan_approve(*, actor: User, plan: Plan, on: dt.date | None = None) -> Plan:
    """A supervisor of the bureau other than the drafter approves the plan; from then on matters can
    be opened from its items."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    violations = approval_violations(what="plan", state=plan.state, drafted_by_id=plan.drafted_by_id,
                                     approver_id=actor.pk, approver_may_approve=_is_bureau_supervisor(actor, plan.bureau_id),
                                     empty=not plan.items.exists())
    if violations:
        raise Refused(violations)
    plan.state, plan.approved_by, plan.approved_on = PlanState.APPROVED, actor, on or _today()
    plan.save(update_fields=["state", "approved_by", "approved_on"])
    entry_append(event=_plan_event(plan, EventKind.SUPERVISION_PLAN_APPROVED, on=plan.approved_on.isoformat()),
                 actor=actor)
    return plan


@transaction.atomic
def plan_publish(*, actor: User, plan: Plan, on: dt.date | None = None) -> Plan:
    """Publish the approved plan on the portal (through the public read model, in this transaction)."""
    _desk_require(actor, plan.bureau_id)
    plan = Plan.objects.select_for_update().select_related("bureau").get(pk=plan.pk)
    violations = plan_publish_violations(state=plan.state)
    if violations:
        raise Refused(violations)
    plan.state, plan.published_on = PlanState.PUBLISHED, on or _today()
    plan.save(update_fields=["state", "published_on"])
    entry_append(event=_plan_event(plan, EventKind.SUPERVISION_PLAN_PUBLISHED, on=plan.published_on.isoformat()),
                 actor=actor)
    items = list(plan.items.prefetch_related("agencies").order_by("position"))
    supervision_plan_published_emit(SupervisionPlanPublished(
        plan_id=plan.pk, bureau_name=plan.bureau.name, year=plan.year, title=plan.title, objectives=plan.objectives,
        items=tuple(PublicPlanItem(
            kind_label=PLAN_ITEM_KIND_LABELS[PlanItemKind(i.kind)], subject=i.subject, description=i.description,
            agencies=tuple(sorted(a.name for a in i.agencies.all())), all_agencies=i.all_agencies,
            months=tuple(i.months)) for i in items),
        approved_on=plan.approved_on, published_on=plan.published_on, basis=PLAN_BASIS,
        persons=_persons(bureau=plan.bureau),
    ))
    return plan


@transaction.atomic
def plan_item_matter_open(
    *, actor: User, item: PlanItem, agency: Agency, subject: str = "", summary: str = "", received_on: dt.date | None = None,
) -> Matter:
    """Open the supervision matter that carries out a plan item about one of its agencies (a 重点监督
    item opens a focused matter, the others routine ones), linked to the item."""
    item = PlanItem.objects.select_related("plan__bureau").get(pk=item.pk)
    plan = item.plan
    _desk_require(actor, plan.bureau_id)
    in_item = (agency.region_code == plan.bureau.region_code and not agency.is_judicial_bureau) if item.all_agencies \
        else item.agencies.filter(pk=agency.pk).exists()
    violations = plan_item_matter_violations(plan_state=plan.state, agency_in_item=in_item)
    if violations:
        raise Refused(violations)
    matter = matter_open(bureau=plan.bureau, source=plan_item_matter_source(item.kind),
                         subject=(subject or f"{item.subject}（{agency.name}）")[:200], summary=summary or item.description,
                         received_on=received_on or _today(), agency=agency, actor=actor,
                         origin=f"plan_item:{item.pk}")
    PlanItemMatter.objects.create(item=item, matter=matter)
    entry_append(event=_plan_event(plan, EventKind.SUPERVISION_PLAN_MATTER_LINKED, item=item.pk, matter=matter.pk,
                                   number=matter.number, agency=agency.pk), actor=actor)
    return matter


# --- 执法质效评议 -----------------------------------------------------------------------------------


@transaction.atomic
def evaluation_draft(
    *, actor: User, title: str, scheme: str, process: str, period_start: dt.date | None, period_end: dt.date | None,
    agencies: Sequence[Agency], standards: str, plan_item: PlanItem | None = None, on: dt.date | None = None,
) -> Evaluation:
    """Draft an evaluation: its scheme, process, period, agencies and standards (typed as lines, see
    `procedure.supervision.plans.STANDARDS_HELP`)."""
    bureau = actor.agency if actor.is_authenticated else None
    _desk_require(actor, bureau.pk if bureau else None)
    specs, violations = standards_parse(standards)
    violations = evaluation_draft_violations(title=title, scheme=scheme, process=process, period_start=period_start,
                                             period_end=period_end, agency_count=len(agencies)) + violations
    violations += _outside(bureau, agencies)
    if plan_item is not None and plan_item.plan.bureau_id != bureau.pk:
        violations.append(Violation("evaluation.plan_item", "只能关联本局的计划事项", DESK_BASIS, "plan_item"))
    if violations:
        raise Refused(violations)
    evaluation = Evaluation.objects.create(
        bureau=bureau, title=title.strip(), scheme=scheme.strip(), process=process.strip(), period_start=period_start,
        period_end=period_end, plan_item=plan_item, drafted_by=actor, drafted_on=on or _today(),
    )
    evaluation.agencies.set(agencies)
    rows: list[Criterion] = []
    for position, spec in enumerate(specs, 1):
        rows.append(Criterion.objects.create(
            evaluation=evaluation, parent=rows[spec.parent] if spec.parent is not None else None, position=position,
            level=spec.level, text=spec.text, points=spec.points, veto=spec.veto,
        ))
    entry_append(event=_evaluation_event(
        evaluation, EventKind.SUPERVISION_EVALUATION_DRAFTED, title_sha256=_digest(evaluation.title),
        scheme_sha256=_digest(evaluation.scheme), process_sha256=_digest(evaluation.process),
        standards_sha256=_digest(standards.strip()), full_marks=str(standards_full_marks(specs)),
        period=[period_start.isoformat(), period_end.isoformat()], agencies=sorted(a.pk for a in agencies),
        plan_item=plan_item.pk if plan_item else None,
    ), actor=actor)
    return evaluation


def _criterion_numbers(criteria: Sequence[Criterion]) -> dict[int, str]:
    numbers: dict[int, str] = {}
    counters: dict[int | None, int] = {}
    for c in criteria:
        counters[c.parent_id] = counters.get(c.parent_id, 0) + 1
        prefix = f"{numbers[c.parent_id]}." if c.parent_id else ""
        numbers[c.pk] = f"{prefix}{counters[c.parent_id]}"
    return numbers


def criterion_points(criteria: Sequence[Criterion]) -> dict[int, Decimal]:
    """Each node's points: a rule's own, an indicator's the sum of its rules."""
    points: dict[int, Decimal] = {}
    for c in sorted(criteria, key=lambda c: -c.level):
        own = c.points if c.level == 3 and c.points is not None else Decimal("0")
        points[c.pk] = own + points.get(c.pk, Decimal("0"))
        if c.parent_id:
            points[c.parent_id] = points.get(c.parent_id, Decimal("0")) + points[c.pk]
    return points


def _bands(on: dt.date) -> list[tuple[Decimal, str]]:
    """The grade bands in force on `on`; a refusal with its reason when none is (before the parameter's start)."""
    try:
        return grade_bands(on=on)
    except ParameterMissing as missing:
        raise Refused([missing.violation]) from None


def _points_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


@transaction.atomic
def evaluation_approve(*, actor: User, evaluation: Evaluation, on: dt.date | None = None) -> Evaluation:
    """A supervisor of the bureau other than the drafter approves the scheme and standards; they are
    published on the portal with the process (the regulation requires it), and scoring may begin."""
    evaluation = Evaluation.objects.select_for_update().select_related("bureau").get(pk=evaluation.pk)
    criteria = list(evaluation.criteria.order_by("position"))
    agencies = list(evaluation.agencies.order_by("name", "id"))
    violations = approval_violations(
        what="evaluation", state=evaluation.state, drafted_by_id=evaluation.drafted_by_id, approver_id=actor.pk,
        approver_may_approve=_is_bureau_supervisor(actor, evaluation.bureau_id), empty=not (criteria and agencies),
    )
    if violations:
        raise Refused(violations)
    on = on or _today()
    bands = _bands(on)
    evaluation.state, evaluation.approved_by, evaluation.approved_on = EvaluationState.APPROVED, actor, on
    evaluation.save(update_fields=["state", "approved_by", "approved_on"])
    entry_append(event=_evaluation_event(evaluation, EventKind.SUPERVISION_EVALUATION_APPROVED, on=on.isoformat()),
                 actor=actor)
    numbers, points = _criterion_numbers(criteria), criterion_points(criteria)
    full = sum((c.points for c in criteria if c.level == 3 and c.points is not None), Decimal("0"))
    supervision_evaluation_published_emit(SupervisionEvaluationPublished(
        evaluation_id=evaluation.pk, bureau_name=evaluation.bureau.name, title=evaluation.title,
        scheme=evaluation.scheme, process=evaluation.process, period_start=evaluation.period_start,
        period_end=evaluation.period_end, agencies=tuple(a.name for a in agencies),
        standards=tuple(PublicCriterion(number=numbers[c.pk], level=c.level, text=c.text,
                                        points=_points_text(points[c.pk]), veto=c.veto) for c in criteria),
        full_marks=_points_text(full),
        grade_bands=tuple((_points_text(bound), label) for bound, label in bands),
        published_on=on, basis=EVALUATION_BASIS, persons=_persons(bureau=evaluation.bureau),
    ))
    return evaluation


@transaction.atomic
def evaluation_score(
    *, actor: User, evaluation: Evaluation, agency: Agency, supervisors: Sequence[User],
    scores: Mapping[int, tuple[Decimal | None, bool, str]], comment: str = "", on: dt.date | None = None,
) -> EvaluationScore:
    """Record an agency's score, rule by rule (`scores`: criterion id → (points awarded, 单项否决 found,
    reason)), by at least two supervisors of the bureau with valid certificates, the actor among them.
    Scoring an agency again replaces its earlier score (both are in the ledger)."""
    _desk_require(actor, evaluation.bureau_id)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    on = on or _today()
    rules = list(evaluation.criteria.filter(level=3).order_by("position"))
    items = [ItemScore(criterion_id=c.pk, points=c.points, awarded=scores.get(c.pk, (None, False, ""))[0],
                       veto_allowed=c.veto, veto=scores.get(c.pk, (None, False, ""))[1],
                       reason=scores.get(c.pk, (None, False, ""))[2] or "") for c in rules]
    violations = score_violations(state=evaluation.state,
                                  agency_in_evaluation=evaluation.agencies.filter(pk=agency.pk).exists(),
                                  items=items, criterion_labels={c.pk: c.text for c in rules})
    violations += supervisors_check(users=supervisors, on=on)
    if actor.pk not in {u.pk for u in supervisors}:
        violations.append(Violation("score.actor", "评分人员应包括本人", DESK_BASIS, "supervisors"))
    violations += [Violation("score.supervisor", f"{u}不是本局的监督人员", DESK_BASIS, "supervisors")
                   for u in supervisors if not _is_bureau_supervisor(u, evaluation.bureau_id)]
    if violations:
        raise Refused(violations)
    result = evaluation_result(items=items, bands=_bands(on))
    EvaluationScore.objects.filter(evaluation=evaluation, agency=agency).delete()
    score = EvaluationScore.objects.create(
        evaluation=evaluation, agency=agency, scored_on=on, points_sum=result.points_sum, full_marks=result.full_marks,
        total=result.total, vetoed=result.vetoed, grade=result.grade, comment=comment.strip(),
    )
    score.supervisors.set(supervisors)
    CriterionScore.objects.bulk_create([
        CriterionScore(score=score, criterion_id=i.criterion_id, awarded=i.awarded, veto=i.veto and i.veto_allowed,
                       reason=i.reason.strip()) for i in items
    ])
    entry_append(event=_evaluation_event(
        evaluation, EventKind.SUPERVISION_EVALUATION_SCORED, agency=agency.pk, on=on.isoformat(),
        supervisors=sorted(u.pk for u in supervisors), total=str(result.total), full_marks=str(result.full_marks),
        vetoed=result.vetoed, grade=result.grade,
        items={str(i.criterion_id): [str(i.awarded), i.veto and i.veto_allowed, _digest(i.reason.strip())] for i in items},
        comment_sha256=_digest(score.comment),
    ), actor=actor)
    return score


@transaction.atomic
def evaluation_results_publish(*, actor: User, evaluation: Evaluation, on: dt.date | None = None) -> Evaluation:
    """Publish the results on the portal, once every agency evaluated is scored."""
    _desk_require(actor, evaluation.bureau_id)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    scored = {s.agency_id: s for s in evaluation.scores.select_related("agency")}
    agencies = list(evaluation.agencies.order_by("name", "id"))
    violations = results_publish_violations(state=evaluation.state,
                                            unscored=[a.name for a in agencies if a.pk not in scored])
    if violations:
        raise Refused(violations)
    on = on or _today()
    evaluation.state, evaluation.results_published_on = EvaluationState.PUBLISHED, on
    evaluation.save(update_fields=["state", "results_published_on"])
    ranked = sorted(scored.values(), key=lambda s: (-s.total, s.agency.name))
    entry_append(event=_evaluation_event(evaluation, EventKind.SUPERVISION_EVALUATION_RESULTS_PUBLISHED,
                                         on=on.isoformat(), results={str(s.agency_id): [str(s.total), s.grade]
                                                                     for s in ranked}), actor=actor)
    supervision_evaluation_results_emit(SupervisionEvaluationResultsPublished(
        evaluation_id=evaluation.pk, published_on=on,
        results=tuple(PublicEvaluationResult(agency=s.agency.name, total=_points_text(s.total),
                                             full_marks=_points_text(s.full_marks), grade=s.grade, vetoed=s.vetoed)
                      for s in ranked),
    ))
    return evaluation
