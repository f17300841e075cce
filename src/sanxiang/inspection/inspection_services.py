"""Writes of carrying out an inspection (issue 17, part B). Each step runs through the engine
(`procedure.inspection`): the step's form is applied to the snapshot, every violation is reported
at once (`Refused`), and only then are the new state, the facts and the step's ledger entry
written, in one transaction. What follows a result is written in the same transaction: a
violation found opens a penalty case (the cases app's service) with the visit's photos carried
over; a rectification order schedules the follow-up inspection (整改复查)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import asdict, replace
from typing import Any, BinaryIO

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.cases.models import Case
from sanxiang.cases.selectors import guard_context
from sanxiang.cases.services import case_create, case_create_with_new_party
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check, evidence_records_attach
from sanxiang.inspection import inspection_selectors as sel
from sanxiang.inspection.models import (
    Inspection,
    InspectionItem,
    InspectionSource,
    InspectionState,
    InspectionTarget,
)
from sanxiang.inspection.register_permissions import user_is_head_of
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.engine import GuardContext, evaluate
from sanxiang.procedure.inspection import rules as r
from sanxiang.procedure.inspection.procedures import INSPECTION
from sanxiang.procedure.inspection.steps import inspection_step
from sanxiang.procedure.steps import Draft, step_role_violation
from sanxiang.procedure.violations import PLATFORM_PREFIX, Refused, Violation
from sanxiang.public_events import InspectionResultPublished, inspection_result_published_emit
from sanxiang.registry.models import Certificate, Officer, Party, PartyKind
from sanxiang.registry.permissions import permission_require

ASSIGNED_ONLY = f"{PLATFORM_PREFIX}：检查由派出的检查人员实施；负责人可办理本单位的检查"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def facts_dump(snapshot: r.InspectionSnapshot, facts: dict[str, Any]) -> dict[str, Any]:
    """The facts of `snapshot` written back into the inspection's JSON (other keys kept)."""
    dumped = dict(facts)
    for key, value in ((sel.APPROVAL, snapshot.approval), (sel.OFFSITE, snapshot.offsite),
                       (sel.RECORD, snapshot.record), (sel.RESULT, snapshot.result),
                       (sel.EMERGENCY, snapshot.emergency)):
        if value is not None:
            dumped[key] = _json(asdict(value))
    dumped[sel.RECORDS] = sorted(snapshot.records)
    return dumped


def code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def _actor_may(actor: User, inspection: Inspection, action: str = "") -> None:
    if action == "inspection_join":
        # Another body's head joins the visit (综合查一次); the rules of joining are the engine's.
        permission_require(actor.is_authenticated and actor.role == Role.AGENCY_HEAD and actor.agency_id is not None
                           and actor.agency_id != inspection.agency_id,
                           "只有其他检查主体的负责人可以将本单位的检查事项并入本次检查")
        return
    joined = any(a.pk == actor.agency_id for a in inspection.joint_agencies.all())
    if joined and action == "inspection_case_open" and actor.role == Role.AGENCY_HEAD:
        return  # a joined body's head opens its own case (the engine checks it is that body's matter)
    if joined and actor.role == Role.OFFICER:
        permission_require(actor.officer_id is not None and any(o.pk == actor.officer_id for o in inspection.officers.all()),
                           "只有派出的检查人员或者本单位负责人可以办理本次检查")
        return
    permission_require(
        actor.is_authenticated and actor.agency_id == inspection.agency_id
        and (actor.role == Role.AGENCY_HEAD
             or (actor.role == Role.OFFICER and actor.officer_id is not None
                 and any(o.pk == actor.officer_id for o in inspection.officers.all()))),
        "只有派出的检查人员或者本单位负责人可以办理本次检查",
    )


