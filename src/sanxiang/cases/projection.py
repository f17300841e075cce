"""The case projection: what lists and homes need of a case, stored when the case changes.

Each case's deadlines are stored as the phases its procedure gives (`CaseDeadline`, one row per
`procedure.penalty.deadlines.DeadlinePhase`), with the roles whose steps its state offers
(`CaseProjection.roles_next`) and the 复议 and 诉讼 its facts record (`CaseChallenge`, for the
correction indicator). Nothing stored depends on the day but the due-soon alert's number of days
(the parameter in force on the day of the refresh): the day's state (running, due soon, overdue,
met) is computed from the stored dates, in SQL by the lists (`selectors.deadline_rows_open`) and
in Python by `deadline_on`, with the same answer as the engine's.

`case_projection_refresh` runs in the transaction of every change of a case (the services call it
for the case, the case it belongs to and the cases that belong to it, whose snapshots read each
other), after a new year of the calendar is entered (the calendar's event), and after bulk loads.
`case_projection_check` compares the stored rows with a full recomputation through the engine as
of today; `case_projection_rebuild` recomputes everything. Both are registered as the projection
"cases.deadlines" (`sanxiang projection check|rebuild`).

A deadline that cannot be computed is not left out in silence: each reason (a parameter with no
value in force on the case's dates, named in the message; a date out of range) is stored as a
marker row (`CaseDeadline.uncomputable`, label "期限无法计算：…", no due date) before the phases
that could be computed, so that the lists show it as the case's next deadline. An exception of the
deadlines' code does not refuse the step that refreshes: it is logged, the case gets a marker and
its `CaseProjection` is marked `stale` with the error, and the check reports it until a refresh
computes it.

An edit of the registry that changes what a snapshot reads (a party's kind, which selects the
hearing thresholds; an agency's region, which selects local parameters; a matter's code) refreshes
the cases concerned in its transaction: the registry emits a typed event (`registry.events`), the
cases app subscribes (`registry_*_changed`). What is not refreshed by a write: a change of the
due-soon parameter on a later date. The check reports those rows and the rebuild repairs them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.utils import timezone

from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case, CaseChallenge, CaseDeadline, CaseProjection
from sanxiang.cases.search import case_search_refresh
from sanxiang.cases.selectors import case_snapshot_build, cases_officers_load
from sanxiang.procedure.calendar import WorkingDayCalendar
from sanxiang.procedure.catalog import ProcedureSpec, UnknownProcedure, procedure_spec
from sanxiang.procedure.parameters import ParameterMissing
from sanxiang.procedure.penalty.deadlines import DeadlinePhase, DeadlineProblem
from sanxiang.procedure.roles import Role
from sanxiang.procedure.violations import Violation

logger = logging.getLogger(__name__)

CHUNK = 500
UNCOMPUTABLE = "期限无法计算"
# The marker of a case whose deadlines' computation failed (the error itself is in the log and in
# `CaseProjection.error`, never on a page).
ERROR_CODE = "projection.error"
ERROR_LABEL = f"{UNCOMPUTABLE}：系统计算期限时出错，已记录，请联系系统管理员"
ERROR_BASIS = "平台规则：期限由系统计算"
# The fields of a stored row compared by the check, with their names in its report.
FIELD_LABELS = {
    "code": "代码",
    "label": "名称",
    "uncomputable": "是否无法计算",
    "due": "届满日",
    "completed_on": "完成日",
    "late": "是否逾期完成",
    "estimated": "是否估算",
    "basis": "依据",
    "met": "是否已完成",
    "soon_days": "提前提醒天数",
    "soon_from": "提醒起始日",
    "shown_from": "显示起始日",
    "shown_until": "显示截止日",
}


def roles_next(spec: ProcedureSpec, state: str) -> frozenset[str]:
    """The roles whose steps the state offers (transitions from it and recording steps in it),
    as the spec's steps declare them; guards are not judged here (the case page does)."""
    roles: set[str] = set()
    for step in spec.steps:
        if step.transition:
            transition = spec.engine.transition(step.name)
            offered = state in transition.sources
        else:
            offered = state in step.states
        if offered:
            roles.update(step.roles if step.roles is not None else Role)
    return frozenset(str(r) for r in roles)


