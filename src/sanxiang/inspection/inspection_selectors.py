"""Reads of carrying out an inspection (issue 17, part B): the engine's snapshot of an inspection,
the officer's inspections of the day, the public page of a 检查码, and the high-frequency alerts
the supervision desk raises. A page costs a bounded number of queries whatever the number of
inspections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import county_lookup, user_reads_all_agencies
from sanxiang.evidence.models import EvidenceKind, EvidenceRecord
from sanxiang.evidence.selectors import INSPECTION_STEP_PREFIX
from sanxiang.inspection.models import (
    Inspection,
    InspectionItem,
    InspectionSource,
    InspectionState,
    InspectionTarget,
    PlanKind,
)
from sanxiang.inspection.register_permissions import user_reads_inspection
from sanxiang.procedure.inspection import rules as r
from sanxiang.procedure.parameters import ParameterSet, parameters_default
from sanxiang.procedure.registry_rules import certificate_is_valid_on
from sanxiang.registry.models import Certificate, Officer, OfficerStatus

# The facts part B keeps in `Inspection.facts` (its own keys; nothing else reads them).
APPROVAL, OFFSITE, RECORD, RESULT, RECORDS = "approval", "offsite", "record", "result", "records"
EMERGENCY = "emergency"
JOINED = "joined"  # 综合查一次: [{"body_id", "body_name", "head_name", "decided_on", "approved"}]
CASES = "cases"  # the penalty cases opened on the violation found: [{"body_id", "case_id"}], one per body
ACTIVE_STATES = (InspectionState.APPROVED, InspectionState.IN_PROGRESS, InspectionState.RECORDED)


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def facts_load(facts: dict[str, Any]) -> dict[str, Any]:
    """The typed facts of `Inspection.facts` (dates as strings in the JSON)."""
    loaded: dict[str, Any] = {"approval": None, "offsite": None, "record": None, "result": None, "emergency": None,
                              "joined": tuple((j["body_id"], r.HeadApproval(j["head_name"], _day(j["decided_on"]),
                                                                            j["approved"]))
                                              for j in facts.get(JOINED, ())),
                              "joined_names": tuple((j["body_id"], j["body_name"]) for j in facts.get(JOINED, ()))}
    if (e := facts.get(EMERGENCY)) is not None:
        loaded["emergency"] = r.EmergencyStart(_day(e["on"]), e["reason"], e.get("officer_name", ""))
    if (a := facts.get(APPROVAL)) is not None:
        loaded["approval"] = r.HeadApproval(a["head_name"], _day(a["decided_on"]), a["approved"], a.get("reason", ""))
    if (o := facts.get(OFFSITE)) is not None:
        loaded["offsite"] = r.OffsiteCheck(_day(o["on"]), o["method"], o["sufficient"], o.get("findings", ""))
    if (c := facts.get(RECORD)) is not None:
        loaded["record"] = r.InspectionRecord(
            on=_day(c["on"]), officer_ids=tuple(c["officer_ids"]), certificates_shown=c["certificates_shown"],
            checklist=tuple(r.ChecklistEntry(e["item_id"], e["point"], e["finding"], e.get("note", ""))
                            for e in c["checklist"]),
            photos=c.get("photos", 0), audio_video=c.get("audio_video", 0),
            enterprise_signed=c.get("enterprise_signed", False), refusal_noted=c.get("refusal_noted", False),
            needs_testing=c.get("needs_testing", False),
        )
    if (s := facts.get(RESULT)) is not None:
        loaded["result"] = r.ResultNotice(_day(s["sent_on"]), s["outcome"], s.get("findings", ""),
                                          _day(s.get("test_results_on")), _day(s.get("rectification_due")))
    return loaded


def inspection_kind(inspection: Inspection) -> str:
    if inspection.source == InspectionSource.SPECIAL or (inspection.plan_id and inspection.plan.kind == PlanKind.SPECIAL):
        return "special"
    if inspection.source in (InspectionSource.COMPLAINT, InspectionSource.REFERRAL, InspectionSource.FOLLOW_UP):
        return "case"
    return "routine"


def inspection_load(*, pk: int) -> Inspection:
    """One inspection with what its snapshot and its pages read (a fixed number of queries)."""
    return (
        Inspection.objects.select_related("agency", "target", "plan")
        .prefetch_related(
            "items", "joint_agencies",
            Prefetch("officers", queryset=Officer.objects.order_by("pk").prefetch_related(
                Prefetch("certificates", queryset=Certificate.objects.order_by("pk")))),
        )
        .get(pk=pk)
    )


# --- Who sees which inspection (the pages' and the API's one rule) ---------------------------------


def inspection_reads_only(user: User) -> bool:
    """The 司法局's supervisors (and system administrators) read every inspection of their county
    and change none (`user_reads_inspection` decides the county)."""
    return user_reads_all_agencies(user)


def inspections_visible(*, viewer: User) -> QuerySet[Inspection]:
    """The inspections the detail page opens to `viewer`, as a query (the rule of
    `inspection_may_see`): the county's for who reads every agency, the agency's own and joined
    ones for its head and administrator, those an officer was sent on. (The head of a body that
    may still join a visit reads that one page to decide; a list leaves it out: it is not yet the
    body's inspection.)"""
    rows = Inspection.objects.select_related("agency", "target")
    if not viewer.is_authenticated:
        return rows.none()
    if inspection_reads_only(viewer):
        return rows.filter(**county_lookup(viewer))
    if viewer.agency_id is None:
        return rows.none()
    if viewer.role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN):
        joined = Inspection.joint_agencies.through.objects.filter(agency_id=viewer.agency_id).values("inspection_id")
        return rows.filter(Q(agency_id=viewer.agency_id) | Q(pk__in=joined))
    if viewer.officer_id is None:
        return rows.none()
    sent = Inspection.officers.through.objects.filter(officer_id=viewer.officer_id).values("inspection_id")
    return rows.filter(pk__in=sent)


