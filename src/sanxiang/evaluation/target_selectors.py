"""Whether each agency fully applies the three systems (issue 15, item 3), computed from the records:
per agency and kind of enforcement, each criterion of `procedure.evaluation.targets` met, not met or
not applicable with the reason, and the records behind it; the share of the county's agencies that
fully apply them, against the campaign in force; the monthly history.

The records are read once for all the agencies (a bounded number of queries whatever the number of
agencies, matters or cases): the catalogue's active matters, the kinds of case each agency handled,
the 事前 publicity (`PublicAgency`), the 制度文件, and three grouped counts per agency and procedure
made from the indicators' own querysets (`evaluation.indicators`: publication drafts, the recorded
steps, the review tallies), so that a target's figures and the indicators' can never disagree.

Who reads what: the indicators' rule (supervisors their county, the system administrator every
county, an agency head their own agency)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.cases.models import Case
from sanxiang.evaluation.indicators import (
    Part,
    Period,
    RecordRow,
    _av_parts,
    _counting,
    _publication_parts,
    _review_parts,
    indicator_agencies,
    period_range,
    titles_withheld,
    user_reads_indicators,
)
from sanxiang.evaluation.models import SystemDocument, TargetCampaign, TargetSnapshot
from sanxiang.procedure.catalog import procedures_all
from sanxiang.procedure.evaluation.documents import (
    DocumentSnapshot,
    checklist_items,
    document_kinds_required,
    documents_due_on,
)
from sanxiang.procedure.evaluation.targets import (
    AUDIO_VIDEO_PARAMETER,
    CRITERIA,
    CRITERIA_BY_CODE,
    KIND_LABELS,
    PUBLICATION_PARAMETER,
    Campaign,
    Criterion,
    EnforcementKind,
    Judgement,
    Milestone,
    Status,
    agency_judge,
    campaign_default,
    documents_judge,
    kind_judge,
    kind_of_act,
    kind_of_matter,
    no_procedure_judgement,
    no_review_records_judgement,
    publicity_judge,
    rate_judge,
    review_judge,
    share_percent,
    threshold,
    window_months,
    window_start,
)
from sanxiang.procedure.publication import public_text_clean
from sanxiang.publication.models import PublicAgency
from sanxiang.publication.registry_sync import matters_public
from sanxiang.registry.models import Agency, AgencyStatus, Matter

# The parts of a public matter compared with the registry (the label is a translation: left out).
# The 裁量基准 versions too (处罚法 requires them published): absent on both sides for a matter with none.
PUBLIC_MATTER_FIELDS = ("code", "name", "kind", "enforcement_field", "legal_bases", "discretion_standard",
                        "benchmarks")
# The criteria read from case records: the indicators' parts each reads.
CASE_CRITERIA = {
    "publication_timely": _publication_parts,
    "audio_video": _av_parts,
    "legal_review": _review_parts,
}
# The kinds whose major decisions have review tallies (`review.ReviewTally` is written for decided
# penalty cases only): for the others the legal-review criterion says it cannot judge.
REVIEW_TALLIED: frozenset[EnforcementKind] = frozenset({EnforcementKind.PENALTY})
# The path from each part's rows to the case's procedure.
PROCEDURE_PATH = {
    "publication_timely": "case__procedure",
    "audio_video": "procedure",
    "legal_review": "case__procedure",
}


def user_reads_targets(user: User) -> bool:
    return user_reads_indicators(user)


def target_agencies(*, viewer: User):
    """The active enforcement agencies whose targets the viewer reads."""
    return indicator_agencies(viewer=viewer).filter(status=AgencyStatus.ACTIVE)


def user_defines_campaigns(user: User) -> bool:
    """The supervisors of a 司法局 define their county's campaign."""
    return (
        user.is_authenticated
        and user.role == Role.SUPERVISOR
        and user.agency_id is not None
        and user.agency.is_judicial_bureau
    )


