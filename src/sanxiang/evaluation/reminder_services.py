"""Writes of the reminders (issue 15, item 9).

The kinds written here, each by its daily refresh (`schedule.py`): the certificate ladder, and
monthly reports due, system documents due and training hours short (`evaluation_reminders_refresh`).
Another part writes its own kind the same way::

    from sanxiang.evaluation.reminder_services import reminder_upsert, reminders_close

    reminder_upsert(kind=ReminderKind.MONTHLY_REPORT_DUE, subject_type="monthly_report", subject_id=report.pk,
                    recipient_role=Role.AGENCY_HEAD, recipient_agency=report.agency, agency=report.agency,
                    title="2026年11月月报应于12月25日前报送", url=..., due_on=..., stage="5", on=on)
    reminders_close(kind=ReminderKind.MONTHLY_REPORT_DUE, subject_type="monthly_report", subject_id=report.pk, on=on)

`reminder_upsert` is idempotent: writing the same reminder again changes nothing; a new `stage`
(the next rung of a ladder) or a changed due date brings it back into the inbox even if it was
dismissed, and reopens it if it was closed. Each change appends its ledger entry in the same
transaction; the e-mail (when configured) goes after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import permission_require
from sanxiang.evaluation.models import Reminder
from sanxiang.evaluation.reminder_selectors import reminder_recipients, user_receives
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.evaluation.documents import (
    DocumentSnapshot,
    ItemStatus,
    checklist_items,
    document_kinds_required,
    documents_due_on,
)
from sanxiang.procedure.evaluation.reminders import (
    DOCUMENTS_LADDER_PARAMETER,
    REMINDER_KIND_LABELS,
    REPORT_LADDER_PARAMETER,
    TRAINING_LADDER_PARAMETER,
    ReminderKind,
    certificate_ladder,
    certificate_reminder_title,
    documents_reminder_title,
    ladder_stage,
    reminder_ladder,
    report_reminder_title,
    training_agency_reminder_title,
    training_reminder_title,
    training_stage,
)
from sanxiang.registry.models import Agency, AgencyStatus, Certificate, CertificateStatus, OfficerStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderWritten:
    reminder: Reminder
    created: bool
    changed: bool  # created, or brought back (new stage, new due date, reopened)


def reminder_key(*, kind: str, subject_type: str, subject_id: int, recipient_user: User | None,
                 recipient_role: str, recipient_agency: Agency | None) -> str:
    who = f"user:{recipient_user.pk}" if recipient_user is not None else f"{recipient_role}@{recipient_agency.pk}"
    return f"{kind}:{subject_type}:{subject_id}:{who}"


def _event(reminder: Reminder, kind: EventKind, **payload) -> LedgerEvent:
    return LedgerEvent(kind, {
        "reminder": reminder.pk, "kind": reminder.kind, "subject": f"{reminder.subject_type}:{reminder.subject_id}",
        "recipient_user": reminder.recipient_user_id, "recipient_role": reminder.recipient_role,
        "recipient_agency": reminder.recipient_agency_id, **payload,
    }, reminder.agency_id, subject=f"reminder:{reminder.pk}")


@transaction.atomic
def reminder_upsert(
    *, kind: str, subject_type: str, subject_id: int, title: str, on: dt.date,
    recipient_user: User | None = None, recipient_role: str = "", recipient_agency: Agency | None = None,
    agency: Agency | None = None, detail: str = "", url: str = "", stage: str = "", due_on: dt.date | None = None,
) -> ReminderWritten:
    """Write (or leave as it is) the reminder of `kind` about the subject for one recipient: a
    user, or a role of an agency (every user of that role there). Raises ValueError on a call
    that names no recipient or an unknown kind (a programming error, not a user's input)."""
    if kind not in REMINDER_KIND_LABELS:
        raise ValueError(f"unknown reminder kind {kind!r}: add its label to procedure.evaluation.reminders")
    if recipient_user is None and not (recipient_role and recipient_agency is not None):
        raise ValueError("a reminder needs a recipient: a user, or a role and an agency")
    if recipient_role and recipient_role not in Role.values:
        raise ValueError(f"unknown role {recipient_role!r}")
    key = reminder_key(kind=kind, subject_type=subject_type, subject_id=subject_id, recipient_user=recipient_user,
                       recipient_role=recipient_role if recipient_user is None else "",
                       recipient_agency=recipient_agency)
    values = {"title": title[:200], "detail": detail[:300], "url": url[:300], "stage": stage, "due_on": due_on,
              "agency": agency}
    reminder = Reminder.objects.select_for_update().filter(key=key).first()
    if reminder is None:
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    key=key, kind=kind, subject_type=subject_type, subject_id=subject_id,
                    recipient_user=recipient_user, recipient_role="" if recipient_user else recipient_role,
                    recipient_agency=None if recipient_user else recipient_agency, raised_on=on, **values,
                )
        except IntegrityError:  # written meanwhile by another run: take that one
            reminder = Reminder.objects.select_for_update().get(key=key)
        else:
            entry_append(event=_event(reminder, EventKind.EVALUATION_REMINDER_RAISED, stage=stage,
                                      due_on=due_on.isoformat() if due_on else None, raised_on=on.isoformat()))
            _email_after_commit(reminder)
            return ReminderWritten(reminder, created=True, changed=True)
    back = reminder.closed_on is not None or reminder.stage != stage or reminder.due_on != due_on
    text_changed = (reminder.title, reminder.detail, reminder.url, reminder.agency_id) != (
        values["title"], values["detail"], values["url"], agency.pk if agency else None)
    if not back and not text_changed:
        return ReminderWritten(reminder, created=False, changed=False)
    for field, value in values.items():
        setattr(reminder, field, value)
    if back:
        reminder.closed_on = None
        reminder.dismissed_at = reminder.dismissed_by = reminder.emailed_at = None
        reminder.raised_on = on
    reminder.save()
    entry_append(event=_event(reminder, EventKind.EVALUATION_REMINDER_RAISED, stage=stage,
                              due_on=due_on.isoformat() if due_on else None, raised_on=reminder.raised_on.isoformat()))
    if back:
        _email_after_commit(reminder)
    return ReminderWritten(reminder, created=False, changed=back)


