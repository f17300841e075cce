"""Reads of the annual supervision plan and 执法质效评议 (issue 14, item 5). The bureau's supervisors
see their bureau's plans and evaluations, a system administrator all of them; agencies read what is
published on the portal. Each page costs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.http import Http404

from sanxiang.accounts.models import Role, User
from sanxiang.procedure.supervision.matters import FINAL_STATES
from sanxiang.procedure.supervision.plans import (
    LEVEL_LABELS,
    ItemProgress,
    months_text,
)
from sanxiang.registry.models import Agency
from sanxiang.supervision.instrument_selectors import user_is_supervisor
from sanxiang.supervision.models import (
    Criterion,
    CriterionScore,
    Evaluation,
    EvaluationScore,
    Matter,
    Plan,
    PlanItem,
)
from sanxiang.supervision.plan_services import criterion_points

PAGE_SIZE = 30


def user_may_read(user: User) -> bool:
    return user_is_supervisor(user) or (user.is_authenticated and user.role == Role.SYSTEM_ADMIN)


def plans_visible(*, user: User) -> QuerySet[Plan]:
    rows = Plan.objects.select_related("bureau", "drafted_by", "approved_by")
    if user_is_supervisor(user):
        return rows.filter(bureau_id=user.agency_id)
    if user.is_authenticated and user.role == Role.SYSTEM_ADMIN:
        return rows
    return rows.none()


def plan_get(*, user: User, plan_id: int) -> Plan:
    plan = plans_visible(user=user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404("没有这个监督工作计划，或者无权查看")
    return plan


@dataclass(frozen=True)
class PlanItemRow:
    item: PlanItem
    kind_label: str
    agencies_text: str
    months_text: str
    supervisors_text: str
    progress: ItemProgress
    matters: list[Matter]
    agencies: list[Agency]  # whom a matter may be opened about


def plan_item_rows(*, plan: Plan) -> list[PlanItemRow]:
    """The plan's items with their progress counted from the matters that carry them out. Four
    queries whatever the number of items and matters (items, agencies, supervisors, matters), plus
    one for the county's agencies when an item concerns them all."""
    items = list(plan.items.prefetch_related("agencies", "supervisors").order_by("position"))
    matters: dict[int, list[Matter]] = {}
    for matter in (Matter.objects.filter(plan_link__item__plan=plan).select_related("agency", "plan_link")
                   .order_by("received_on", "id")):
        matters.setdefault(matter.plan_link.item_id, []).append(matter)
    county: list[Agency] | None = None
    rows = []
    for item in items:
        carried = matters.get(item.pk, [])
        if item.all_agencies:
            if county is None:
                county = list(Agency.objects.filter(region_code=plan.bureau.region_code, is_judicial_bureau=False)
                              .order_by("name", "id"))
            agencies = county
        else:
            agencies = sorted(item.agencies.all(), key=lambda a: (a.name, a.pk))
        rows.append(PlanItemRow(
            item=item, kind_label=item.get_kind_display(),
            agencies_text="全部执法机关" if item.all_agencies else "、".join(a.name for a in agencies),
            months_text=months_text(item.months),
            supervisors_text="、".join(str(u) for u in item.supervisors.all()),
            progress=ItemProgress(opened=len(carried), closed=sum(1 for m in carried if m.state in FINAL_STATES)),
            matters=carried, agencies=agencies,
        ))
    return rows


def plan_document_context(*, plan: Plan):
    """What the plan's PDF prints (the items as the plan page shows them, without the progress)."""
    from sanxiang.documents.supervision_plans import PlanContext, PlanItemLine
    from sanxiang.procedure.supervision.plans import PLAN_BASIS

    return PlanContext(
        bureau=plan.bureau.name, title=plan.title, objectives=plan.objectives, basis=PLAN_BASIS,
        dated=plan.approved_on or plan.drafted_on,
        items=tuple(PlanItemLine(kind=r.kind_label, subject=r.item.subject, description=r.item.description,
                                 agencies=r.agencies_text, months=r.months_text, supervisors=r.supervisors_text)
                    for r in plan_item_rows(plan=plan)),
    )


def plan_rows(*, user: User, page: int = 1) -> tuple[list[Plan], bool]:
    rows = plans_visible(user=user).annotate(item_count=Count("items", distinct=True)).order_by("-year", "-id")
    start = (max(page, 1) - 1) * PAGE_SIZE
    chunk = list(rows[start:start + PAGE_SIZE + 1])
    return chunk[:PAGE_SIZE], len(chunk) > PAGE_SIZE