def inspection_may_see(*, viewer: User, inspection: Inspection) -> bool:
    """Whether `viewer` reads this inspection's page (its county is checked by
    `inspection_for_viewer`): a reader of the county; the agency's head and administrator, of the
    organising body or one that joined; an officer sent on it; the head of a body that may join
    the visit (综合查一次), to decide."""
    if inspection_reads_only(viewer):
        return True
    if viewer.agency_id is None:
        return False
    if viewer.agency_id != inspection.agency_id and not any(a.pk == viewer.agency_id
                                                            for a in inspection.joint_agencies.all()):
        return viewer.role == Role.AGENCY_HEAD and inspection_joinable_by(
            inspection, agency_id=viewer.agency_id, region_code=viewer.agency.region_code)
    if viewer.role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN):
        return True
    return viewer.officer_id is not None and any(o.pk == viewer.officer_id for o in inspection.officers.all())


def inspection_for_viewer(*, viewer: User, inspection_id: int) -> Inspection:
    """One inspection for its page (`inspection_load`): Http404 when there is none or it is another
    county's to a reader of the county; PermissionDenied when `viewer` may not see it."""
    try:
        inspection = inspection_load(pk=inspection_id)
    except Inspection.DoesNotExist as missing:
        raise Http404("没有这次检查") from missing
    if inspection_reads_only(viewer) and not user_reads_inspection(viewer, inspection.agency_id):
        raise Http404("没有这次检查")  # another county's inspection is absent to its readers
    if not inspection_may_see(viewer=viewer, inspection=inspection):
        raise PermissionDenied("只有派出的检查人员和本单位负责人可以查看这次检查")
    return inspection


def inspection_for_actor(*, actor: User, inspection_id: int) -> Inspection:
    """The inspection for a step or an upload: as `inspection_for_viewer`, and a reader of the
    county is refused (PermissionDenied; the services decide the step itself again)."""
    inspection = inspection_for_viewer(viewer=actor, inspection_id=inspection_id)
    if inspection_reads_only(actor):
        raise PermissionDenied("司法局监督人员可以查看检查，不能办理检查")
    return inspection


