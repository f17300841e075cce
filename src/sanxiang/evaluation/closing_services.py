"""Writes of the plan's closing steps (总结验收, issue 15 item 7).

- Summaries (工作总结): `summary_drafts_create` drafts each agency's summary of the year with its
  figures (idempotent, from the draft day on); `summary_sections_save` and `summary_submit` are the
  agency head's (submission freezes the figures); `summary_return`, `summary_receive` the bureau's.
- Acceptance (验收): `acceptance_round_open` opens the year's round with a checklist per agency and
  the scores in force; `acceptance_check_score` scores a checklist (and concludes it: 通过/不通过 by
  the pass mark); `acceptance_round_close` ends the round once every checklist is concluded.
- Work report (工作报告): `work_report_save` generates the county's figures and keeps the bureau's
  text; `work_report_submit` freezes the figures and sends it to the government.
Each changes its rows and appends its ledger entry in one transaction; a refusal names every reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import IntegrityError, transaction

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.evaluation.closing_documents import sections_unprintable
from sanxiang.evaluation.closing_figures import agency_year_figures, county_year_figures
from sanxiang.evaluation.models import (
    AcceptanceCheck,
    AcceptanceRound,
    AnnualSummary,
    SummaryStep,
    WorkReport,
)
from sanxiang.ledger.canonical import canonical_json
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.evaluation.closing import (
    ACCEPTANCE_BASIS,
    CRITERIA,
    SUMMARY_SECTION_LABELS,
    WORK_REPORT_BASIS,
    WORK_REPORT_SECTION_LABELS,
    acceptance_actor_violations,
    acceptance_max_scores,
    acceptance_pass_score,
    acceptance_result,
    acceptance_scores_violations,
    acceptance_total,
    points_text,
    round_close_violations,
    round_year_violations,
    score_parse,
    summary_action_violations,
    summary_due_basis,
    summary_due_on,
    summary_sections_violations,
    summary_year_to_draft,
    work_report_violations,
)
from sanxiang.procedure.evaluation.reports import (
    ReportAction,
    ReportActor,
    ReportState,
    report_state_after,
    report_submitted_late,
    return_violations,
)
from sanxiang.procedure.violations import FORM_BASIS, PLATFORM_PREFIX, Refused, Violation
from sanxiang.registry.models import Agency, AgencyStatus

ROUND_OPEN_BASIS = f"{PLATFORM_PREFIX}：每个司法局每年组织一轮验收"


def _digest(value) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def _is_supervisor_of(user: User, bureau_id: int | None) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.SUPERVISOR
        and bureau_id is not None
        and user.agency_id == bureau_id
    )


def _unprintable(characters: list[str]) -> list[Violation]:
    if not characters:
        return []
    return [
        Violation(
            "closing.unprintable",
            f"内容中有无法打印的字符：{'、'.join(characters)}，请改用其他写法",
            FORM_BASIS,
        )
    ]


def county_agencies(*, bureau: Agency) -> list[Agency]:
    """The agencies a bureau supervises: its county's active enforcement agencies."""
    return list(
        Agency.objects.filter(
            region_code=bureau.region_code, is_judicial_bureau=False, status=AgencyStatus.ACTIVE
        ).order_by("name", "pk")
    )


# --- Summaries ---------------------------------------------------------------------------------------


def summary_actor(*, user: User, summary: AnnualSummary) -> ReportActor:
    if not user.is_authenticated:
        return ReportActor.OTHER
    if user.role == Role.AGENCY_HEAD and user.agency_id == summary.agency_id:
        return ReportActor.AGENCY_HEAD
    if user.role in AGENCY_ROLES and user.agency_id == summary.agency_id:
        return ReportActor.AGENCY_STAFF
    if _is_supervisor_of(user, summary.bureau_id):
        return ReportActor.SUPERVISOR
    return ReportActor.OTHER


def _summary_event(summary: AnnualSummary, kind: EventKind, /, **payload) -> LedgerEvent:
    return LedgerEvent(
        kind,
        {
            "summary": summary.pk,
            "agency": summary.agency_id,
            "year": summary.year,
            "state": summary.state,
            **payload,
        },
        agency_id=summary.agency_id,
        subject=f"annual_summary:{summary.pk}",
    )