def _ledger_payload(action: str, data: dict[str, Any], before: str, after: str) -> dict[str, Any]:
    """The step as the ledger keeps it: choices, dates, numbers and flags in clear; free text by
    its digest (it may name people)."""
    payload: dict[str, Any] = {"action": action, "from": before, "to": after}
    for key, value in data.items():
        if key in ("findings", "reason", "note"):
            payload[f"{key}_sha256"] = _digest(str(value or ""))
        elif key == "checklist":
            payload["checklist"] = [{"item_id": int(e["item_id"]), "finding": e.get("finding", ""),
                                     "point_sha256": _digest(str(e.get("point", "")))} for e in value or ()]
        else:
            payload[key] = _json(value)
    return payload


def inspection_act(
    *, actor: User, inspection_id: int, action: str, data: dict[str, Any], context: GuardContext | None = None,
) -> Inspection:
    """Take `action` on the inspection with the form's parsed `data`; raises `Refused` with every
    reason (nothing written) or PermissionDenied."""
    context = context or guard_context()
    step = inspection_step(action)
    with transaction.atomic():
        Inspection.objects.select_for_update().filter(pk=inspection_id).first()
        inspection = sel.inspection_load(pk=inspection_id)
        _actor_may(actor, inspection, action)
        # The cap counts the enterprise's other inspections: two approvals of the same enterprise
        # at once would each miss the other. Its register rows (one per body) are locked, so that
        # they count one after the other.
        list(InspectionTarget.objects.select_for_update().filter(credit_code=inspection.target.credit_code)
             .values_list("pk", flat=True))
        before = inspection.state
        snapshot = sel.inspection_snapshot(inspection)
        if action == "inspection_record":
            photos, audio_video = sel.inspection_media_counts(inspection)
            data = {**data, "photos": photos, "audio_video": audio_video}
        joining: tuple[list[InspectionItem], list[Officer]] | None = None
        if action == "inspection_join":
            joining, data = _joining(actor=actor, inspection=inspection, data=data)
        if action == "inspection_case_open":
            data = {"body_id": actor.agency_id}
        draft = Draft(snapshot=snapshot, details={}, context=context, actor_name=actor.get_full_name() or actor.username,
                      actor_role=actor.role)
        violations: list[Violation] = []
        role_problem = step_role_violation(step, actor.role)
        if role_problem is not None:
            violations.append(role_problem)
        if step.apply is not None:
            step.apply(draft, data)
        after = replace(draft.snapshot, records=draft.snapshot.records | frozenset(draft.records))
        violations += draft.violations
        if actor.role == Role.OFFICER:
            outcome = after.result.outcome if after.result is not None else ""
            violations += r.joined_officer_problems(snapshot, step=action, actor_body_id=actor.agency_id,
                                                    outcome=outcome)
        if joining is not None:
            violations += joining_problems(actor=actor, inspection=inspection, joining=joining, data=data)
        if step.transition:
            violations += evaluate(INSPECTION, after, step.name, context=context)
            target = INSPECTION.transition(step.name).target
        else:
            target = before
            if before not in step.states:
                violations.append(Violation("inspection.wrong_state",
                                            f"检查当前为“{INSPECTION.state_label(before)}”，不能{step.label}",
                                            r.RECORD_BASIS, "state"))
        violations = list(dict.fromkeys(violations))
        if violations:
            raise Refused(violations)
        inspection.state = target
        inspection.facts = facts_dump(after, inspection.facts)
        if action == "inspection_decline":
            inspection.facts = {**inspection.facts, "declined": {
                "head_name": draft.actor_name, "on": context.today.isoformat(), "reason": str(data.get("reason") or "")}}
        issue_code = action in ("inspection_approve", "inspection_start_emergency") and not inspection.code
        if issue_code:
            inspection.code = code_new()
        if action == "inspection_start":
            inspection.started_on = context.today
        if action == "inspection_start_emergency":
            inspection.started_on = inspection.emergency_started_on = context.today
            inspection.emergency_approval_due = r.emergency_approval_due(
                started_on=context.today, region=after.region, parameters=context.parameters)[0]
        if action == "inspection_approve_after" and after.approval is not None:
            inspection.emergency_decided_on = after.approval.decided_on
            inspection.emergency_refused = not after.approval.approved
        if after.record is not None and action == "inspection_record":
            inspection.started_on = after.record.on
        if action == "inspection_conclude_offsite" and after.offsite is not None:
            inspection.started_on = inspection.started_on or after.offsite.on
        if action == "inspection_send_result" and after.result is not None:
            inspection.result_outcome = after.result.outcome
            inspection.result_sent_on = after.result.sent_on
            inspection.finished_on = after.result.sent_on
            inspection.counts_in_statistics = r.counts_in_statistics(replace(after, state=target))
            if r.results_published(inspection.source):
                inspection.publish_due = r.publication_due(
                    ended_on=after.result.sent_on, calendar=context.calendar, region=after.region,
                    parameters=context.parameters)[0]
        if joining is not None:
            items, officers = joining
            inspection.joint_agencies.add(actor.agency_id)
            inspection.items.add(*items)
            inspection.officers.add(*officers)
            inspection.facts = {**inspection.facts, sel.JOINED: [*inspection.facts.get(sel.JOINED, []), {
                "body_id": actor.agency_id, "body_name": data["body_name"], "head_name": draft.actor_name,
                "decided_on": context.today.isoformat(), "approved": True}]}
            data = {"body_id": actor.agency_id, "item_ids": [i.pk for i in items], "officer_ids": [o.pk for o in officers]}
        inspection.save()
        entry_append(
            event=LedgerEvent(EventKind.INSPECTION_STEP, _ledger_payload(action, data, before, target),
                              agency_id=inspection.agency_id, subject=f"inspection:{inspection.pk}"),
            actor=actor,
        )
        if issue_code:
            entry_append(event=LedgerEvent(EventKind.INSPECTION_CODE_ISSUED, {"code_sha256": _digest(inspection.code)},
                                           agency_id=inspection.agency_id, subject=f"inspection:{inspection.pk}"),
                         actor=actor)
        if action == "inspection_case_open":
            _penalty_case_open(actor=actor, inspection=inspection, on=context.today)
        if action == "inspection_send_result" and after.result is not None:
            # Never after a refused ratification (the step is refused then; kept here as the last word).
            # The case is the sender's body's, on its own matter (行政处罚法 as `r.case_open_problems`
            # cites it); the other bodies whose items failed open theirs with `inspection_case_open`.
            if after.result.outcome == "violation" and not inspection.emergency_refused:
                if actor.agency_id in r.bodies_competent(after):
                    _penalty_case_open(actor=actor, inspection=inspection, on=context.today)
            elif after.result.outcome == "rectify":
                _follow_up_schedule(actor=actor, inspection=inspection, due=after.result.rectification_due)
    return inspection


