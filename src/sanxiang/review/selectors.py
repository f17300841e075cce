"""Reads of legal review: the catalogue (as kept, as published, as the engine reads it), the review
desk's queue, and the judicial bureau's figures. Always scoped to the viewer: another agency's
catalogue is absent (404), never forbidden.

A published version's content is self-contained; the public pages (the portal's) read the text
that publication keeps of each version, written by the `CataloguePublished` event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.db import NotSupportedError
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    JSONField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Window,
)
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast, RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from sanxiang.accounts.models import Role, User
from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.facts import facts_field_load, facts_load
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.cases.selectors import (
    LISTED_DETAILS,
    case_get,
    case_list,
    case_snapshot_build,
    cases_reviewed,
    guard_context,
    listed_details,
    penalty_snapshot_listed,
    state_label,
)
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.procedure.engine import GuardContext
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.penalty.basis import GUIDELINE_118, penalty_article
from sanxiang.procedure.penalty.review import (
    discussion_gate,
    discussion_reasons,
    latest_opinion,
    major_assessment,
    opinion_for,
    pending_request,
    review_due,
    review_gate,
    review_status,
    standing_disagreement,
)
from sanxiang.procedure.penalty.rules import Day, parameter
from sanxiang.procedure.penalty.snapshot import (
    MAJOR_CONDITIONS,
    PENALTY_KINDS,
    REVIEW_OPINIONS,
    Party,
    PenaltyCaseSnapshot,
    ReviewCatalogue,
    ReviewOpinion,
    yuan,
)
from sanxiang.procedure.penalty.steps import BEFORE_DECISION
from sanxiang.procedure.penalty.steps import ORDINARY as PENALTY_ORDINARY
from sanxiang.registry.models import Agency, Matter, Officer, legal_bases_format
from sanxiang.registry.selectors import agency_list, team_health_overview
from sanxiang.review.models import CataloguePublication, MajorDecisionCatalogue, ReviewTally
from sanxiang.review.permissions import (
    user_can_read_catalogue,
    user_can_read_review_supervision,
    user_has_review_desk,
)

# --- the catalogue ----------------------------------------------------------------------------------

CONTENT_FORMAT = 1
LEGAL_BASIS = f"{penalty_article(58)}；{penalty_article(57, detail='第二款')}；{GUIDELINE_118}"
DISCUSSION_CASES: dict[str, str] = {"complex": "情节复杂的", "major": "属于重大执法决定的"}
# The statute's own list (procedure.penalty.review), in its words: decisions that must be reviewed whatever the catalogue says.
STATUTORY_CASES: tuple[str, ...] = (
    "涉及重大公共利益的",
    "直接关系当事人或者第三人重大权益，经过听证程序的",
    "案件情况疑难复杂、涉及多个法律关系的",
    "法律、法规规定应当进行法制审核的其他情形",
)
# The record the leaders' collective discussion leaves (its document, or a file filed under it).
DISCUSSION_RECORD = "collective_discussion_record"
# Keys of the content that say when and which version, not what the catalogue says.
_PUBLICATION_KEYS = ("version", "published_on")


@dataclass(frozen=True)
class CatalogueValues:
    """What an agency's catalogue says, whether kept in a row or still the parameters' defaults."""

    kinds: tuple[str, ...]
    fine_natural_person_fen: int
    fine_organization_fen: int
    amount_inclusive: bool
    discretion_deviation: bool
    discussion_for: tuple[str, ...]
    matters: tuple[Matter, ...]
    explanation: str


def ordered(codes, order) -> tuple[str, ...]:
    chosen = set(codes)
    return tuple(k for k in order if k in chosen)


def catalogue_defaults(*, agency: Agency, on: dt.date | None = None) -> dict:
    """A new catalogue's values: the deployment's parameters in force for the agency's region."""
    on = on or timezone.localdate()
    parameters = parameters_default()

    def value(name: str):
        return parameters.value(name, on=on, region=agency.region_code)

    return {
        "kinds": list(ordered(value("penalty.review.catalogue_kinds"), PENALTY_KINDS)),
        "fine_natural_person_fen": value("penalty.review.catalogue_fine_natural_person_fen"),
        "fine_organization_fen": value("penalty.review.catalogue_fine_organization_fen"),
        "amount_inclusive": value("penalty.review.catalogue_amount_inclusive"),
        "discretion_deviation": value("penalty.review.discretion_deviation_major"),
        "discussion_for": list(ordered(value("penalty.collective_discussion.required_for"), DISCUSSION_CASES)),
    }


def catalogue_values(*, agency: Agency) -> CatalogueValues:
    """The catalogue as the agency keeps it now (the defaults until it is first saved)."""
    catalogue = MajorDecisionCatalogue.objects.filter(agency=agency).first()
    if catalogue is None:
        defaults = catalogue_defaults(agency=agency)
        return CatalogueValues(
            kinds=tuple(defaults["kinds"]),
            fine_natural_person_fen=defaults["fine_natural_person_fen"],
            fine_organization_fen=defaults["fine_organization_fen"],
            amount_inclusive=defaults["amount_inclusive"],
            discretion_deviation=defaults["discretion_deviation"],
            discussion_for=tuple(defaults["discussion_for"]),
            matters=(),
            explanation="",
        )
    return CatalogueValues(
        kinds=ordered(catalogue.kinds, PENALTY_KINDS),
        fine_natural_person_fen=catalogue.fine_natural_person_fen,
        fine_organization_fen=catalogue.fine_organization_fen,
        amount_inclusive=catalogue.amount_inclusive,
        discretion_deviation=catalogue.discretion_deviation,
        discussion_for=ordered(catalogue.discussion_for, DISCUSSION_CASES),
        matters=tuple(catalogue.matters.order_by("code")),
        explanation=catalogue.explanation,
    )


