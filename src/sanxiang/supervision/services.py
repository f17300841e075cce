"""Writes of the supervision desk. Each service changes its rows and appends its ledger entry in one
transaction (see sanxiang.ledger.services)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import permission_require
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case
from sanxiang.cases.services import agency_abbreviation, document_number_allocate
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.supervision.basis import SUPERVISOR_RECUSAL, regulation_article
from sanxiang.procedure.supervision.matters import (
    FINAL_STATES,
    MARKS_BASIS,
    MEASURE_BASES,
    MEASURES_BASIS,
    NOT_AGAIN_BASIS,
    READ_GRANT_RULE,
    TRANSFER_BASIS,
    TRIAGE_BASIS,
    CloseReason,
    Dispute,
    MatterAction,
    MatterMark,
    MatterState,
    MeasureDraft,
    MeasureKind,
    dispute_redirect_message,
    matter_action_violations,
    matter_open_violations,
    matter_state_after,
    measure_violations,
    transfer_due,
)
from sanxiang.procedure.supervision.rules import MatterSource, supervisors_violations
from sanxiang.procedure.violations import PLATFORM_PREFIX, Refused, Violation
from sanxiang.registry.models import Agency, Officer
from sanxiang.supervision.models import Matter, MatterSupervisor, Measure, ReadGrant
from sanxiang.supervision.selectors import matter_recused_ids, matter_supervisors, supervisor_snapshots


def supervisors_check(
    *, users: Iterable[User], on: dt.date, recused_user_ids: frozenset[int] = frozenset()
) -> list[Violation]:
    """Every reason why these users may not act together as supervisors on `on` (none when they
    may): the pair rule and each one's supervision certificate, and recusal from the matter."""
    return supervisors_violations(
        supervisors=supervisor_snapshots(users=users, on=on), on=on, recused_user_ids=recused_user_ids
    )


# --- Part A: matters, pairs, measures, read grants, marks -----------------------------------------
# Every write below changes its rows and appends its ledger entry in one transaction; a refusal
# names every reason at once (Refused with its Violations).

PAIR_BASIS = f"{PLATFORM_PREFIX}：监督事项由指派的承办监督人员办理"
MATTER_NUMBER_KIND = "supervision_matter"


def matter_number_next(*, bureau: Agency, on: dt.date) -> str:
    """监督事项 numbers per bureau and year, without gaps: the cases' locked counter
    (`document_number_allocate`), so a rolled-back opening gives its number to the next."""
    sequence = document_number_allocate(agency=bureau, kind=MATTER_NUMBER_KIND, year=on.year)
    return f"{agency_abbreviation(bureau)}监督〔{on.year}〕{sequence}号"


def _supervisor_of(user: User | None, bureau_id: int) -> bool:
    return user is not None and user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id == bureau_id


def _event(matter: Matter, kind: EventKind, /, **payload) -> LedgerEvent:
    return LedgerEvent(kind, {"matter": matter.pk, "number": matter.number, "state": matter.state, **payload},
                       matter.bureau_id, subject=f"supervision_matter:{matter.pk}")


