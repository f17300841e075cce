"""Reads of the inspection pages (part A): registers, plans and draws, scoped to who reads them.
Every page costs a bounded number of queries whatever the register's size (lists are paged)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from sanxiang.accounts.models import AGENCY_ROLES, User
from sanxiang.accounts.permissions import county_lookup, user_reads_all_agencies
from sanxiang.inspection.models import (
    DeclaredRelation,
    InspectionExpert,
    InspectionItem,
    InspectionPlan,
    InspectionTarget,
    PlanState,
    RandomInspection,
)
from sanxiang.inspection.register_permissions import user_keeps_registers, user_reads_inspection
from sanxiang.registry.models import Agency, Officer


def agency_for_reader(*, viewer: User, agency_id: int) -> Agency:
    agency = get_object_or_404(Agency.objects.filter(**county_lookup(viewer, "")), pk=agency_id)
    if not user_reads_inspection(viewer, agency.pk):
        raise PermissionDenied("您不能查看该执法主体的行政检查信息")
    return agency


def item_for_reader(*, viewer: User, item_id: int) -> InspectionItem:
    item = get_object_or_404(InspectionItem.objects.filter(**county_lookup(viewer, "agency")).select_related("agency"),
                             pk=item_id)
    if not user_reads_inspection(viewer, item.agency_id):
        raise PermissionDenied("您不能查看该抽查事项")
    return item


def target_for_reader(*, viewer: User, target_id: int) -> InspectionTarget:
    target = get_object_or_404(
        InspectionTarget.objects.filter(**county_lookup(viewer, "agency")).select_related("agency"), pk=target_id)
    if not user_reads_inspection(viewer, target.agency_id):
        raise PermissionDenied("您不能查看该检查对象")
    return target


def items_of(*, agency: Agency) -> list[InspectionItem]:
    return list(InspectionItem.objects.filter(agency=agency).order_by("-is_active", "code"))


def targets_of(*, agency: Agency, query: str = "") -> QuerySet[InspectionTarget]:
    rows = InspectionTarget.objects.filter(agency=agency)
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(credit_code__icontains=query))
    return rows.order_by("name", "pk")


def relations_of(*, agency: Agency) -> list[DeclaredRelation]:
    return list(DeclaredRelation.objects.filter(target__agency=agency).select_related("officer", "target")
                .order_by("-declared_at")[:200])


def officers_of(*, agency: Agency) -> list[Officer]:
    return list(Officer.objects.filter(agency=agency).order_by("name"))


def experts_of(*, agency: Agency) -> list[InspectionExpert]:
    return list(InspectionExpert.objects.filter(agency=agency).order_by("-is_active", "name"))


def plans_of(*, agency: Agency) -> list[InspectionPlan]:
    return list(InspectionPlan.objects.filter(agency=agency).annotate(draws=Count("random_inspections"))
                .order_by("-year", "-pk")[:100])


@dataclass(frozen=True)
class CountyRow:
    agency: Agency
    items: int
    targets: int
    plans: int


def county_overview(*, viewer: User) -> tuple[list[CountyRow], list[InspectionPlan]]:
    """Each agency of the viewer's county with its figures, and the plans awaiting 备案."""
    agencies = (Agency.objects.filter(**county_lookup(viewer, ""), is_judicial_bureau=False)
                .annotate(n_items=Count("inspection_items", distinct=True),
                          n_targets=Count("inspection_targets", distinct=True),
                          n_plans=Count("inspection_plans", distinct=True)).order_by("name"))
    rows = [CountyRow(a, a.n_items, a.n_targets, a.n_plans) for a in agencies]
    awaiting = list(InspectionPlan.objects.filter(state=PlanState.APPROVED, **county_lookup(viewer, "agency"))
                    .select_related("agency").order_by("filing_due_on", "pk")[:100])
    return rows, awaiting