def results_pending_ids(*, agency_id: int | None, inspection_ids: list[int]) -> set[int]:
    """Which of `inspection_ids` are results the agency still has to publish (`results_to_publish`)."""
    if agency_id is None:
        return set()
    return set(results_to_publish(agency_id=agency_id).filter(pk__in=inspection_ids).values_list("pk", flat=True))


def prior_inspections(inspection: Inspection) -> tuple[r.PriorInspection, ...]:
    """The other inspections of the same enterprise (by its credit code, whichever register holds
    it) approved or carried out: what the cap counts. One merely assigned, awaiting the head's
    approval, is no inspection yet (it would block the approval of the very ones it competes
    with); one cancelled never was."""
    others = (
        Inspection.objects.filter(target__credit_code=inspection.target.credit_code)
        .exclude(pk=inspection.pk).exclude(state__in=(InspectionState.CANCELLED, InspectionState.ASSIGNED))
    )
    rows = list(others.values_list("pk", "agency_id", "started_on", "planned_from", "source"))
    # 综合查一次: a visit counts for every body that took part (one more query, whatever the number).
    joint: dict[int, list[int]] = {}
    for pk, agency_id in Inspection.joint_agencies.through.objects.filter(
            inspection_id__in=others.values("pk")).values_list("inspection_id", "agency_id"):
        joint.setdefault(pk, []).append(agency_id)
    return tuple(r.PriorInspection(pk, body, started or planned, source)
                 for pk, agency_id, started, planned, source in rows for body in (agency_id, *joint.get(pk, ())))


def inspection_snapshot(inspection: Inspection, *, facts: dict[str, Any] | None = None) -> r.InspectionSnapshot:
    facts = inspection.facts if facts is None else facts
    loaded = facts_load(facts)
    items = tuple(
        r.ItemRef(i.pk, i.name, i.legal_basis, i.agency_id, offsite_possible=i.offsite_first,
                  enforcement_field=i.enforcement_field)
        for i in inspection.items.all()
    )
    fields = {i.enforcement_field for i in inspection.items.all() if i.enforcement_field}
    joined_ids = tuple(body for body, _ in loaded["joined"])
    special_filed_on = None
    if inspection.plan_id and inspection.plan.filed_at is not None:
        special_filed_on = inspection.plan.filed_at.date()
    return r.InspectionSnapshot(
        state=inspection.state,
        records=frozenset(facts.get(RECORDS, ())),
        kind=inspection_kind(inspection),
        trigger=inspection.source,
        planned_on=inspection.planned_from,
        planned_to=inspection.planned_to,
        target_id=inspection.target_id,
        body_ids=(inspection.agency_id, *joined_ids),
        items=items,
        officers=tuple(o.snapshot() for o in inspection.officers.all()),
        enforcement_field=next(iter(sorted(fields)), "") if len(fields) == 1 else "",
        region=inspection.agency.region_code,
        sector=inspection_sector(target_sector=inspection.target.sector,
                                 agency_fields=inspection.agency.enforcement_fields),
        approval=loaded["approval"],
        special_filed_on=special_filed_on,
        offsite=loaded["offsite"],
        record=loaded["record"],
        result=loaded["result"],
        prior=prior_inspections(inspection),
        body_names=((inspection.agency_id, inspection.agency.name), *loaded["joined_names"]),
        emergency=loaded["emergency"],
        officer_bodies=tuple((o.pk, o.agency_id) for o in inspection.officers.all()),
        joined=loaded["joined"],
        cases=inspection_cases(inspection, facts=facts),
    )


def inspection_cases(inspection: Inspection, *, facts: dict[str, Any] | None = None) -> tuple[tuple[int, int], ...]:
    """The penalty cases opened on the visit's violation, (body, case) each; an inspection closed
    before the cases were kept per body has the organiser's case only (`penalty_case`)."""
    facts = inspection.facts if facts is None else facts
    if CASES in facts:
        return tuple((c["body_id"], c["case_id"]) for c in facts[CASES])
    if inspection.penalty_case_id is not None:
        return ((inspection.agency_id, inspection.penalty_case_id),)
    return ()


