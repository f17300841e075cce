"""The figures of a monthly report (月报), computed from the records, never typed in.

A figure provider is a function `provider(*, agency_ids, month) -> {agency_id: [Figure, ...]}` that
answers for every agency at once, in a bounded number of queries whatever the number of rows (one
GROUP BY per kind of record). The basic counts are here (cases by kind and state, decisions,
publications and their timeliness, legal reviews, audio-video recordings); the indicators
(`evaluation.indicators`) plug theirs in with `figure_provider_register`, and their figures go to the
report's "indicators" group.

Each figure's `key` names the records behind it: `figure_records` lists them (the list's length
equals the figure), so that every number on a report's page opens its records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from sanxiang.cases.models import Case
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.procedure.catalog import ACT_KINDS, procedures_all
from sanxiang.procedure.evaluation.reports import ReportMonth
from sanxiang.publication.models import COMPULSORY_DECISION_KINDS, DraftStatus, PublicationDraft
from sanxiang.review.models import ReviewTally


@dataclass(frozen=True)
class Figure:
    key: str  # "cases.registered:ordinary" …: names the records behind it (figure_records)
    group: str  # the heading it is shown under
    label: str
    value: int | float | str | None

    def as_dict(self) -> dict:
        return asdict(self)


FigureProvider = Callable[..., dict[int, list[Figure]]]
FIGURE_PROVIDERS: list[FigureProvider] = []
# The group of figures the indicators' providers give (issue 15, item 1).
INDICATORS_GROUP = "考核指标"
GROUP_ORDER = ("案件办理", "执法决定与法制审核", "行政执法公示", "音像记录", INDICATORS_GROUP)


def figure_provider_register(provider: FigureProvider) -> FigureProvider:
    """Add a provider of report figures (usable as a decorator); registering twice adds it once."""
    if provider not in FIGURE_PROVIDERS:
        FIGURE_PROVIDERS.append(provider)
    return provider


def month_bounds(month: ReportMonth) -> tuple[dt.datetime, dt.datetime]:
    """The month as an interval of aware datetimes in the county's time (for datetime columns)."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(month.first_day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(month.next().first_day, dt.time.min, tzinfo=zone)
    return start, end


# --- The basic counts ------------------------------------------------------------------------------

def _cases(month: ReportMonth) -> QuerySet[Case]:
    start, end = month_bounds(month)
    return Case.objects.filter(created_at__gte=start, created_at__lt=end)


def cases_figures(*, agency_ids: list[int], month: ReportMonth) -> dict[int, list[Figure]]:
    """Cases registered in the month, by kind of act and procedure, and by the state each is in now."""
    specs = procedures_all()
    rows = (_cases(month).filter(agency_id__in=agency_ids).values("agency_id", "procedure", "state")
            .annotate(n=Count("pk")).order_by("agency_id", "procedure", "state"))
    by_procedure: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_state: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for row in rows:
        by_procedure[row["agency_id"]][row["procedure"]] += row["n"]
        by_state[row["agency_id"]].append((row["procedure"], row["state"], row["n"]))
    result: dict[int, list[Figure]] = {}
    for agency_id in agency_ids:
        procedures = by_procedure.get(agency_id, {})
        figures = [Figure("cases.registered", "案件办理", "本月登记案件", sum(procedures.values()))]
        for procedure, n in sorted(procedures.items()):
            spec = specs.get(procedure)
            label = f"{ACT_KINDS.get(spec.act_kind, '')}（{spec.label}）" if spec else procedure
            figures.append(Figure(f"cases.registered:{procedure}", "案件办理", f"其中{label}", n))
        for procedure, state, n in by_state.get(agency_id, []):
            spec = specs.get(procedure)
            label = f"{spec.label}·{spec.state_label(state)}" if spec else f"{procedure}·{state}"
            figures.append(Figure(f"cases.state:{procedure}:{state}", "案件办理", f"现处于{label}", n))
        result[agency_id] = figures
    return result


def _tallies(month: ReportMonth) -> QuerySet[ReviewTally]:
    return ReviewTally.objects.filter(decided_on__range=(month.first_day, month.last_day))