@transaction.atomic
def reminders_close(*, kind: str, on: dt.date, subject_type: str | None = None, subject_id: int | None = None,
                    keep: Iterable[str] = ()) -> int:
    """Close the open reminders of `kind` (of one subject, or of one subject type) whose key is
    not in `keep`: what they reminded of no longer applies (a certificate renewed, a report
    submitted). Returns how many were closed."""
    rows = Reminder.objects.select_for_update().filter(kind=kind, closed_on__isnull=True)
    if subject_type is not None:
        rows = rows.filter(subject_type=subject_type)
    if subject_id is not None:
        rows = rows.filter(subject_id=subject_id)
    closed = 0
    for reminder in rows.exclude(key__in=list(keep)).order_by("pk"):
        reminder.closed_on = on
        reminder.save(update_fields=["closed_on", "updated_at"])
        entry_append(event=_event(reminder, EventKind.EVALUATION_REMINDER_CLOSED, closed_on=on.isoformat()))
        closed += 1
    return closed


@transaction.atomic
def reminder_dismiss(*, reminder: Reminder, actor: User) -> Reminder:
    """The recipient has seen it (知悉): it leaves their inbox until its next stage. For a role's
    reminder, it leaves the inbox of every user of that role in the agency."""
    permission_require(user_receives(user=actor, reminder=reminder), "这条提醒不是给您的")
    reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.dismissed_at is not None:
        return reminder
    reminder.dismissed_at, reminder.dismissed_by = timezone.now(), actor
    reminder.save(update_fields=["dismissed_at", "dismissed_by", "updated_at"])
    entry_append(event=_event(reminder, EventKind.EVALUATION_REMINDER_DISMISSED, stage=reminder.stage), actor=actor)
    return reminder


# --- e-mail, after the commit ---------------------------------------------------------------------------


def reminder_email_enabled() -> bool:
    return bool(getattr(settings, "SANXIANG_REMINDER_EMAIL", False))


def _email_after_commit(reminder: Reminder) -> None:
    if reminder_email_enabled():
        transaction.on_commit(partial(reminder_email_send, reminder_id=reminder.pk), robust=True)