def _sections_clean(sections: dict[str, str], labels) -> dict[str, str]:
    return {str(key): (sections.get(str(key)) or "").strip() for key in labels}


def summary_drafts_create(*, on: dt.date, agencies: list[Agency] | None = None) -> int:
    """Draft, for every active agency without one, its summary of this year with the year's figures
    (from the draft day on; idempotent). Returns how many were drafted."""
    year = summary_year_to_draft(on=on)
    if year is None:
        return 0
    if agencies is None:
        agencies = list(
            Agency.objects.filter(status=AgencyStatus.ACTIVE, is_judicial_bureau=False).order_by("pk")
        )
    existing = set(AnnualSummary.objects.filter(year=year).values_list("agency_id", flat=True))
    missing = [a for a in agencies if a.pk not in existing and not a.is_judicial_bureau]
    if not missing:
        return 0
    figures = agency_year_figures(agency_ids=[a.pk for a in missing], year=year, today=on)
    bureaus: dict[str, Agency] = {}
    for bureau in Agency.objects.filter(is_judicial_bureau=True).order_by("pk"):
        bureaus.setdefault(bureau.region_code, bureau)
    due_on = summary_due_on(year=year)
    drafted = 0
    for agency in missing:
        try:
            with transaction.atomic():
                bureau = bureaus.get(agency.region_code)
                summary = AnnualSummary.objects.create(
                    agency=agency,
                    bureau=bureau,
                    year=year,
                    drafted_on=on,
                    due_on=due_on,
                    sections=_sections_clean({}, SUMMARY_SECTION_LABELS),
                    figures=figures[agency.pk],
                )
                SummaryStep.objects.create(summary=summary, action="draft", on=on, state_to=summary.state)
                entry_append(
                    event=_summary_event(
                        summary,
                        EventKind.EVALUATION_SUMMARY_DRAFTED,
                        bureau=bureau.pk if bureau else None,
                        drafted_on=on.isoformat(),
                        due_on=due_on.isoformat(),
                        basis=summary_due_basis(),
                        figures=summary.figures,
                        figures_sha256=_digest(summary.figures),
                    ),
                    actor=None,
                )
        except IntegrityError:  # drafted meanwhile by another run
            continue
        drafted += 1
    return drafted


def _summary_locked(summary: AnnualSummary) -> AnnualSummary:
    return AnnualSummary.objects.select_for_update().get(pk=summary.pk)


def _summary_step(
    summary: AnnualSummary, action: ReportAction, *, on: dt.date, actor: User, text: str = "", **payload
) -> None:
    SummaryStep.objects.create(
        summary=summary, action=str(action), on=on, actor=actor, text=text, state_to=summary.state
    )
    entry_append(
        event=_summary_event(
            summary,
            EventKind.EVALUATION_SUMMARY_STEP,
            action=str(action),
            on=on.isoformat(),
            text=text,
            **payload,
        ),
        actor=actor,
    )


def _summary_refuse(summary: AnnualSummary, action: ReportAction, actor: User, extra=()) -> None:
    violations = summary_action_violations(
        state=ReportState(summary.state), action=action, actor=summary_actor(user=actor, summary=summary)
    )
    violations += list(extra)
    if violations:
        raise Refused(violations)


@transaction.atomic
def summary_sections_save(
    *, summary: AnnualSummary, actor: User, on: dt.date, sections: dict[str, str], merge: bool = False
) -> AnnualSummary:
    """With `merge`, only the sections given change, merged into what the locked row holds."""
    summary = _summary_locked(summary)
    cleaned = _sections_clean({**(summary.sections or {}), **sections} if merge else sections, SUMMARY_SECTION_LABELS)
    _summary_refuse(
        summary, ReportAction.EDIT, actor, summary_sections_violations(sections=cleaned, submitting=False)
    )
    summary.sections = cleaned
    summary.save(update_fields=["sections", "updated_at"])
    _summary_step(summary, ReportAction.EDIT, on=on, actor=actor, sections_sha256=_digest(cleaned))
    return summary


