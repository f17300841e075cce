"""Inspection plans: drafted by the agency, approved by its head (a special inspection with the
recorded approval of the competent authority), filed with the 司法局 (备案), published (抽查计划公告).
Each step appends its ledger entry in its transaction; a refusal reports every reason."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require
from sanxiang.inspection import events
from sanxiang.inspection.models import InspectionItem, InspectionPlan, PlanKind, PlanState
from sanxiang.inspection.register_permissions import (
    user_drafts_plans,
    user_is_head_of,
    user_records_filing,
)
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.inspection.plans import (
    PlanSnapshot,
    plan_approve_problems,
    plan_file_problems,
    plan_filing_due,
    plan_publish_problems,
    plan_start_problems,
    plan_validate,
)
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.public_events import InspectionNoticePublished, inspection_notice_published_emit
from sanxiang.registry.models import Agency


def plan_snapshot(plan: InspectionPlan, *, item_count: int | None = None) -> PlanSnapshot:
    return PlanSnapshot(
        kind=plan.kind, state=plan.state, year=plan.year, starts_on=plan.starts_on, ends_on=plan.ends_on,
        item_count=plan.items.count() if item_count is None else item_count, scope=plan.scope,
        frequency=plan.frequency, approval_authority=plan.approval_authority,
        approval_reference=plan.approval_reference, filing_reference=plan.filing_reference,
    )


def _codes(plan: InspectionPlan) -> list[str]:
    return list(plan.items.values_list("code", flat=True))


def _step(plan: InspectionPlan, step: str, actor: User | None) -> None:
    entry_append(event=events.plan_step_event(plan=plan, step=step, item_codes=_codes(plan)), actor=actor)


@transaction.atomic
def plan_draft(
    *, actor: User | None, agency: Agency, kind: str, year: int, title: str, items: list[InspectionItem],
    scope: str, frequency: str, starts_on: dt.date, ends_on: dt.date, approval_authority: str = "",
    approval_reference: str = "",
) -> InspectionPlan:
    if actor is not None:
        permission_require(user_drafts_plans(actor, agency.pk), "只有本机关人员可以起草检查计划")
    plan = InspectionPlan(agency=agency, kind=kind, year=year, title=title.strip(), scope=scope.strip(),
                          frequency=frequency.strip(), starts_on=starts_on, ends_on=ends_on,
                          approval_authority=approval_authority.strip(), approval_reference=approval_reference.strip(),
                          drafted_by=actor)
    violations = plan_validate(plan_snapshot(plan, item_count=len(items)))
    if not plan.title:
        violations.append(Violation("inspection.plan.title", "请填写计划名称", FORM_BASIS, "title"))
    if any(item.agency_id != agency.pk or not item.is_active for item in items):
        violations.append(Violation("inspection.plan.foreign_item", "只能列入本机关抽查事项清单中的有效事项",
                                    FORM_BASIS, "items"))
    if violations:
        raise Refused(violations)
    plan.filing_due_on = plan_filing_due(year=year, kind=kind, starts_on=starts_on)
    plan.save()
    plan.items.set(items)
    _step(plan, "drafted", actor)
    return plan


def _moment(now: dt.datetime | None, *, after: dt.datetime | None) -> dt.datetime:
    """When a step happens: now, or the moment the demo's year gives (never before the plan's
    previous step: a plan is approved, then filed, then published)."""
    if now is None:
        return timezone.now()
    if after is not None and now < after:
        raise ValueError("a plan's step cannot be dated before its previous step")
    return now


def _locked(plan: InspectionPlan) -> InspectionPlan:
    return InspectionPlan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def plan_approve(*, actor: User, plan: InspectionPlan, approval_authority: str = "",
                 approval_reference: str = "", now: dt.datetime | None = None) -> InspectionPlan:
    """The head approves; a special inspection also records who approved it and the document.
    `now`: when it happened, for the demo's year (`_moment`); no page or API passes one."""
    plan = _locked(plan)
    if approval_authority.strip():
        plan.approval_authority = approval_authority.strip()
    if approval_reference.strip():
        plan.approval_reference = approval_reference.strip()
    violations = plan_approve_problems(plan_snapshot(plan), actor_is_head=user_is_head_of(actor, plan.agency_id))
    if violations:
        raise Refused(violations)
    plan.state, plan.approved_by, plan.approved_at = PlanState.APPROVED, actor, _moment(now, after=None)
    if plan.kind == PlanKind.ANNUAL and not plan.approval_authority:
        plan.approval_authority = plan.agency.name
    plan.save()
    _step(plan, "approved", actor)
    return plan


@transaction.atomic
def plan_file(*, actor: User | None, plan: InspectionPlan, filing_reference: str, filed_with: str = "",
              now: dt.datetime | None = None) -> InspectionPlan:
    """The 司法局 records the 备案 of an approved plan (`now` as for `plan_approve`)."""
    if actor is not None:
        permission_require(user_records_filing(actor, plan.agency_id), "检查计划的备案由司法局监督人员登记")
    plan = _locked(plan)
    plan.filing_reference = filing_reference.strip()
    violations = plan_file_problems(plan_snapshot(plan))
    if violations:
        raise Refused(violations)
    plan.state, plan.filed_at = PlanState.FILED, _moment(now, after=plan.approved_at)
    plan.filed_with = filed_with.strip() or (actor.agency.name if actor is not None and actor.agency_id else "司法局")
    plan.save()
    _step(plan, "filed", actor)
    return plan


def plan_notice_text(plan: InspectionPlan) -> str:
    items = "；".join(f"{i.name}（依据：{i.legal_basis}）" for i in plan.items.order_by("code"))
    lines = [
        f"{plan.agency.name}{plan.get_kind_display()}：{plan.title}",
        f"检查事项：{items}",
        f"检查对象范围：{plan.scope}",
        f"检查频次：{plan.frequency}",
        f"实施期间：{plan.starts_on.isoformat()}至{plan.ends_on.isoformat()}",
        f"批准：{plan.approval_authority}{('（' + plan.approval_reference + '）') if plan.approval_reference else ''}",
        f"备案：{plan.filed_with}（{plan.filing_reference}）",
    ]
    return "\n".join(lines)


@transaction.atomic
def plan_publish(*, actor: User, plan: InspectionPlan, now: dt.datetime | None = None) -> InspectionPlan:
    """The head publishes the filed plan: the 抽查计划公告 on the portal (`now` as for `plan_approve`)."""
    permission_require(user_is_head_of(actor, plan.agency_id), "只有本机关负责人可以公布检查计划")
    plan = _locked(plan)
    violations = plan_publish_problems(plan_snapshot(plan))
    if violations:
        raise Refused(violations)
    plan.state, plan.published_at = PlanState.PUBLISHED, _moment(now, after=plan.filed_at)
    plan.notice = plan_notice_text(plan)
    plan.save()
    _step(plan, "published", actor)
    inspection_notice_published_emit(InspectionNoticePublished(
        key=f"plan:{plan.pk}", kind="plan", agency_id=plan.agency_id, agency_name=plan.agency.name, year=plan.year,
        title=f"{plan.title}抽查计划公告", body=plan.notice, published_at=plan.published_at,
    ))
    return plan


def plan_start_require(*, plan: InspectionPlan, on: dt.date) -> None:
    """Refuse (with every reason) to start inspections under the plan on `on`: for part B's
    special inspections, and for the draw."""
    violations = plan_start_problems(plan_snapshot(plan), on=on)
    if violations:
        raise Refused(violations)