def reminder_email_send(*, reminder_id: int) -> int:
    """E-mail the reminder to its recipients who have an address, at most once a stage.

    Sending claims the reminder first: `emailed_at` is set by an UPDATE … WHERE emailed_at IS NULL
    committed before the mail goes (outside a transaction, as the after-commit hook runs), so that
    of two servers, or of a run and its retry, only the one whose UPDATE changed the row sends; a
    crash after sending leaves it claimed (never a second mail). A failure to send is logged and
    releases the claim (the next run may try again); the reminder stays in the inbox as it was.
    Returns how many addresses were sent to."""
    reminder = Reminder.objects.filter(pk=reminder_id, emailed_at__isnull=True).first()
    if reminder is None:
        return 0
    addresses = sorted({u.email for u in reminder_recipients(reminder=reminder) if u.email})
    if not addresses:
        return 0
    claimed_at = timezone.now()
    with transaction.atomic():  # its own commit when called after the commit (no outer transaction)
        claimed = Reminder.objects.filter(pk=reminder.pk, emailed_at__isnull=True).update(emailed_at=claimed_at)
    if not claimed:
        return 0  # another server (or run) claimed it
    body = "\n".join(p for p in (reminder.title, reminder.detail, REMINDER_KIND_LABELS[reminder.kind]) if p)
    try:
        send_mail(subject=f"【三项制度平台提醒】{reminder.title}", message=body, from_email=None,
                  recipient_list=addresses)
    except Exception:
        logger.exception("reminder %s could not be e-mailed", reminder.pk)
        with transaction.atomic():
            Reminder.objects.filter(pk=reminder.pk, emailed_at=claimed_at).update(emailed_at=None)
        return 0
    return len(addresses)