@transaction.atomic
def summary_submit(
    *, summary: AnnualSummary, actor: User, on: dt.date, sections: dict[str, str] | None = None,
    merge: bool = False,
) -> AnnualSummary:
    """报送 (or 重新报送): the sections as written (with `merge`, the given ones merged into the locked
    row's) and the year's figures as they stand today, frozen."""
    summary = _summary_locked(summary)
    if merge:
        sections = {**(summary.sections or {}), **(sections or {})}
    cleaned = _sections_clean(summary.sections if sections is None else sections, SUMMARY_SECTION_LABELS)
    problems = summary_sections_violations(sections=cleaned, submitting=True)
    problems += _unprintable(sections_unprintable(summary=summary, sections=cleaned))
    _summary_refuse(summary, ReportAction.SUBMIT, actor, problems)
    figures = agency_year_figures(agency_ids=[summary.agency_id], year=summary.year, today=on)[
        summary.agency_id
    ]
    summary.state = report_state_after(state=ReportState(summary.state), action=ReportAction.SUBMIT)
    summary.sections = cleaned
    summary.figures = figures
    summary.figures_frozen_on = on
    summary.submitted_on = on
    summary.submitted_by = actor
    summary.first_submitted_on = summary.first_submitted_on or on
    summary.save()
    _summary_step(
        summary,
        ReportAction.SUBMIT,
        on=on,
        actor=actor,
        sections=cleaned,
        sections_sha256=_digest(cleaned),
        figures=figures,
        figures_sha256=_digest(figures),
        due_on=summary.due_on.isoformat(),
        late=report_submitted_late(due_on=summary.due_on, first_submitted_on=summary.first_submitted_on),
    )
    return summary


@transaction.atomic
def summary_return(*, summary: AnnualSummary, actor: User, on: dt.date, reason: str) -> AnnualSummary:
    summary = _summary_locked(summary)
    _summary_refuse(summary, ReportAction.RETURN, actor, return_violations(reason=reason))
    summary.state = report_state_after(state=ReportState(summary.state), action=ReportAction.RETURN)
    summary.save(update_fields=["state", "updated_at"])
    _summary_step(summary, ReportAction.RETURN, on=on, actor=actor, text=reason.strip())
    return summary


@transaction.atomic
def summary_receive(*, summary: AnnualSummary, actor: User, on: dt.date, text: str = "") -> AnnualSummary:
    summary = _summary_locked(summary)
    _summary_refuse(summary, ReportAction.RECEIVE, actor)
    summary.state = report_state_after(state=ReportState(summary.state), action=ReportAction.RECEIVE)
    summary.received_on = on
    summary.received_by = actor
    summary.save(update_fields=["state", "received_on", "received_by", "updated_at"])
    _summary_step(summary, ReportAction.RECEIVE, on=on, actor=actor, text=text.strip())
    return summary


# --- Acceptance --------------------------------------------------------------------------------------------


def _round_event(round_: AcceptanceRound, kind: EventKind, /, **payload) -> LedgerEvent:
    return LedgerEvent(
        kind,
        {"round": round_.pk, "bureau": round_.bureau_id, "year": round_.year, **payload},
        agency_id=round_.bureau_id,
        subject=f"acceptance_round:{round_.pk}",
    )


@transaction.atomic
def acceptance_round_open(*, bureau: Agency, year: int, actor: User, on: dt.date) -> AcceptanceRound:
    """The bureau's round of acceptance for `year`: a checklist for each agency of its county, with the
    criteria's maximum scores and the pass mark in force today (kept with the round)."""
    violations: list[Violation] = []
    if not _is_supervisor_of(actor, bureau.pk):
        violations += acceptance_actor_violations(is_supervisor=False, round_closed=False, concluded=False)
    violations += round_year_violations(year=year, on=on)
    if AcceptanceRound.objects.filter(bureau=bureau, year=year).exists():
        violations.append(Violation("acceptance.round_exists", f"{year}年度的验收已经开始", ROUND_OPEN_BASIS))
    agencies = county_agencies(bureau=bureau)
    if not agencies:
        violations.append(
            Violation("acceptance.no_agencies", "本县没有在册的行政执法机关，无法组织验收", ACCEPTANCE_BASIS)
        )
    if violations:
        raise Refused(violations)
    max_scores = {code: str(score) for code, score in acceptance_max_scores(on=on).items()}
    pass_score = acceptance_pass_score(on=on)
    try:
        with transaction.atomic():  # two supervisors opening the year at once: one round, the other refused
            round_ = AcceptanceRound.objects.create(
                bureau=bureau, year=year, opened_on=on, opened_by=actor, max_scores=max_scores, pass_score=pass_score
            )
    except IntegrityError:
        raise Refused(
            [Violation("acceptance.round_exists", f"{year}年度的验收已经开始", ROUND_OPEN_BASIS)]
        ) from None
    AcceptanceCheck.objects.bulk_create([AcceptanceCheck(round=round_, agency=a) for a in agencies])
    entry_append(
        event=_round_event(
            round_,
            EventKind.EVALUATION_ACCEPTANCE_OPENED,
            opened_on=on.isoformat(),
            agencies=[a.pk for a in agencies],
            max_scores=max_scores,
            pass_score=str(pass_score),
            basis=ACCEPTANCE_BASIS,
        ),
        actor=actor,
    )
    return round_