def _amount_text(fen: int, inclusive: bool) -> str:
    return f"{yuan(fen)}以上（含本数）" if inclusive else f"超过{yuan(fen)}"


def catalogue_content(*, agency_name: str, values: CatalogueValues) -> dict:
    """The catalogue as published: everything a citizen reads, and everything the engine needs,
    in one self-contained JSON document."""
    kinds = [{"code": k, "label": PENALTY_KINDS[k]} for k in values.kinds]
    natural = _amount_text(values.fine_natural_person_fen, values.amount_inclusive)
    organization = _amount_text(values.fine_organization_fen, values.amount_inclusive)
    listed = []
    if kinds:
        listed.append(f"拟作出{'、'.join(k['label'] for k in kinds)}行政处罚决定的")
    listed.append(f"对公民拟作出罚款或者没收违法所得、没收非法财物，数额{natural}的")
    listed.append(f"对法人或者其他组织拟作出罚款或者没收违法所得、没收非法财物，数额{organization}的")
    if values.discretion_deviation:
        listed.append("拟减轻处罚，或者超出裁量基准从重处罚的")
    if values.matters:
        listed.append("实施本目录所列执法事项，拟作出行政处罚决定的")
    return {
        "format": CONTENT_FORMAT,
        "title": f"{agency_name}重大执法决定法制审核目录清单",
        "agency_name": agency_name,
        "legal_basis": LEGAL_BASIS,
        "listed": listed,
        "statutory": list(STATUTORY_CASES),
        "statutory_basis": penalty_article(58, detail="第一款"),
        "kinds": kinds,
        "thresholds": {
            "natural_person_fen": values.fine_natural_person_fen,
            "natural_person_text": natural,
            "organization_fen": values.fine_organization_fen,
            "organization_text": organization,
            "inclusive": values.amount_inclusive,
        },
        "discretion_deviation": values.discretion_deviation,
        "discussion_for": [{"code": c, "label": DISCUSSION_CASES[c]} for c in values.discussion_for],
        "discussion_basis": penalty_article(57, detail="第二款"),
        "matters": [
            {"code": m.code, "name": m.name, "legal_basis": legal_bases_format(m.legal_bases)} for m in values.matters
        ],
        "explanation": values.explanation,
    }


def catalogue_content_current(*, agency: Agency) -> dict:
    return catalogue_content(agency_name=agency.name, values=catalogue_values(agency=agency))


def content_body(content: dict) -> dict:
    """The content without its version and date: what two versions are compared on."""
    return {k: v for k, v in content.items() if k not in _PUBLICATION_KEYS}


def publication_reference(content: dict) -> str:
    return (
        f"{content['agency_name']}重大执法决定法制审核目录清单"
        f"（第{content['version']}版，{content['published_on']}发布）"
    )


def catalogue_from_content(content: dict) -> ReviewCatalogue:
    """The procedure's value from a publication's content (the engine never reads the row)."""
    thresholds = content["thresholds"]
    return ReviewCatalogue(
        kinds=frozenset(k["code"] for k in content["kinds"]),
        fine_natural_person_fen=thresholds["natural_person_fen"],
        fine_organization_fen=thresholds["organization_fen"],
        amount_inclusive=thresholds["inclusive"],
        matters=frozenset(m["code"] for m in content["matters"]),
        discretion_deviation=content["discretion_deviation"],
        discussion_for=frozenset(d["code"] for d in content["discussion_for"]),
        reference=publication_reference(content),
    )


def review_catalogue_for_agency(*, agency_id: int) -> ReviewCatalogue | None:
    """The agency's catalogue in force: its latest published version; None if it never published
    one (the engine then applies the parameters' default catalogue)."""
    content = (
        CataloguePublication.objects.filter(agency_id=agency_id)
        .order_by("-version")
        .values_list("content", flat=True)
        .first()
    )
    return catalogue_from_content(content) if content is not None else None


def review_catalogue_on(*, agency_id: int, on: dt.date) -> ReviewCatalogue | None:
    """The version that was in force on a day: the latest published on or before it (a version
    published on the day of a decision counts as in force for it)."""
    return _in_force(_catalogue_history([agency_id]).get(agency_id, []), on)


def _catalogue_history(agency_ids: list[int]) -> dict[int, list[tuple[dt.date, ReviewCatalogue]]]:
    """Every published version of these agencies, latest first."""
    history: dict[int, list[tuple[dt.date, ReviewCatalogue]]] = {}
    rows = CataloguePublication.objects.filter(agency_id__in=agency_ids).order_by("agency_id", "-version")
    for agency_id, content in rows.values_list("agency_id", "content"):
        history.setdefault(agency_id, []).append(
            (dt.date.fromisoformat(content["published_on"]), catalogue_from_content(content))
        )
    return history


def _in_force(history: list[tuple[dt.date, ReviewCatalogue]], on: dt.date) -> ReviewCatalogue | None:
    return next((catalogue for published_on, catalogue in history if published_on <= on), None)