@transaction.atomic
def matter_open(
    *, bureau: Agency, source: str, subject: str, summary: str, received_on: dt.date,
    agency: Agency | None = None, officer: Officer | None = None, actor: User | None = None, origin: str = "",
    assigning_body: str = "", assigning_reference: str = "", dispute: str = "", alert_key: str | None = None,
) -> Matter:
    """Register a supervision matter (登记). `actor=None` for the platform's alerts and the public's
    complaints; otherwise a supervisor of the bureau. Ledgered."""
    if actor is not None:
        permission_require(_supervisor_of(actor, bureau.pk), "只有本司法局的监督人员可以登记监督事项")
    today = timezone.localdate()
    violations = matter_open_violations(
        source=MatterSource(source), subject=subject, received_on=received_on, assigning_body=assigning_body,
        assigning_reference=assigning_reference, today=today,
    )
    if not bureau.is_judicial_bureau:
        violations.append(Violation("matter.bureau", "监督事项只能由司法行政部门办理", regulation_article(6), "bureau"))
    if agency is not None and agency.region_code != bureau.region_code:
        violations.append(Violation("matter.agency", "被监督机关不在本司法局的监督范围内", regulation_article(2), "agency"))
    if officer is not None and agency is not None and officer.agency_id != agency.pk:
        violations.append(Violation("matter.officer", "该执法人员不属于被监督机关", "数据校验", "officer"))
    if violations:
        raise Refused(violations)
    if officer is not None and agency is None:
        agency = officer.agency
    matter = Matter(
        bureau=bureau, agency=agency, officer=officer, source=source, state=MatterState.RECEIVED,
        subject=subject.strip(), summary=summary, received_on=received_on, origin=origin,
        assigning_body=assigning_body.strip(), assigning_reference=assigning_reference.strip(),
        dispute=dispute, alert_key=alert_key,
        transfer_due_on=transfer_due(received_on=received_on, calendar=working_day_calendar_current()).date,
        number=matter_number_next(bureau=bureau, on=received_on),
    )
    matter.save()
    entry_append(event=_event(matter, EventKind.SUPERVISION_MATTER_OPENED, source=source, agency=matter.agency_id,
                              officer=matter.officer_id, received_on=received_on.isoformat(), origin=origin,
                              assigning_body=matter.assigning_body,
                              assigning_reference=matter.assigning_reference), actor=actor)
    return matter


@transaction.atomic
def matter_pair_assign(*, matter: Matter, users: Sequence[User], actor: User) -> list[MatterSupervisor]:
    """Assign the supervisors who handle the matter (at least `supervision.min_supervisors`, each
    with a supervision certificate valid today, none recused from it). Assigning those already
    assigned changes nothing and records nothing."""
    permission_require(_supervisor_of(actor, matter.bureau_id), "只有本司法局的监督人员可以指派承办人员")
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    today = timezone.localdate()
    violations: list[Violation] = []
    if matter.state in FINAL_STATES:
        violations.append(Violation("matter.state", "监督事项已结束，不能再指派承办人员", TRIAGE_BASIS))
    for user in users:
        if not _supervisor_of(user, matter.bureau_id):
            violations.append(Violation("pair.not_supervisor", f"{user}不是本司法局的监督人员", PAIR_BASIS, "users"))
    violations += supervisors_check(users=users, on=today, recused_user_ids=matter_recused_ids(matter))
    if violations:
        raise Refused(violations)
    existing = {row.user_id: row for row in matter.pair.all()}
    if all(user.pk in existing for user in users):
        return [existing[user.pk] for user in users]
    rows = []
    for user in users:
        row = existing.get(user.pk) or MatterSupervisor.objects.create(matter=matter, user=user, assigned_on=today)
        rows.append(row)
    entry_append(event=_event(matter, EventKind.SUPERVISION_PAIR_ASSIGNED, users=sorted(u.pk for u in users)),
                 actor=actor)
    return rows