@transaction.atomic
def acceptance_check_score(
    *,
    check: AcceptanceCheck,
    actor: User,
    on: dt.date,
    scores: dict[str, str],
    findings: dict[str, str],
    conclude: bool,
) -> AcceptanceCheck:
    """Scores and findings of one agency's checklist; `conclude` gives the result (通过 when the total
    reaches the round's pass mark), after which the checklist is not changed."""
    check = AcceptanceCheck.objects.select_for_update().select_related("round", "agency").get(pk=check.pk)
    round_ = check.round
    max_scores = {code: score_parse(v) for code, v in round_.max_scores.items()}
    scores = {c.code: str(scores.get(c.code) or "").strip() for c in CRITERIA if c.code in max_scores}
    findings = {c.code: (findings.get(c.code) or "").strip() for c in CRITERIA if c.code in max_scores}
    violations = acceptance_actor_violations(
        is_supervisor=_is_supervisor_of(actor, round_.bureau_id),
        round_closed=round_.closed,
        concluded=bool(check.result),
    )
    violations += acceptance_scores_violations(
        scores=scores, findings=findings, max_scores=max_scores, concluding=conclude
    )
    if violations:
        raise Refused(violations)
    check.scores = {code: points_text(score_parse(v)) for code, v in scores.items() if v}
    check.findings = findings
    check.total = acceptance_total(scores=check.scores)
    if conclude:
        check.result = acceptance_result(total=check.total, pass_score=round_.pass_score)
        check.concluded_on = on
        check.concluded_by = actor
    check.save()
    entry_append(
        event=_round_event(
            round_,
            EventKind.EVALUATION_ACCEPTANCE_SCORED,
            check=check.pk,
            agency=check.agency_id,
            scores=check.scores,
            findings=findings,
            total=str(check.total),
            result=check.result,
            on=on.isoformat(),
        ),
        actor=actor,
    )
    return check


@transaction.atomic
def acceptance_round_close(*, round_: AcceptanceRound, actor: User, on: dt.date) -> AcceptanceRound:
    """结束验收: every checklist concluded (each agency without a conclusion is named)."""
    round_ = AcceptanceRound.objects.select_for_update().get(pk=round_.pk)
    unconcluded = list(
        round_.checks.filter(result="")
        .select_related("agency")
        .order_by("agency__name")
        .values_list("agency__name", flat=True)
    )
    violations = round_close_violations(
        is_supervisor=_is_supervisor_of(actor, round_.bureau_id),
        closed=round_.closed,
        unconcluded=unconcluded,
    )
    if violations:
        raise Refused(violations)
    round_.closed_on = on
    round_.closed_by = actor
    round_.save(update_fields=["closed_on", "closed_by"])
    results = dict(round_.checks.values_list("agency_id", "result"))
    entry_append(
        event=_round_event(
            round_,
            EventKind.EVALUATION_ACCEPTANCE_CLOSED,
            closed_on=on.isoformat(),
            results={str(k): v for k, v in sorted(results.items())},
        ),
        actor=actor,
    )
    return round_


# --- The work report -------------------------------------------------------------------------------------


def _work_report_figures(round_: AcceptanceRound, on: dt.date) -> list[dict]:
    bureau = round_.bureau
    agency_ids = [a.pk for a in county_agencies(bureau=bureau)]
    return county_year_figures(
        bureau_id=bureau.pk, round_id=round_.pk, agency_ids=agency_ids, year=round_.year, today=on
    )