@dataclass(frozen=True)
class CataloguePage:
    agency: Agency
    catalogue: MajorDecisionCatalogue | None  # None: never saved, the defaults are shown
    content: dict  # as it would be published now
    publications: list[CataloguePublication]

    @property
    def latest(self) -> CataloguePublication | None:
        return self.publications[0] if self.publications else None

    @property
    def unpublished_changes(self) -> bool:
        latest = self.latest
        return latest is None or content_body(latest.content) != content_body(self.content)


def catalogue_page(*, viewer: User, agency_id: int) -> CataloguePage:
    if not user_can_read_catalogue(viewer, agency_id):
        raise Http404
    try:
        agency = Agency.objects.get(pk=agency_id)
    except Agency.DoesNotExist as missing:
        raise Http404 from missing
    return CataloguePage(
        agency=agency,
        catalogue=MajorDecisionCatalogue.objects.filter(agency=agency).select_related("updated_by").first(),
        content=catalogue_content_current(agency=agency),
        publications=list(
            CataloguePublication.objects.filter(agency=agency).select_related("published_by").order_by("-version")
        ),
    )


@dataclass(frozen=True)
class CatalogueOverviewRow:
    agency: Agency
    latest_version: int | None
    latest_published_at: dt.datetime | None


def catalogue_overview_agencies(*, viewer: User) -> QuerySet[Agency]:
    """Every agency the viewer reads, annotated with its latest published version (the page's
    list and the API's, which pages it)."""
    return agency_list(viewer=viewer).annotate(
        latest_version=Max("review_catalogue_publications__version"),
        latest_published_at=Max("review_catalogue_publications__published_at"),
    )


def catalogue_overview(*, viewer: User) -> list[CatalogueOverviewRow]:
    """Every agency the viewer reads, with its latest published version."""
    agencies = catalogue_overview_agencies(viewer=viewer)
    return [CatalogueOverviewRow(a, a.latest_version, a.latest_published_at) for a in agencies]


# --- the review desk ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    """A request the review office has not answered."""

    case: Case
    state_label: str
    round: int
    submitted_on: dt.date
    due: Day
    reviewer_id: int | None
    reviewer_name: str  # "" when not assigned
    overdue: bool
    extended: bool


def _submitted(cases):
    # Only cases that were ever sent for review: `review_requests` is the snapshot field stored in
    # `Case.facts`; a first element exists once a request was made.
    return cases.filter(facts__review_requests__0__isnull=False)


# What `_review_facts` gives for the parts of a snapshot the review period never reads.
_UNREAD_PARTY = Party(kind="natural_person", name="")


def _review_facts(case: Case) -> PenaltyCaseSnapshot:
    """The case's stored review facts as a snapshot, without a query: the requests and opinions
    (`pending_request`), the region and sector whose parameters give the review period
    (`review_due`). Nothing read from the registry or the evidence store is in it, so it serves
    those two functions only."""
    facts = case.facts

    def stored(name: str):
        return facts_field_load(PenaltyCaseSnapshot, name, facts)

    return PenaltyCaseSnapshot(
        state=case.state,
        party=_UNREAD_PARTY,
        act_date=case.act_date or timezone.localtime(case.created_at).date(),
        region=case.agency.region_code,
        sector=stored("sector"),
        review_requests=stored("review_requests"),
        review_opinions=stored("review_opinions"),
    )


def review_queue(*, user: User, on: dt.date | None = None) -> list[QueueItem]:
    """A reviewer's pending requests (assigned to their officer); for an agency head, every
    pending request of the agency. The earliest due first."""
    if not user_has_review_desk(user):
        return []
    own_only = user.role == Role.REVIEWER
    if own_only and user.officer_id is None:
        return []
    context = guard_context(on=on)
    names = dict(Officer.objects.filter(agency_id=user.agency_id).values_list("pk", "name"))
    # Looked up by (agency, state), the few open cases: not in the lists' order (by date, which
    # would lead SQLite to walk every case of the agency), sorted here; the documents' texts unread.
    cases = (
        _submitted(Case.objects.filter(agency_id=user.agency_id, state__in=BEFORE_DECISION))
        .select_related("agency")
        .defer("details")
        .order_by()
    )
    items = []
    for case in cases:
        # The request and its due date read the case's stored review facts alone: no snapshot is
        # built, so the desk costs the same three queries whatever the number of cases.
        facts = _review_facts(case)
        request = pending_request(facts)
        if request is None or (own_only and request.reviewer_id != user.officer_id):
            continue
        due = review_due(request, facts, context)
        items.append(
            QueueItem(
                case=case,
                state_label=state_label(case),
                round=request.round,
                submitted_on=request.submitted_on,
                due=due,
                reviewer_id=request.reviewer_id,
                reviewer_name=names.get(request.reviewer_id, "") if request.reviewer_id is not None else "",
                overdue=context.today > due.date,
                extended=request.extended_to is not None,
            )
        )
    return sorted(items, key=lambda i: (i.due.date, i.submitted_on, i.case.pk))


@dataclass(frozen=True)
class ReviewedItem:
    case: Case
    round: int
    opinion: str
    given_on: dt.date

    @property
    def opinion_label(self) -> str:
        return REVIEW_OPINIONS.get(self.opinion, self.opinion)