def roles_next_stored(roles: Iterable[str]) -> str:
    """",officer,agency_head," (sorted): a role is found with a portable `contains` filter."""
    roles = sorted(roles)
    return f",{','.join(roles)}," if roles else ""


@dataclass(frozen=True)
class CasePhases:
    """A case's deadlines as its procedure computes them: the phases, why any could not be
    computed (`problems`, each with the day from which it matters), and `error` when the
    computation itself failed (an exception's type and message, for the log and the check)."""

    phases: list[DeadlinePhase]
    problems: list[DeadlineProblem]
    error: str = ""


def case_phases_computed(case: Case, *, on: dt.date, calendar: WorkingDayCalendar, snapshot=None) -> CasePhases:
    """The case's deadline phases from a fresh snapshot (or `snapshot`, the one the step that just
    saved the case computed: the same value, not built twice), and why some or all could not be
    computed. Never raises for a defect of the deadlines' code: the step that refreshes the
    projection is taken all the same, the error is logged and the case is marked (a database
    error is raised: the transaction is lost anyway)."""
    try:
        spec = procedure_spec(case.procedure)
    except UnknownProcedure:
        return CasePhases([], [])
    try:
        phases, problems = spec.deadline_phases_checked(case_snapshot_build(case) if snapshot is None else snapshot, calendar=calendar, on=on)
    except DatabaseError:
        raise
    except ParameterMissing as missing:  # a procedure that lets one escape: the parameter is named
        return CasePhases([], [DeadlineProblem(missing.violation)])
    except Exception as exc:
        logger.exception("case %s (%s): computing its deadline phases failed; projection marked stale",
                         case.number, case.pk)
        return CasePhases([], [], error=f"{type(exc).__name__}: {exc}"[:2000])
    return CasePhases(list(phases), list(problems))


def case_phases(case: Case, *, on: dt.date, calendar: WorkingDayCalendar) -> list[DeadlinePhase]:
    """The case's deadline phases (none for a procedure the catalogue no longer knows, or when
    they could not be computed: `case_phases_computed` says why)."""
    return case_phases_computed(case, on=on, calendar=calendar).phases


def _case_roles(case: Case) -> str:
    try:
        spec = procedure_spec(case.procedure)
    except UnknownProcedure:
        return ""
    return roles_next_stored(roles_next(spec, case.state))


def marker_label(message: str) -> str:
    """The label of a marker row: "期限无法计算：" and the reason (which names the parameter)."""
    label = message if UNCOMPUTABLE in message else f"{UNCOMPUTABLE}：{message}"
    return label[:400]


def _marker(case_id: int, position: int, *, code: str, label: str, basis: str,
            shown_from: dt.date | None) -> CaseDeadline:
    return CaseDeadline(
        case_id=case_id, position=position, code=code[:80], label=label, uncomputable=True, due=None,
        basis=basis, soon_from=None, shown_from=shown_from,
    )


def _row(case_id: int, position: int, phase: DeadlinePhase) -> CaseDeadline:
    return CaseDeadline(
        case_id=case_id,
        position=position,
        code=phase.code,
        label=phase.label,
        due=phase.due,
        completed_on=phase.completed_on,
        late=phase.late,
        estimated=phase.estimated,
        basis=phase.basis,
        met=phase.met,
        soon_days=phase.soon_days,
        soon_from=phase.soon_from,
        shown_from=phase.shown_from,
        shown_until=phase.shown_until,
    )