def _joining(*, actor: User, inspection: Inspection, data: dict[str, Any]
             ) -> tuple[tuple[list[InspectionItem], list[Officer]], dict[str, Any]]:
    """The joining body's items and officers the head chose (only its own, active ones), and the
    step's data as the engine reads it."""
    item_ids = [int(i) for i in data.get("item_ids") or ()]
    officer_ids = [int(i) for i in data.get("officer_ids") or ()]
    items = list(InspectionItem.objects.filter(pk__in=item_ids, agency_id=actor.agency_id, is_active=True)
                 .order_by("pk"))
    officers = list(Officer.objects.filter(pk__in=officer_ids, agency_id=actor.agency_id).order_by("pk")
                    .prefetch_related(Prefetch("certificates", queryset=Certificate.objects.order_by("pk"))))
    agency = actor.agency
    engine_data = {
        "body_id": actor.agency_id, "body_name": agency.name,
        "items": tuple(r.ItemRef(i.pk, i.name, i.legal_basis, i.agency_id, offsite_possible=i.offsite_first,
                                 enforcement_field=i.enforcement_field) for i in items),
        "officers": tuple(o.snapshot() for o in officers),
        "asked_items": len(set(item_ids)), "asked_officers": len(set(officer_ids)),
    }
    return (items, officers), engine_data