def procedure_kinds() -> dict[str, EnforcementKind]:
    """Each registered procedure's kind of enforcement (a procedure of no kind the plan names is left out)."""
    kinds = {}
    for key, spec in procedures_all().items():
        kind = kind_of_act(spec.act_kind)
        if kind is not None:
            kinds[key] = kind
    return kinds


def window_of(*, on: dt.date, region: str = "") -> Period:
    return period_range(window_start(on=on, months=window_months(on=on, region=region)), on)


# --- results ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    judgement: Judgement
    url: str  # the records behind the judgement (empty: none to list)


@dataclass(frozen=True)
class KindResult:
    kind: EnforcementKind
    judgement: Judgement
    criteria: tuple[CriterionResult, ...]

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class AgencyResult:
    agency: Agency
    judgement: Judgement
    kinds: tuple[KindResult, ...]

    @property
    def counted(self) -> bool:
        return self.judgement.status != Status.NOT_APPLICABLE

    @property
    def failures(self) -> list[tuple[KindResult, CriterionResult]]:
        """What holds the agency back: each criterion not met, with its kind."""
        return [(k, c) for k in self.kinds for c in k.criteria if c.judgement.status == Status.NOT_MET]


@dataclass
class TargetTable:
    on: dt.date
    window: Period
    results: list[AgencyResult]
    campaign: Campaign
    milestone: Milestone | None
    counted: int = 0
    met: int = 0
    share: float | None = None

    @property
    def held_back(self) -> list[AgencyResult]:
        return [r for r in self.results if r.judgement.status == Status.NOT_MET]

    @property
    def not_counted(self) -> list[AgencyResult]:
        return [r for r in self.results if not r.counted]

    @property
    def reached(self) -> bool | None:
        """Whether the share reaches the milestone's (None: nothing to compare)."""
        if self.milestone is None or self.share is None:
            return None
        return self.share >= self.milestone.percent


def records_url(*, agency_id: int, kind: EnforcementKind, criterion: str, on: dt.date) -> str:
    return (
        reverse("evaluation:target_records", args=[agency_id])
        + f"?kind={kind.value}&criterion={criterion}&on={on:%Y-%m-%d}"
    )


# --- the records, read once for all agencies --------------------------------------------------------


@dataclass
class _Facts:
    matters: dict[int, dict[EnforcementKind, list[Matter]]] = field(default_factory=dict)
    case_kinds: dict[int, set[EnforcementKind]] = field(default_factory=dict)
    public: dict[int, dict[str, dict]] = field(default_factory=dict)  # agency → code → public matter
    documents: dict[int, list[DocumentSnapshot]] = field(default_factory=dict)
    # criterion → (agency, kind) → (numerator, denominator)
    counts: dict[str, dict[tuple[int, EnforcementKind], tuple[int, int]]] = field(default_factory=dict)


def _case_parts(
    code: str,
    ids: list[int],
    window: Period,
    today: dt.date,
    viewer: User | None,
    procedures: Iterable[str] | None = None,
) -> list[Part]:
    parts = CASE_CRITERIA[code](ids, window, today, viewer)
    if procedures is None:
        return parts
    path = PROCEDURE_PATH[code]
    return [replace(p, queryset=p.queryset.filter(**{f"{path}__in": list(procedures)})) for p in parts]