def case_rows(case_id: int, computed: CasePhases) -> list[CaseDeadline]:
    """The rows stored for a case: first a marker per reason a deadline could not be computed
    (one per reason, shown from the earliest day it matters), then the phases."""
    firsts: dict[Violation, dt.date | None] = {}
    for problem in computed.problems:
        if problem.violation not in firsts:
            firsts[problem.violation] = problem.shown_from
        elif firsts[problem.violation] is not None:
            firsts[problem.violation] = None if problem.shown_from is None else min(
                firsts[problem.violation], problem.shown_from)
    rows: list[CaseDeadline] = []
    if computed.error:
        rows.append(_marker(case_id, 0, code=ERROR_CODE, label=ERROR_LABEL, basis=ERROR_BASIS, shown_from=None))
    for violation, shown_from in firsts.items():
        rows.append(_marker(case_id, len(rows), code=violation.code, label=marker_label(violation.message),
                            basis=violation.legal_basis or "", shown_from=shown_from))
    rows += [_row(case_id, len(rows) + i, p) for i, p in enumerate(computed.phases)]
    return rows


def _cases(ids: list[int]):
    return Case.objects.filter(pk__in=ids).select_related("agency", "matter", "party").order_by("pk")


def case_projection_refresh(*, case_ids: Iterable[int], on: dt.date | None = None, snapshots=None,
                            calendar: WorkingDayCalendar | None = None, cases: dict[int, Case] | None = None,
                            locked: bool = False) -> int:
    """Recompute and store the projection of these cases (deadline rows and `roles_next`) in the
    caller's transaction (or one of its own); returns the number of deadline rows written.
    `snapshots` (by case id) are snapshots of the cases as saved, which the caller already has;
    `cases` (by case id) the rows as saved, with their agency, party and matter, which are then
    not read again; `locked`: the caller holds the lock of every one of these rows
    (`services._case_family_locked`), which is then not taken again. A case whose deadlines cannot
    be computed gets a marker row instead (and, on an error, is marked stale): the refresh never
    refuses the change that asked for it."""
    ids = sorted({int(i) for i in case_ids if i is not None})
    if not ids:
        return 0
    on = on or timezone.localdate()
    calendar = calendar or working_day_calendar_current()
    given = cases or {}
    written = 0
    # No savepoint: a failure here fails the caller's transaction, which is what it would do anyway.
    with transaction.atomic(savepoint=False):
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            if not locked:
                # Two transactions refreshing the same case (a step on a penalty case and one on its
                # execution, a calendar year) queue here instead of one failing on the rows the other
                # inserted, and each recomputes from what the other committed. Always in pk order, as
                # `case_action_perform` locks a case's family, so that the waits cannot form a cycle.
                list(Case.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk", flat=True))
            missing = [pk for pk in chunk if pk not in given]
            read = {case.pk: case for case in _cases(missing)} if missing else {}
            cases_chunk = [given.get(pk) or read.get(pk) for pk in chunk]
            cases_chunk = [case for case in cases_chunk if case is not None]
            rows: list[CaseDeadline] = []
            summaries: list[CaseProjection] = []
            needing = [case for case in cases_chunk if case.pk not in (snapshots or {})]
            if len(needing) > 1:
                cases_officers_load(needing)  # two queries for the chunk, not two per case's snapshot
            for case in cases_chunk:
                computed = case_phases_computed(case, on=on, calendar=calendar, snapshot=(snapshots or {}).get(case.pk))
                rows += case_rows(case.pk, computed)
                summaries.append(CaseProjection(case_id=case.pk, roles_next=_case_roles(case),
                                                stale=bool(computed.error), error=computed.error))
            CaseDeadline.objects.filter(case_id__in=chunk).delete()
            CaseDeadline.objects.bulk_create(rows, batch_size=CHUNK)
            CaseProjection.objects.filter(case_id__in=chunk).delete()
            CaseProjection.objects.bulk_create(summaries, batch_size=CHUNK)
            case_challenges_store(cases=cases_chunk)
            # The case list's search grams (number, title, party's name) follow the same writes.
            case_search_refresh(case_ids=chunk, cases={case.pk: case for case in cases_chunk})
            written += len(rows)
    return written


def challenge_rows(case: Case) -> list[CaseChallenge]:
    """The case's 复议 and 诉讼 as its facts record them (none for a procedure that records none)."""
    rows = []
    for position, challenge in enumerate((case.facts or {}).get("challenges") or []):
        rows.append(CaseChallenge(
            case_id=case.pk, position=position, kind=challenge["kind"],
            started_on=dt.date.fromisoformat(challenge["started_on"]),
            ended_on=dt.date.fromisoformat(challenge["ended_on"]) if challenge.get("ended_on") else None,
            result=challenge.get("result") or "",
        ))
    return rows


def _challenge_key(row: CaseChallenge) -> tuple:
    return (row.position, row.kind, row.started_on, row.ended_on, row.result)


def case_challenges_store(*, cases: list[Case]) -> int:
    """Store the challenge rows of the cases that record a challenge (a challenge is never removed
    from the facts: a case without one has no rows, and costs no query)."""
    with_challenges = [c for c in cases if (c.facts or {}).get("challenges")]
    if not with_challenges:
        return 0
    rows = [row for case in with_challenges for row in challenge_rows(case)]
    CaseChallenge.objects.filter(case_id__in=[c.pk for c in with_challenges]).delete()
    CaseChallenge.objects.bulk_create(rows, batch_size=CHUNK)
    return len(rows)


def case_projection_refresh_related(*, case: Case, on: dt.date | None = None, snapshot=None,
                                    calendar: WorkingDayCalendar | None = None,
                                    family: dict[int, Case] | None = None) -> int:
    """Refresh the case, the case it belongs to and the cases that belong to it (their snapshots
    read one another: an execution follows its penalty case's payments). `snapshot` is the case's
    own as just saved (`case_action_perform` has it: the projection does not build it again).
    `family`: the family's rows as the caller locked them (`services._case_family_locked`, in this
    transaction): its members are not looked up nor locked again, and the case itself (`case`, as
    saved) is not read again; the others are read afresh."""
    if family is not None:
        ids = {case.pk, *family}
    else:
        ids = {case.pk, case.parent_id, *Case.objects.filter(parent_id=case.pk).values_list("pk", flat=True)}
    return case_projection_refresh(case_ids=ids, on=on, snapshots={case.pk: snapshot} if snapshot is not None else None,
                                   calendar=calendar, cases={case.pk: case} if family is not None else None,
                                   locked=family is not None)


# The registry's fields that a case's snapshot reads (`selectors.SNAPSHOT_SOURCES`): an edit of
# any other field (a phone number, an address) leaves every projection as it was.
AGENCY_FIELDS_READ = frozenset({"region_code", "kind"})
PARTY_FIELDS_READ = frozenset({"kind", "name", "credit_code", "id_type", "id_number"})
MATTER_FIELDS_READ = frozenset({"code"})


def _with_children(cases) -> set[int]:
    """The cases and those that belong to them (an execution reads its penalty case's party)."""
    ids = set(cases.values_list("pk", flat=True))
    if ids:
        ids |= set(Case.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
    return ids


def registry_agency_changed(event) -> int:
    """An agency's region or kind changed: refresh its cases (and their executions)."""
    if not event.changed & AGENCY_FIELDS_READ:
        return 0
    return case_projection_refresh(case_ids=_with_children(Case.objects.filter(agency_id=event.agency_id)))


def registry_party_changed(event) -> int:
    """A party's kind or identity changed: refresh its cases (and their executions)."""
    if not event.changed & PARTY_FIELDS_READ:
        return 0
    return case_projection_refresh(case_ids=_with_children(Case.objects.filter(party_id=event.party_id)))


def registry_matter_changed(event) -> int:
    """A matter's code changed: refresh the cases under it (and their executions)."""
    if not event.changed & MATTER_FIELDS_READ:
        return 0
    return case_projection_refresh(case_ids=_with_children(Case.objects.filter(matter_id=event.matter_id)))


def _compare(number: str, position: int, stored: CaseDeadline | None, expected: CaseDeadline | None) -> list[str]:
    if stored is None and expected is not None:
        return [f"案件{number}：缺少期限“{expected.label}”（第{position + 1}项）"]
    if expected is None and stored is not None:
        return [f"案件{number}：多出期限“{stored.label}”（第{position + 1}项），重新计算时没有"]
    assert stored is not None and expected is not None
    lines = []
    for name, label in FIELD_LABELS.items():
        have, want = getattr(stored, name), getattr(expected, name)
        if have != want:
            lines.append(f"案件{number}：期限“{expected.label}”的{label}存储为“{have}”，重新计算为“{want}”")
    return lines


def case_projection_check(*, on: dt.date | None = None, case_ids: Iterable[int] | None = None) -> list[str]:
    """The differences between the stored projection and a full recomputation through the engine
    as of `on` (today), each a line naming the case, the deadline and the field; [] when equal.
    A case marked stale (its computation failed at a step) is reported, and so is a case whose
    recomputation fails now. Every case, or those of `case_ids`."""
    on = on or timezone.localdate()
    calendar = working_day_calendar_current()
    lines: list[str] = []
    cases = Case.objects.order_by("pk")
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    ids = list(cases.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        stored: dict[int, list[CaseDeadline]] = {}
        for row in CaseDeadline.objects.filter(case_id__in=chunk).order_by("case_id", "position"):
            stored.setdefault(row.case_id, []).append(row)
        projections = {p.case_id: p for p in CaseProjection.objects.filter(case_id__in=chunk)}
        challenges: dict[int, list[tuple]] = {}
        for row in CaseChallenge.objects.filter(case_id__in=chunk).order_by("case_id", "position"):
            challenges.setdefault(row.case_id, []).append(_challenge_key(row))
        for case in _cases(chunk):
            expected_challenges = [_challenge_key(row) for row in challenge_rows(case)]
            if challenges.get(case.pk, []) != expected_challenges:
                lines.append(f"案件{case.number}：行政复议、行政诉讼的存储记录与案件事实不一致")
            rows = stored.get(case.pk, [])
            computed = case_phases_computed(case, on=on, calendar=calendar)
            expected = case_rows(case.pk, computed)
            projection = projections.get(case.pk)
            if projection is not None and projection.stale:
                lines.append(f"案件{case.number}：案件投影标记为待重算（期限计算出错：{projection.error or '未记录'}）")
            if computed.error:
                lines.append(f"案件{case.number}：重新计算期限出错（{computed.error}）")
            for position in range(max(len(rows), len(expected))):
                lines += _compare(
                    case.number,
                    position,
                    rows[position] if position < len(rows) else None,
                    expected[position] if position < len(expected) else None,
                )
            roles = _case_roles(case)
            if projection is None:
                lines.append(f"案件{case.number}：缺少案件投影（下一步办理角色）")
            elif roles != projection.roles_next:
                lines.append(f"案件{case.number}：下一步办理角色存储为“{projection.roles_next}”，重新计算为“{roles}”")
    return lines


def case_projection_rebuild() -> int:
    """Recompute the projection of every case as of today; returns the number of rows written."""
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        CaseDeadline.objects.exclude(case_id__in=Case.objects.values("pk")).delete()
        return case_projection_refresh(case_ids=ids)


def cases_counted_across_refresh(*, since: dt.date) -> int:
    """After a year of the calendar was entered: refresh the cases with a deadline from `since` on
    or an estimated one (the days counted across that year may move)."""
    from django.db.models import Q

    ids = CaseDeadline.objects.filter(Q(due__gte=since) | Q(estimated=True)).values_list("case_id", flat=True)
    return case_projection_refresh(case_ids=set(ids))


__all__ = [
    "UNCOMPUTABLE",
    "CasePhases",
    "case_phases",
    "case_phases_computed",
    "case_projection_check",
    "case_projection_rebuild",
    "case_projection_refresh",
    "case_projection_refresh_related",
    "case_rows",
    "cases_counted_across_refresh",
    "roles_next",
]