def _inspection_evidence(inspection: Inspection):
    """The visit's evidence filed by any body taking part (综合查一次: a joined body's officer files
    under that body): one query, the joined bodies read as a subquery."""
    bodies = Q(agency_id=inspection.agency_id) | Q(
        agency_id__in=Inspection.joint_agencies.through.objects.filter(inspection_id=inspection.pk).values("agency_id"))
    return EvidenceRecord.objects.filter(bodies, step=inspection_evidence_step(inspection))


def inspection_photos(inspection: Inspection) -> list[EvidenceRecord]:
    return list(
        _inspection_evidence(inspection).select_related("stored_file", "agency").order_by("pk")
    )


def inspection_evidence_step(inspection: Inspection) -> str:
    """The step under which the photos of the visit are filed in the evidence app (no case yet)."""
    return f"{INSPECTION_STEP_PREFIX}{inspection.pk}"


def inspection_media_counts(inspection: Inspection) -> tuple[int, int]:
    kinds = list(_inspection_evidence(inspection).values_list("kind", flat=True))
    photos = sum(1 for k in kinds if k == EvidenceKind.PHOTO)
    return photos, sum(1 for k in kinds if k in (EvidenceKind.AUDIO, EvidenceKind.VIDEO))


def inspections_of_the_day(*, officer_id: int, on: dt.date) -> list[Inspection]:
    """The officer's inspections to carry out or finish on `on` (planned around it, not closed)."""
    return list(
        Inspection.objects.filter(officers__pk=officer_id, state__in=ACTIVE_STATES)
        .filter(Q(planned_from__lte=on, planned_to__gte=on) | Q(state__in=(InspectionState.IN_PROGRESS,
                                                                           InspectionState.RECORDED)))
        .select_related("target", "agency").order_by("planned_from", "pk").distinct()
    )


def results_to_publish(*, agency_id: int):
    """The agency's closed 双随机 inspections whose result is not yet published, the earliest due
    first (a queryset: the service locks it, the page lists it)."""
    return (Inspection.objects.filter(agency_id=agency_id, source=InspectionSource.RANDOM, state=InspectionState.CLOSED,
                                      published_on=None)
            .select_related("agency", "target").prefetch_related("items").order_by("publish_due", "pk"))


def results_publication_overdue(*, on: dt.date):
    """The closed 双随机 inspections of every agency whose result (结果公告) is still unpublished
    after its due day (`publish_due`, computed when the result was told: 20 working days by
    default, `inspection.random_results_publication_working_days`): one query, whatever their number."""
    return (Inspection.objects.filter(source=InspectionSource.RANDOM, state=InspectionState.CLOSED, published_on=None,
                                      publish_due__lt=on)
            .select_related("target", "agency")
            .only("pk", "agency_id", "publish_due", "result_sent_on", "target__name", "agency__region_code")
            .order_by("publish_due", "pk"))


def inspections_to_approve(*, agency_id: int) -> list[Inspection]:
    return list(Inspection.objects.filter(agency_id=agency_id, state=InspectionState.ASSIGNED)
                .select_related("target").order_by("planned_from", "pk"))


def emergencies_to_approve(*, agency_id: int) -> list[Inspection]:
    """The agency's inspections begun in an emergency whose approval is still to be obtained (事后补办),
    the earliest due first."""
    return list(Inspection.objects.filter(agency_id=agency_id, emergency_started_on__isnull=False,
                                          emergency_decided_on=None).exclude(state=InspectionState.CANCELLED)
                .select_related("target").order_by("emergency_approval_due", "pk"))


def inspections_awaiting_approval(*, officer_id: int, on: dt.date) -> list[Inspection]:
    """The officer's inspections planned around `on` still awaiting the head's approval (in an
    emergency the officer may begin them first)."""
    return list(Inspection.objects.filter(officers__pk=officer_id, state=InspectionState.ASSIGNED,
                                          planned_from__lte=on, planned_to__gte=on)
                .select_related("target").order_by("planned_from", "pk").distinct())


