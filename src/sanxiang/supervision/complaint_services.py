"""Writes of complaints from the public and of leads from the 12345 hotline and the enterprise channel
(issue 14, part D). Each service changes its rows and appends its ledger entry in one transaction;
personal data enters the ledger only as salted digests."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.inspection.inspection_selectors import inspection_by_code
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.inspection.rules import INSPECTION_COMPLAINT_BASIS
from sanxiang.procedure.supervision.complaints import (
    COMPLAINT_PUBLIC_STATUS_LABELS,
    NOT_ACCEPTED_REASON_LABELS,
    ComplaintChannel,
    ComplaintPublicStatus,
    NotAcceptedReason,
    PendingRemedy,
    channel_reference_violations,
    complaint_matter_source,
    complaint_public_status,
    complaint_violations,
    pending_remedy_notice,
    personal_fingerprint,
    query_code_digest,
    query_code_new,
)
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.public_events import (
    ComplaintReceipt,
    ComplaintRefused,
    ComplaintStatusPublished,
    ComplaintSubmission,
    complaint_status_emit,
)
from sanxiang.publication.complaints import public_complaint_published
from sanxiang.registry.models import Agency
from sanxiang.supervision.models import Complainant, Complaint, ComplaintCounter, Matter

_AGENCY_RULE = "平台规则：投诉举报由被投诉机关所在县（旗、区）的司法行政部门受理"
_SUPERVISOR_RULE = "平台规则：12345热线和涉企诉求线索由本司法局的监督人员登记"


def _bureau_of(agency: Agency) -> Agency | None:
    """The judicial bureau of the agency's county (same region code). Part A's
    `agencies_supervised_by` is the inverse; until it is merged the region code decides."""
    if agency.is_judicial_bureau:
        return agency
    return Agency.objects.filter(is_judicial_bureau=True, region_code=agency.region_code).order_by("pk").first()


def _receipt_allocate(*, bureau: Agency, year: int) -> int:
    """The next receipt number of the bureau in the year, in the caller's transaction (the counter row
    stays locked until it ends: no duplicate, and a rolled-back complaint leaves no gap)."""
    ComplaintCounter.objects.bulk_create([ComplaintCounter(bureau=bureau, year=year, last=0)], ignore_conflicts=True)
    counter = ComplaintCounter.objects.select_for_update().get(bureau=bureau, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def receipt_number_format(*, bureau: Agency, year: int, sequence: int) -> str:
    return f"{bureau.region_code}-{year}-{sequence:05d}"


def _matter_open_for_complaint(
    *, bureau: Agency, agency: Agency, source: str, subject: str, summary: str, received_on: dt.date,
    number: str, actor: User | None, pending_remedy: str = "none",
) -> Matter:
    """The complaint's supervision matter, opened by part A's `matter_open` (its own number; the
    complaint keeps its receipt number), with the dispute the complainant declared (for part A's
    rule on disputes already in 复议 or 诉讼)."""
    from sanxiang.supervision.services import matter_open

    dispute = "" if pending_remedy in ("", "none") else pending_remedy
    return matter_open(
        bureau=bureau, source=source, subject=subject, summary=summary, received_on=received_on, agency=agency,
        actor=actor, origin=f"complaint:{number}", dispute=dispute,
    )


@transaction.atomic
def complaint_receive(
    *,
    agency_id: int,
    channel: ComplaintChannel | str,
    anonymous: bool,
    name: str,
    phone: str,
    id_number: str,
    happened_on: dt.date | None,
    description: str,
    pending_remedy: str,
    channel_reference: str = "",
    actor: User | None = None,
    on: dt.date | None = None,
    inspection_code: str = "",
) -> tuple[Complaint, str]:
    """Register a complaint (from the portal: `actor` None) or a lead from the 12345 hotline or the
    enterprise channel (a supervisor of the bureau), open its supervision matter (its source by
    channel) and publish its status. Returns the complaint and its query code, which exists nowhere
    else in clear. Refused with every reason at once."""
    on = on or timezone.localdate()
    channel = ComplaintChannel(channel)
    name, phone, id_number = name.strip(), phone.strip(), id_number.strip().upper()
    if anonymous:
        name = phone = id_number = ""
    violations = complaint_violations(
        anonymous=anonymous, name=name, phone=phone, id_number=id_number, happened_on=happened_on,
        description=description, pending_remedy=pending_remedy, today=on,
    )
    violations += channel_reference_violations(channel=channel, reference=channel_reference)
    agency = Agency.objects.filter(pk=agency_id).first()
    bureau = _bureau_of(agency) if agency else None
    if agency is None:
        violations.append(Violation("complaint.agency", "请选择被投诉的执法机关", _AGENCY_RULE, "agency"))
    elif bureau is None:
        violations.append(Violation("complaint.no_bureau", "该执法机关所在地区尚未开通投诉举报受理", _AGENCY_RULE, "agency"))
    if channel == ComplaintChannel.PORTAL:
        if actor is not None:
            raise ValueError("a complaint from the portal has no platform user")
    elif actor is None or actor.role != Role.SUPERVISOR or (bureau is not None and actor.agency_id != bureau.pk):
        violations.append(
            Violation("complaint.supervisor", "只有被投诉机关所在地司法局的监督人员可以登记该线索", _SUPERVISOR_RULE, "agency")
        )
    inspection = None
    if inspection_code.strip():
        inspection = inspection_by_code(code=inspection_code)
        if inspection is None:
            violations.append(Violation("complaint.inspection_code", "没有这个检查码，请核对检查人员出示的检查码，或者不填检查码",
                                        INSPECTION_COMPLAINT_BASIS, "inspection_code"))
        else:
            # 综合查一次: any body that took part in the visit may be the one complained about.
            bodies = [inspection.agency, *inspection.joint_agencies.order_by("pk")]
            if agency is not None and agency.pk not in {b.pk for b in bodies}:
                names = "、".join(b.name for b in bodies)
                violations.append(Violation("complaint.inspection_agency",
                                            f"该检查码的检查主体是{names}，请选择其中的机关作为被投诉机关",
                                            INSPECTION_COMPLAINT_BASIS, "agency"))
    if violations:
        raise Refused(violations)
    assert agency is not None and bureau is not None
    sequence = _receipt_allocate(bureau=bureau, year=on.year)
    receipt_number = receipt_number_format(bureau=bureau, year=on.year, sequence=sequence)
    source = complaint_matter_source(channel)
    text = description.strip()
    subject, summary = f"投诉举报{receipt_number}（{agency.name}）", text
    if inspection is not None:
        subject = f"投诉举报{receipt_number}（{agency.name}，对{inspection.target.name}的行政检查）"
        summary = (f"涉及的行政检查：{agency.name}对{inspection.target.name}的{inspection.get_source_display()}，"
                   f"检查期间{inspection.planned_from.isoformat()}至{inspection.planned_to.isoformat()}。\n{text}")
    matter = _matter_open_for_complaint(
        bureau=bureau, agency=agency, source=source, subject=subject,
        summary=summary, received_on=on, number=f"投诉{receipt_number}", actor=actor,
        pending_remedy=str(pending_remedy),
    )
    query_code = query_code_new()
    complaint = Complaint.objects.create(
        matter=matter, bureau=bureau, agency=agency, receipt_number=receipt_number, year=on.year, sequence=sequence,
        channel=channel, channel_reference=channel_reference.strip(), received_on=on, happened_on=happened_on,
        description=text, pending_remedy=pending_remedy, query_code_digest=query_code_digest(query_code),
        recorded_by=actor, inspection=inspection,
    )
    salt = secrets.token_hex(16)
    Complainant.objects.create(
        complaint=complaint, anonymous=anonymous, name=name, phone=phone, id_number=id_number, salt=salt
    )
    entry_append(
        event=LedgerEvent(
            EventKind.SUPERVISION_COMPLAINT_RECEIVED,
            {
                "receipt_number": receipt_number,
                "matter": matter.pk,
                "bureau": bureau.pk,
                "agency": agency.pk,
                "channel": channel.value,
                "channel_reference": complaint.channel_reference,
                "received_on": on.isoformat(),
                "happened_on": happened_on.isoformat() if happened_on else None,
                "pending_remedy": pending_remedy,
                "anonymous": anonymous,
                "inspection": inspection.pk if inspection is not None else None,
                # Personal data and the text by salted digest (the salt stays beside the data).
                "name_sha256": personal_fingerprint(name, salt=salt),
                "phone_sha256": personal_fingerprint(phone, salt=salt),
                "id_number_sha256": personal_fingerprint(id_number, salt=salt),
                "description_sha256": personal_fingerprint(text, salt=salt),
            },
            agency_id=agency.pk,
            subject=f"supervision_complaint:{complaint.pk}",
        ),
        actor=actor,
    )
    complaint_status_publish(matter=matter, on=on, actor=actor)
    return complaint, query_code


def complaint_status_publish(*, matter: Matter, on: dt.date | None = None, actor: User | None = None) -> None:
    """Publish the public status of the complaint behind `matter` (nothing when the matter did not come
    from a complaint). Part A calls it whenever the matter's state changes; it writes the public row the
    tracking page reads (through `public_events`, in the caller's transaction) and a ledger entry;
    nothing when the public already reads this status, reason and outcome."""
    complaint = Complaint.objects.select_related("bureau", "agency").filter(matter_id=matter.pk).first()
    if complaint is None:
        return
    on = on or timezone.localdate()
    status = complaint_public_status(matter.state)
    reason = ""
    if status == ComplaintPublicStatus.NOT_ACCEPTED and complaint.not_accepted_reason:
        reason = NOT_ACCEPTED_REASON_LABELS[NotAcceptedReason(complaint.not_accepted_reason)]
    outcome = complaint.public_outcome if status == ComplaintPublicStatus.CONCLUDED else ""
    if public_complaint_published(receipt_number=complaint.receipt_number) == (status.value, reason, outcome):
        return  # what the public reads is unchanged: nothing to publish, nothing to record
    with transaction.atomic():
        complaint_status_emit(
            ComplaintStatusPublished(
                receipt_number=complaint.receipt_number,
                query_code_digest=complaint.query_code_digest,
                bureau_name=complaint.bureau.name,
                agency_name=complaint.agency.name,
                received_on=complaint.received_on,
                status=status.value,
                status_label=COMPLAINT_PUBLIC_STATUS_LABELS[status],
                status_on=on,
                reason=reason,
                outcome=outcome,
            )
        )
        entry_append(
            event=LedgerEvent(
                EventKind.SUPERVISION_COMPLAINT_STATUS_PUBLISHED,
                {"receipt_number": complaint.receipt_number, "matter_state": matter.state, "status": status.value,
                 "on": on.isoformat(), "reason": reason, "outcome": outcome},
                agency_id=complaint.agency_id,
                subject=f"supervision_complaint:{complaint.pk}",
            ),
            actor=actor,
        )


@transaction.atomic
def complaint_answer_set(
    *, complaint: Complaint, actor: User, not_accepted_reason: str = "", public_outcome: str = ""
) -> Complaint:
    """The answer the public reads (the category of a refusal, the outcome written for the public);
    a supervisor of the bureau writes it, and the public status is published again."""
    violations = []
    if actor.role != Role.SUPERVISOR or actor.agency_id != complaint.bureau_id:
        violations.append(Violation("complaint.supervisor", "只有受理机关的监督人员可以答复投诉举报", _SUPERVISOR_RULE))
    if not_accepted_reason and not_accepted_reason not in {r.value for r in NotAcceptedReason}:
        violations.append(Violation("complaint.reason", "请选择不予受理的理由", _SUPERVISOR_RULE, "not_accepted_reason"))
    if len(public_outcome) > 2000:
        violations.append(Violation("complaint.outcome_long", "办理结果不超过2000字", _SUPERVISOR_RULE, "public_outcome"))
    if violations:
        raise Refused(violations)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    complaint.not_accepted_reason = not_accepted_reason
    complaint.public_outcome = public_outcome.strip()
    complaint.save(update_fields=["not_accepted_reason", "public_outcome"])
    matter = Matter.objects.get(pk=complaint.matter_id)
    complaint_status_publish(matter=matter, actor=actor)
    return complaint


def complaint_submit_from_portal(submission: ComplaintSubmission, *, on: dt.date | None = None) -> ComplaintReceipt:
    """The provider of `public_events.complaint_submit` (installed in SupervisionConfig.ready): the
    portal's complaint, registered; refusals come back as Chinese messages by field."""
    try:
        complaint, code = complaint_receive(
            agency_id=submission.agency_id, channel=ComplaintChannel.PORTAL, anonymous=submission.anonymous,
            name=submission.name, phone=submission.phone, id_number=submission.id_number,
            happened_on=submission.happened_on, description=submission.description,
            pending_remedy=submission.pending_remedy, on=on, inspection_code=submission.inspection_code,
        )
    except Refused as refused:
        raise ComplaintRefused(
            {field: [v.message for v in violations] for field, violations in refused.by_field().items()}
        ) from refused
    return ComplaintReceipt(
        receipt_number=complaint.receipt_number,
        query_code=code,
        received_on=complaint.received_on,
        bureau_name=complaint.bureau.name,
        notice=pending_remedy_notice(PendingRemedy(complaint.pending_remedy)),
    )
