"""The indicators computed from records (issue 15 item 1): for an indicator of
`procedure.evaluation.indicators`, a set of agencies and a period, the numerator and the denominator
per agency, counted in SQL from stored data, and the records behind each number.

Each indicator is read from querysets ("parts"), one row per record of its denominator, with the
condition that picks the numerator's records among them (the numerator is a part of the denominator
by construction). The figures are one grouped query a part counting both sides (per agency,
whatever the number of cases), and the list behind a number is the same queryset's rows, so that
the list's length is the number. Only the audio-video indicator has several parts (one a kind of
recorded step).

Nothing here rebuilds a case's snapshot: the figures read the publication drafts and their
publications, the stored review tallies (`review.ReviewTally`), the case projection's deadline
rows (`cases.CaseDeadline`), issued documents and evidence records, the registry, and the
supervision desk's filings and instruments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import case_ids_granted, user_reads_cases_by_grant
from sanxiang.cases.models import Case, CaseChallenge, CaseDeadline
from sanxiang.cases.selectors import av_step_cases, deadline_rows_shown
from sanxiang.evaluation.models import CampaignFile, TrainingAttendance
from sanxiang.procedure.catalog import procedures_all
from sanxiang.procedure.evaluation.indicators import (
    Indicator,
    av_steps_required,
    indicator_current,
    indicators_current,
)
from sanxiang.procedure.evaluation.training import required_hours
from sanxiang.procedure.penalty.challenges import CHALLENGE_RESULTS, CORRECTING_RESULTS
from sanxiang.procedure.penalty.steps import CHALLENGE_KINDS
from sanxiang.publication.models import DraftStatus, PublicationDraft
from sanxiang.registry.models import Agency, Certificate, CertificateStatus, Officer, OfficerStatus
from sanxiang.review.models import ReviewTally
from sanxiang.supervision.models import Filing, Instrument, InstrumentStep

NUMERATOR = "numerator"
DENOMINATOR = "denominator"
SIDES = (NUMERATOR, DENOMINATOR)
SIDE_LABELS = {NUMERATOR: "分子", DENOMINATOR: "分母"}


# --- who reads which agencies -----------------------------------------------------------------------


def user_reads_indicators(user: User) -> bool:
    """Supervisors (their county), system administrators (every county) and an agency head (their
    own agency)."""
    if not user.is_authenticated:
        return False
    if user.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN):
        return user.role == Role.SYSTEM_ADMIN or user.agency_id is not None
    return user.role == Role.AGENCY_HEAD and user.agency_id is not None


def indicator_agencies(*, viewer: User) -> QuerySet[Agency]:
    """The agencies whose indicators the viewer reads: a supervisor those of the bureau's county
    (same region code, the bureau itself excluded), a system administrator every enforcement
    agency, an agency head their own; nobody else any."""
    agencies = Agency.objects.filter(is_judicial_bureau=False).order_by("name", "pk")
    if not user_reads_indicators(viewer):
        return agencies.none()
    if viewer.role == Role.SYSTEM_ADMIN:
        return agencies
    if viewer.role == Role.SUPERVISOR:
        return agencies.filter(region_code=viewer.agency.region_code)
    return agencies.filter(pk=viewer.agency_id)


# --- periods ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A period of days, both ends included: a month, a year or a range."""

    start: dt.date
    end: dt.date
    label: str

    def as_of(self, today: dt.date) -> dt.date:
        """The last day of the period that has been lived: its end, or today for a running period."""
        return min(self.end, today)

    def started(self, today: dt.date) -> bool:
        return self.start <= today