JOINABLE_STATES = (InspectionState.ASSIGNED, InspectionState.APPROVED)
# An inspection on a complaint or a referral is not offered to other bodies: it would reveal that
# someone complained of the enterprise (the rule itself: `r.joint_source_open`).
PRIVATE_SOURCES = tuple(s for s in (InspectionSource.COMPLAINT, InspectionSource.REFERRAL)
                        if not r.joint_source_open(s))


def inspections_joinable(*, agency_id: int, region_code: str, on: dt.date) -> list[Inspection]:
    """Other bodies' inspections not yet begun, in the same county, of an enterprise in this agency's
    own register (by credit code), still to come: the visits the agency may join (综合查一次). One
    query."""
    own = InspectionTarget.objects.filter(agency_id=agency_id, is_active=True).values("credit_code")
    return list(Inspection.objects.filter(state__in=JOINABLE_STATES, planned_to__gte=on, agency__region_code=region_code,
                                          target__credit_code__in=own)
                .exclude(agency_id=agency_id).exclude(source__in=PRIVATE_SOURCES).exclude(joint_agencies__pk=agency_id)
                .select_related("agency", "target").order_by("planned_from", "pk").distinct())


def inspection_joinable_by(inspection: Inspection, *, agency_id: int, region_code: str,
                           on: dt.date | None = None) -> bool:
    """Whether the agency may join this visit (the rule of `inspections_joinable`, for one)."""
    on = on or timezone.localdate()
    if inspection.agency_id == agency_id or inspection.state not in JOINABLE_STATES:
        return False
    if inspection.planned_to < on or inspection.source in PRIVATE_SOURCES:
        return False
    if inspection.agency.region_code != region_code or any(a.pk == agency_id for a in inspection.joint_agencies.all()):
        return False
    return InspectionTarget.objects.filter(agency_id=agency_id, is_active=True,
                                           credit_code=inspection.target.credit_code).exists()


def agency_items_active(*, agency_id: int) -> list[InspectionItem]:
    return list(InspectionItem.objects.filter(agency_id=agency_id, is_active=True).order_by("code", "pk"))


def agency_officers(*, agency_id: int) -> list[Officer]:
    return list(Officer.objects.filter(agency_id=agency_id, status=OfficerStatus.ACTIVE).order_by("name", "pk"))


def emergency_approvals_overdue(*, on: dt.date):
    """Inspections begun in an emergency whose approval was not obtained by its due day, and those
    whose head refused it afterwards, of every agency: one query."""
    return (Inspection.objects.exclude(state=InspectionState.CANCELLED).filter(emergency_started_on__isnull=False)
            .filter(Q(emergency_decided_on=None, emergency_approval_due__lt=on) | Q(emergency_refused=True))
            .select_related("target", "agency")
            .only("pk", "agency_id", "emergency_started_on", "emergency_approval_due", "emergency_decided_on",
                  "emergency_refused", "target__name", "agency__region_code")
            .order_by("emergency_approval_due", "pk"))


@dataclass(frozen=True)
class PublicOfficer:
    name: str
    certificate_number: str


@dataclass(frozen=True)
class PublicItem:
    name: str
    legal_basis: str


@dataclass(frozen=True)
class InspectionCodePage:
    """What the enterprise reads when it scans the 检查码: the inspecting body, the officers with
    their certificate numbers (to check on the certificate's own page), the items and their basis,
    the period the code is valid for, and whether it still is. Nothing about anyone else."""

    code: str
    agency_id: int  # the registry's number, as the portal's complaint form lists the agencies
    agency_name: str
    target_name: str
    officers: tuple[PublicOfficer, ...]
    items: tuple[PublicItem, ...]
    valid_from: dt.date
    valid_to: dt.date
    state_label: str
    valid: bool
    source_label: str
    basis: str
    emergency_pending: bool = False  # begun in an emergency, the approval still to be obtained (事后补办)
    emergency_refused: bool = False  # begun in an emergency, the head refused to ratify it: the code is void


