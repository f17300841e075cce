"""The figures of the closing steps (issue 15 item 7), computed from the records, never typed in:
each agency's year for its summary (工作总结), and the county's year for the work report (工作报告).

A figure is stored as {key, group, label, value, count}: `value` as printed, `count` the number of
records behind it when it has a list (the indicators', the training's, the monthly reports', the
summaries' and the acceptance's), and `key` names that list: `figure_url` gives the page that shows
it, so that every number of the pages opens its records. A bounded number of queries whatever the
number of agencies or records (one grouped query a kind of record, all agencies at once).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse

from sanxiang.evaluation.indicators import indicator_figures, period_year
from sanxiang.evaluation.models import AcceptanceCheck, AnnualSummary, MonthlyReport, TrainingSession
from sanxiang.evaluation.training_selectors import training_compliance
from sanxiang.procedure.evaluation.closing import ACCEPTANCE_RESULT_LABELS, AcceptanceResult, points_text
from sanxiang.procedure.evaluation.indicators import Unit, indicators_current
from sanxiang.procedure.evaluation.reports import ReportState
from sanxiang.procedure.evaluation.training import required_hours

INDICATORS = "考核指标"
TRAINING = "培训"
REPORTS = "工作月报"
SUMMARIES = "工作总结"
ACCEPTANCE = "验收"


def _figure(key: str, group: str, label: str, value, count: int | None = None) -> dict:
    return {
        "key": key,
        "group": group,
        "label": label,
        "value": "—" if value is None else str(value),
        "count": count,
    }


def _year_end(year: int, today: dt.date) -> dt.date:
    return min(dt.date(year, 12, 31), today)


def _indicator_figures(agency_ids: list[int], year: int, today: dt.date) -> dict[int | None, list[dict]]:
    """Each indicator in force at the year's end, per agency and for them all (None)."""
    period = period_year(year)
    result: dict[int | None, list[dict]] = {agency_id: [] for agency_id in [*agency_ids, None]}
    for indicator in indicators_current(on=_year_end(year, today), available=True):
        figures = indicator_figures(indicator=indicator, agency_ids=agency_ids, period=period, today=today)
        n_all = sum(f.numerator for f in figures.values())
        d_all = sum(f.denominator for f in figures.values())
        for agency_id, (n, d) in [
            *((a, (f.numerator, f.denominator)) for a, f in figures.items()),
            (None, (n_all, d_all)),
        ]:
            value = indicator.value(n, d)
            if indicator.unit == Unit.COUNT:
                shown = n
            else:
                shown = "—" if value is None else f"{value}%（{n}/{d}）"
            result[agency_id].append(
                _figure(f"indicator:{indicator.code}", INDICATORS, indicator.name, shown, n)
            )
    return result


def _training_figures(agency_ids: list[int], year: int) -> dict[int | None, list[dict]]:
    compliance = training_compliance(agency_ids, year)
    sessions = dict(
        TrainingSession.objects.filter(organiser_id__in=agency_ids, held_on__year=year)
        .values("organiser_id")
        .annotate(n=Count("pk"))
        .values_list("organiser_id", "n")
    )
    result: dict[int | None, list[dict]] = {}
    for agency_id in [*agency_ids, None]:
        officers = [o for o in compliance.officers if agency_id is None or o.agency_id == agency_id]
        met = sum(1 for o in officers if o.met)
        n_sessions = sum(sessions.values()) if agency_id is None else sessions.get(agency_id, 0)
        result[agency_id] = [
            _figure("training.sessions", TRAINING, "组织培训场次", n_sessions, n_sessions),
            _figure("training.officers", TRAINING, "在职执法人员", len(officers), len(officers)),
            _figure("training.met", TRAINING, f"达到年度{compliance.required}学时的执法人员", met, met),
        ]
    return result


REPORT_KEYS = {
    "reports.all": "应报送的月报",
    "reports.on_time": "按期报送",
    "reports.late": "逾期报送",
    "reports.missing": "至今未报送",
}


def _reports_filter(key: str) -> Q:
    return {
        "reports.all": Q(),
        "reports.on_time": Q(first_submitted_on__lte=F("due_on")),
        "reports.late": Q(first_submitted_on__gt=F("due_on")),
        "reports.missing": Q(first_submitted_on__isnull=True),
    }[key]


def _report_figures(agency_ids: list[int], year: int) -> dict[int | None, list[dict]]:
    rows = {
        row["agency_id"]: row
        for row in MonthlyReport.objects.filter(agency_id__in=agency_ids, year=year)
        .values("agency_id")
        .annotate(**{key.split(".")[1]: Count("pk", filter=_reports_filter(key)) for key in REPORT_KEYS})
    }
    result: dict[int | None, list[dict]] = {}
    for agency_id in [*agency_ids, None]:
        figures = []
        for key, label in REPORT_KEYS.items():
            field = key.split(".")[1]
            n = (
                sum(r[field] for r in rows.values())
                if agency_id is None
                else rows.get(agency_id, {}).get(field, 0)
            )
            figures.append(_figure(key, REPORTS, label, n, n))
        result[agency_id] = figures
    return result


def agency_year_figures(*, agency_ids: list[int], year: int, today: dt.date) -> dict[int, list[dict]]:
    """The figures of each agency's summary of `year`: indicators, training, monthly reports."""
    parts = [
        _indicator_figures(agency_ids, year, today),
        _training_figures(agency_ids, year),
        _report_figures(agency_ids, year),
    ]
    return {agency_id: [f for part in parts for f in part[agency_id]] for agency_id in agency_ids}