def period_month(year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return Period(start, following - dt.timedelta(days=1), f"{year}年{month}月")


def period_year(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")


def period_range(start: dt.date, end: dt.date) -> Period:
    return Period(start, end, f"{start:%Y-%m-%d}至{end:%Y-%m-%d}")


def months_of(period: Period) -> list[Period]:
    """The months a period touches, in order (each cut to the period)."""
    months = []
    year, month = period.start.year, period.start.month
    while dt.date(year, month, 1) <= period.end:
        whole = period_month(year, month)
        months.append(Period(max(whole.start, period.start), min(whole.end, period.end), whole.label))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- the records behind a number ---------------------------------------------------------------------


@dataclass(frozen=True)
class RecordRow:
    """One record behind a number, as its list shows it."""

    agency_name: str
    reference: str  # case number, document number, officer's name
    title: str
    dates: tuple[tuple[str, dt.date | None], ...]  # (label, day)
    note: str = ""
    url: str = ""  # empty when the viewer has no page for the record
    # The case the row is (its title may name a party): a viewer who may not read the case (a
    # supervisor without a read grant naming it) gets the row without its title (`withheld`).
    case_id: int | None = None
    withheld: bool = False


@dataclass(frozen=True)
class Part:
    """Rows of one table, one per record counted: `queryset` is the denominator's records,
    `numerator` the condition that picks the numerator's among them (so the numerator is a part of
    the denominator by construction); `agency` is the path to the agency's id."""

    queryset: QuerySet
    numerator: Q
    agency: str
    row: Callable[[object], RecordRow]
    label: str = ""

    def side(self, side: str) -> QuerySet:
        return self.queryset.filter(self.numerator) if side == NUMERATOR else self.queryset


@dataclass(frozen=True)
class Source:
    """How an indicator's records are read: `parts(agency_ids, period, today, viewer)`.
    `month_of`: the date that alone puts a record in a period (a field of every part's rows), when
    the numerator's condition does not depend on the period either; then a trend is one grouped
    query a part over its whole span, by month of that date, instead of one a month."""

    parts: Callable[..., list[Part]]
    month_of: str = ""


def _case_url(case_id: int, viewer: User | None) -> str:
    # A supervisor reads a case only under a read grant: the list shows the record itself instead.
    if viewer is None or viewer.role == Role.SUPERVISOR:
        return ""
    return reverse("cases:case_detail", args=[case_id])


def _in(period: Period, today: dt.date, name: str) -> Q:
    return Q(**{f"{name}__gte": period.start, f"{name}__lte": period.as_of(today)})


# publication_timely ---------------------------------------------------------------------------------

_NOT_DUE = (DraftStatus.NOT_PUBLISHED, DraftStatus.HELD)


def _drafts(agency_ids, period, today, viewer, *, due_field: str) -> QuerySet[PublicationDraft]:
    return (
        PublicationDraft.objects.filter(agency_id__in=agency_ids)
        .filter(_in(period, today, due_field))
        .select_related("case", "agency", "publication")
        .order_by(due_field, "id")
    )


def _publication_row(viewer):
    def row(draft: PublicationDraft) -> RecordRow:
        published = draft.publication.published_on if draft.publication_id else None
        late = published is None or published > draft.due_on
        return RecordRow(
            agency_name=draft.agency.name,
            reference=draft.case.number,
            title=draft.case.title + (f"（{draft.decision_label}）" if draft.decision_label else ""),
            dates=(("决定日期", draft.decided_on), ("应当公示日期", draft.due_on), ("公示日期", published)),
            note=("未公示" if published is None else "逾期公示") if late else "按期公示",
            url=reverse("publication:draft_detail", args=[draft.pk]) if _case_url(draft.case_id, viewer) else "",
            case_id=draft.case_id,
        )
    return row


def _publication_parts(agency_ids, period, today, viewer) -> list[Part]:
    drafts = _drafts(agency_ids, period, today, viewer, due_field="due_on").exclude(status__in=_NOT_DUE)
    on_time = Q(publication__isnull=False, publication__published_on__lte=F("due_on"))
    return [Part(drafts, on_time, "agency_id", _publication_row(viewer))]


# withdrawal_timely ---------------------------------------------------------------------------------


def _withdrawal_row(viewer):
    def row(draft: PublicationDraft) -> RecordRow:
        withdrawn = draft.publication.withdrawn_on if draft.publication_id else None
        on_time = withdrawn is not None and withdrawn <= draft.withdrawal_due_on
        return RecordRow(
            agency_name=draft.agency.name,
            reference=draft.case.number,
            title=draft.case.title,
            dates=(("决定变更等日期", draft.changed_on), ("应当撤回日期", draft.withdrawal_due_on), ("撤回日期", withdrawn)),
            note="按期撤回" if on_time else ("未撤回" if withdrawn is None else "逾期撤回"),
            url=reverse("publication:draft_detail", args=[draft.pk]) if _case_url(draft.case_id, viewer) else "",
            case_id=draft.case_id,
        )
    return row


def _withdrawal_parts(agency_ids, period, today, viewer) -> list[Part]:
    drafts = _drafts(agency_ids, period, today, viewer, due_field="withdrawal_due_on").filter(publication__isnull=False)
    on_time = Q(publication__withdrawn_on__lte=F("withdrawal_due_on"))
    return [Part(drafts, on_time, "agency_id", _withdrawal_row(viewer))]


# audio_video_coverage -------------------------------------------------------------------------------


def _av_row(label: str, viewer):
    def row(case: Case) -> RecordRow:
        return RecordRow(
            agency_name=case.agency.name,
            reference=case.number,
            title=case.title,
            dates=(("环节日期", case.step_on),),
            note=f"{label}：{'有音像记录' if case.recorded else '缺少音像记录'}",
            url=_case_url(case.pk, viewer),
            case_id=case.pk,
        )
    return row


def _av_parts(agency_ids, period, today, viewer) -> list[Part]:
    parts = []
    last = period.as_of(today)
    # The list of steps is a parameter a region may override: one set of parts per region.
    regions: dict[str, list[int]] = {}
    for agency_id, region in Agency.objects.filter(pk__in=agency_ids).order_by("pk").values_list("pk", "region_code"):
        regions.setdefault(region, []).append(agency_id)
    day = last if period.started(today) else period.start
    for region, ids in sorted(regions.items()):
        for step in av_steps_required(on=day, region=region):
            cases = (av_step_cases(agency_ids=ids, step=step, start=period.start, last=last)
                     .select_related("agency").order_by("step_on", "pk"))
            parts.append(Part(cases, Q(recorded=True), "agency_id", _av_row(step.label, viewer), label=step.label))
    return parts


# legal_review_rate ----------------------------------------------------------------------------------


def _review_row(viewer):
    def row(tally: ReviewTally) -> RecordRow:
        return RecordRow(
            agency_name=tally.agency.name,
            reference=tally.case.number,
            title=tally.case.title,
            dates=(("决定日期", tally.decided_on),),
            note="决定前经法制审核" if tally.reviewed else "未经法制审核",
            url=_case_url(tally.case_id, viewer),
            case_id=tally.case_id,
        )
    return row


def _review_parts(agency_ids, period, today, viewer) -> list[Part]:
    tallies = (
        ReviewTally.objects.filter(agency_id__in=agency_ids, major=True)
        .filter(_in(period, today, "decided_on"))
        .select_related("case", "agency")
        .order_by("decided_on", "case_id")
    )
    return [Part(tallies, Q(reviewed=True), "agency_id", _review_row(viewer))]


# filing_timely ----------------------------------------------------------------------------------------


def _filing_row(viewer):
    def row(filing: Filing) -> RecordRow:
        return RecordRow(
            agency_name=filing.agency.name,
            reference=filing.case.number,
            title=f"{filing.case.title}（{filing.decision_label}）",
            dates=(("决定日期", filing.decided_on), ("备案期限", filing.due_on), ("备案日期", filing.filed_on)),
            note="按期备案" if filing.filed_on <= filing.due_on else "逾期备案",
            url=reverse("supervision:filing_detail", args=[filing.pk]),
        )
    return row


def _filing_parts(agency_ids, period, today, viewer) -> list[Part]:
    filings = (
        Filing.objects.filter(agency_id__in=agency_ids)
        .filter(_in(period, today, "decided_on"))
        .select_related("case", "agency")
        .order_by("decided_on", "id")
    )
    return [Part(filings, Q(filed_on__lte=F("due_on")), "agency_id", _filing_row(viewer))]


# certificate_rate --------------------------------------------------------------------------------------


def _officer_row(viewer):
    def row(officer: Officer) -> RecordRow:
        return RecordRow(
            agency_name=officer.agency.name,
            reference=officer.name,
            title=officer.post or officer.get_staffing_type_display(),
            dates=(("证件有效期至", officer.valid_to),),
            note="持有有效执法证" if officer.certified else "无有效执法证",
            url=reverse("registry:officer_detail", args=[officer.pk]),
        )
    return row


def _certificate_parts(agency_ids, period, today, viewer) -> list[Part]:
    day = period.as_of(today) if period.started(today) else period.start
    valid = Certificate.objects.filter(
        officer=OuterRef("pk"), status=CertificateStatus.VALID, valid_from__lte=day, valid_to__gte=day
    )
    officers = (
        Officer.objects.filter(agency_id__in=agency_ids, status=OfficerStatus.ACTIVE)
        .annotate(certified=Exists(valid),
                  valid_to=Subquery(valid.order_by("-valid_to").values("valid_to")[:1], output_field=DateField()))
        .select_related("agency")
        .order_by("agency__name", "name", "pk")
    )
    return [Part(officers, Q(certified=True), "agency_id", _officer_row(viewer))]


# rectification_on_time ---------------------------------------------------------------------------------


def _instrument_row(viewer):
    def row(instrument: Instrument) -> RecordRow:
        return RecordRow(
            agency_name=instrument.agency.name,
            reference=instrument.number or instrument.get_kind_display(),
            title=instrument.get_kind_display(),
            dates=(("签发日期", instrument.issued_on), ("答复期限", instrument.due_on), ("报告日期", instrument.reported_on)),
            note="按期报告" if instrument.reported_on and instrument.reported_on <= instrument.due_on else "未按期报告",
            url=reverse("supervision:instrument_detail", args=[instrument.pk]),
        )
    return row


def _instrument_parts(agency_ids, period, today, viewer) -> list[Part]:
    reports = InstrumentStep.objects.filter(instrument=OuterRef("pk"), action="report")
    instruments = (
        Instrument.objects.filter(agency_id__in=agency_ids, due_on__isnull=False)
        .exclude(state__in=("withdrawn", "proposed"))
        .filter(_in(period, today, "due_on"))
        .annotate(reported_on=Subquery(reports.order_by("on", "id").values("on")[:1], output_field=DateField()),
                  on_time=Exists(reports.filter(on__lte=OuterRef("due_on"))))
        .select_related("agency")
        .order_by("due_on", "id")
    )
    return [Part(instruments, Q(on_time=True), "agency_id", _instrument_row(viewer))]


# deadlines_overdue -------------------------------------------------------------------------------------


def _deadline_row(viewer):
    def row(deadline: CaseDeadline) -> RecordRow:
        return RecordRow(
            agency_name=deadline.case.agency.name,
            reference=deadline.case.number,
            title=deadline.label,
            dates=(("届满日", deadline.due), ("完成日", deadline.completed_on)),
            note=("逾期完成" if deadline.late else "逾期未完成") if deadline.overdue else
            ("按期完成" if deadline.met or deadline.completed_on else "未到期"),
            url=_case_url(deadline.case_id, viewer),
        )
    return row


def _deadline_parts(agency_ids, period, today, viewer) -> list[Part]:
    day = period.as_of(today)
    overdue = Q(late=True) | Q(met=False, completed_on__isnull=True, due__lt=day)
    rows = (
        CaseDeadline.objects.filter(case__agency_id__in=agency_ids, uncomputable=False)
        # The phase shown on the period's last lived day: a party's window, stored as "running"
        # until its last day and "met" after it, counts once.
        .filter(deadline_rows_shown(day))
        .filter(_in(period, today, "due"))
        .annotate(overdue=ExpressionWrapper(overdue, output_field=BooleanField()))
        .select_related("case__agency")
        .order_by("due", "case_id", "position")
    )
    return [Part(rows, overdue, "case__agency_id", _deadline_row(viewer))]


# training_compliance -----------------------------------------------------------------------------------


def _training_row(viewer):
    def row(officer: Officer) -> RecordRow:
        hours = officer.hours_attended or Decimal(0)
        return RecordRow(
            agency_name=officer.agency.name,
            reference=officer.name,
            title=officer.post or officer.get_staffing_type_display(),
            dates=(("学时累计至", officer.counted_to),),
            note=f"已参训{hours.normalize():f}学时，年度规定{officer.hours_required.normalize():f}学时"
            + ("（达标）" if hours >= officer.hours_required else "（未达标）"),
            url=reverse("registry:officer_detail", args=[officer.pk]),
        )
    return row


def _training_parts(agency_ids, period, today, viewer) -> list[Part]:
    """The serving officers of the agencies, each with the hours attended from 1 January of the
    period's year to its last lived day (as `training_selectors.training_compliance` counts a
    whole year); one part per region, as the required hours are a parameter a region may override."""
    day = period.as_of(today) if period.started(today) else period.start
    regions: dict[str, list[int]] = {}
    for agency_id, region in Agency.objects.filter(pk__in=agency_ids).order_by("pk").values_list("pk", "region_code"):
        regions.setdefault(region, []).append(agency_id)
    attended = (
        TrainingAttendance.objects.filter(officer=OuterRef("pk"), session__held_on__gte=dt.date(day.year, 1, 1),
                                          session__held_on__lte=day)
        .order_by().values("officer").annotate(total=Sum("hours")).values("total")
    )
    parts = []
    for region, ids in sorted(regions.items()):
        required = required_hours(year=day.year, region=region)
        officers = (
            Officer.objects.filter(agency_id__in=ids, status=OfficerStatus.ACTIVE)
            .annotate(hours_attended=Coalesce(Subquery(attended, output_field=DecimalField(max_digits=9,
                                                                                            decimal_places=1)),
                                              Value(Decimal(0)), output_field=DecimalField(max_digits=9,
                                                                                           decimal_places=1)),
                      hours_required=Value(required, output_field=DecimalField(max_digits=9, decimal_places=1)),
                      counted_to=Value(day, output_field=DateField()))
            .select_related("agency")
            .order_by("agency__name", "name", "pk")
        )
        parts.append(Part(officers, Q(hours_attended__gte=required), "agency_id", _training_row(viewer)))
    return parts


# challenge_correction_rate ------------------------------------------------------------------------------


def _challenge_row(viewer):
    def row(case: Case) -> RecordRow:
        results = "、".join(
            f"{CHALLENGE_KINDS.get(c.kind, c.kind)}：{CHALLENGE_RESULTS.get(c.result, c.result)}"
            for c in case.challenges_ended
        )
        return RecordRow(
            agency_name=case.agency.name,
            reference=case.number,
            title=case.title,
            dates=(("终结日期", case.ended_last),),
            note=("已纠错" if case.corrected else "未纠错") + (f"（{results}）" if results else ""),
            url=_case_url(case.pk, viewer),
            case_id=case.pk,
        )
    return row


def _challenge_parts(agency_ids, period, today, viewer) -> list[Part]:
    """The penalty decisions with a 复议 or 诉讼 ended (its result recorded) in the period, one row a
    decision; the numerator those of them that one of these ended challenges corrected."""
    penalty = [key for key, spec in procedures_all().items() if spec.act_kind == "penalty"]
    ended = CaseChallenge.objects.filter(case=OuterRef("pk"), ended_on__isnull=False).exclude(result="").filter(
        _in(period, today, "ended_on"))
    cases = (
        Case.objects.filter(agency_id__in=agency_ids, procedure__in=penalty)
        .filter(pk__in=CaseChallenge.objects.filter(ended_on__isnull=False).exclude(result="")
                .filter(_in(period, today, "ended_on")).order_by().values("case_id"))
        .annotate(corrected=Exists(ended.filter(result__in=sorted(CORRECTING_RESULTS))),
                  ended_last=Subquery(ended.order_by("-ended_on").values("ended_on")[:1], output_field=DateField()))
        .select_related("agency")
        .prefetch_related(Prefetch("challenge_rows", to_attr="challenges_ended",
                                   queryset=CaseChallenge.objects.filter(ended_on__isnull=False).exclude(result="")
                                   .filter(_in(period, today, "ended_on")).order_by("ended_on", "position")))
        .order_by("ended_last", "pk")
    )
    return [Part(cases, Q(corrected=True), "agency_id", _challenge_row(viewer))]


# case_file_pass_rate ------------------------------------------------------------------------------------


def _campaign_row(viewer):
    def row(file: CampaignFile) -> RecordRow:
        return RecordRow(
            agency_name=file.agency.name,
            reference=file.case_number,
            title=file.campaign.title,
            dates=(("结案日期", file.closed_on), ("结果公布日期", file.published_on)),
            note=f"{file.final_total:f}分（{file.final_grade}）",
            url=reverse("evaluation:campaign_file", args=[file.campaign_id, file.pk]),
        )
    return row


def _campaign_parts(agency_ids, period, today, viewer) -> list[Part]:
    files = (
        CampaignFile.objects.filter(agency_id__in=agency_ids, sampled=True, published_on__isnull=False)
        .filter(_in(period, today, "published_on"))
        .select_related("agency", "campaign")
        .order_by("published_on", "case_number", "pk")
    )
    return [Part(files, Q(final_passed=True), "agency_id", _campaign_row(viewer))]


SOURCES: dict[str, Source] = {
    "publication_timely": Source(_publication_parts, month_of="due_on"),
    "withdrawal_timely": Source(_withdrawal_parts, month_of="withdrawal_due_on"),
    # The steps required are those in force on the period's last lived day: a month each.
    "audio_video_coverage": Source(_av_parts),
    "legal_review_rate": Source(_review_parts, month_of="decided_on"),
    "filing_timely": Source(_filing_parts, month_of="decided_on"),
    # A count on the period's last lived day (officers, deadline rows shown then): a month each.
    "certificate_rate": Source(_certificate_parts),
    "rectification_on_time": Source(_instrument_parts, month_of="due_on"),
    "deadlines_overdue": Source(_deadline_parts),
    "training_compliance": Source(_training_parts),
    "challenge_correction_rate": Source(_challenge_parts),
    "case_file_pass_rate": Source(_campaign_parts, month_of="published_on"),
}


# --- figures ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int
    value: float | None


@dataclass
class IndicatorTable:
    """Agencies × indicators for a period: `figures[code][agency_id]`, and the total per code."""

    period: Period
    agencies: list[Agency]
    indicators: list[Indicator]
    pending: list[Indicator]
    figures: dict[str, dict[int, Figure]] = field(default_factory=dict)
    totals: dict[str, Figure] = field(default_factory=dict)
    ranked_by: Indicator | None = None

    def rows(self) -> list[tuple[Agency, list[tuple[Indicator, Figure]]]]:
        return [(a, [(i, self.figures[i.code][a.pk]) for i in self.indicators]) for a in self.agencies]

    def total_row(self) -> list[tuple[Indicator, Figure]]:
        return [(i, self.totals[i.code]) for i in self.indicators]


def _counts(parts: Iterable[Part]) -> dict[int, tuple[int, int]]:
    """(numerator, denominator) per agency: one grouped query a part, both sides at once."""
    counts: dict[int, tuple[int, int]] = {}
    for part in parts:
        grouped = (
            part.queryset.order_by().values(part.agency)
            .annotate(d=Count("pk"), n=Count("pk", filter=part.numerator))
            .values_list(part.agency, "n", "d")
        )
        for agency_id, n, d in grouped:
            before = counts.get(agency_id, (0, 0))
            counts[agency_id] = (before[0] + n, before[1] + d)
    return counts


def indicator_figures(*, indicator: Indicator, agency_ids: list[int], period: Period, today: dt.date,
                      viewer: User | None = None) -> dict[int, Figure]:
    """The numerator, denominator and value per agency (every agency of `agency_ids`, zeros
    included): one grouped query a part (one for most indicators), whatever the number of records."""
    counts = _counts(SOURCES[indicator.code].parts(agency_ids, period, today, viewer))
    figures = {}
    for agency_id in agency_ids:
        n, d = counts.get(agency_id, (0, 0))
        figures[agency_id] = Figure(n, d, indicator.value(n, d))
    return figures


@contextmanager
def _counting() -> Iterator[None]:
    """The transaction the figures are read in. On PostgreSQL without JIT compilation: these
    grouped counts with correlated subqueries are estimated above its JIT threshold, and compiling
    them cost more than running them (about 1 s of 1.3 s for one audio-video query at 100,000 cases)."""
    if connection.vendor != "postgresql":
        # No transaction on SQLite: its IMMEDIATE mode would take the write lock for a read.
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def _total(indicator: Indicator, figures: Iterable[Figure]) -> Figure:
    figures = list(figures)
    n, d = sum(f.numerator for f in figures), sum(f.denominator for f in figures)
    return Figure(n, d, indicator.value(n, d))


def indicator_table(*, viewer: User, period: Period, today: dt.date | None = None,
                    rank_by: str = "") -> IndicatorTable:
    """The viewer's agencies × the indicators in force at the period's end, with totals; agencies
    by name, or ranked by one indicator (`rank_by`: best first in its direction, agencies with
    nothing due last)."""
    today = today or timezone.localdate()
    agencies = list(indicator_agencies(viewer=viewer))
    ids = [a.pk for a in agencies]
    on = period.as_of(today) if period.started(today) else period.start
    table = IndicatorTable(period, agencies, indicators_current(on=on, available=True),
                           indicators_current(on=on, available=False))
    with _counting():
        for indicator in table.indicators:
            figures = indicator_figures(indicator=indicator, agency_ids=ids, period=period, today=today,
                                        viewer=viewer)
            table.figures[indicator.code] = figures
            table.totals[indicator.code] = _total(indicator, figures.values())
    ranked = next((i for i in table.indicators if i.code == rank_by), None)
    if ranked is not None:
        sign = -1 if ranked.higher_is_better else 1
        figures = table.figures[ranked.code]
        table.agencies.sort(key=lambda a: (figures[a.pk].value is None, sign * (figures[a.pk].value or 0)))
        table.ranked_by = ranked
    return table


def _counts_by_month(parts: Iterable[Part], month_of: str) -> dict[dt.date, tuple[int, int]]:
    """(numerator, denominator) per month (its first day) of `month_of`: one grouped query a part."""
    counts: dict[dt.date, tuple[int, int]] = {}
    for part in parts:
        grouped = (
            part.queryset.order_by().annotate(month=TruncMonth(month_of, output_field=DateField())).values("month")
            .annotate(d=Count("pk"), n=Count("pk", filter=part.numerator))
            .values_list("month", "n", "d")
        )
        for month, n, d in grouped:
            before = counts.get(month, (0, 0))
            counts[month] = (before[0] + n, before[1] + d)
    return counts


def indicator_trend(*, viewer: User, code: str, period: Period, agency_id: int | None = None,
                    today: dt.date | None = None) -> list[tuple[Period, Figure]]:
    """One indicator month by month over a period, for the viewer's agencies (or one of them): the
    months begun by `today`. One grouped query a part for the whole span when the indicator's
    records fall in a month by a date alone (`Source.month_of`), else the same a month."""
    today = today or timezone.localdate()
    indicator = indicator_current(code, on=period.end)
    ids = list(indicator_agencies(viewer=viewer).values_list("pk", flat=True))
    if agency_id is not None:
        ids = [i for i in ids if i == agency_id]
    months = [month for month in months_of(period) if month.started(today)]
    source = SOURCES[code]
    trend = []
    with _counting():
        if source.month_of and months:
            span = Period(months[0].start, months[-1].end, period.label)
            counts = _counts_by_month(source.parts(ids, span, today, viewer), source.month_of)
            for month in months:
                n, d = counts.get(month.start.replace(day=1), (0, 0))
                trend.append((month, Figure(n, d, indicator.value(n, d))))
            return trend
        for month in months:
            figures = indicator_figures(indicator=indicator, agency_ids=ids, period=month, today=today,
                                        viewer=viewer)
            trend.append((month, _total(indicator, figures.values())))
    return trend


def titles_withheld(*, viewer: User, rows: list[RecordRow]) -> list[RecordRow]:
    """The rows without the titles of cases the viewer may not read: a supervisor reads a case's
    title (which may name a party) only under a read grant naming the case. One query."""
    if not user_reads_cases_by_grant(viewer) or not any(r.case_id for r in rows):
        return rows
    granted = set(case_ids_granted(viewer))
    return [r if r.case_id is None or r.case_id in granted else replace(r, title="", withheld=True) for r in rows]


@dataclass(frozen=True)
class RecordList:
    """The records behind one number: `count` is the number; `rows` one page of them."""

    indicator: Indicator
    side: str
    period: Period
    agency: Agency | None
    count: int
    rows: list[RecordRow]
    parts: list[tuple[str, int]]  # (label, count) per part, for an indicator with several


def indicator_records(*, viewer: User, indicator: Indicator, side: str, period: Period, agency_id: int | None,
                      offset: int = 0, limit: int = 100, today: dt.date | None = None) -> RecordList | None:
    """The records behind a number of the table, `limit` from `offset` (None: the agency is not
    one the viewer reads, or the indicator has no figure)."""
    if side not in SIDES or indicator.code not in SOURCES:
        return None
    today = today or timezone.localdate()
    agencies = indicator_agencies(viewer=viewer)
    agency = None
    if agency_id is not None:
        agency = agencies.filter(pk=agency_id).first()
        if agency is None:
            return None
        ids = [agency.pk]
    else:
        ids = list(agencies.values_list("pk", flat=True))
    parts = SOURCES[indicator.code].parts(ids, period, today, viewer)
    rows: list[RecordRow] = []
    with _counting():
        counts = [part.side(side).count() for part in parts]
        skip, wanted = offset, limit
        for part, count in zip(parts, counts, strict=True):
            if wanted <= 0:
                break
            if skip >= count:
                skip -= count
                continue
            for obj in part.side(side)[skip:skip + wanted]:
                rows.append(part.row(obj))
            wanted -= min(count - skip, wanted)
            skip = 0
    rows = titles_withheld(viewer=viewer, rows=rows)
    by_label: dict[str, int] = {}
    for part, count in zip(parts, counts, strict=True):
        if part.label:
            by_label[part.label] = by_label.get(part.label, 0) + count
    return RecordList(indicator, side, period, agency, sum(counts), rows, list(by_label.items()))


__all__ = [
    "DENOMINATOR",
    "NUMERATOR",
    "SOURCES",
    "Figure",
    "IndicatorTable",
    "Period",
    "RecordList",
    "RecordRow",
    "indicator_agencies",
    "indicator_figures",
    "indicator_records",
    "indicator_table",
    "indicator_trend",
    "months_of",
    "period_month",
    "period_range",
    "period_year",
    "titles_withheld",
    "user_reads_indicators",
]