def reader_agencies_lookup(*, viewer: User, field: str = "agency") -> dict:
    """The filter keeping rows to the agencies whose registers, plans and draws `viewer` reads (the
    rule of `user_reads_inspection`, as a query): the county's for who reads every agency, the
    user's own agency for its roles, none otherwise."""
    if viewer.is_authenticated and user_reads_all_agencies(viewer):
        return county_lookup(viewer, field)
    if viewer.is_authenticated and viewer.role in AGENCY_ROLES and viewer.agency_id is not None:
        return {f"{field}_id": viewer.agency_id}
    return {f"{field}_id": 0}  # no agency has the id 0


def items_for_reader(*, viewer: User) -> QuerySet[InspectionItem]:
    """The 抽查事项 of the agencies whose registers `viewer` reads (the agency page's rule)."""
    return InspectionItem.objects.filter(**reader_agencies_lookup(viewer=viewer))


def plans_for_reader(*, viewer: User) -> QuerySet[InspectionPlan]:
    """The plans `viewer` reads (the plan page's rule, `plan_for_reader`, for a list)."""
    return InspectionPlan.objects.filter(**reader_agencies_lookup(viewer=viewer)).select_related("agency")


def draws_for_reader(*, viewer: User) -> QuerySet[RandomInspection]:
    """The 双随机 tasks `viewer` reads (the task page's rule, `draw_for_reader`, for a list)."""
    return (RandomInspection.objects.filter(**reader_agencies_lookup(viewer=viewer, field="plan__agency"))
            .select_related("plan__agency"))


def plan_for_reader(*, viewer: User, plan_id: int) -> InspectionPlan:
    plan = get_object_or_404(InspectionPlan.objects.filter(**county_lookup(viewer, "agency")).select_related("agency"),
                             pk=plan_id)
    if not user_reads_inspection(viewer, plan.agency_id):
        raise PermissionDenied("您不能查看该检查计划")
    return plan


def draw_for_reader(*, viewer: User, draw_id: int) -> RandomInspection:
    task = get_object_or_404(
        RandomInspection.objects.filter(**county_lookup(viewer, "plan__agency")).select_related("plan__agency"),
        pk=draw_id)
    if not user_reads_inspection(viewer, task.plan.agency_id):
        raise PermissionDenied("您不能查看该抽查任务")
    return task


@dataclass(frozen=True)
class DrawnRow:
    target: InspectionTarget
    officers: list[Officer]
    inspection_id: int = 0


def draw_rows(*, task: RandomInspection) -> list[DrawnRow]:
    inspections = task.inspections.select_related("target").prefetch_related("officers").order_by("pk")
    return [DrawnRow(i.target, list(i.officers.all()), i.pk) for i in inspections]


def targets_for_reader(*, viewer: User, query: str = "") -> QuerySet[InspectionTarget]:
    """The 检查对象 of the agencies whose registers `viewer` reads (the target page's rule), found by
    name or credit code as the page finds them."""
    rows = InspectionTarget.objects.filter(**reader_agencies_lookup(viewer=viewer)).select_related("agency")
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(credit_code__icontains=query))
    return rows


def experts_for_reader(*, viewer: User) -> QuerySet[InspectionExpert]:
    """The expert pools `viewer` reads (the agency page's rule)."""
    return InspectionExpert.objects.filter(**reader_agencies_lookup(viewer=viewer))


def relations_for_keeper(*, viewer: User) -> QuerySet[DeclaredRelation]:
    """The declared relations (回避) the page shows: to who keeps the registers (the agency's head and
    administrator their agency's, a system administrator the county's); none to anyone else."""
    if not viewer.is_authenticated or not user_keeps_registers(viewer, viewer.agency_id or 0):
        return DeclaredRelation.objects.none()
    return (DeclaredRelation.objects.filter(**reader_agencies_lookup(viewer=viewer, field="target__agency"))
            .select_related("officer", "target"))


def officer_of(*, agency: Agency, officer_id: int) -> Officer | None:
    """One officer of the agency (the relation form's choices), or None."""
    return Officer.objects.filter(agency=agency, pk=officer_id).first()