@transaction.atomic
def matter_supervisor_recuse(*, matter: Matter, user: User, reason: str, actor: User) -> MatterSupervisor:
    """Record a supervisor's withdrawal (回避) from the matter: declared by the supervisor, or decided
    by another supervisor of the bureau. The row stays, with its reason; the recused supervisor
    may no longer act on the matter."""
    permission_require(_supervisor_of(actor, matter.bureau_id), "只有本司法局的监督人员可以办理回避")
    violations = []
    if not reason.strip():
        violations.append(Violation("recusal.reason", "请写明回避原因", SUPERVISOR_RECUSAL, "reason"))
    row = MatterSupervisor.objects.select_for_update().filter(matter=matter, user=user).first()
    if row is None:
        violations.append(Violation("recusal.not_assigned", f"{user}不是本事项的承办监督人员", PAIR_BASIS, "user"))
    elif row.recused:
        violations.append(Violation("recusal.already", f"{user}已回避", SUPERVISOR_RECUSAL, "user"))
    if actor.pk != user.pk and not MatterSupervisor.objects.filter(matter=matter, user=actor, recused=False).exists():
        violations.append(Violation("recusal.actor", "回避由本人申请，或者由本事项的其他承办监督人员决定", PAIR_BASIS, "user"))
    if violations:
        raise Refused(violations)
    row.recused, row.recusal_reason = True, reason.strip()
    row.recusal_declared, row.recused_on = actor.pk == user.pk, timezone.localdate()
    row.save()
    entry_append(event=_event(matter, EventKind.SUPERVISION_SUPERVISOR_RECUSED, user=user.pk,
                              declared=row.recusal_declared, reason=row.recusal_reason), actor=actor)
    return row


def matter_action_check(*, matter: Matter, action: MatterAction, actor: User, on: dt.date | None = None,
                        close_reason: str | None = None) -> list[Violation]:
    """Every reason why `actor` may not take `action` on the matter now: the matter's state, the
    rule on disputes in 复议 or 诉讼, and the pair (the actor one of the matter's supervisors, at least two of them
    acting, each certificate valid on the day, none recused). Empty when the action is allowed."""
    on = on or timezone.localdate()
    violations = matter_action_violations(
        state=MatterState(matter.state), action=action, dispute=Dispute(matter.dispute or ""),
        close_reason=CloseReason(close_reason) if close_reason else None,
    )
    pair = matter_supervisors(matter)
    recused = matter_recused_ids(matter)
    if actor.pk not in {u.pk for u in pair} and actor.pk not in recused:
        violations.append(Violation("pair.not_assigned", "您不是本事项的承办监督人员", PAIR_BASIS))
    acting = pair if actor.pk in {u.pk for u in pair} else [*pair, actor]
    violations += supervisors_check(users=acting, on=on, recused_user_ids=recused)
    return violations


def _locked(matter: Matter, actor: User) -> Matter:
    """The matter as it stands now, its row locked until the action's transaction ends."""
    permission_require(_supervisor_of(actor, matter.bureau_id), "只有本司法局的监督人员可以办理监督事项")
    return Matter.objects.select_for_update().get(pk=matter.pk)


def _act(matter: Matter, action: MatterAction, actor: User, *, close_reason: str | None = None) -> Matter:
    matter = _locked(matter, actor)
    violations = matter_action_check(matter=matter, action=action, actor=actor, close_reason=close_reason)
    if violations:
        raise Refused(violations)
    matter.state = matter_state_after(state=MatterState(matter.state), action=action)
    if matter.state in FINAL_STATES:
        matter.ended_on = timezone.localdate()
    # A complaint's public status follows its matter (part D's tracking page), in this transaction.
    from sanxiang.supervision.complaint_services import complaint_status_publish

    complaint_status_publish(matter=matter, actor=actor)
    return matter


@transaction.atomic
def matter_accept(*, matter: Matter, actor: User) -> Matter:
    matter = _act(matter, MatterAction.ACCEPT, actor)
    matter.save()
    entry_append(event=_event(matter, EventKind.SUPERVISION_MATTER_ACCEPTED), actor=actor)
    return matter


@transaction.atomic
def matter_merge(*, matter: Matter, into: Matter, actor: User) -> Matter:
    """Merge the matter into another open matter of the same bureau (并案)."""
    matter = _locked(matter, actor)
    violations = []
    if into.pk == matter.pk or into.bureau_id != matter.bureau_id or into.state in FINAL_STATES:
        violations.append(Violation("matter.merge_target", "只能并入本司法局另一件尚未结束的监督事项", TRIAGE_BASIS, "into"))
    if violations:
        raise Refused(violations + matter_action_check(matter=matter, action=MatterAction.MERGE, actor=actor))
    matter = _act(matter, MatterAction.MERGE, actor)
    matter.merged_into = into
    matter.save()
    entry_append(event=_event(matter, EventKind.SUPERVISION_MATTER_MERGED, into=into.pk, into_number=into.number),
                 actor=actor)
    return matter