@transaction.atomic
def work_report_save(
    *,
    bureau: Agency,
    year: int,
    actor: User,
    on: dt.date,
    sections: dict[str, str] | None = None,
    merge: bool = False,
) -> WorkReport:
    """Generate (or regenerate) the county's work report on `year`: the figures as they stand
    today, and the bureau's text when given (with `merge`, only the sections given change, merged
    into what the locked row holds). Only after the year's acceptance is over."""
    round_ = AcceptanceRound.objects.select_related("bureau").filter(bureau=bureau, year=year).first()
    report = WorkReport.objects.select_for_update().filter(bureau=bureau, year=year).first()
    kept = report.sections if report else {}
    if sections is not None and merge:
        sections = {**(kept or {}), **sections}
    cleaned = _sections_clean(sections if sections is not None else kept, WORK_REPORT_SECTION_LABELS)
    violations = work_report_violations(
        is_supervisor=_is_supervisor_of(actor, bureau.pk),
        round_closed=bool(round_ and round_.closed),
        submitted=bool(report and report.submitted_on),
        sections=cleaned,
        submitting=False,
    )
    if violations:
        raise Refused(violations)
    figures = _work_report_figures(round_, on)
    if report is None:
        try:
            with transaction.atomic():
                report = WorkReport.objects.create(
                    bureau=bureau, year=year, round=round_, sections=cleaned, figures=figures, figures_on=on
                )
        except IntegrityError:  # generated meanwhile by another supervisor: this generation refreshes it
            report = WorkReport.objects.select_for_update().get(bureau=bureau, year=year)
            if report.submitted_on is not None:
                raise Refused(
                    work_report_violations(
                        is_supervisor=True, round_closed=True, submitted=True, sections={}, submitting=False
                    )
                ) from None
            report.sections, report.figures, report.figures_on = cleaned, figures, on
            report.save()
    else:
        report.sections, report.figures, report.figures_on = cleaned, figures, on
        report.save()
    entry_append(
        event=LedgerEvent(
            EventKind.EVALUATION_WORK_REPORT_SAVED,
            {
                "work_report": report.pk,
                "bureau": bureau.pk,
                "year": year,
                "round": round_.pk,
                "on": on.isoformat(),
                "sections_sha256": _digest(cleaned),
                "figures": figures,
                "figures_sha256": _digest(figures),
            },
            agency_id=bureau.pk,
            subject=f"work_report:{report.pk}",
        ),
        actor=actor,
    )
    return report


@transaction.atomic
def work_report_submit(
    *, report: WorkReport, actor: User, on: dt.date, sections: dict[str, str] | None = None, merge: bool = False
) -> WorkReport:
    """报送旗人民政府: the text as written (with `merge`, the given sections merged into the locked
    row's) and the figures of today, frozen."""
    report = WorkReport.objects.select_for_update().select_related("round", "round__bureau").get(pk=report.pk)
    if sections is not None and merge:
        sections = {**(report.sections or {}), **sections}
    cleaned = _sections_clean(report.sections if sections is None else sections, WORK_REPORT_SECTION_LABELS)
    violations = work_report_violations(
        is_supervisor=_is_supervisor_of(actor, report.bureau_id),
        round_closed=report.round.closed,
        submitted=report.submitted_on is not None,
        sections=cleaned,
        submitting=True,
    )
    violations += _unprintable(sections_unprintable(report=report, sections=cleaned))
    if violations:
        raise Refused(violations)
    report.figures = _work_report_figures(report.round, on)
    report.figures_on = on
    report.sections = cleaned
    report.submitted_on = on
    report.submitted_by = actor
    report.save()
    entry_append(
        event=LedgerEvent(
            EventKind.EVALUATION_WORK_REPORT_SUBMITTED,
            {
                "work_report": report.pk,
                "bureau": report.bureau_id,
                "year": report.year,
                "on": on.isoformat(),
                "sections": cleaned,
                "sections_sha256": _digest(cleaned),
                "figures": report.figures,
                "figures_sha256": _digest(report.figures),
                "basis": WORK_REPORT_BASIS,
            },
            agency_id=report.bureau_id,
            subject=f"work_report:{report.pk}",
        ),
        actor=actor,
    )
    return report