def review_recent(*, user: User, limit: int = 10) -> list[ReviewedItem]:
    """The opinions the user's officer gave most recently, one per case, latest first."""
    if not user_has_review_desk(user) or user.officer_id is None:
        return []
    # Only the opinions are read out of the facts (not the whole case's JSON), and only the columns
    # the page shows of the case.
    cases = (
        cases_reviewed(Case.objects.filter(agency_id=user.agency_id))
        .only("pk", "number", "title", "updated_at")
        .annotate(opinions=KeyTransform("review_opinions", "facts"))
        .order_by("-updated_at")[:200]
    )
    items = []
    for case in cases:
        opinions = [facts_load(ReviewOpinion, o) for o in case.opinions or []]
        mine = [o for o in opinions if o.reviewer.id == user.officer_id]
        if mine:
            last = mine[-1]
            items.append(ReviewedItem(case, last.round, last.opinion, last.given_on))
    return sorted(items, key=lambda i: (i.given_on, i.case.pk), reverse=True)[:limit]


# --- the reviews as a list (the API's /api/reviews) ---------------------------------------------------

# Where a case's legal review stands, read from its stored requests and opinions alone.
REVIEW_LIST_STATES: dict[str, str] = {"pending": "审核中", "answered": "已出具审核意见"}


@dataclass(frozen=True)
class ReviewRow:
    """A case sent for legal review, as a list shows it: its latest round and the opinion on it."""

    status: str  # a key of REVIEW_LIST_STATES
    round: int
    submitted_on: dt.date
    reviewer_id: int | None
    opinion: str  # a key of REVIEW_OPINIONS, "" while pending
    given_on: dt.date | None

    @property
    def status_label(self) -> str:
        return REVIEW_LIST_STATES[self.status]

    @property
    def opinion_label(self) -> str:
        return REVIEW_OPINIONS.get(self.opinion, self.opinion)


def review_row(requests, opinions) -> ReviewRow | None:
    """The row of a case from its stored `review_requests` and `review_opinions` (the JSON of its
    facts); None for a case never sent."""
    stored = {"review_requests": requests or [], "review_opinions": opinions or []}
    # Only these two fields of the snapshot, which is all `opinion_for` reads.
    facts = SimpleNamespace(**{name: facts_field_load(PenaltyCaseSnapshot, name, stored) for name in stored})
    request = max(facts.review_requests, key=lambda r: r.round, default=None)
    if request is None:
        return None
    opinion = opinion_for(facts, request)
    return ReviewRow(status="pending" if opinion is None else "answered", round=request.round,
                     submitted_on=request.submitted_on, reviewer_id=request.reviewer_id,
                     opinion=opinion.opinion if opinion else "", given_on=opinion.given_on if opinion else None)


class _LastItemKey(Func):
    """`facts[array][-1][key]` as text, in SQL: the key of the last element of a JSON list of the
    case's facts (SQLite's `$[#-1]` path, PostgreSQL's `-> -1`). The lists of review requests and
    opinions are appended to in the order of their rounds, so the last element is the latest."""

    output_field = TextField()

    def __init__(self, expression, *, array: str, key: str) -> None:
        super().__init__(expression)
        self.array, self.key = array, key

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"json_extract({sql}, %s)", [*params, f"$.{self.array}[#-1].{self.key}"]

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql} -> %s -> -1) ->> %s)", [*params, self.array, self.key]

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("the review list's filters are written for SQLite and PostgreSQL")


def reviews_for(*, viewer: User, agency_id: int | None = None, status: str | None = None,
                since: dt.date | None = None, until: dt.date | None = None) -> QuerySet[Case]:
    """The cases sent for legal review (送审) that the viewer may read, as the case list scopes
    them, each with its stored requests and opinions (`requests`, `opinions`: only these keys of
    its facts are read). `status` (REVIEW_LIST_STATES) and the latest submission's day between
    `since` and `until` are judged in SQL on those keys (as `review_row` judges them: the latest
    request is answered when the latest opinion is of its round), within the one query of the page."""
    cases = _submitted(case_list(viewer=viewer))
    if agency_id is not None:
        cases = cases.filter(agency_id=agency_id)
    cases = cases.annotate(requests=KeyTransform("review_requests", "facts"),
                           opinions=KeyTransform("review_opinions", "facts"))
    if status is not None:
        cases = cases.alias(
            request_round=Cast(_LastItemKey(F("facts"), array="review_requests", key="round"), IntegerField()),
            opinion_round=Cast(_LastItemKey(F("facts"), array="review_opinions", key="round"), IntegerField()),
        )
        answered = Q(opinion_round=F("request_round"))
        if status == "answered":
            cases = cases.filter(answered)
        else:  # pending: no opinion yet, or the latest opinion answers an earlier round
            cases = cases.filter(Q(opinion_round__isnull=True) | Q(opinion_round__lt=F("request_round")))
    if since is not None or until is not None:
        cases = cases.alias(submitted_on=_LastItemKey(F("facts"), array="review_requests", key="submitted_on"))
        if since is not None:
            cases = cases.filter(submitted_on__gte=since.isoformat())
        if until is not None:
            cases = cases.filter(submitted_on__lte=until.isoformat())
    return cases


def review_case_get(*, viewer: User, case_id: int) -> Case:
    """A case sent for legal review that the viewer may read (as its page); 404 otherwise."""
    case = case_get(viewer=viewer, case_id=case_id)
    if review_row(case.facts.get("review_requests"), case.facts.get("review_opinions")) is None:
        raise Http404
    return case


