"""Platform alerts as a source of supervision matters (来源：平台预警:
the supervision information system raises early warnings). Each alert opens one matter, once: its
`alert_key` is unique, so a second run (or a concurrent one) opens nothing more. The matter names
the record behind it (`origin`), which its page links.

Sources (each a function returning the alerts of the day):
- publicity overdue: a decision's 公示 draft still unpublished after its due day;
- a major enforcement decision made without legal review (the review tallies);
- a mandatory recording missing: a step the audio-video list requires (the parameters of
  `procedure.evaluation.indicators.av_steps_required`, as the 音像记录覆盖率 indicator reads them)
  took place, by its stored record, before the day, and the case holds no audio or video of it.
  One matter per (case, step). The engine refuses to go on without a listed recording where it
  can; this finds the rest (records uploaded or issued outside the step, other lists since);
- high-frequency inspection of one enterprise (issue 17: every inspecting body and source counted
  within the window of `inspection.high_frequency_alert_*`, a platform rule);
- a 双随机 inspection's result (结果公告) unpublished after its due day (issue 17:
  `inspection.random_results_publication_working_days` from the day the result was told, stored
  on the inspection when it was told), one matter per inspection;
- an inspection begun in an emergency before the head's approval (事后补办; the rule and its basis in procedure.inspection.rules) whose
  approval was not obtained within `inspection.emergency_approval_days`, or that the head refused
  afterwards: one matter per inspection and kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from sanxiang.cases.selectors import av_step_cases
from sanxiang.inspection.inspection_selectors import (
    emergency_approvals_overdue,
    inspection_frequency_alerts,
    results_publication_overdue,
)
from sanxiang.procedure.evaluation.indicators import av_steps_required
from sanxiang.procedure.inspection.rules import EMERGENCY_BASIS
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.publication.models import DraftStatus, PublicationDraft
from sanxiang.registry.models import Agency
from sanxiang.review.models import ReviewTally
from sanxiang.supervision.models import Matter


@dataclass(frozen=True)
class Alert:
    key: str  # unique: one matter per alert
    agency_id: int
    subject: str
    summary: str
    origin: str  # "publication_draft:12" | "case:34": the record behind it
    raised_on: dt.date


def publication_overdue_alerts(*, on: dt.date) -> Iterator[Alert]:
    drafts = (PublicationDraft.objects.filter(status=DraftStatus.DRAFT, due_on__lt=on)
              .select_related("case").only("pk", "agency_id", "due_on", "case__number"))
    for draft in drafts.iterator():
        yield Alert(key=f"publication_overdue:{draft.pk}", agency_id=draft.agency_id,
                    subject=f"行政执法决定逾期未公示（{draft.case.number}）",
                    summary=f"应当于{draft.due_on.isoformat()}前公示，至{on.isoformat()}仍未公示。",
                    origin=f"publication_draft:{draft.pk}", raised_on=on)


def unreviewed_major_decision_alerts(*, on: dt.date) -> Iterator[Alert]:
    tallies = ReviewTally.objects.filter(major=True, reviewed=False).select_related("case").only(
        "case_id", "agency_id", "decided_on", "case__number")
    for tally in tallies.iterator():
        yield Alert(key=f"unreviewed_major:{tally.case_id}", agency_id=tally.agency_id,
                    subject=f"重大执法决定未经法制审核（{tally.case.number}）",
                    summary=f"{tally.decided_on.isoformat()}作出的重大执法决定，决定前未经法制审核。",
                    origin=f"case:{tally.case_id}", raised_on=on)


def recording_missing_alerts(*, on: dt.date) -> Iterator[Alert]:
    """The steps that took place before `on` (a day's recording may be uploaded the same day) without
    the audio-video recording the list in force on `on` requires, one alert per (case, step): one
    query per region and kind of step, whatever the number of cases. 查封 and 扣押 share one
    decision and one alert."""
    regions: dict[str, list[int]] = {}
    for agency_id, region in Agency.objects.order_by("pk").values_list("pk", "region_code"):
        regions.setdefault(region, []).append(agency_id)
    last = on - dt.timedelta(days=1)
    for region, ids in sorted(regions.items()):
        for step in av_steps_required(on=on, region=region):
            cases = (av_step_cases(agency_ids=ids, step=step, start=None, last=last).filter(recorded=False)
                     .only("pk", "agency_id", "number").order_by("step_on", "pk"))
            for case in cases.iterator():
                yield Alert(key=f"recording_missing:{case.pk}:{step.record_kind}", agency_id=case.agency_id,
                            subject=f"{step.label}环节缺少音像记录（{case.number}）",
                            summary=f"{case.step_on.isoformat()}的{step.label}环节属于须全程音像记录的环节，"
                                    f"至{on.isoformat()}案件中仍无该环节的录音或者录像。",
                            origin=f"case:{case.pk}", raised_on=on)


def inspection_high_frequency_alerts(*, on: dt.date) -> Iterator[Alert]:
    """One enterprise inspected at the alert's frequency or more (多头、重复、高频次检查): one
    matter per inspection that reached the threshold, to the county of the body that made it."""
    for found in inspection_frequency_alerts(on=on):
        alert = found.alert
        yield Alert(key=f"inspection_frequency:{found.latest_inspection_id}", agency_id=found.agency_id,
                    subject=f"涉企检查频次过高（{found.target_name}）",
                    summary=f"{alert.message}。依据：{alert.basis}。",
                    origin=f"inspection:{found.latest_inspection_id}", raised_on=on)


def inspection_results_unpublished_alerts(*, on: dt.date) -> Iterator[Alert]:
    """A 双随机 inspection's result not published by its due day (the rule, its basis and the period
    are in procedure.inspection and its parameter): one matter per inspection, one query in all."""
    parameter = parameters_default()["inspection.random_results_publication_working_days"]
    for inspection in results_publication_overdue(on=on).iterator():
        # The period's reference where and when the result was told (a county may set its own).
        basis = parameter.period_on(inspection.result_sent_on, region=inspection.agency.region_code).reference
        yield Alert(key=f"inspection_results_unpublished:{inspection.pk}", agency_id=inspection.agency_id,
                    subject=f"双随机抽查结果逾期未公示（{inspection.target.name}）",
                    summary=f"{inspection.result_sent_on.isoformat()}检查结束，抽查结果最迟于"
                            f"{inspection.publish_due.isoformat()}公示，至{on.isoformat()}仍未公示。依据：{basis}。",
                    origin=f"inspection:{inspection.pk}", raised_on=on)


def inspection_emergency_alerts(*, on: dt.date) -> Iterator[Alert]:
    """An inspection begun in an emergency (事后补办: procedure.inspection.rules) without the head's approval by its
    due day, or refused by the head afterwards: one matter per inspection and kind, one query."""
    parameter = parameters_default()["inspection.emergency_approval_days"]
    for inspection in emergency_approvals_overdue(on=on).iterator():
        started = inspection.emergency_started_on.isoformat()
        basis = parameter.period_on(inspection.emergency_started_on, region=inspection.agency.region_code).reference
        if inspection.emergency_refused:
            yield Alert(key=f"inspection_emergency_refused:{inspection.pk}", agency_id=inspection.agency_id,
                        subject=f"紧急先行检查未获负责人追认（{inspection.target.name}）",
                        summary=f"{started}以紧急情况为由未经批准先行检查，负责人于"
                                f"{inspection.emergency_decided_on.isoformat()}补办审批时不同意。"
                                f"参照{EMERGENCY_BASIS}（事后补办）；{basis}。",
                        origin=f"inspection:{inspection.pk}", raised_on=on)
        else:
            yield Alert(key=f"inspection_emergency_overdue:{inspection.pk}", agency_id=inspection.agency_id,
                        subject=f"紧急先行检查逾期未补办批准手续（{inspection.target.name}）",
                        summary=f"{started}以紧急情况为由未经批准先行检查，最迟于"
                                f"{inspection.emergency_approval_due.isoformat()}补办负责人批准手续，"
                                f"至{on.isoformat()}仍未补办。依据：{basis}。",
                        origin=f"inspection:{inspection.pk}", raised_on=on)


ALERT_SOURCES: list[Callable[..., Iterator[Alert]]] = [
    publication_overdue_alerts, unreviewed_major_decision_alerts, recording_missing_alerts,
    inspection_high_frequency_alerts, inspection_results_unpublished_alerts, inspection_emergency_alerts,
]


def _bureaus_by_region() -> dict[str, Agency]:
    bureaus: dict[str, Agency] = {}
    for bureau in Agency.objects.filter(is_judicial_bureau=True).order_by("id"):
        bureaus.setdefault(bureau.region_code, bureau)
    return bureaus


def platform_alerts_open(*, on: dt.date) -> int:
    """Open a matter for each alert of the day not already opened; returns how many were opened.
    An alert about an agency whose county has no judicial bureau on the platform is left."""
    from sanxiang.supervision.services import matter_open

    bureaus = _bureaus_by_region()
    agencies = {a.pk: a for a in Agency.objects.all()}
    known = set(Matter.objects.exclude(alert_key=None).values_list("alert_key", flat=True))
    opened = 0
    for source in ALERT_SOURCES:
        for alert in source(on=on):
            agency = agencies.get(alert.agency_id)
            bureau = bureaus.get(agency.region_code) if agency else None
            if alert.key in known or bureau is None:
                continue
            try:
                with transaction.atomic():
                    matter_open(bureau=bureau, source=MatterSource.PLATFORM_ALERT, subject=alert.subject,
                                summary=alert.summary, received_on=alert.raised_on, agency=agency, actor=None,
                                origin=alert.origin, alert_key=alert.key)
            except IntegrityError:  # opened meanwhile by another run
                continue
            known.add(alert.key)
            opened += 1
    return opened