SUMMARY_KEYS = {
    "summaries.all": "应报送工作总结的单位",
    "summaries.on_time": "按期报送",
    "summaries.late": "逾期报送",
    "summaries.missing": "至今未报送",
    "summaries.received": "司法局已接收",
}


def _summary_filter(key: str) -> Q:
    return {
        "summaries.all": Q(),
        "summaries.on_time": Q(first_submitted_on__lte=F("due_on")),
        "summaries.late": Q(first_submitted_on__gt=F("due_on")),
        "summaries.missing": Q(first_submitted_on__isnull=True),
        "summaries.received": Q(state=ReportState.RECEIVED),
    }[key]


ACCEPTANCE_KEYS = {
    "acceptance.all": "参加验收的单位",
    "acceptance.passed": f"验收{ACCEPTANCE_RESULT_LABELS[AcceptanceResult.PASSED]}",
    "acceptance.failed": f"验收{ACCEPTANCE_RESULT_LABELS[AcceptanceResult.FAILED]}",
}


def _acceptance_filter(key: str) -> Q:
    return {
        "acceptance.all": Q(),
        "acceptance.passed": Q(result=AcceptanceResult.PASSED),
        "acceptance.failed": Q(result=AcceptanceResult.FAILED),
    }[key]


def county_year_figures(
    *, bureau_id: int, round_id: int | None, agency_ids: list[int], year: int, today: dt.date
) -> list[dict]:
    """The figures of the county's work report on `year`: the indicators and the training of the
    county's agencies, the monthly reports and summaries, and the acceptance's results."""
    figures = [
        *_indicator_figures(agency_ids, year, today)[None],
        *_training_figures(agency_ids, year)[None],
        *_report_figures(agency_ids, year)[None],
    ]
    summaries = AnnualSummary.objects.filter(bureau_id=bureau_id, year=year).aggregate(
        **{key.split(".")[1]: Count("pk", filter=_summary_filter(key)) for key in SUMMARY_KEYS}
    )
    figures += [
        _figure(key, SUMMARIES, label, summaries[key.split(".")[1]], summaries[key.split(".")[1]])
        for key, label in SUMMARY_KEYS.items()
    ]
    checks = AcceptanceCheck.objects.filter(round_id=round_id).aggregate(
        **{key.split(".")[1]: Count("pk", filter=_acceptance_filter(key)) for key in ACCEPTANCE_KEYS}
    )
    figures += [
        _figure(key, ACCEPTANCE, label, checks[key.split(".")[1]] or 0, checks[key.split(".")[1]] or 0)
        for key, label in ACCEPTANCE_KEYS.items()
    ]
    return figures


# --- The records behind a figure -----------------------------------------------------------------------


def figure_url(*, key: str, year: int, agency_id: int | None = None) -> str:
    """The page listing the records behind the figure `key` (of one agency, or of all)."""
    kind, _sep, code = key.partition(":")
    agency = {"agency": agency_id} if agency_id is not None else {}
    if kind == "indicator":
        query = {"indicator": code, "side": "numerator", "period": year, **agency}
        return f"{reverse('evaluation:indicator_records')}?{urlencode(query)}"
    if kind == "training.sessions":
        return f"{reverse('evaluation:training_summary')}?{urlencode({'year': year})}"
    if kind in ("training.officers", "training.met"):
        query = {"year": year, **agency, **({"met": 1} if kind == "training.met" else {})}
        return f"{reverse('evaluation:training_officers')}?{urlencode(query)}"
    return f"{reverse('evaluation:closing_records')}?{urlencode({'key': key, 'year': year, **agency})}"


def training_label(key: str, year: int) -> str:
    """The label of a training figure (`training.*`), as the figures name it (raises ParameterMissing
    for a year before the required hours)."""
    if key == "training.met":
        return f"达到年度{required_hours(year=year)}学时的执法人员"
    return {"training.sessions": "组织培训场次", "training.officers": "在职执法人员"}[key]


def records_label(key: str) -> str | None:
    return {**REPORT_KEYS, **SUMMARY_KEYS, **ACCEPTANCE_KEYS}.get(key)


def figure_rows(*, key: str, year: int, agency_ids: list[int], bureau_id: int | None):
    """The monthly reports, summaries or checklists a figure counts, of the bureau's county (all
    bureaus: None) (None: a key of another page). One query."""
    if key in REPORT_KEYS:
        return list(
            MonthlyReport.objects.filter(agency_id__in=agency_ids, year=year)
            .filter(_reports_filter(key))
            .select_related("agency")
            .order_by("agency__name", "month")
        )
    # A bureau's: what went to it; without one (None), whichever bureau it went to. (Never the
    # lookup `bureau_id=None`, which reads IS NULL.)
    to_bureau = Q() if bureau_id is None else Q(bureau_id=bureau_id)
    if key in SUMMARY_KEYS:
        return list(
            AnnualSummary.objects.filter(to_bureau, agency_id__in=agency_ids, year=year)
            .filter(_summary_filter(key))
            .select_related("agency")
            .order_by("agency__name")
        )
    if key in ACCEPTANCE_KEYS:
        return list(
            AcceptanceCheck.objects.filter(agency_id__in=agency_ids, round__year=year)
            .filter(Q() if bureau_id is None else Q(round__bureau_id=bureau_id))
            .filter(_acceptance_filter(key))
            .select_related("agency", "round")
            .order_by("agency__name")
        )
    return None


def score_text(value: Decimal) -> str:
    return points_text(value)


__all__ = [
    "agency_year_figures", "county_year_figures", "figure_rows", "figure_url", "records_label", "training_label",
]


def figures_by_group(figures: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for figure in figures:
        grouped[figure["group"]].append(figure)
    return dict(grouped)