# --- what waits for the head and the reviewer (the inbox) --------------------------------------------


@dataclass(frozen=True)
class WaitingCase:
    """A case waiting for someone's step: since when, and by when if the law sets a day."""

    case: Case
    since: dt.date
    due: dt.date | None = None
    overdue: bool = False
    detail: str = ""


@dataclass(frozen=True)
class CaseQueues:
    opening: list[WaitingCase]  # 负责人审批立案: the agency head
    review: list[WaitingCase]  # 出具法制审核意见: the reviewer the request is assigned to
    discussion: list[WaitingCase]  # 集体讨论: the agency head


def _discussion_due(snapshot: PenaltyCaseSnapshot, context: GuardContext) -> bool:
    """The leaders' collective discussion waits for the head (`discussion_reasons`,
    `discussion_gate`): the decision to be given needs it and has none that holds, and the legal review does not hold it back any more (a
    major decision's review agreed to this draft, or its 不同意 stands and the leaders may settle
    it). Without a draft there is nothing to discuss (`collective_discussion_problems`); while the
    review is pending, not sent or sent back, the case waits for others."""
    if snapshot.decision is None:
        return False
    if not discussion_reasons(snapshot, context) or not discussion_gate(snapshot, context):
        return False
    if pending_request(snapshot) is not None:
        return False
    if not major_assessment(snapshot, context).is_major:
        return True
    code = review_status(snapshot, context).code
    if code in ("agreed", "resolved"):
        return True
    settles = parameter(context, snapshot, "penalty.review.disagreement_resolved_by_collective_discussion",
                        on=context.today)
    return code == "disagreed" and standing_disagreement(snapshot) and bool(settles.value)


def case_queues(*, user: User, on: dt.date | None = None) -> CaseQueues:
    """The cases of the user's agency waiting for the user's step: for its head, the 立案审批 of the
    leads (ordinary penalty cases) and the collective discussions due; for a reviewer, the review
    requests assigned to their officer (or to nobody yet). One query whatever the number of cases
    (two when a review is due: the calendar gives its day)."""
    empty = CaseQueues([], [], [])
    head = user.role == Role.AGENCY_HEAD and user.agency_id is not None
    reviewer = user.role == Role.REVIEWER and user.agency_id is not None and user.officer_id is not None
    if not (head or reviewer):
        return empty
    on = on or timezone.localdate()
    # The calendar is read only if a review's due day is computed.
    context = GuardContext(today=on, calendar=SimpleLazyObject(working_day_calendar_current))
    # Only the cases that can wait are read, chosen in SQL from the stored facts over the index on
    # (agency, state): the leads not approved, and before the decision those with a draft decision
    # (a discussion) or a review request. The documents' texts (`details`) are not loaded: the
    # discussion reads only the parts of them its snapshot needs (`LISTED_DETAILS`).
    wanted = Q(pk__isnull=True)
    if head:
        wanted |= Q(state="lead") & (
            ~Q(facts__has_key="opening_approved_by_head") | Q(facts__opening_approved_by_head=False)
        )
        wanted |= Q(state__in=BEFORE_DECISION) & ~Q(facts__decision=None)
    if reviewer:
        wanted |= Q(state__in=BEFORE_DECISION, facts__review_requests__0__isnull=False)
    # The states, also as one list beside the conditions: both engines look it up in the index.
    states = ({"lead", *BEFORE_DECISION} if head else set()) | (set(BEFORE_DECISION) if reviewer else set())
    cases = (
        Case.objects.filter(wanted, agency_id=user.agency_id, procedure=PENALTY_ORDINARY, state__in=sorted(states))
        .select_related("agency", "party", "matter")
        .defer("details")
        .annotate(**LISTED_DETAILS)
        # Not ordered in SQL (an order would lead SQLite to walk every case of the agency by date
        # instead of looking up the states): the few rows are sorted here.
        .order_by()
    )
    if head:
        # What the discussion's gate reads that a list can give for every case in the same query:
        # the agency's catalogue in force and whether a 集体讨论记录 exists (a document or a file).
        cases = cases.annotate(
            catalogue_content=Subquery(
                CataloguePublication.objects.filter(agency_id=OuterRef("agency_id"))
                .order_by("-version").values("content")[:1],
                output_field=JSONField(),
            ),
            discussion_recorded=Exists(
                IssuedDocument.objects.filter(case_id=OuterRef("pk"), record_kind=DISCUSSION_RECORD)
            ) | Exists(EvidenceRecord.objects.filter(case_id=OuterRef("pk"), step=DISCUSSION_RECORD)),
        )
    queues = CaseQueues([], [], [])
    for case in sorted(cases, key=lambda c: (c.created_at, c.pk)):
        if case.state == "lead":
            if head and not facts_field_load(PenaltyCaseSnapshot, "opening_approved_by_head", case.facts):
                queues.opening.append(WaitingCase(case, timezone.localtime(case.created_at).date()))
            continue
        if reviewer:
            facts = _review_facts(case)
            request = pending_request(facts)
            if request is not None and request.reviewer_id in (None, user.officer_id):
                due = review_due(request, facts, context)
                queues.review.append(
                    WaitingCase(case, request.submitted_on, due.date, on > due.date, f"第{request.round}次送审")
                )
        # Only a case with a draft decision can be discussed: the rest of its facts are not read.
        if head and facts_field_load(PenaltyCaseSnapshot, "decision", case.facts) is not None:
            filed = frozenset({DISCUSSION_RECORD} if case.discussion_recorded else ())
            catalogue = catalogue_from_content(case.catalogue_content) if case.catalogue_content else None
            snapshot = penalty_snapshot_listed(case, records_filed=filed, catalogue=catalogue,
                                               details=listed_details(case))
            if _discussion_due(snapshot, context):
                latest = latest_opinion(snapshot)
                since = latest.given_on if latest is not None else timezone.localtime(case.updated_at).date()
                reasons = "、".join(discussion_reasons(snapshot, context))
                queues.discussion.append(WaitingCase(case, since, detail=reasons))
    queues.review.sort(key=lambda w: (w.due or dt.date.max, w.since, w.case.pk))
    queues.discussion.sort(key=lambda w: (w.since, w.case.pk))
    return queues