def _facts(ids: list[int], window: Period, today: dt.date, viewer: User | None) -> _Facts:
    facts = _Facts()
    kinds_of = procedure_kinds()
    # The benchmarks: `matters_public` reads them (one query for all, not one a matter).
    matters = Matter.objects.filter(agency_id__in=ids, is_active=True).prefetch_related(
        "discretion_benchmarks"
    )
    for matter in matters.order_by("agency_id", "code"):
        kind = kind_of_matter(matter.kind)
        if kind is not None:
            facts.matters.setdefault(matter.agency_id, {}).setdefault(kind, []).append(matter)
    handled = (
        Case.objects.filter(agency_id__in=ids).order_by().values_list("agency_id", "procedure").distinct()
    )
    for agency_id, procedure in handled:
        if procedure in kinds_of:
            facts.case_kinds.setdefault(agency_id, set()).add(kinds_of[procedure])
    for source_id, matters in PublicAgency.objects.filter(source_id__in=ids).values_list(
        "source_id", "matters"
    ):
        facts.public[source_id] = {m.get("code"): m for m in matters if isinstance(m, dict)}
    for document in SystemDocument.objects.filter(agency_id__in=ids).only("pk", "agency_id", "kind", "state"):
        facts.documents.setdefault(document.agency_id, []).append(
            DocumentSnapshot(document.pk, document.kind, document.state)
        )
    with _counting():
        for code in CASE_CRITERIA:
            counts: dict[tuple[int, EnforcementKind], tuple[int, int]] = defaultdict(lambda: (0, 0))
            for part in _case_parts(code, ids, window, today, viewer):
                grouped = (
                    part.queryset.order_by()
                    .values(part.agency, PROCEDURE_PATH[code])
                    .annotate(d=Count("pk"), n=Count("pk", filter=part.numerator))
                    .values_list(part.agency, PROCEDURE_PATH[code], "n", "d")
                )
                for agency_id, procedure, n, d in grouped:
                    kind = kinds_of.get(procedure)
                    if kind is None:
                        continue
                    before = counts[(agency_id, kind)]
                    counts[(agency_id, kind)] = (before[0] + n, before[1] + d)
            facts.counts[code] = dict(counts)
    return facts


def _cleaned(value):
    """A value as the public copy holds it (its texts cleaned as `publication.registry_sync` does)."""
    if isinstance(value, str):
        return public_text_clean(value)
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned(item) for item in value]
    return value


def _public_state(matters: list[Matter], public: dict[str, dict] | None, kind: EnforcementKind):
    """(missing, outdated, retired) names of one kind's matters against what is published."""
    if public is None:
        return [], [], []
    missing, outdated = [], []
    active_codes = set()
    for matter, shown in zip(matters, matters_public(matters), strict=True):
        active_codes.add(matter.code)
        published = public.get(matter.code)
        if published is None:
            missing.append(matter.name)
        elif any(_cleaned(published.get(key)) != _cleaned(shown.get(key)) for key in PUBLIC_MATTER_FIELDS):
            outdated.append(matter.name)
    retired = [
        m.get("name", "")
        for code, m in public.items()
        if code not in active_codes and kind_of_matter(str(m.get("kind", ""))) == kind
    ]
    return missing, outdated, retired


def _judge_agency(
    agency: Agency, facts: _Facts, *, on: dt.date, has_procedure: set[EnforcementKind], document_items
) -> AgencyResult:
    region = agency.region_code
    publication_min = threshold(PUBLICATION_PARAMETER, on=on, region=region)
    av_min = threshold(AUDIO_VIDEO_PARAMETER, on=on, region=region)
    items = checklist_items(
        kinds=document_items[0],
        due_on=document_items[1],
        today=on,
        documents=facts.documents.get(agency.pk, []),
    )
    documents = documents_judge(items=[(i.label, i.status.value) for i in items])
    kinds = []
    for kind in EnforcementKind:
        matters = facts.matters.get(agency.pk, {}).get(kind, [])
        public = facts.public.get(agency.pk) or {}
        has_cases = kind in facts.case_kinds.get(agency.pk, set())
        applies = (
            bool(matters)
            or has_cases
            or any(kind_of_matter(str(m.get("kind", ""))) == kind for m in public.values())
        )
        results: list[CriterionResult] = []
        if applies:
            for criterion in CRITERIA:
                judgement = _judge(
                    criterion,
                    agency,
                    kind,
                    facts,
                    matters,
                    has_procedure=kind in has_procedure,
                    has_cases=has_cases,
                    publication_min=publication_min,
                    av_min=av_min,
                    documents=documents,
                )
                url = records_url(agency_id=agency.pk, kind=kind, criterion=criterion.code, on=on)
                results.append(CriterionResult(criterion, judgement, url))
        judgement = kind_judge(applies=applies, criteria=[(r.criterion, r.judgement) for r in results])
        kinds.append(KindResult(kind, judgement, tuple(results)))
    return AgencyResult(agency, agency_judge(kinds=[(k.kind, k.judgement) for k in kinds]), tuple(kinds))