def joining_problems(*, actor: User, inspection: Inspection, joining: tuple[list[InspectionItem], list[Officer]],
                     data: dict[str, Any]) -> list[Violation]:
    """What the engine cannot see of a join: the bodies are of one county (a platform rule), and
    every item and officer chosen is the joining body's own."""
    problems = []
    if actor.agency.region_code != inspection.agency.region_code:
        problems.append(Violation("inspection.joint.county", "只能参加本县（旗、区）检查主体组织的综合查一次",
                                  r.JOINT_SAME_COUNTY_BASIS, "joined"))
    items, officers = joining
    if len(items) != data["asked_items"]:
        problems.append(Violation("inspection.joint.items", "检查事项选择不正确，请在本单位有效的抽查事项中选择",
                                  r.LISTED_ITEMS_BASIS, "items"))
    if len(officers) != data["asked_officers"]:
        problems.append(Violation("inspection.joint.officers", "检查人员选择不正确，请在本单位的执法人员中选择",
                                  r.COMBINED_VISIT_BASIS, "officers"))
    return problems


def inspection_photo_add(*, actor: User, inspection_id: int, source: BinaryIO, original_name: str,
                         captured_at: dt.datetime | None = None) -> EvidenceRecord:
    """A photo of the visit, filed through the evidence app (its own ledger entry) under the
    inspection's key; the record counts it."""
    inspection = sel.inspection_load(pk=inspection_id)
    _actor_may(actor, inspection)
    if inspection.state not in (InspectionState.APPROVED, InspectionState.IN_PROGRESS):
        raise Refused([Violation("inspection.photo.state", "只能在检查中上传现场照片", r.RECORD_BASIS, "photo")])
    meta = evidence_metadata_check(actor=actor, kind="photo", original_name=original_name,
                                   step=sel.inspection_evidence_step(inspection), captured_at=captured_at)
    return evidence_ingest(actor=actor, source=source, meta=meta)


def _penalty_case_open(*, actor: User, inspection: Inspection, on: dt.date) -> Case:
    """A violation found: a penalty case (案源登记) of the actor's body (the organiser, or a body
    that joined the visit, on its own matter), the enterprise as party, that body's officers of the
    visit, the photos its officers filed carried over as the case's evidence; the case is linked to
    the inspection (its facts and a ledger entry)."""
    body = actor.agency
    target = inspection.target
    party = Party.objects.filter(agency_id=body.pk, credit_code=target.credit_code).first()
    record = sel.facts_load(inspection.facts)["record"]
    # The body's own case, with its own officers and field (综合查一次: each body opens its own).
    failed = {e.item_id for e in record.checklist if e.finding == "fail"} if record else set()
    own_items = [i for i in inspection.items.all() if i.agency_id == body.pk]
    fields = {i.enforcement_field for i in ([i for i in own_items if i.pk in failed] or own_items)
              if i.enforcement_field}
    case_fields: dict[str, Any] = dict(
        actor=actor, agency=body, title=f"{target.name}涉嫌违法（行政检查发现）",
        officers=[o for o in inspection.officers.all() if o.agency_id == body.pk],
        enforcement_field=next(iter(sorted(fields)), ""),
        discovered_on=record.on if record else on, on=on,
    )
    if party is not None:
        case = case_create(party=party, **case_fields)
    else:
        case = case_create_with_new_party(party_fields={
            "kind": PartyKind.LEGAL_PERSON, "name": target.name, "credit_code": target.credit_code,
            "legal_representative": target.legal_representative, "address": target.address,
        }, **case_fields)
    # The body's case takes the photos its officers filed (another body's stay under that body).
    photos = [p for p in sel.inspection_photos(inspection) if p.agency_id == body.pk]
    evidence_records_attach(actor=actor, records=photos, case=case)
    cases = [*({"body_id": b, "case_id": c} for b, c in sel.inspection_cases(inspection)),
             {"body_id": body.pk, "case_id": case.pk}]
    inspection.facts = {**inspection.facts, sel.CASES: cases}
    if inspection.penalty_case_id is None:
        inspection.penalty_case = case  # the first case opened on the visit
    Inspection.objects.filter(pk=inspection.pk).update(penalty_case=inspection.penalty_case, facts=inspection.facts)
    entry_append(event=LedgerEvent(EventKind.INSPECTION_CASE_LINKED,
                                   {"case": case.pk, "body": body.pk, "evidence": [p.pk for p in photos]},
                                   agency_id=body.pk, case_id=case.pk,
                                   subject=f"inspection:{inspection.pk}"), actor=actor)
    return case