# --- supervision ------------------------------------------------------------------------------------

HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")


def _ratio(numerator: int, denominator: int, scale: Decimal = Decimal(1)) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AgencyReviewFigures:
    """One agency's legal review in a year, computed from its cases (never typed in)."""

    agency_id: int | None  # None for the total row
    agency_name: str
    major_decided: int  # major decisions made in the year
    reviewed: int  # of which a passing review preceded the decision
    rounds: int  # review rounds of those cases
    review_days: int  # working days from submission to opinion, summed
    reviews_timed: int  # answered requests counted in review_days
    sent_back: int  # major cases with a 补充材料 or 不同意 opinion at least once
    reviewers: int  # active designated legal reviewers
    officers: int  # active officers
    reviewer_ratio_required: float  # the parameter (team health) in force
    reviewer_ratio_low: bool  # the team health finding, not recomputed here
    reviewer_ratio_low_agencies: int  # agencies with that finding (1 or 0; the total sums them)
    unreviewed: tuple[tuple[int, str], ...] = ()  # (case id, case number) decided without review
    estimated: bool = False  # a working-day count used a year the calendar does not know

    @property
    def reviewed_percent(self) -> Decimal | None:
        return _ratio(self.reviewed, self.major_decided, HUNDRED)

    @property
    def unreviewed_count(self) -> int:
        return self.major_decided - self.reviewed

    @property
    def unreviewed_more(self) -> int:
        """How many of them `unreviewed` does not name (the page names only the first few)."""
        return self.unreviewed_count - len(self.unreviewed)

    @property
    def complete(self) -> bool:
        return self.reviewed == self.major_decided

    @property
    def average_rounds(self) -> Decimal | None:
        return _ratio(self.rounds, self.major_decided)

    @property
    def average_review_days(self) -> Decimal | None:
        return _ratio(self.review_days, self.reviews_timed)

    @property
    def reviewer_percent(self) -> Decimal | None:
        return _ratio(self.reviewers, self.officers, HUNDRED)

    @property
    def reviewer_percent_required(self) -> Decimal:
        return (Decimal(str(self.reviewer_ratio_required)) * HUNDRED).quantize(ONE_PLACE)


@dataclass
class _Tally:
    major: int = 0
    reviewed: int = 0
    rounds: int = 0
    days: int = 0
    timed: int = 0
    sent_back: int = 0
    estimated: bool = False

    def __post_init__(self) -> None:
        self.unreviewed: list[tuple[int, str]] = []


def as_decided(snapshot: PenaltyCaseSnapshot, *, on: dt.date, catalogue: ReviewCatalogue | None) -> PenaltyCaseSnapshot:
    """The case as it stood when the decision was made: what was sent, answered and discussed up
    to that day, under the catalogue then in force."""
    return replace(
        snapshot,
        review_requests=tuple(r for r in snapshot.review_requests if r.submitted_on <= on),
        review_opinions=tuple(o for o in snapshot.review_opinions if o.given_on <= on),
        collective_discussions=tuple(d for d in snapshot.collective_discussions if d.held_on <= on),
        catalogue=catalogue,
    )


@dataclass(frozen=True)
class TallyValues:
    """What the figures count of one decided case (a row of `ReviewTally`): the case as it stood on
    the decision day, under the catalogue then in force."""

    agency_id: int
    decided_on: dt.date
    major: bool
    criteria: tuple[str, ...]  # the codes of the criteria that made it major (none when it is not)
    reviewed: bool  # major, and a passing review of this draft preceded the decision
    rounds: int
    review_days: int  # working days from submission to opinion, summed over answered requests
    reviews_timed: int
    sent_back: bool  # a 补充材料 or 不同意 opinion at least once
    estimated: bool  # a working-day count used a year the calendar does not know
    first_submitted_on: dt.date | None


def tally_compute(
    snapshot: PenaltyCaseSnapshot, *, agency_id: int, calendar, history: list[tuple[dt.date, ReviewCatalogue]]
) -> TallyValues | None:
    """The figures of one case from its snapshot (None when it is not decided): the recomputation
    that the stored rows are checked against."""
    decided_on = getattr(snapshot, "decided_on", None)
    if decided_on is None:
        return None
    snapshot = as_decided(snapshot, on=decided_on, catalogue=_in_force(history, decided_on))
    context = guard_context(on=decided_on, calendar=calendar)
    assessment = major_assessment(snapshot, context)
    days = timed = 0
    estimated = False
    for request in snapshot.review_requests:
        opinion = opinion_for(snapshot, request)
        if opinion is not None:
            count = calendar.working_days_between(request.submitted_on, opinion.given_on)
            days += count.days
            timed += 1
            estimated = estimated or count.estimated
    return TallyValues(
        agency_id=agency_id,
        decided_on=decided_on,
        major=assessment.is_major,
        criteria=assessment.codes,
        reviewed=assessment.is_major and not review_gate(snapshot, context),
        rounds=len(snapshot.review_requests) or len(snapshot.review_opinions),
        review_days=days,
        reviews_timed=timed,
        sent_back=any(o.opinion in ("resubmit", "disagree") for o in snapshot.review_opinions),
        estimated=estimated,
        first_submitted_on=min((r.submitted_on for r in snapshot.review_requests), default=None),
    )