def inspection_by_code(*, code: str) -> Inspection | None:
    """The inspection a 检查码 names (with its body and enterprise), for a complaint about it."""
    code = code.strip().upper()
    if not code:
        return None
    return Inspection.objects.filter(code=code).select_related("agency", "target").first()


def inspection_code_page(*, code: str, on: dt.date) -> InspectionCodePage | None:
    inspection = (
        Inspection.objects.filter(code=code).select_related("agency", "target")
        .prefetch_related("items", "joint_agencies", Prefetch("officers", queryset=Officer.objects.order_by("pk").prefetch_related(
            Prefetch("certificates", queryset=Certificate.objects.order_by("-valid_to")))))
        .first()
    )
    if inspection is None:
        return None
    officers = []
    for officer in inspection.officers.all():
        valid = [c for c in officer.certificates.all() if certificate_is_valid_on(c.snapshot(), on)]
        officers.append(PublicOfficer(officer.name, valid[0].number if valid else "（无有效执法证）"))
    active = inspection.state in ACTIVE_STATES
    return InspectionCodePage(
        code=code,
        agency_id=inspection.agency_id,
        agency_name="、".join([inspection.agency.name, *(a.name for a in inspection.joint_agencies.all())]),
        target_name=inspection.target.name,
        officers=tuple(officers),
        items=tuple(PublicItem(i.name, i.legal_basis) for i in inspection.items.all()),
        valid_from=inspection.planned_from,
        valid_to=inspection.planned_to,
        state_label=inspection.get_state_display(),
        valid=active and not inspection.emergency_refused and inspection.planned_from <= on <= inspection.planned_to,
        source_label=inspection.get_source_display(),
        basis=r.CERTIFICATES_SHOWN_BASIS,
        emergency_pending=inspection.emergency_started_on is not None and inspection.emergency_decided_on is None,
        emergency_refused=inspection.emergency_started_on is not None and inspection.emergency_refused,
    )


@dataclass(frozen=True)
class InspectionFrequency:
    credit_code: str
    target_name: str
    agency_id: int  # the body of the latest inspection: the matter goes to its county's bureau
    latest_inspection_id: int  # the inspection that reached the threshold
    alert: r.FrequencyAlert


def inspection_sector(*, target_sector: str, agency_fields: str) -> str:
    """The sector a parameter is looked up under: the enterprise's as its register holds it, else
    the inspecting body's fields (as the snapshot reads it)."""
    return target_sector or agency_fields


def inspection_frequency_alerts(*, on: dt.date, parameters: ParameterSet | None = None) -> list[InspectionFrequency]:
    """Enterprises inspected at the alert's frequency or more within its window ending `on`,
    every body and source counted (a platform rule for the supervision desk), each under the
    threshold of the regions and sectors of the bodies that inspected it (the strictest): one
    query over the longest window in force, whatever the number of enterprises."""
    parameters = parameters or parameters_default()
    days = r.frequency_window_longest(on=on, parameters=parameters)
    start = on - dt.timedelta(days=days - 1)
    rows = (
        Inspection.objects.exclude(state=InspectionState.CANCELLED).exclude(started_on=None)
        .filter(started_on__gte=start, started_on__lte=on)
        .values_list("pk", "agency_id", "started_on", "source", "target__credit_code", "target__name",
                     "agency__region_code", "target__sector", "agency__enforcement_fields")
        .order_by("started_on", "pk")
    )
    by_enterprise: dict[str, list[tuple]] = {}
    for row in rows:
        by_enterprise.setdefault(row[4], []).append(row)
    found = []
    for credit_code, visits in sorted(by_enterprise.items()):
        alert = r.frequency_alert_strictest(
            target_id=visits[-1][0],  # the register rows differ per body; the enterprise is its credit code
            inspections=[r.PriorInspection(v[0], v[1], v[2], v[3]) for v in visits],
            scopes=[(v[6], inspection_sector(target_sector=v[7], agency_fields=v[8])) for v in visits],
            on=on, parameters=parameters,
        )
        if alert is not None:
            found.append(InspectionFrequency(credit_code, visits[-1][5], visits[-1][1], visits[-1][0], alert))
    return found