def _judge(
    criterion: Criterion,
    agency: Agency,
    kind: EnforcementKind,
    facts: _Facts,
    matters: list[Matter],
    *,
    has_procedure: bool,
    has_cases: bool,
    publication_min: float,
    av_min: float,
    documents: Judgement,
) -> Judgement:
    code = criterion.code
    if code == "pre_publicity":
        public = facts.public.get(agency.pk)
        missing, outdated, retired = _public_state(matters, public, kind)
        return publicity_judge(
            published=public is not None,
            active=len(matters),
            missing=missing,
            outdated=outdated,
            retired=retired,
            has_cases=has_cases,
        )
    if code == "documents":
        return documents
    if not has_procedure:
        return no_procedure_judgement(kind)
    if code == "legal_review" and kind not in REVIEW_TALLIED:
        return no_review_records_judgement(kind)
    n, d = facts.counts[code].get((agency.pk, kind), (0, 0))
    if code == "publication_timely":
        return rate_judge(
            numerator=n,
            denominator=d,
            min_percent=publication_min,
            counted="应当公示的决定",
            meeting="按期公示",
            none_due="判断期内没有应当公示的执法决定",
        )
    if code == "audio_video":
        return rate_judge(
            numerator=n,
            denominator=d,
            min_percent=av_min,
            counted="须音像记录的环节",
            meeting="有音像记录",
            none_due="判断期内没有须全程音像记录的环节",
        )
    return review_judge(reviewed=n, major=d, none_due="判断期内没有作出重大执法决定")


def targets_compute(
    *, agencies: list[Agency], on: dt.date, campaign: Campaign, viewer: User | None = None, region: str = ""
) -> TargetTable:
    """Every agency of `agencies` judged on `on` (the window of records ending that day), the share
    of those counted that fully apply the three systems, and the campaign's milestone for the day."""
    window = window_of(on=on, region=region)
    ids = [a.pk for a in agencies]
    facts = _facts(ids, window, on, viewer)
    kinds_of = procedure_kinds()
    has_procedure = set(kinds_of.values())
    document_items = (document_kinds_required(on=on, region=region), documents_due_on(on=on, region=region))
    results = [
        _judge_agency(a, facts, on=on, has_procedure=has_procedure, document_items=document_items)
        for a in agencies
    ]
    table = TargetTable(on, window, results, campaign, campaign.milestone_on(on))
    table.counted = sum(1 for r in results if r.counted)
    table.met = sum(1 for r in results if r.judgement.status == Status.MET)
    table.share = share_percent(met=table.met, counted=table.counted)
    return table


# --- campaigns --------------------------------------------------------------------------------------


def _campaign_of(row: TargetCampaign) -> Campaign:
    milestones = tuple(
        Milestone(dt.date.fromisoformat(m["due_on"]), int(m["percent"])) for m in row.milestones
    )
    return Campaign(row.title, milestones, f"{row.bureau.name}于{row.defined_on:%Y-%m-%d}确定", False)


def campaign_in_force(*, bureau: Agency | None, on: dt.date) -> Campaign:
    """The bureau's latest campaign, or the plan's (for a county whose bureau defined none, and for the
    system administrator's view of every county)."""
    if bureau is not None:
        row = TargetCampaign.objects.filter(bureau=bureau).select_related("bureau").order_by("-id").first()
        if row is not None:
            return _campaign_of(row)
    return campaign_default(on=on, region=bureau.region_code if bureau is not None else "")


def campaigns_of(*, bureau: Agency) -> list[TargetCampaign]:
    return list(TargetCampaign.objects.filter(bureau=bureau).select_related("defined_by").order_by("-id"))