def _tally_case(tally: _Tally, case: Case, calendar, history: list[tuple[dt.date, ReviewCatalogue]]) -> None:
    values = tally_compute(case_snapshot_build(case), agency_id=case.agency_id, calendar=calendar, history=history)
    if values is None or not values.major:
        return
    tally.major += 1
    if values.reviewed:
        tally.reviewed += 1
    else:
        tally.unreviewed.append((case.pk, case.number))
    tally.rounds += values.rounds
    tally.days += values.review_days
    tally.timed += values.reviews_timed
    tally.estimated = tally.estimated or values.estimated
    if values.sent_back:
        tally.sent_back += 1


def review_supervision(*, user: User, year: int, unreviewed_limit: int | None = None) -> list[AgencyReviewFigures]:
    """Per agency the viewer may supervise (supervisors and system administrators: every agency;
    an agency head: their own), the legal review of the major decisions made in `year`. Agencies
    where a major decision was made without a passing review come first."""
    if not user_can_read_review_supervision(user):
        return []
    agencies = list(agency_list(viewer=user))
    ids = [a.pk for a in agencies]
    tallies = {agency_id: _Tally() for agency_id in ids}
    # The stored figures of each decided case (`ReviewTally`, kept when the decision is made),
    # summed per agency in SQL: two queries whatever the number of cases.
    major = _tallies_of_year(ids, year).filter(major=True)
    sums = (
        major.values("agency_id")
        .annotate(
            n=Count("pk"),
            reviewed_n=Count("pk", filter=Q(reviewed=True)),
            rounds_sum=Sum("rounds"),
            days_sum=Sum("review_days"),
            timed_sum=Sum("reviews_timed"),
            sent_back_n=Count("pk", filter=Q(sent_back=True)),
            estimated_n=Count("pk", filter=Q(estimated=True)),
        )
        .order_by()
    )
    for row in sums:
        t = tallies[row["agency_id"]]
        t.major, t.reviewed, t.rounds = row["n"], row["reviewed_n"], row["rounds_sum"] or 0
        t.days, t.timed, t.sent_back = row["days_sum"] or 0, row["timed_sum"] or 0, row["sent_back_n"]
        t.estimated = row["estimated_n"] > 0
    # Decided without a passing review: an anomaly the guards prevent, listed by name.
    # The page names the first `unreviewed_limit` of each agency (the full list is one click away);
    # the CSV names them all.
    unreviewed = major.filter(reviewed=False)
    if unreviewed_limit is not None:
        unreviewed = unreviewed.annotate(
            nth=Window(RowNumber(), partition_by=[F("agency_id")], order_by=[F("decided_on"), F("case_id")])
        ).filter(nth__lte=unreviewed_limit)
    rows = unreviewed.order_by("decided_on", "case_id").values_list("agency_id", "case_id", "case__number")
    for agency_id, case_id, number in rows:
        tallies[agency_id].unreviewed.append((case_id, number))
    return _supervision_rows(user=user, agencies=agencies, tallies=tallies)


def _tallies_of_year(agency_ids: list[int], year: int):
    return ReviewTally.objects.filter(
        agency_id__in=agency_ids, decided_on__gte=dt.date(year, 1, 1), decided_on__lt=dt.date(year + 1, 1, 1)
    )


def review_supervision_recomputed(*, user: User, year: int) -> list[AgencyReviewFigures]:
    """The same figures recomputed from every decided case's snapshot (about 4.5 queries and 11 ms
    a case): what `review_supervision` read before the figures were stored, kept to check them."""
    if not user_can_read_review_supervision(user):
        return []
    agencies = list(agency_list(viewer=user))
    ids = [a.pk for a in agencies]
    tallies = {agency_id: _Tally() for agency_id in ids}
    calendar = working_day_calendar_current()
    # `decided_on` is a snapshot fact stored in `Case.facts` as an ISO date.
    decided = Case.objects.filter(agency_id__in=ids, facts__decided_on__startswith=f"{year:04d}-").select_related(
        "agency", "matter", "party"
    )
    history = _catalogue_history(ids)
    for case in decided:
        _tally_case(tallies[case.agency_id], case, calendar, history.get(case.agency_id, []))
    return _supervision_rows(user=user, agencies=agencies, tallies=tallies)