def decisions_figures(*, agency_ids: list[int], month: ReportMonth) -> dict[int, list[Figure]]:
    """Penalty decisions made in the month (the legal-review figures' rows), the major ones among
    them, those reviewed before the decision, and compulsory decisions made in the month."""
    tallies = {
        row["agency_id"]: row
        for row in _tallies(month).filter(agency_id__in=agency_ids).values("agency_id").annotate(
            n_decided=Count("pk"), n_major=Count("pk", filter=Q(major=True)),
            n_reviewed=Count("pk", filter=Q(major=True, reviewed=True)),
            n_sent_back=Count("pk", filter=Q(major=True, sent_back=True)))
    }
    compulsory = dict(
        PublicationDraft.objects.filter(agency_id__in=agency_ids, decided_on__range=(month.first_day, month.last_day))
        .filter(decision__in=COMPULSORY_DECISION_KINDS).values("agency_id").annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    result = {}
    for agency_id in agency_ids:
        t = tallies.get(agency_id, {})
        result[agency_id] = [
            Figure("decisions.penalty", "执法决定与法制审核", "本月作出的行政处罚决定", t.get("n_decided", 0)),
            Figure("decisions.compulsory", "执法决定与法制审核", "本月作出的行政强制决定", compulsory.get(agency_id, 0)),
            Figure("reviews.major", "执法决定与法制审核", "其中重大执法决定", t.get("n_major", 0)),
            Figure("reviews.reviewed", "执法决定与法制审核", "重大执法决定决定前经法制审核", t.get("n_reviewed", 0)),
            Figure("reviews.unreviewed", "执法决定与法制审核", "重大执法决定未经法制审核",
                   t.get("n_major", 0) - t.get("n_reviewed", 0)),
            Figure("reviews.sent_back", "执法决定与法制审核", "法制审核曾退回或者不同意", t.get("n_sent_back", 0)),
        ]
    return result


def _publication_filter(key: str, month: ReportMonth) -> Q:
    """The drafts a publication figure counts: those whose publication fell due in the month."""
    due = Q(due_on__range=(month.first_day, month.last_day))
    return {
        "publications.due": due,
        "publications.on_time": due & Q(status__in=[DraftStatus.PUBLISHED, DraftStatus.WITHDRAWN, DraftStatus.EXPIRED],
                                         publication__published_on__lte=F("due_on")),
        "publications.late": due & Q(publication__published_on__gt=F("due_on")),
        "publications.waiting": due & Q(status=DraftStatus.DRAFT),
        "publications.not_published": due & Q(status=DraftStatus.NOT_PUBLISHED),
    }[key]


PUBLICATION_LABELS = {
    "publications.due": "本月应当公示的执法决定",
    "publications.on_time": "按期公示",
    "publications.late": "逾期公示",
    "publications.waiting": "至今未公示",
    "publications.not_published": "依法不予公开",
}


def publications_figures(*, agency_ids: list[int], month: ReportMonth) -> dict[int, list[Figure]]:
    rows = {
        row["agency_id"]: row
        for row in PublicationDraft.objects.filter(agency_id__in=agency_ids).values("agency_id").annotate(
            **{f"n_{key.split('.')[1]}": Count("pk", filter=_publication_filter(key, month))
               for key in PUBLICATION_LABELS})
    }
    return {
        agency_id: [Figure(key, "行政执法公示", label, rows.get(agency_id, {}).get(f"n_{key.split('.')[1]}", 0))
                    for key, label in PUBLICATION_LABELS.items()]
        for agency_id in agency_ids
    }


RECORDING_KINDS = {"audio": "录音", "video": "录像"}


def _recordings(month: ReportMonth) -> QuerySet[EvidenceRecord]:
    start, end = month_bounds(month)
    return EvidenceRecord.objects.filter(kind__in=list(RECORDING_KINDS), uploaded_at__gte=start, uploaded_at__lt=end)


def recordings_figures(*, agency_ids: list[int], month: ReportMonth) -> dict[int, list[Figure]]:
    rows = defaultdict(dict)
    for agency_id, kind, n in (_recordings(month).filter(agency_id__in=agency_ids).values("agency_id", "kind")
                               .annotate(n=Count("pk")).values_list("agency_id", "kind", "n")):
        rows[agency_id][kind] = n
    return {
        agency_id: [Figure(f"recordings.{kind}", "音像记录", f"本月归集的{label}", rows.get(agency_id, {}).get(kind, 0))
                    for kind, label in RECORDING_KINDS.items()]
        for agency_id in agency_ids
    }


for _provider in (cases_figures, decisions_figures, publications_figures, recordings_figures):
    figure_provider_register(_provider)


def figures_compute(*, agency_ids: list[int], month: ReportMonth) -> dict[int, list[dict]]:
    """Every provider's figures for these agencies and month, as stored ({key, group, label,
    value}), in the groups' order. A provider's queries cover all the agencies at once."""
    collected: dict[int, list[Figure]] = {agency_id: [] for agency_id in agency_ids}
    for provider in FIGURE_PROVIDERS:
        for agency_id, figures in provider(agency_ids=agency_ids, month=month).items():
            if agency_id in collected:
                collected[agency_id].extend(figures)
    order = {group: n for n, group in enumerate(GROUP_ORDER)}
    return {
        agency_id: [f.as_dict() for f in sorted(figures, key=lambda f: order.get(f.group, len(order)))]
        for agency_id, figures in collected.items()
    }


# --- The records behind a figure ---------------------------------------------------------------------

@dataclass(frozen=True)
class FigureRecord:
    """One record behind a figure. `title` (a case's 案由, a recording's file name) may name a party:
    the page shows it only to a viewer who may read the case (`readable`, set by the selector for the
    viewer); anyone else reads the number, the state and the day."""

    on: dt.date | None
    number: str  # the case number
    title: str
    case_id: int | None
    agency_id: int
    state: str = ""  # the case's state, as its procedure names it
    readable: bool = False

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()


def _state_label(procedure: str, state: str) -> str:
    spec = procedures_all().get(procedure)
    return spec.state_label(state) if spec else ""


def _case_record(on: dt.date | None, case: Case) -> FigureRecord:
    return FigureRecord(on, case.number, case.title, case.pk, case.agency_id, _state_label(case.procedure, case.state))


FigureRecordsSource = Callable[..., list[FigureRecord] | None]
# The records behind the figures of a provider registered elsewhere, by the first part of their key
# ("casefile_campaign" for "casefile_campaign.drawn"): `source(agency_id=, month=, key=, limit=)`.
FIGURE_RECORD_SOURCES: dict[str, FigureRecordsSource] = {}


def figure_records_register(prefix: str, source: FigureRecordsSource) -> None:
    FIGURE_RECORD_SOURCES[prefix] = source


def figure_records(*, agency_id: int, month: ReportMonth, key: str, limit: int = 500) -> list[FigureRecord] | None:
    """The records a basic figure counts (None for a key this module does not know: an indicator's
    figure opens its own list). One query."""
    kind, _sep, detail = key.partition(":")
    source = FIGURE_RECORD_SOURCES.get(kind.partition(".")[0])
    if source is not None:
        return source(agency_id=agency_id, month=month, key=key, limit=limit)
    case_fields = ("number", "title", "procedure", "state", "agency_id")
    if kind == "cases.registered" or kind == "cases.state":
        rows = _cases(month).filter(agency_id=agency_id)
        if kind == "cases.registered" and detail:
            rows = rows.filter(procedure=detail)
        elif kind == "cases.state":
            procedure, _sep, state = detail.partition(":")
            rows = rows.filter(procedure=procedure, state=state)
        return [_case_record(timezone.localdate(c.created_at), c)
                for c in rows.order_by("created_at", "pk").only("pk", "created_at", *case_fields)[:limit]]
    if kind.startswith("reviews.") or kind == "decisions.penalty":
        tallies = _tallies(month).filter(agency_id=agency_id)
        tallies = {
            "decisions.penalty": tallies,
            "reviews.major": tallies.filter(major=True),
            "reviews.reviewed": tallies.filter(major=True, reviewed=True),
            "reviews.unreviewed": tallies.filter(major=True, reviewed=False),
            "reviews.sent_back": tallies.filter(major=True, sent_back=True),
        }.get(kind)
        if tallies is None:
            return None
        return [_case_record(t.decided_on, t.case)
                for t in tallies.select_related("case").order_by("decided_on", "pk")[:limit]]
    if kind == "decisions.compulsory" or kind in PUBLICATION_LABELS:
        drafts = PublicationDraft.objects.filter(agency_id=agency_id)
        if kind == "decisions.compulsory":
            # The compulsory decisions only: a licence decision (publication.permit) has a draft too.
            drafts = drafts.filter(decided_on__range=(month.first_day, month.last_day),
                                   decision__in=COMPULSORY_DECISION_KINDS)
        else:
            drafts = drafts.filter(_publication_filter(kind, month))
        return [_case_record(d.due_on if kind in PUBLICATION_LABELS else d.decided_on, d.case)
                for d in drafts.select_related("case").order_by("due_on", "pk")[:limit]]
    if kind.startswith("recordings."):
        recording_kind = kind.split(".", 1)[1]
        if recording_kind not in RECORDING_KINDS:
            return None
        rows = _recordings(month).filter(agency_id=agency_id, kind=recording_kind).select_related("case")
        return [FigureRecord(timezone.localdate(r.uploaded_at), r.case.number if r.case_id else "",
                             r.original_name, r.case_id, r.agency_id,
                             _state_label(r.case.procedure, r.case.state) if r.case_id else "")
                for r in rows.order_by("uploaded_at", "pk")[:limit]]
    return None