def viewer_bureau(viewer: User) -> Agency | None:
    """The 司法局 whose campaign the viewer's page measures against: a supervisor's own, an agency's
    county's (same region code), none for the system administrator."""
    if not viewer.is_authenticated or viewer.agency_id is None:
        return None
    agency = viewer.agency
    if agency.is_judicial_bureau:
        return agency
    return (
        Agency.objects.filter(is_judicial_bureau=True, region_code=agency.region_code).order_by("pk").first()
    )


def target_table(*, viewer: User, on: dt.date) -> TargetTable:
    """The viewer's agencies judged on `on`, against the campaign in force for the viewer's county."""
    bureau = viewer_bureau(viewer)
    agencies = list(target_agencies(viewer=viewer))
    region = bureau.region_code if bureau is not None else ""
    return targets_compute(
        agencies=agencies,
        on=on,
        campaign=campaign_in_force(bureau=bureau, on=on),
        viewer=viewer,
        region=region,
    )


def target_agency(*, viewer: User, agency_id: int, on: dt.date) -> AgencyResult | None:
    """One agency's result (None: not an agency the viewer reads)."""
    agency = target_agencies(viewer=viewer).filter(pk=agency_id).first()
    if agency is None:
        return None
    table = targets_compute(
        agencies=[agency], on=on, campaign=campaign_default(on=on), viewer=viewer, region=agency.region_code
    )
    return table.results[0]


# --- history ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryAgency:
    """One agency as a month's snapshot recorded it: its status and what held it back."""

    agency_id: int
    name: str
    status: str
    failures: tuple[str, ...]


@dataclass(frozen=True)
class HistoryRow:
    month: dt.date
    computed_on: dt.date
    counted: int
    met: int
    share: float | None
    target_percent: int | None
    target_due_on: dt.date | None
    agencies: tuple[HistoryAgency, ...] = ()  # the counted agencies behind the numbers

    @property
    def held_back(self) -> list[HistoryAgency]:
        return [a for a in self.agencies if a.status == Status.NOT_MET]

    @property
    def fully(self) -> list[HistoryAgency]:
        return [a for a in self.agencies if a.status == Status.MET]


def target_history(*, viewer: User) -> list[HistoryRow]:
    """The monthly snapshots of the viewer's agencies, each number with the agencies behind it: a
    supervisor's county, every county summed for the system administrator, an agency head's own
    agency only (never another agency's result or the county's figures made of them)."""
    if not user_reads_targets(viewer):
        return []
    rows = TargetSnapshot.objects.order_by("month", "region_code")
    if viewer.role != Role.SYSTEM_ADMIN:
        rows = rows.filter(region_code=viewer.agency.region_code)
    own = str(viewer.agency_id) if viewer.role == Role.AGENCY_HEAD else None
    by_month: dict[dt.date, list[TargetSnapshot]] = {}
    for row in rows:
        by_month.setdefault(row.month, []).append(row)
    history = []
    for month, snapshots in by_month.items():
        agencies = [
            HistoryAgency(
                int(key),
                str(value.get("name", "")),
                str(value.get("status", "")),
                tuple(value.get("failures", ())),
            )
            for snapshot in snapshots
            for key, value in sorted(snapshot.agencies.items(), key=lambda item: str(item[1].get("name", "")))
            if (own is None or key == own) and value.get("status") in (Status.MET, Status.NOT_MET)
        ]
        counted, met = len(agencies), sum(1 for a in agencies if a.status == Status.MET)
        first = snapshots[0]
        single = len(snapshots) == 1
        history.append(
            HistoryRow(
                month,
                max(s.computed_on for s in snapshots),
                counted,
                met,
                share_percent(met=met, counted=counted),
                first.target_percent if single else None,
                first.target_due_on if single else None,
                tuple(agencies),
            )
        )
    return history


# --- the records behind a judgement -------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRecords:
    agency: Agency
    kind: EnforcementKind
    criterion: Criterion
    judgement: Judgement
    window: Period
    rows: list[RecordRow]
    count: int