@transaction.atomic
def matter_transfer(*, matter: Matter, to_body: str, outcome: str = "", actor: User) -> Matter:
    """Transfer a matter the bureau has no jurisdiction over to the competent body, within the
    transfer period from receipt (`supervision.transfer_days`, the deadline shown on the desk)."""
    matter = _locked(matter, actor)
    if not to_body.strip():
        raise Refused([Violation("matter.transfer_to", "请填写移送的机关", TRANSFER_BASIS, "to_body"),
                       *matter_action_check(matter=matter, action=MatterAction.TRANSFER, actor=actor)])
    matter = _act(matter, MatterAction.TRANSFER, actor)
    matter.transferred_to, matter.outcome = to_body.strip(), outcome
    matter.save()
    late = matter.transfer_due_on is not None and matter.ended_on > matter.transfer_due_on
    entry_append(event=_event(matter, EventKind.SUPERVISION_MATTER_TRANSFERRED, to=matter.transferred_to,
                              due=matter.transfer_due_on.isoformat() if matter.transfer_due_on else None, late=late),
                 actor=actor)
    return matter


@transaction.atomic
def matter_close(*, matter: Matter, reason: str, outcome: str = "", actor: User) -> Matter:
    """Close a received matter without supervising it, with its reason. A dispute already in 行政复议
    or 行政诉讼 is closed as not supervised again, and the outcome tells the complainant
    where to go."""
    matter = _locked(matter, actor)
    valid = {r.value for r in CloseReason}
    if reason not in valid:
        raise Refused([Violation("matter.close_reason", "请选择不予监督的原因", TRIAGE_BASIS, "reason"),
                       *matter_action_check(matter=matter, action=MatterAction.CLOSE, actor=actor)])
    matter = _act(matter, MatterAction.CLOSE, actor, close_reason=reason)
    matter.close_reason = reason
    redirect_text = dispute_redirect_message(Dispute(matter.dispute or ""))
    matter.outcome = "\n".join(t for t in (redirect_text, outcome.strip()) if t)
    matter.save()
    entry_append(event=_event(matter, EventKind.SUPERVISION_MATTER_CLOSED, reason=reason,
                              basis=NOT_AGAIN_BASIS if redirect_text else TRIAGE_BASIS), actor=actor)
    return matter


@transaction.atomic
def matter_conclude(*, matter: Matter, outcome: str, actor: User) -> Matter:
    matter = _locked(matter, actor)
    if not outcome.strip():
        raise Refused([Violation("matter.outcome", "请填写办理结果", "数据校验", "outcome"),
                       *matter_action_check(matter=matter, action=MatterAction.CONCLUDE, actor=actor)])
    matter = _act(matter, MatterAction.CONCLUDE, actor)
    matter.outcome = outcome.strip()
    matter.save()
    entry_append(event=_event(matter, EventKind.SUPERVISION_MATTER_CONCLUDED), actor=actor)
    return matter


@transaction.atomic
def matter_mark_set(*, matter: Matter, mark: str, value: bool, reason: str, actor: User) -> Matter:
    """Set or clear 挂牌督办 / 提级监督 on an accepted matter."""
    matter = _locked(matter, actor)
    violations = []
    if mark not in {m.value for m in MatterMark}:
        violations.append(Violation("matter.mark", "请选择挂牌督办或者提级监督", MARKS_BASIS, "mark"))
    if not reason.strip():
        violations.append(Violation("matter.mark_reason", "请写明理由", MARKS_BASIS, "reason"))
    if violations:
        raise Refused(violations + matter_action_check(matter=matter, action=MatterAction.MARK, actor=actor))
    matter = _act(matter, MatterAction.MARK, actor)
    field = "listed" if mark == MatterMark.LISTED else "escalated"
    setattr(matter, field, value)
    matter.save()
    entry_append(event=_event(matter, EventKind.SUPERVISION_MARK_CHANGED, mark=mark, value=value,
                              reason=reason.strip(), basis=MARKS_BASIS), actor=actor)
    return matter