def _follow_up_schedule(*, actor: User, inspection: Inspection, due: dt.date | None) -> Inspection:
    """A rectification order: the follow-up inspection (整改复查) of the same enterprise, items and
    officers, planned for the day after the rectification period (outside the cap, counted)."""
    day = (due or timezone.localdate()) + dt.timedelta(days=1)
    follow_up = Inspection.objects.create(
        agency=inspection.agency, target=inspection.target, source=InspectionSource.FOLLOW_UP,
        plan=inspection.plan, state=InspectionState.ASSIGNED, planned_from=day, planned_to=day + dt.timedelta(days=r.FOLLOW_UP_WINDOW_DAYS),
        follow_up_of=inspection,
    )
    # The organising body's part (综合查一次: each joined body may join the follow-up in its turn).
    follow_up.items.set([i for i in inspection.items.all() if i.agency_id == inspection.agency_id])
    follow_up.officers.set([o for o in inspection.officers.all() if o.agency_id == inspection.agency_id])
    entry_append(event=LedgerEvent(EventKind.INSPECTION_FOLLOW_UP_SCHEDULED,
                                   {"follow_up": follow_up.pk, "of": inspection.pk, "planned_from": day.isoformat()},
                                   agency_id=inspection.agency_id, subject=f"inspection:{follow_up.pk}"), actor=actor)
    return follow_up


def inspection_results_publish(*, actor: User, agency_id: int, on: dt.date | None = None,
                               inspection_ids: list[int] | None = None) -> int:
    """Publish the results of the agency's closed 双随机 inspections not yet published (结果公告,
    within `inspection.random_results_publication_working_days` of the end): the public row through
    the public read model's event, the inspection marked, a ledger entry each, in one transaction.
    Only the agency's head. `inspection_ids`: only those (the ones the head's page showed and the
    head checked: publication cannot be withdrawn). Returns how many were published."""
    permission_require(user_is_head_of(actor, agency_id),
                       "只有本单位负责人可以公示抽查结果")
    on = on or timezone.localdate()
    basis = r.INSPECTION_BASIS
    published = 0
    with transaction.atomic():
        pending_rows = sel.results_to_publish(agency_id=agency_id)
        if inspection_ids is not None:
            pending_rows = pending_rows.filter(pk__in=inspection_ids)
        pending = list(pending_rows.select_for_update(of=("self",)))
        for inspection in pending:
            outcome = r.OUTCOMES.get(inspection.result_outcome, "")
            inspection_result_published_emit(InspectionResultPublished(
                inspection_id=inspection.pk, agency_name=inspection.agency.name, target_name=inspection.target.name,
                target_credit_code=inspection.target.credit_code, items=tuple(i.name for i in inspection.items.all()),
                outcome=outcome, finished_on=inspection.finished_on, published_on=on, basis=basis,
            ))
            inspection.published_on = on
            inspection.save(update_fields=["published_on", "updated_at"])
            entry_append(event=LedgerEvent(EventKind.INSPECTION_RESULT_PUBLISHED,
                                           {"inspection": inspection.pk, "published_on": on.isoformat(),
                                            "due": inspection.publish_due.isoformat() if inspection.publish_due else None},
                                           agency_id=agency_id, subject=f"inspection:{inspection.pk}"), actor=actor)
            published += 1
    return published


__all__ = ["code_new", "facts_dump", "inspection_act", "inspection_photo_add", "inspection_results_publish"]
