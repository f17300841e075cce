"""Writes of the monthly progress reports (月报, issue 15 item 4).

- `report_drafts_create`: the platform drafts each agency's report for the previous month from its
  records (idempotent: an agency's report for a month is drafted once, whoever runs it and however
  often). Run daily by the scheduler, or `sanxiang reports_draft --on DATE`.
- `report_sections_save`, `report_submit`: the agency head writes and submits (报送, 重新报送);
  submission freezes the figures.
- `report_return`, `report_comment`, `report_receive`: the county's supervisors.
- `report_matter_open`: a late or missing report becomes a supervision matter (日常监督).
Each changes its rows and appends its ledger entry in one transaction; a refusal names every reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import IntegrityError, transaction

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.evaluation.models import MonthlyReport, ReportStep
from sanxiang.evaluation.report_documents import report_unprintable
from sanxiang.evaluation.report_figures import figures_compute
from sanxiang.ledger.canonical import canonical_json
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.evaluation.reports import (
    DRAFT_DAY,
    REPORT_SECTION_LABELS,
    ReportAction,
    ReportActor,
    ReportMonth,
    ReportState,
    comment_violations,
    report_action_violations,
    report_due_basis,
    report_due_on,
    report_overdue,
    report_sections_violations,
    report_state_after,
    report_submitted_late,
    return_violations,
)
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.violations import FORM_BASIS, PLATFORM_PREFIX, Refused, Violation
from sanxiang.registry.models import Agency, AgencyStatus

MATTER_BASIS = f"{PLATFORM_PREFIX}：逾期未报送或者逾期报送的月报，可以由司法局转为监督事项"


def report_actor(*, user: User, report: MonthlyReport) -> ReportActor:
    """What `user` is to the report: its agency's head, its agency's other staff, a supervisor of
    the bureau it goes to, or nobody."""
    if not user.is_authenticated:
        return ReportActor.OTHER
    if user.role == Role.AGENCY_HEAD and user.agency_id == report.agency_id:
        return ReportActor.AGENCY_HEAD
    if user.role in AGENCY_ROLES and user.agency_id == report.agency_id:
        return ReportActor.AGENCY_STAFF
    if user.role == Role.SUPERVISOR and report.bureau_id is not None and user.agency_id == report.bureau_id:
        return ReportActor.SUPERVISOR
    return ReportActor.OTHER


def _digest(value) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def _event(report: MonthlyReport, kind: EventKind, /, **payload) -> LedgerEvent:
    return LedgerEvent(
        kind,
        {"report": report.pk, "agency": report.agency_id, "month": f"{report.year}-{report.month:02d}",
         "state": report.state, **payload},
        agency_id=report.agency_id,
        subject=f"monthly_report:{report.pk}",
    )


def _sections_clean(sections: dict[str, str]) -> dict[str, str]:
    return {str(key): (sections.get(str(key)) or "").strip() for key in REPORT_SECTION_LABELS}


# --- Drafting ----------------------------------------------------------------------------------------

def report_month_to_draft(*, on: dt.date) -> ReportMonth | None:
    """The month whose reports are due to exist on `on`: the previous month, from its draft day (the
    1st) on. A run missed on the 1st (the server down) drafts them on the next run."""
    if on.day < int(parameters_default().value(DRAFT_DAY, on=on)):
        return None
    return ReportMonth.of(on).previous()


def _bureaus_by_region() -> dict[str, Agency]:
    bureaus: dict[str, Agency] = {}
    for bureau in Agency.objects.filter(is_judicial_bureau=True).order_by("pk"):
        bureaus.setdefault(bureau.region_code, bureau)
    return bureaus


def report_drafts_create(*, on: dt.date, agencies: list[Agency] | None = None) -> int:
    """Draft, for every active agency (the judicial bureaus excepted) without one, its report on the
    previous month, with the figures of its records. Returns how many were drafted (0 when all
    exist). Idempotent: the report of an agency and month is unique, and a concurrent run's report
    is left as it is. A fixed number of queries for the figures, whatever the number of agencies."""
    month = report_month_to_draft(on=on)
    if month is None:
        return 0
    if agencies is None:
        agencies = list(Agency.objects.filter(status=AgencyStatus.ACTIVE, is_judicial_bureau=False).order_by("pk"))
    existing = set(MonthlyReport.objects.filter(year=month.year, month=month.month).values_list("agency_id", flat=True))
    missing = [a for a in agencies if a.pk not in existing and not a.is_judicial_bureau]
    if not missing:
        return 0
    figures = figures_compute(agency_ids=[a.pk for a in missing], month=month)
    bureaus = _bureaus_by_region()
    due_on = report_due_on(month=month)
    drafted = 0
    for agency in missing:
        try:
            with transaction.atomic():
                _draft_one(agency=agency, bureau=bureaus.get(agency.region_code), month=month, on=on, due_on=due_on,
                           figures=figures[agency.pk])
        except IntegrityError:  # drafted meanwhile by another run
            continue
        drafted += 1
    return drafted


def _draft_one(*, agency: Agency, bureau: Agency | None, month: ReportMonth, on: dt.date, due_on: dt.date,
               figures: list[dict]) -> MonthlyReport:
    report = MonthlyReport.objects.create(
        agency=agency, bureau=bureau, year=month.year, month=month.month, state=ReportState.DRAFT, drafted_on=on,
        due_on=due_on, sections=_sections_clean({}), figures=figures,
    )
    ReportStep.objects.create(report=report, action="draft", on=on, actor=None, state_to=report.state)
    entry_append(event=_event(report, EventKind.EVALUATION_REPORT_DRAFTED, bureau=bureau.pk if bureau else None,
                              drafted_on=on.isoformat(), due_on=due_on.isoformat(), basis=report_due_basis(),
                              figures=figures, figures_sha256=_digest(figures)), actor=None)
    return report


# --- The agency's side ---------------------------------------------------------------------------------

def _locked(report: MonthlyReport, *, with_names: bool = False) -> MonthlyReport:
    """The report's row, locked. `with_names`: its agency and bureau read in the same query (the
    document's context prints their names), only the report's row locked."""
    rows = MonthlyReport.objects.select_for_update(of=("self",))
    if with_names:
        rows = rows.select_related("agency", "bureau")
    return rows.get(pk=report.pk)


def _step(report: MonthlyReport, action: ReportAction | str, *, on: dt.date, actor: User, text: str = "",
          **payload) -> None:
    ReportStep.objects.create(report=report, action=str(action), on=on, actor=actor, text=text,
                              state_to=report.state)
    entry_append(event=_event(report, EventKind.EVALUATION_REPORT_STEP, action=str(action), on=on.isoformat(),
                              text=text, **payload), actor=actor)


def _refuse_unless_allowed(report: MonthlyReport, action: ReportAction, actor: User,
                           extra: list[Violation] = ()) -> None:
    violations = report_action_violations(state=ReportState(report.state), action=action,
                                          actor=report_actor(user=actor, report=report))
    violations += list(extra)
    if violations:
        raise Refused(violations)


@transaction.atomic
def report_sections_save(*, report: MonthlyReport, actor: User, on: dt.date,
                         sections: dict[str, str], merge: bool = False) -> MonthlyReport:
    """The agency head saves what the agency writes (a draft, or a returned report). With `merge`,
    only the sections given change: they are merged into what the locked row holds, so that two
    saves of different sections at once both stay."""
    report = _locked(report)
    cleaned = _sections_clean({**(report.sections or {}), **sections} if merge else sections)
    _refuse_unless_allowed(report, ReportAction.EDIT, actor, report_sections_violations(sections=cleaned,
                                                                                        submitting=False))
    report.sections = cleaned
    report.save(update_fields=["sections", "updated_at"])
    _step(report, ReportAction.EDIT, on=on, actor=actor, sections_sha256=_digest(cleaned))
    return report


@transaction.atomic
def report_submit(*, report: MonthlyReport, actor: User, on: dt.date,
                  sections: dict[str, str] | None = None, merge: bool = False) -> MonthlyReport:
    """报送 (or 重新报送 after a return): the sections as written (saved with it when given; with
    `merge`, the given ones merged into the locked row's), and the figures of the records as they
    stand today, frozen beside the live ones."""
    report = _locked(report, with_names=True)
    if merge:
        sections = {**(report.sections or {}), **(sections or {})}
    cleaned = _sections_clean(report.sections if sections is None else sections)
    problems = report_sections_violations(sections=cleaned, submitting=True)
    unprintable = report_unprintable(report=report, sections=cleaned)
    if unprintable:
        problems.append(Violation("report.unprintable", f"报告中有无法打印的字符：{'、'.join(unprintable)}，请改用其他写法",
                                  FORM_BASIS))
    _refuse_unless_allowed(report, ReportAction.SUBMIT, actor, problems)
    figures = figures_compute(agency_ids=[report.agency_id], month=report.report_month)[report.agency_id]
    report.state = report_state_after(state=ReportState(report.state), action=ReportAction.SUBMIT)
    report.sections = cleaned
    report.figures = figures
    report.figures_frozen_on = on
    report.submitted_on = on
    report.submitted_by = actor
    report.first_submitted_on = report.first_submitted_on or on
    report.save()
    _step(report, ReportAction.SUBMIT, on=on, actor=actor, sections=cleaned, sections_sha256=_digest(cleaned),
          figures=figures, figures_sha256=_digest(figures), due_on=report.due_on.isoformat(),
          late=report_submitted_late(due_on=report.due_on, first_submitted_on=report.first_submitted_on))
    return report


# --- The bureau's side ---------------------------------------------------------------------------------

@transaction.atomic
def report_return(*, report: MonthlyReport, actor: User, on: dt.date, reason: str) -> MonthlyReport:
    """退回: the supervisors send the report back with what is to be changed."""
    report = _locked(report)
    _refuse_unless_allowed(report, ReportAction.RETURN, actor, return_violations(reason=reason))
    report.state = report_state_after(state=ReportState(report.state), action=ReportAction.RETURN)
    report.save(update_fields=["state", "updated_at"])
    _step(report, ReportAction.RETURN, on=on, actor=actor, text=reason.strip())
    return report


@transaction.atomic
def report_comment(*, report: MonthlyReport, actor: User, on: dt.date, text: str) -> MonthlyReport:
    """批注: a supervisor's comment, kept in the report's history (no change of state)."""
    report = _locked(report)
    _refuse_unless_allowed(report, ReportAction.COMMENT, actor, comment_violations(text=text))
    _step(report, ReportAction.COMMENT, on=on, actor=actor, text=text.strip())
    return report


@transaction.atomic
def report_receive(*, report: MonthlyReport, actor: User, on: dt.date, text: str = "") -> MonthlyReport:
    """接收: the report is received as submitted; it is not changed afterwards."""
    report = _locked(report)
    _refuse_unless_allowed(report, ReportAction.RECEIVE, actor)
    report.state = report_state_after(state=ReportState(report.state), action=ReportAction.RECEIVE)
    report.received_on = on
    report.received_by = actor
    report.save(update_fields=["state", "received_on", "received_by", "updated_at"])
    _step(report, ReportAction.RECEIVE, on=on, actor=actor, text=text.strip())
    return report


def report_matter_violations(*, report: MonthlyReport, actor: User, on: dt.date) -> list[Violation]:
    violations = []
    if report_actor(user=actor, report=report) != ReportActor.SUPERVISOR:
        violations.append(Violation("report.matter_actor", "只有本县司法局的监督人员可以将月报转为监督事项", MATTER_BASIS))
    late = report_submitted_late(due_on=report.due_on, first_submitted_on=report.first_submitted_on)
    if not (late or report_overdue(due_on=report.due_on, first_submitted_on=report.first_submitted_on, today=on)):
        violations.append(Violation("report.matter_not_late", "该月报没有逾期，不能转为监督事项", MATTER_BASIS))
    if report.matter_id is not None:
        violations.append(Violation("report.matter_exists", "该月报已经转为监督事项", MATTER_BASIS))
    return violations


@transaction.atomic
def report_matter_open(*, report: MonthlyReport, actor: User, on: dt.date):
    """A report not submitted by its due day (or submitted after it) becomes a supervision matter of
    the bureau (日常监督), about the agency; its origin names the report."""
    from sanxiang.procedure.supervision.rules import MatterSource
    from sanxiang.supervision.services import matter_open

    report = _locked(report)
    violations = report_matter_violations(report=report, actor=actor, on=on)
    if violations:
        raise Refused(violations)
    agency = report.agency
    if report.first_submitted_on is None:
        subject = f"{agency.name}{report.year}年{report.month}月工作推进情况逾期未报送"
        summary = f"应当于{report.due_on.isoformat()}前报送，至{on.isoformat()}仍未报送。"
    else:
        subject = f"{agency.name}{report.year}年{report.month}月工作推进情况逾期报送"
        summary = f"应当于{report.due_on.isoformat()}前报送，{report.first_submitted_on.isoformat()}报送。"
    matter = matter_open(bureau=report.bureau, source=MatterSource.ROUTINE, subject=subject, summary=summary,
                         received_on=on, agency=agency, actor=actor, origin=f"monthly_report:{report.pk}")
    report.matter = matter
    report.save(update_fields=["matter", "updated_at"])
    _step(report, "matter", on=on, actor=actor, text=matter.number, matter=matter.pk)
    return matter