def plan_item_get(*, plan: Plan, item_id: int) -> PlanItem:
    item = plan.items.filter(pk=item_id).first()
    if item is None:
        raise Http404("没有这个计划事项")
    return item


def plan_items_for_evaluation(*, user: User) -> QuerySet[PlanItem]:
    """The bureau's plan items an evaluation may belong to (评议 items of approved plans)."""
    if not user_is_supervisor(user):
        return PlanItem.objects.none()
    return (PlanItem.objects.filter(plan__bureau_id=user.agency_id, kind="evaluation")
            .exclude(plan__state="draft").select_related("plan").order_by("-plan__year", "position"))


# --- evaluations ---------------------------------------------------------------------------------


def evaluations_visible(*, user: User) -> QuerySet[Evaluation]:
    rows = Evaluation.objects.select_related("bureau", "drafted_by", "approved_by")
    if user_is_supervisor(user):
        return rows.filter(bureau_id=user.agency_id)
    if user.is_authenticated and user.role == Role.SYSTEM_ADMIN:
        return rows
    return rows.none()


def evaluation_get(*, user: User, evaluation_id: int) -> Evaluation:
    evaluation = evaluations_visible(user=user).filter(pk=evaluation_id).first()
    if evaluation is None:
        raise Http404("没有这次评议，或者无权查看")
    return evaluation


def evaluation_rows(*, user: User, page: int = 1) -> tuple[list[Evaluation], bool]:
    rows = evaluations_visible(user=user).annotate(
        agency_count=Count("agencies", distinct=True), scored_count=Count("scores", distinct=True),
    ).order_by("-drafted_on", "-id")
    start = (max(page, 1) - 1) * PAGE_SIZE
    chunk = list(rows[start:start + PAGE_SIZE + 1])
    return chunk[:PAGE_SIZE], len(chunk) > PAGE_SIZE


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    number: str
    level_label: str
    points: Decimal


def criterion_rows(*, evaluation: Evaluation) -> list[CriterionRow]:
    """The standards in order with their numbers (1, 1.2, 1.2.3) and points (an indicator's is the
    sum of its rules). One query."""
    criteria = list(evaluation.criteria.order_by("position"))
    points = criterion_points(criteria)
    numbers: dict[int, str] = {}
    counters: dict[int | None, int] = {}
    rows = []
    for c in criteria:
        counters[c.parent_id] = counters.get(c.parent_id, 0) + 1
        numbers[c.pk] = (f"{numbers[c.parent_id]}." if c.parent_id else "") + str(counters[c.parent_id])
        rows.append(CriterionRow(criterion=c, number=numbers[c.pk], level_label=LEVEL_LABELS[c.level],
                                 points=points[c.pk]))
    return rows


@dataclass(frozen=True)
class AgencyScoreRow:
    agency: Agency
    score: EvaluationScore | None


def evaluation_agency_rows(*, evaluation: Evaluation) -> list[AgencyScoreRow]:
    """Each agency evaluated with its score (None until scored). Two queries."""
    scores = {s.agency_id: s for s in evaluation.scores.all()}
    return [AgencyScoreRow(agency=a, score=scores.get(a.pk)) for a in evaluation.agencies.order_by("name", "id")]


def evaluation_agency_get(*, evaluation: Evaluation, agency_id: int) -> Agency:
    agency = evaluation.agencies.filter(pk=agency_id).first()
    if agency is None:
        raise Http404("该机关不是本次评议的参评机关")
    return agency


def evaluation_score_items(*, evaluation: Evaluation, agency: Agency) -> dict[int, CriterionScore]:
    """The agency's recorded score per rule (empty before it is scored)."""
    return {i.criterion_id: i for i in CriterionScore.objects.filter(score__evaluation=evaluation, score__agency=agency)}


def evaluation_score_get(*, evaluation: Evaluation, agency: Agency) -> EvaluationScore | None:
    return evaluation.scores.filter(agency=agency).prefetch_related("supervisors").first()


def evaluations_unscored_count(*, evaluation: Evaluation) -> int:
    return evaluation.agencies.exclude(
        pk__in=EvaluationScore.objects.filter(evaluation=evaluation).values("agency_id")).count()