def reminders_email_pending(*, on: dt.date) -> int:
    """E-mail the open reminders raised on `on` that have not been (a failed send released its
    claim), when e-mail is on: the scheduled refresh's retry. Returns how many addresses."""
    if not reminder_email_enabled():
        return 0
    ids = Reminder.objects.filter(raised_on=on, emailed_at__isnull=True, closed_on__isnull=True,
                                  dismissed_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    return sum(reminder_email_send(reminder_id=pk) for pk in list(ids))


# --- the certificate ladder (a daily scheduled task) ---------------------------------------------------

CERTIFICATE = "certificate"


def certificate_reminders_refresh(*, on: dt.date) -> str:
    """Remind of every enforcement certificate on a rung of the ladder on `on` (or expired), for
    the officer, the agency's head and the county's 司法局; close the reminders of certificates no
    longer there (renewed: a later valid certificate; revoked; the officer left). Only an
    officer's latest valid certificate is reminded of."""
    bureaus = {a.region_code: a for a in Agency.objects.filter(is_judicial_bureau=True).order_by("-pk")}
    candidates = list(
        Certificate.objects.filter(status=CertificateStatus.VALID, officer__status=OfficerStatus.ACTIVE)
        .select_related("officer__agency").order_by("officer_id", "-valid_to", "-pk")
    )
    latest: dict[int, Certificate] = {}
    for certificate in candidates:
        latest.setdefault(certificate.officer_id, certificate)
    users = {u.officer_id: u for u in User.objects.filter(officer_id__in=list(latest), is_active=True)}
    ladders: dict[str, tuple[int, ...]] = {}
    keep: set[str] = set()
    written = 0
    with transaction.atomic():
        for officer_id, certificate in latest.items():
            agency = certificate.officer.agency
            ladder = ladders.setdefault(agency.region_code, certificate_ladder(on=on, region=agency.region_code))
            stage = ladder_stage(last_day=certificate.valid_to, on=on, ladder=ladder)
            if stage is None:
                continue
            title = certificate_reminder_title(number=certificate.number, officer=certificate.officer.name,
                                               stage=stage, last_day=certificate.valid_to)
            common = {"kind": ReminderKind.CERTIFICATE_EXPIRY, "subject_type": CERTIFICATE,
                      "subject_id": certificate.pk, "title": title, "agency": agency, "on": on,
                      "stage": stage.stage, "due_on": certificate.valid_to,
                      "detail": f"{agency.name}：请及时办理执法证件的换发，证件过期后不得从事执法活动",
                      "url": reverse("registry:officer_detail", args=[officer_id])}
            recipients: list[dict] = [{"recipient_role": Role.AGENCY_HEAD, "recipient_agency": agency}]
            if officer_id in users:
                recipients.append({"recipient_user": users[officer_id]})
            if agency.region_code in bureaus:
                recipients.append({"recipient_role": Role.SUPERVISOR, "recipient_agency": bureaus[agency.region_code]})
            for recipient in recipients:
                result = reminder_upsert(**common, **recipient)
                keep.add(result.reminder.key)
                written += result.changed
        closed = reminders_close(kind=ReminderKind.CERTIFICATE_EXPIRY, subject_type=CERTIFICATE, keep=keep, on=on)
    return f"执法证件到期提醒：新提醒{written}条，仍在提醒{len(keep) - written}条，不再适用{closed}条"



# --- monthly reports, system documents, training hours (a daily scheduled task) -------------------------

MONTHLY_REPORT = "monthly_report"
SYSTEM_DOCUMENTS = "system_documents"  # subject: the agency whose checklist it is
TRAINING_OFFICER = "training_officer"  # subject: the officer
TRAINING_AGENCY = "training_agency"  # subject: the agency whose officers are short


def _county_bureaus() -> dict[str, Agency]:
    return {a.region_code: a for a in Agency.objects.filter(is_judicial_bureau=True).order_by("-pk")}


def _summary(label: str, written: int, keep: set[str], closed: int) -> str:
    return f"{label}：新提醒{written}条，仍在提醒{len(keep) - written}条，不再适用{closed}条"


def report_reminders_refresh(*, on: dt.date) -> str:
    """Remind of every monthly report not yet submitted on a rung of its ladder (or overdue): the
    agency's head; once overdue, the county's 司法局 too. A submitted report's reminders close."""
    from sanxiang.evaluation.models import MonthlyReport

    bureaus = _county_bureaus()
    keep: set[str] = set()
    written = 0
    ladders: dict[str, tuple[int, ...]] = {}
    with transaction.atomic():
        reports = (MonthlyReport.objects.filter(first_submitted_on__isnull=True)
                   .select_related("agency", "bureau").order_by("due_on", "pk"))
        for report in reports:
            agency = report.agency
            ladder = ladders.setdefault(agency.region_code,
                                        reminder_ladder(REPORT_LADDER_PARAMETER, on=on, region=agency.region_code))
            stage = ladder_stage(last_day=report.due_on, on=on, ladder=ladder)
            if stage is None:
                continue
            month = report.report_month
            common = {"kind": ReminderKind.MONTHLY_REPORT_DUE, "subject_type": MONTHLY_REPORT, "subject_id": report.pk,
                      "title": report_reminder_title(month_label=month.label, due_on=report.due_on, stage=stage),
                      "detail": f"{agency.name}：月报由机关负责人报送", "agency": agency, "on": on,
                      "stage": stage.stage, "due_on": report.due_on,
                      "url": reverse("evaluation:report_detail", args=[report.pk])}
            recipients: list[dict] = [{"recipient_role": Role.AGENCY_HEAD, "recipient_agency": agency}]
            bureau = report.bureau or bureaus.get(agency.region_code)
            if stage.overdue and bureau is not None:
                recipients.append({"recipient_role": Role.SUPERVISOR, "recipient_agency": bureau})
            for recipient in recipients:
                result = reminder_upsert(**common, **recipient)
                keep.add(result.reminder.key)
                written += result.changed
        closed = reminders_close(kind=ReminderKind.MONTHLY_REPORT_DUE, subject_type=MONTHLY_REPORT, keep=keep, on=on)
    return _summary("月报报送提醒", written, keep, closed)


def document_reminders_refresh(*, on: dt.date) -> str:
    """Remind every agency whose checklist of system documents still lacks a kind (not submitted,
    or returned and not resubmitted) on a rung before the due date (or overdue): its head and its
    administrator; once overdue, the county's 司法局 too. A complete checklist closes them."""
    from sanxiang.evaluation.models import SystemDocument

    bureaus = _county_bureaus()
    agencies = list(Agency.objects.filter(is_judicial_bureau=False, status=AgencyStatus.ACTIVE).order_by("pk"))
    documents: dict[int, list[DocumentSnapshot]] = {a.pk: [] for a in agencies}
    for pk, agency_id, kind, state in SystemDocument.objects.filter(agency_id__in=list(documents)).values_list(
            "pk", "agency_id", "kind", "state"):
        documents[agency_id].append(DocumentSnapshot(pk, kind, state))
    keep: set[str] = set()
    written = 0
    with transaction.atomic():
        for agency in agencies:
            region = agency.region_code
            due_on = documents_due_on(on=on, region=region)
            stage = ladder_stage(last_day=due_on, on=on,
                                 ladder=reminder_ladder(DOCUMENTS_LADDER_PARAMETER, on=on, region=region))
            if stage is None:
                continue
            items = checklist_items(kinds=document_kinds_required(on=on, region=region),
                                    documents=documents[agency.pk], due_on=due_on, today=on)
            missing = [i.label for i in items if i.status in (ItemStatus.MISSING, ItemStatus.RETURNED)]
            if not missing:
                continue
            common = {"kind": ReminderKind.SYSTEM_DOCUMENT_DUE, "subject_type": SYSTEM_DOCUMENTS,
                      "subject_id": agency.pk, "agency": agency, "on": on, "stage": stage.stage, "due_on": due_on,
                      "title": documents_reminder_title(missing=missing, due_on=due_on, stage=stage),
                      "detail": f"{agency.name}：制度文件由机关负责人或者单位管理员报送",
                      "url": reverse("evaluation:document_checklist")}
            recipients: list[dict] = [{"recipient_role": Role.AGENCY_HEAD, "recipient_agency": agency},
                                      {"recipient_role": Role.AGENCY_ADMIN, "recipient_agency": agency}]
            if stage.overdue and region in bureaus:
                recipients.append({"recipient_role": Role.SUPERVISOR, "recipient_agency": bureaus[region]})
            for recipient in recipients:
                result = reminder_upsert(**common, **recipient)
                keep.add(result.reminder.key)
                written += result.changed
        closed = reminders_close(kind=ReminderKind.SYSTEM_DOCUMENT_DUE, subject_type=SYSTEM_DOCUMENTS, keep=keep,
                                 on=on)
    return _summary("制度文件报送提醒", written, keep, closed)


def training_reminders_refresh(*, on: dt.date) -> str:
    """As the year's end nears (a rung before 31 December), remind each serving officer whose hours
    of the year are under the required hours (the officer's own account), and the agency's head of
    how many are. Reaching the hours, or the rung's passing into a new year, closes them."""
    from sanxiang.evaluation.training_selectors import training_compliance

    agencies = list(Agency.objects.filter(is_judicial_bureau=False, status=AgencyStatus.ACTIVE).order_by("pk"))
    keep: set[str] = set()
    written = 0
    with transaction.atomic():
        due_on = dt.date(on.year, 12, 31)
        by_region: dict[str, list[Agency]] = {}
        for agency in agencies:
            by_region.setdefault(agency.region_code, []).append(agency)
        for region, members in sorted(by_region.items()):
            stage = training_stage(on=on, ladder=reminder_ladder(TRAINING_LADDER_PARAMETER, on=on, region=region))
            if stage is None:
                continue
            compliance = training_compliance([a.pk for a in members], on.year)
            short = [o for o in compliance.officers if not o.met]
            users = {u.officer_id: u for u in User.objects.filter(officer_id__in=[o.officer_id for o in short],
                                                                  is_active=True)}
            by_agency = {a.pk: a for a in members}
            for officer in short:
                if officer.officer_id not in users:
                    continue
                agency = by_agency[officer.agency_id]
                result = reminder_upsert(
                    kind=ReminderKind.TRAINING_SHORT, subject_type=TRAINING_OFFICER, subject_id=officer.officer_id,
                    recipient_user=users[officer.officer_id], agency=agency, on=on, stage=stage.stage, due_on=due_on,
                    title=training_reminder_title(officer=officer.name, year=on.year, hours=officer.hours,
                                                  required=compliance.required),
                    detail=f"{agency.name}：请在年底前参加培训，补足学时",
                    url=reverse("evaluation:training_officers") + f"?agency={agency.pk}&year={on.year}&met=0",
                )
                keep.add(result.reminder.key)
                written += result.changed
            for agency in members:
                count = sum(1 for o in short if o.agency_id == agency.pk)
                if not count:
                    continue
                result = reminder_upsert(
                    kind=ReminderKind.TRAINING_SHORT, subject_type=TRAINING_AGENCY, subject_id=agency.pk,
                    recipient_role=Role.AGENCY_HEAD, recipient_agency=agency, agency=agency, on=on,
                    stage=stage.stage, due_on=due_on,
                    title=training_agency_reminder_title(year=on.year, short=count, required=compliance.required),
                    detail=f"{agency.name}：请在年底前组织培训，或者安排执法人员参加司法局组织的培训",
                    url=reverse("evaluation:training_officers") + f"?agency={agency.pk}&year={on.year}&met=0",
                )
                keep.add(result.reminder.key)
                written += result.changed
        closed = sum(reminders_close(kind=ReminderKind.TRAINING_SHORT, subject_type=subject, keep=keep, on=on)
                     for subject in (TRAINING_OFFICER, TRAINING_AGENCY))
    return _summary("培训学时提醒", written, keep, closed)


def evaluation_reminders_refresh(*, on: dt.date) -> str:
    """The day's reminders of monthly reports, system documents and training hours (the scheduled
    task); the e-mail of the day's unsent reminders is retried after the commit."""
    summaries = [report_reminders_refresh(on=on), document_reminders_refresh(on=on), training_reminders_refresh(on=on)]
    if reminder_email_enabled():
        transaction.on_commit(partial(reminders_email_pending, on=on), robust=True)
    return "；".join(summaries)