def target_records(
    *, viewer: User, agency_id: int, kind: EnforcementKind, criterion: str, on: dt.date, limit: int = 200
) -> TargetRecords | None:
    """The records a criterion of one agency and kind was judged on (`limit` of them; `count` is all)."""
    result = target_agency(viewer=viewer, agency_id=agency_id, on=on)
    if result is None or criterion not in CRITERIA_BY_CODE:
        return None
    agency = result.agency
    kind_result = next(k for k in result.kinds if k.kind == kind)
    judged = next((c for c in kind_result.criteria if c.criterion.code == criterion), None)
    judgement = judged.judgement if judged is not None else kind_result.judgement
    window = window_of(on=on, region=agency.region_code)
    rows: list[RecordRow] = []
    count = 0
    if criterion in CASE_CRITERIA:
        procedures = [key for key, k in procedure_kinds().items() if k == kind]
        with _counting():
            for part in _case_parts(criterion, [agency.pk], window, on, viewer, procedures):
                total = part.queryset.count()
                count += total
                if len(rows) < limit:
                    rows += [part.row(obj) for obj in part.queryset[: limit - len(rows)]]
        # A case's title may name a party: a supervisor reads it only under a read grant naming it.
        rows = titles_withheld(viewer=viewer, rows=rows)
    elif criterion == "pre_publicity":
        rows = _publicity_rows(agency, kind)
        count = len(rows)
    else:
        rows = _document_rows(agency, on)
        count = len(rows)
    return TargetRecords(agency, kind, CRITERIA_BY_CODE[criterion], judgement, window, rows, count)


def _publicity_rows(agency: Agency, kind: EnforcementKind) -> list[RecordRow]:
    matters = [
        m
        for m in Matter.objects.filter(agency=agency, is_active=True)
        .prefetch_related("discretion_benchmarks")
        .order_by("code")
        if kind_of_matter(m.kind) == kind
    ]
    public_row = PublicAgency.objects.filter(source_id=agency.pk).first()
    public = (
        None if public_row is None else {m.get("code"): m for m in public_row.matters if isinstance(m, dict)}
    )
    missing, outdated, retired = _public_state(matters, public, kind)
    rows = []
    for matter in matters:
        if public is None or matter.name in missing:
            note = "未公开"
        elif matter.name in outdated:
            note = "公开内容与登记不一致"
        else:
            note = "已公开，内容与登记一致"
        rows.append(
            RecordRow(
                agency.name,
                matter.code,
                matter.name,
                (("登记更新日期", timezone.localdate(matter.updated_at)),),
                note,
                reverse("registry:matter_detail", args=[matter.pk]),
            )
        )
    for name in retired:
        rows.append(RecordRow(agency.name, "", name, (("登记更新日期", None),), "已停用，仍在公开", ""))
    return rows


def _document_rows(agency: Agency, on: dt.date) -> list[RecordRow]:
    documents = list(SystemDocument.objects.filter(agency=agency).order_by("kind", "pk"))
    items = checklist_items(
        kinds=document_kinds_required(on=on, region=agency.region_code),
        due_on=documents_due_on(on=on, region=agency.region_code),
        today=on,
        documents=[DocumentSnapshot(d.pk, d.kind, d.state) for d in documents],
    )
    rows = []
    for item in items:
        url = (
            reverse("evaluation:document_detail", args=[item.document_ids[-1]])
            if item.document_ids
            else reverse("evaluation:document_checklist")
        )
        rows.append(
            RecordRow(agency.name, "", item.label, (("应报送日期", item.due_on),), item.status_label, url)
        )
    return rows


__all__ = [
    "AgencyResult",
    "CriterionResult",
    "HistoryRow",
    "KindResult",
    "TargetRecords",
    "TargetTable",
    "campaign_in_force",
    "campaigns_of",
    "procedure_kinds",
    "records_url",
    "target_agencies",
    "target_agency",
    "target_history",
    "target_records",
    "target_table",
    "targets_compute",
    "user_defines_campaigns",
    "user_reads_targets",
    "viewer_bureau",
    "window_of",
]