def _supervision_rows(*, user: User, agencies: list[Agency], tallies: dict[int, _Tally]) -> list[AgencyReviewFigures]:
    ids = [a.pk for a in agencies]
    # Staffing: the counts here, the judgement (the ratio rule) from team health.
    reviewers = dict(
        Officer.objects.filter(agency_id__in=ids, status="active", is_legal_reviewer=True)
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    officers = dict(
        Officer.objects.filter(agency_id__in=ids, status="active")
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    low = {
        health.agency.pk
        for health in team_health_overview(viewer=user)
        if any(f.code == "agency.reviewer_ratio_low" for f in health.findings)
    }
    today = timezone.localdate()
    parameters = parameters_default()
    rows = []
    for agency in agencies:
        t = tallies[agency.pk]
        rows.append(
            AgencyReviewFigures(
                agency_id=agency.pk,
                agency_name=agency.name,
                major_decided=t.major,
                reviewed=t.reviewed,
                rounds=t.rounds,
                review_days=t.days,
                reviews_timed=t.timed,
                sent_back=t.sent_back,
                reviewers=reviewers.get(agency.pk, 0),
                officers=officers.get(agency.pk, 0),
                reviewer_ratio_required=parameters.value(
                    "team.legal_reviewer_min_ratio", on=today, region=agency.region_code
                ),
                reviewer_ratio_low=agency.pk in low,
                reviewer_ratio_low_agencies=int(agency.pk in low),
                unreviewed=tuple(t.unreviewed),
                estimated=t.estimated,
            )
        )
    return sorted(rows, key=lambda r: (r.complete, r.agency_name))


# --- the records behind each figure -------------------------------------------------------------

# Which decided cases each figure of the table counts (a key of the query string: never shown).
SUPERVISION_FIGURES: dict[str, tuple[str, Q]] = {
    "major": ("重大执法决定", Q(major=True)),
    "reviewed": ("决定前经法制审核", Q(major=True, reviewed=True)),
    "unreviewed": ("未经法制审核作出决定", Q(major=True, reviewed=False)),
    "timed": ("计入审核用时的重大执法决定", Q(major=True, reviews_timed__gt=0)),
    "sent_back": ("退回或者不同意", Q(major=True, sent_back=True)),
}
CRITERIA_LABELS: dict[str, str] = {
    "catalogue.kind": "处罚种类列入目录",
    "catalogue.amount": "罚没数额达到目录标准",
    "catalogue.matter": "执法事项列入目录",
    "catalogue.discretion": "减轻或者超出裁量基准加重处罚",
    **{f"condition.{key}": label for key, label in MAJOR_CONDITIONS.items()},
    "statute.hearing": "经过听证程序",
    "statute.complex": "案件情况疑难复杂、涉及多个法律关系",
    "office.mark": "承办机构认定为重大执法决定",
}


@dataclass(frozen=True)
class SupervisionCases:
    """The decided cases behind one figure of one agency (or of every agency the viewer reads)."""

    year: int
    figure: str
    figure_label: str
    agency: Agency | None  # None: every agency the viewer supervises
    tallies: QuerySet[ReviewTally]  # with their cases; paginate, never load whole


def criteria_labels(codes: list[str]) -> list[str]:
    return [CRITERIA_LABELS.get(code, "其他情形") for code in codes]


def review_supervision_cases(*, user: User, year: int, figure: str, agency_id: int | None) -> SupervisionCases:
    """The records behind a number of the supervision table, latest decision first; absent (404)
    for a figure that does not exist or an agency the viewer does not supervise."""
    if not user_can_read_review_supervision(user) or figure not in SUPERVISION_FIGURES:
        raise Http404
    agencies = agency_list(viewer=user)
    agency = None
    if agency_id is not None:
        agency = agencies.filter(pk=agency_id).first()
        if agency is None:
            raise Http404
        ids = [agency.pk]
    else:
        ids = list(agencies.values_list("pk", flat=True))
    label, condition = SUPERVISION_FIGURES[figure]
    tallies = (
        _tallies_of_year(ids, year)
        .filter(condition)
        .select_related("case", "agency")
        .order_by("-decided_on", "-case_id")
    )
    return SupervisionCases(year=year, figure=figure, figure_label=label, agency=agency, tallies=tallies)


def review_supervision_total(rows: list[AgencyReviewFigures]) -> AgencyReviewFigures:
    """The county's (or the agency's) total of the rows."""
    return AgencyReviewFigures(
        agency_id=None,
        agency_name="合计",
        major_decided=sum(r.major_decided for r in rows),
        reviewed=sum(r.reviewed for r in rows),
        rounds=sum(r.rounds for r in rows),
        review_days=sum(r.review_days for r in rows),
        reviews_timed=sum(r.reviews_timed for r in rows),
        sent_back=sum(r.sent_back for r in rows),
        reviewers=sum(r.reviewers for r in rows),
        officers=sum(r.officers for r in rows),
        reviewer_ratio_required=max((r.reviewer_ratio_required for r in rows), default=0.0),
        reviewer_ratio_low=any(r.reviewer_ratio_low for r in rows),
        reviewer_ratio_low_agencies=sum(r.reviewer_ratio_low_agencies for r in rows),
        unreviewed=tuple(u for r in rows for u in r.unreviewed),
        estimated=any(r.estimated for r in rows),
    )


def review_supervision_years(*, today: dt.date | None = None, back: int = 5) -> list[int]:
    """The years the filter offers: this year and the `back` years before it."""
    this_year = (today or timezone.localdate()).year
    return list(range(this_year, this_year - back - 1, -1))


__all__ = [
    "AgencyReviewFigures",
    "CataloguePage",
    "QueueItem",
    "ReviewedItem",
    "catalogue_content",
    "catalogue_page",
    "review_catalogue_for_agency",
    "review_queue",
    "review_recent",
    "review_supervision",
]
