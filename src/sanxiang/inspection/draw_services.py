"""The 双随机 draw of a task: created under an approved plan, committed (the inputs frozen and
hashed, a fresh seed made and only its SHA-256 published in the task notice), then drawn (the seed
revealed, the result and the inspections recorded, the public inputs published for anyone to
repeat with `python -m sanxiang_verify.draw`). Each step appends its ledger entries in its
transaction; a refusal reports every reason and writes nothing."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require
from sanxiang.inspection import events
from sanxiang.inspection.models import (
    DeclaredRelation,
    DrawState,
    Inspection,
    InspectionItem,
    InspectionPlan,
    InspectionSource,
    InspectionState,
    InspectionTarget,
    RandomInspection,
)
from sanxiang.inspection.plan_services import plan_start_require
from sanxiang.inspection.register_permissions import user_runs_draws
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.draw import RANDOM_INSPECTION_BASIS, seed_commitment, seed_new
from sanxiang.procedure.inspection.random_draw import (
    YEARLY_CAP_PARAMETER,
    DrawSpec,
    Exclusion,
    OfficerCandidate,
    Stratum,
    TargetCandidate,
    draw_execute,
    draw_prepare,
    draw_problems,
    draw_ratios,
    team_size,
)
from sanxiang.procedure.inspection.registers import officer_pool_problems
from sanxiang.procedure.parameters import ParameterMissing, ParameterSet, parameters_default
from sanxiang.procedure.registry_rules import certificate_is_valid_on
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.public_events import (
    InspectionNoticePublished,
    PublicDrawnTarget,
    inspection_notice_published_emit,
)
from sanxiang.registry.models import Officer

DRAW_REFUSED = "只有本机关负责人或者单位管理员可以组织双随机抽取"
POOL_REASONS = {
    "officer.inactive": "不在岗",
    "officer.staffing_type": "人员身份不能从事行政执法",
    "officer.no_valid_certificate": "抽取日没有检查事项所属领域的有效执法证",
}
# Inspections outside the yearly cap (counted, but they do not use it up): part B's parameter
# `inspection.triggers_outside_cap` when present, else these.
OUTSIDE_CAP_PARAMETER = "inspection.triggers_outside_cap"
OUTSIDE_CAP = (InspectionSource.COMPLAINT, InspectionSource.REFERRAL, InspectionSource.FOLLOW_UP,
               InspectionSource.REQUESTED)


def _outside_cap(parameters: ParameterSet, *, on: dt.date, region: str) -> list[str]:
    if OUTSIDE_CAP_PARAMETER in parameters:
        try:
            return [str(source) for source in parameters.value(OUTSIDE_CAP_PARAMETER, on=on, region=region)]
        except ParameterMissing:
            pass
    return [str(source) for source in OUTSIDE_CAP]


@transaction.atomic
def draw_create(
    *, actor: User | None, plan: InspectionPlan, title: str, items: list[InspectionItem], period_from: dt.date,
    period_to: dt.date, draw_on: dt.date,
) -> RandomInspection:
    if actor is not None:
        permission_require(user_runs_draws(actor, plan.agency_id), DRAW_REFUSED)
    violations: list[Violation] = []
    try:
        plan_start_require(plan=plan, on=draw_on)
    except Refused as refused:
        violations += refused.violations
    plan_items = set(plan.items.values_list("pk", flat=True))
    if not items:
        violations.append(Violation("inspection.draw.items", "请选择抽查事项", RANDOM_INSPECTION_BASIS, "items"))
    elif any(item.pk not in plan_items for item in items):
        violations.append(Violation("inspection.draw.items_outside", "抽查事项须是检查计划列明的事项",
                                    RANDOM_INSPECTION_BASIS, "items"))
    if not title.strip():
        violations.append(Violation("inspection.draw.title", "请填写任务名称", FORM_BASIS, "title"))
    if period_to < period_from:
        violations.append(Violation("inspection.draw.period", "检查期间的截止日期不能早于起始日期", FORM_BASIS,
                                    "period_to"))
    elif not (plan.starts_on <= period_from and period_to <= plan.ends_on):
        violations.append(Violation("inspection.draw.period_outside", "检查期间须在计划的实施期间内", FORM_BASIS,
                                    "period_to"))
    if violations:
        raise Refused(violations)
    task = RandomInspection.objects.create(plan=plan, title=title.strip(), period_from=period_from,
                                           period_to=period_to, draw_on=draw_on, created_by=actor)
    task.items.set(items)
    entry_append(event=events.draw_created_event(task=task, item_codes=[i.code for i in items]), actor=actor)
    return task


def _yearly_cap(parameters: ParameterSet, *, on: dt.date, region: str, sector: str) -> int | None:
    if YEARLY_CAP_PARAMETER not in parameters:
        return None
    try:
        return int(parameters.value(YEARLY_CAP_PARAMETER, on=on, region=region, sector=sector))
    except ParameterMissing:
        return None


def draw_candidates(
    *, task: RandomInspection, parameters: ParameterSet | None = None
) -> tuple[list[TargetCandidate], list[OfficerCandidate], dict[str, int], dict[str, int]]:
    """The targets and officers as the draw sees them on the task's draw day, and the maps from
    their public keys (credit code, certificate number) to their rows. A bounded number of queries."""
    parameters = parameters or parameters_default()
    agency = task.plan.agency
    items = list(task.items.all())
    fields = [i.enforcement_field for i in items if i.enforcement_field]
    targets = list(InspectionTarget.objects.filter(agency=agency, is_active=True))
    already = set(
        Inspection.objects.filter(agency=agency, items__in=items, planned_from__lte=task.period_to,
                                  planned_to__gte=task.period_from)
        .exclude(state=InspectionState.CANCELLED).values_list("target_id", flat=True)
    )
    year = task.draw_on.year
    counts = dict(
        Inspection.objects.filter(agency=agency, planned_from__year=year)
        .exclude(state=InspectionState.CANCELLED)
        .exclude(source__in=_outside_cap(parameters, on=task.draw_on, region=agency.region_code))
        .values("target_id").annotate(n=Count("pk")).values_list("target_id", "n")
    )
    target_candidates = [
        TargetCandidate(key=t.credit_code, risk_grade=t.risk_grade, credit_grade=t.credit_grade,
                        already_inspected=t.pk in already, inspections_this_year=counts.get(t.pk, 0),
                        yearly_cap=_yearly_cap(parameters, on=task.draw_on, region=agency.region_code, sector=t.sector))
        for t in targets
    ]
    code_of_target = {t.pk: t.credit_code for t in targets}
    recused: dict[int, set[str]] = {}
    for officer_id, target_id in DeclaredRelation.objects.filter(
        officer__agency=agency, target__in=targets
    ).values_list("officer_id", "target_id"):
        recused.setdefault(officer_id, set()).add(code_of_target[target_id])
    officer_candidates, officer_of_key = [], {}
    for officer in Officer.objects.filter(agency=agency).prefetch_related("certificates"):
        snapshot = officer.snapshot()
        if not snapshot.certificates:
            continue  # not an enforcement officer: never in the pool
        valid = sorted(c.number for c in snapshot.certificates
                       if all(certificate_is_valid_on(c, task.draw_on, enforcement_field=f) for f in fields or [""]))
        key = valid[0] if valid else max(snapshot.certificates, key=lambda c: c.valid_to).number
        problems = officer_pool_problems(snapshot, on=task.draw_on, fields=fields, region=agency.region_code,
                                         parameters=parameters)
        # Published with the inputs: the reason by its kind, never the officer's name.
        reasons = tuple(dict.fromkeys(POOL_REASONS.get(p.code, "不具备检查资格") for p in problems))
        officer_candidates.append(OfficerCandidate(key=key, problems=reasons,
                                                   recused=frozenset(recused.get(officer.pk, ()))))
        officer_of_key[key] = officer.pk
    return target_candidates, officer_candidates, {t.credit_code: t.pk for t in targets}, officer_of_key


def _context(task: RandomInspection) -> str:
    return f"双随机抽查任务 {task.plan.agency.credit_code}/{task.plan.year}/{task.pk}"


def _spec_dump(spec: DrawSpec, *, commitment: str) -> dict:
    """The frozen inputs, without the seed (what the commitment binds)."""
    return {
        "algorithm": "sanxiang-draw/1",
        "context": spec.context,
        "seed_commitment": commitment,
        "team_size": spec.team_size,
        "ratios_percent": spec.ratios_percent,
        "strata": [{"name": s.name, "risk_grade": s.risk_grade, "credit_grade": s.credit_grade,
                    "population": list(s.population), "k": s.k, "ratio_percent": s.ratio_percent} for s in spec.strata],
        "pool": list(spec.pool),
        "recusals": {officer: sorted(targets) for officer, targets in sorted(spec.recusals.items())},
        "exclusions": [e.as_dict() for e in spec.exclusions],
    }


def _spec_load(data: dict) -> DrawSpec:
    return DrawSpec(
        context=data["context"],
        strata=tuple(Stratum(s["name"], s["risk_grade"], s["credit_grade"], tuple(s["population"]), s["k"],
                             s["ratio_percent"]) for s in data["strata"]),
        pool=tuple(data["pool"]),
        recusals={officer: frozenset(targets) for officer, targets in data["recusals"].items()},
        team_size=data["team_size"],
        exclusions=tuple(Exclusion(e["kind"], e["subject"], e["reason"], e["legal_basis"], e["target"])
                         for e in data["exclusions"]),
        ratios_percent=data["ratios_percent"],
    )


def _notice(task: RandomInspection, *, at: dt.datetime,
            drawn: tuple[PublicDrawnTarget, ...] = ()) -> InspectionNoticePublished:
    plan = task.plan
    items = "；".join(i.name for i in task.items.order_by("code"))
    body = "\n".join([
        f"{plan.agency.name}依据{plan.title}组织双随机抽查：{task.title}",
        f"抽查事项：{items}",
        f"检查期间：{task.period_from.isoformat()}至{task.period_to.isoformat()}",
        f"抽取日：{task.draw_on.isoformat()}",
        f"随机种子摘要（SHA-256，抽取前公布）：{task.seed_commitment}",
    ])
    return InspectionNoticePublished(
        key=f"task:{task.pk}", kind="task", agency_id=plan.agency_id, agency_name=plan.agency.name, year=plan.year,
        title=f"{task.title}任务公告", body=body, published_at=at, seed_commitment=task.seed_commitment,
        seed=task.seed if task.state == DrawState.DRAWN else "",
        public_inputs=json.dumps(task.public_inputs, ensure_ascii=False, sort_keys=True, indent=1)
        if task.state == DrawState.DRAWN else "",
        drawn=drawn,
    )


@transaction.atomic
def draw_commit(*, actor: User | None, task: RandomInspection, parameters: ParameterSet | None = None,
                seed: str | None = None, now: dt.datetime | None = None) -> RandomInspection:
    """Freeze the inputs (targets by grade, the officer pool, the exclusions), make the seed and
    publish its SHA-256 with the task notice. The seed stays unpublished until the draw. `seed`:
    the demo's, derived from its fixed seed so that the demo county is the same on every load
    (committed and published like any other); otherwise a fresh one from the operating system.
    `now`: when the commitment was published, for the demo's year of draws (like `seed`, only the
    demo's loader passes one)."""
    parameters = parameters or parameters_default()
    if seed is not None and not re.fullmatch(r"[0-9a-f]{64}", seed):
        # A seed chosen by a person would defeat the commitment: no page or API passes one; only the
        # demo's loader does, derived from its fixed seed, of the form seed_new gives.
        raise ValueError("a given seed must be 64 lowercase hex digits, as seed_new makes")
    task = RandomInspection.objects.select_for_update().select_related("plan__agency").get(pk=task.pk)
    if actor is not None:
        permission_require(user_runs_draws(actor, task.plan.agency_id), DRAW_REFUSED)
    if task.state != DrawState.PREPARED:
        raise Refused([Violation("inspection.draw.committed", "本任务的随机种子摘要已经公布", RANDOM_INSPECTION_BASIS)])
    violations: list[Violation] = []
    try:
        plan_start_require(plan=task.plan, on=task.draw_on)
    except Refused as refused:
        violations += refused.violations
    targets, officers, target_ids, officer_ids = draw_candidates(task=task, parameters=parameters)
    region = task.plan.agency.region_code
    cap_basis = parameters[YEARLY_CAP_PARAMETER].reference if YEARLY_CAP_PARAMETER in parameters else ""
    spec, problems = draw_prepare(
        context=_context(task), targets=targets, officers=officers,
        ratios_percent=draw_ratios(on=task.draw_on, region=region, parameters=parameters),
        team_size=team_size(on=task.draw_on, region=region, parameters=parameters), cap_basis=cap_basis,
    )
    violations += problems
    if violations or spec is None:
        raise Refused(violations)
    task.seed = seed or seed_new()
    task.seed_commitment = seed_commitment(task.seed)
    task.public_inputs = _spec_dump(spec, commitment=task.seed_commitment)
    task.exclusions = task.public_inputs["exclusions"]
    # Internal: the rows behind the public keys, as they were when the inputs were frozen.
    task.result = {"target_ids": target_ids, "officer_ids": officer_ids}
    task.state, task.committed_at = DrawState.COMMITTED, now or timezone.now()
    task.save()
    entry_append(event=events.draw_committed_event(task=task), actor=actor)
    entry_append(event=events.draw_inputs_event(task=task, inputs_without_seed=task.public_inputs,
                                                exclusions=task.exclusions), actor=actor)
    inspection_notice_published_emit(_notice(task, at=task.committed_at))
    return task