@transaction.atomic
def measure_record(
    *, matter: Matter, actor: User, kind: str, taken_on: dt.date | None, summary: str = "",
    reply_on: dt.date | None = None, attendees: str = "", record: str = "", cases: Sequence[Case] = (),
    grant_until: dt.datetime | None = None,
) -> Measure:
    """Record one of the regulation's measures on an accepted matter. 调阅案卷 names cases of the matter's
    agency and gives the matter's supervisors a read grant on them until `grant_until` (default
    `supervision.read_grant_days` from now, a platform rule)."""
    matter = _locked(matter, actor)
    now = timezone.now()
    try:
        measure_kind = MeasureKind(kind)
    except ValueError:
        raise Refused([Violation("measure.kind", "请选择监督措施", MEASURES_BASIS, "kind")]) from None
    days = int(parameters_default().value("supervision.read_grant_days", on=timezone.localdate()))
    if grant_until is not None and timezone.is_naive(grant_until):
        grant_until = timezone.make_aware(grant_until)  # a time without its zone is the server's (Asia/Shanghai)
    if measure_kind == MeasureKind.FILE_CALL and grant_until is None:
        grant_until = now + dt.timedelta(days=days)
    too_long = grant_until is not None and grant_until > now + dt.timedelta(days=days, minutes=1)
    draft = MeasureDraft(kind=measure_kind, taken_on=taken_on, summary=summary, reply_on=reply_on,
                         attendees=attendees, record=record, case_ids=tuple(c.pk for c in cases),
                         grant_until=grant_until)
    violations = measure_violations(draft, today=timezone.localdate(), now=now)
    for case in cases:
        if case.agency_id != matter.agency_id:
            violations.append(Violation("measure.case_agency", f"案件{case.number}不属于被监督机关，不能调阅",
                                        MEASURE_BASES[measure_kind], "cases"))
    if too_long:
        violations.append(Violation("measure.grant_too_long", f"调阅案卷的期限不得超过{days}日，期满需要继续调阅的，重新调阅",
                                    READ_GRANT_RULE, "grant_until"))
    violations += matter_action_check(matter=matter, action=MatterAction.MEASURE, actor=actor)
    if violations:
        raise Refused(violations)
    matter = _act(matter, MatterAction.MEASURE, actor)
    measure = Measure.objects.create(
        matter=matter, kind=measure_kind, taken_on=taken_on, summary=summary.strip(), reply_on=reply_on,
        attendees=attendees.strip(), record=record.strip(), recorded_by=actor,
    )
    grants = [ReadGrant(matter=matter, measure=measure, case=case, starts_at=now, expires_at=grant_until)
              for case in cases] if measure_kind == MeasureKind.FILE_CALL else []
    ReadGrant.objects.bulk_create(grants)
    payload = {"measure": measure.pk, "kind": measure_kind.value, "basis": MEASURE_BASES[measure_kind],
               "taken_on": taken_on.isoformat() if taken_on else None}
    if measure_kind == MeasureKind.SELF_INSPECTION:
        payload["reply_on"] = reply_on.isoformat()
    if measure_kind == MeasureKind.SUMMONS:
        payload["attendees"] = measure.attendees
    entry_append(event=_event(matter, EventKind.SUPERVISION_MEASURE_RECORDED, **payload), actor=actor)
    if grants:
        entry_append(event=_event(matter, EventKind.SUPERVISION_READ_GRANTED, measure=measure.pk,
                                  cases=[c.pk for c in cases], expires_at=grant_until.isoformat()), actor=actor)
    return measure