@transaction.atomic
def draw_run(*, actor: User | None, task: RandomInspection, now: dt.datetime | None = None) -> RandomInspection:
    """Draw from the frozen inputs with the committed seed; record the inspections; publish the
    seed, the public inputs and the result. `now` as for `draw_commit`, never before the commitment
    was published (the seed is revealed after its hash)."""
    task = RandomInspection.objects.select_for_update().select_related("plan__agency").get(pk=task.pk)
    if actor is not None:
        permission_require(user_runs_draws(actor, task.plan.agency_id), DRAW_REFUSED)
    violations = draw_problems(state=task.state, commitment=task.seed_commitment, seed=task.seed)
    if violations:
        raise Refused(violations)
    if now is not None and task.committed_at is not None and now <= task.committed_at:
        raise ValueError("a draw cannot be dated before its commitment was published")
    spec = _spec_load(task.public_inputs)
    outcome, violations = draw_execute(spec, seed=task.seed)
    if violations or outcome is None:
        raise Refused(violations)
    public_inputs = outcome.public_inputs | {"pool": list(spec.pool),
                                             "recusals": task.public_inputs["recusals"]}
    target_rows = InspectionTarget.objects.in_bulk([task.result["target_ids"][key] for key, _ in outcome.teams])
    officer_ids = task.result["officer_ids"]
    items = list(task.items.all())
    drawn = []
    for target_key, team in outcome.teams:
        inspection = Inspection.objects.create(
            agency=task.plan.agency, target=target_rows[task.result["target_ids"][target_key]], source=InspectionSource.RANDOM, plan=task.plan,
            random_inspection=task, planned_from=task.period_from, planned_to=task.period_to,
        )
        inspection.items.set(items)
        inspection.officers.set([officer_ids[key] for key in team])
        drawn.append(PublicDrawnTarget(name=inspection.target.name, credit_code=target_key, officers=team))
    task.public_inputs = public_inputs
    task.result = task.result | {"teams": [{"target": target, "officers": list(team)} for target, team in outcome.teams]}
    task.state, task.drawn_at = DrawState.DRAWN, now or timezone.now()
    task.save()
    entry_append(event=events.draw_result_event(task=task), actor=actor)
    inspection_notice_published_emit(_notice(task, at=task.drawn_at, drawn=tuple(drawn)))
    return task
