"""Typed events of things an app makes public, for the public read model (`publication`).

`review` and `publication` are independent siblings in the layers (neither imports the other), so
when review publishes a catalogue of major decisions it does not call publication: it emits a
typed event defined here, below both, and publication (which subscribes in its AppConfig.ready)
writes the public row. The event carries the published text itself, typed, so that publication
never reads review's rows or review's JSON keys, and the portal reads publication's table only.

Handlers run synchronously, inside the caller's transaction: an exception in a handler rolls back
the publication that emitted the event (the public row is written atomically with it, or not at
all). The events travel on the same `EventBus` as the cases' events (sanxiang.hooks); this module
imports nothing else of sanxiang.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sanxiang.hooks import EventBus, Slot


@dataclass(frozen=True)
class CatalogueMatter:
    """An enforcement matter listed in a catalogue, as the public reads it."""

    code: str
    name: str
    legal_basis: str


@dataclass(frozen=True)
class CataloguePublished:
    """A version of an agency's catalogue of major decisions (重大执法决定法制审核目录清单) was
    published: the whole text a citizen reads, and nothing else."""

    agency_id: int  # the registry's agency number: the public pages are keyed by it
    version: int
    published_on: dt.date
    published_at: dt.datetime
    title: str
    agency_name: str
    legal_basis: str
    listed: tuple[str, ...]  # the decisions that must be reviewed, one sentence each
    matters: tuple[CatalogueMatter, ...]
    statutory: tuple[str, ...]  # the cases the law itself lists, whatever the catalogue says
    statutory_basis: str
    discussion_for: tuple[str, ...]  # the cases the agency's heads decide collectively (labels)
    discussion_basis: str
    explanation: str


PUBLIC_EVENTS = EventBus("public")


def catalogue_published_subscribe(handler: Callable[[CataloguePublished], object]) -> None:
    """Call `handler(event)` for every catalogue published, inside the publishing transaction
    (subscribing the same handler twice changes nothing)."""
    PUBLIC_EVENTS.subscribe(CataloguePublished, handler, atomic=True)


def catalogue_published_emit(event: CataloguePublished) -> None:
    """Deliver `event` to every subscriber now; a subscriber's exception propagates (and rolls back)."""
    PUBLIC_EVENTS.emit(event)


# --- complaints from the public (投诉举报; issue 14, part D) ------------------------------------------
# The portal takes a complaint and hands it to the supervision app through `complaint_submit` (a slot
# the supervision app fills in its AppConfig.ready: the portal never imports it). Whenever the
# complaint's public status changes, the supervision app emits `ComplaintStatusPublished` and
# publication writes the one public row the tracking page reads.


@dataclass(frozen=True)
class ComplaintSubmission:
    """A complaint as the public form takes it (all text as typed, trimmed)."""

    agency_id: int  # the registry's agency number (PublicAgency.source_id)
    anonymous: bool
    name: str
    phone: str
    id_number: str
    happened_on: dt.date | None
    description: str
    pending_remedy: str  # procedure.supervision.complaints.PendingRemedy
    # The 检查码 of the inspection complained about (the enterprise has it from the officers or
    # the code's public page); "" for a complaint about no particular inspection.
    inspection_code: str = ""


@dataclass(frozen=True)
class ComplaintReceipt:
    """What the complainant is shown once: the receipt number, the secret query code, and (when the
    dispute is already before 复议 or 诉讼) where to go instead."""

    receipt_number: str
    query_code: str
    received_on: dt.date
    bureau_name: str
    notice: str


class ComplaintRefused(Exception):
    """The complaint was not taken: Chinese messages by form field (None: the whole form)."""

    def __init__(self, errors: dict[str | None, list[str]]):
        self.errors = errors
        super().__init__("；".join(m for messages in errors.values() for m in messages))


# complaint_submit(submission: ComplaintSubmission, *, ip_address: str | None) -> ComplaintReceipt,
# raising ComplaintRefused.
complaint_submit: Slot[Callable[..., ComplaintReceipt]] = Slot("complaint_submit")

# public_form_attempt(*, scope: str, address: str | None) -> bool: count one use of a public page
# by an address, False when the hour's limit is reached (publication keeps the counts; the
# inspection app's 检查码 page asks, scope "inspection_code").
public_form_attempt: Slot[Callable[..., bool]] = Slot("public_form_attempt")


@dataclass(frozen=True)
class ComplaintStatusPublished:
    """A complaint's public status: only what the tracking page may show (no personal data, no
    internal note). `query_code_digest` lets publication check a query code it never sees in clear."""

    receipt_number: str
    query_code_digest: str
    bureau_name: str
    agency_name: str
    received_on: dt.date
    status: str  # procedure.supervision.complaints.ComplaintPublicStatus
    status_label: str
    status_on: dt.date
    reason: str  # the category of a refusal, in the public's words
    outcome: str  # the outcome written for the public


def complaint_status_subscribe(handler: Callable[[ComplaintStatusPublished], object]) -> None:
    PUBLIC_EVENTS.subscribe(ComplaintStatusPublished, handler, atomic=True)


def complaint_status_emit(event: ComplaintStatusPublished) -> None:
    PUBLIC_EVENTS.emit(event)


# --- supervision: a public 通报 (issue 14, part B) --------------------------------------------------


@dataclass(frozen=True)
class SupervisionNoticePublished:
    """The judicial bureau approved a 通报 to be published to society :
    its text as drafted, and the natural persons and addresses the platform knows around it, which
    the public read model hides (the same redaction as decisions)."""

    notice_id: int
    bureau_name: str
    title: str
    body: str
    indicators: str
    agencies: tuple[str, ...]  # the agencies named (organisations: published)
    published_on: dt.date
    basis: str
    persons: tuple[str, ...] = ()  # natural persons' names to hide (officers, parties)
    addresses: tuple[str, ...] = ()
    # Other values known to belong to those persons, by kind ("id_number", "phone"), hidden wherever
    # they appear even in a layout no pattern recognises.
    known: tuple[tuple[str, tuple[str, ...]], ...] = ()


def supervision_notice_published_subscribe(handler: Callable[[SupervisionNoticePublished], object]) -> None:
    PUBLIC_EVENTS.subscribe(SupervisionNoticePublished, handler, atomic=True)


def supervision_notice_published_emit(event: SupervisionNoticePublished) -> None:
    PUBLIC_EVENTS.emit(event)


# --- evaluation: 制度文件 accepted by the judicial bureau (issue 15, item 5) ------------------------


@dataclass(frozen=True)
class SystemDocumentPublished:
    """An agency's 制度文件 (a rule, list, service guide, flow chart or manual) that the judicial bureau
    accepted and the agency chose to make public: what the portal's 事前 pages show and the digest of
    the file they serve. A later accepted revision of the same document emits it again (same
    `document_id`, next `version`) and replaces the public row."""

    document_id: int
    agency_id: int  # the registry's agency number (PublicAgency.source_id)
    kind_label: str
    title: str
    filename: str
    content_type: str
    sha256: str
    size: int
    version: int
    accepted_on: dt.date
    bureau_name: str


def system_document_published_subscribe(handler: Callable[[SystemDocumentPublished], object]) -> None:
    PUBLIC_EVENTS.subscribe(SystemDocumentPublished, handler, atomic=True)


def system_document_published_emit(event: SystemDocumentPublished) -> None:
    PUBLIC_EVENTS.emit(event)


# --- supervision: the annual plan and 执法质效评议 (issue 14, item 5) ------------------------------------


@dataclass(frozen=True)
class PublicPlanItem:
    """An item of a published plan: what, about which agencies, when (no person is named)."""

    kind_label: str
    subject: str
    description: str
    agencies: tuple[str, ...]  # empty when `all_agencies`
    all_agencies: bool
    months: tuple[int, ...]


@dataclass(frozen=True)
class SupervisionPlanPublished:
    """The judicial bureau published its approved annual supervision work plan."""

    plan_id: int
    bureau_name: str
    year: int
    title: str
    objectives: str
    items: tuple[PublicPlanItem, ...]
    approved_on: dt.date
    published_on: dt.date
    basis: str
    persons: tuple[str, ...] = ()  # natural persons' names to hide from the free text


def supervision_plan_published_subscribe(handler: Callable[[SupervisionPlanPublished], object]) -> None:
    PUBLIC_EVENTS.subscribe(SupervisionPlanPublished, handler, atomic=True)


def supervision_plan_published_emit(event: SupervisionPlanPublished) -> None:
    PUBLIC_EVENTS.emit(event)


@dataclass(frozen=True)
class PublicCriterion:
    """A node of the published standards: level 1, 2 or 3 (a rule, with points and maybe a veto)."""

    number: str  # "1", "1.2", "1.2.3"
    level: int
    text: str
    points: str  # the node's points, as text ("10", "2.5"): a rule's own, an indicator's sum
    veto: bool


@dataclass(frozen=True)
class SupervisionEvaluationPublished:
    """An 执法质效评议 was approved: its scheme, process, period, agencies and standards are published
    (the results follow in `SupervisionEvaluationResultsPublished`)."""

    evaluation_id: int
    bureau_name: str
    title: str
    scheme: str
    process: str
    period_start: dt.date
    period_end: dt.date
    agencies: tuple[str, ...]
    standards: tuple[PublicCriterion, ...]
    full_marks: str
    grade_bands: tuple[tuple[str, str], ...]  # (lower bound in % of full marks, label), highest first
    published_on: dt.date
    basis: str
    persons: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicEvaluationResult:
    agency: str
    total: str
    full_marks: str
    grade: str
    vetoed: bool


@dataclass(frozen=True)
class SupervisionEvaluationResultsPublished:
    evaluation_id: int
    results: tuple[PublicEvaluationResult, ...]  # highest score first
    published_on: dt.date


def supervision_evaluation_published_subscribe(handler: Callable[[SupervisionEvaluationPublished], object]) -> None:
    PUBLIC_EVENTS.subscribe(SupervisionEvaluationPublished, handler, atomic=True)


def supervision_evaluation_published_emit(event: SupervisionEvaluationPublished) -> None:
    PUBLIC_EVENTS.emit(event)


def supervision_evaluation_results_subscribe(handler: Callable[[SupervisionEvaluationResultsPublished], object]) -> None:
    PUBLIC_EVENTS.subscribe(SupervisionEvaluationResultsPublished, handler, atomic=True)


def supervision_evaluation_results_emit(event: SupervisionEvaluationResultsPublished) -> None:
    PUBLIC_EVENTS.emit(event)


# --- inspection: 双随机抽查结果公告 (issue 17, part B) ------------------------------------------------


@dataclass(frozen=True)
class InspectionResultPublished:
    """The result of a 双随机 inspection made public (结果公告): the inspecting body, the enterprise
    (an organisation, by name and credit code), the items, the outcome, the day it ended. No
    officer, no natural person."""

    inspection_id: int
    agency_name: str
    target_name: str
    target_credit_code: str
    items: tuple[str, ...]
    outcome: str  # the outcome as the public reads it (未发现问题 / 发现问题，责令整改 / …)
    finished_on: dt.date
    published_on: dt.date
    basis: str


# --- 案卷评查活动 (issue 16, item 4) ---------------------------------------------------------------------
# When a campaign whose results the 司法局 chose to make public publishes them, the evaluation app emits
# `EvaluationCampaignPublished` with everything the portal shows: the results and the draw's public
# inputs (seed included), so that anyone repeats the draw with `python -m sanxiang_verify.draw`.


@dataclass(frozen=True)
class PublicCampaignResult:
    file: str  # the case number (an identifier of the draw's population)
    agency: str
    total: str  # the points, as text ("87.5")
    grade: str  # the band's label: 优秀 / 合格 / 不合格
    passed: bool  # 合格 or better, as the campaign judged it (the bands are parameters)


@dataclass(frozen=True)
class EvaluationCampaignPublished:
    campaign_id: int
    bureau_name: str
    title: str
    period_start: dt.date
    period_end: dt.date
    kinds: tuple[str, ...]
    agencies: tuple[str, ...]
    population_count: int
    seed_commitment: str
    draw_inputs: dict
    results: tuple[PublicCampaignResult, ...]  # in drawn order
    published_on: dt.date
    basis: str


def inspection_result_published_subscribe(handler: Callable[[InspectionResultPublished], object]) -> None:
    PUBLIC_EVENTS.subscribe(InspectionResultPublished, handler, atomic=True)


def inspection_result_published_emit(event: InspectionResultPublished) -> None:
    PUBLIC_EVENTS.emit(event)


def evaluation_campaign_published_subscribe(handler: Callable[[EvaluationCampaignPublished], object]) -> None:
    PUBLIC_EVENTS.subscribe(EvaluationCampaignPublished, handler, atomic=True)


def evaluation_campaign_published_emit(event: EvaluationCampaignPublished) -> None:
    PUBLIC_EVENTS.emit(event)


# --- inspection (issue 17, part A): the 抽查事项清单 and the plan and task notices ------------------


@dataclass(frozen=True)
class PublicInspectionItem:
    """One line of a published 随机抽查事项清单 (the columns of `PublicAgency.inspections`)."""

    seq: int
    code: str
    item: str
    subject: str
    basis: str
    method: str
    content: str


@dataclass(frozen=True)
class InspectionItemsPublished:
    agency_id: int
    items: tuple[PublicInspectionItem, ...]


# The published items of an agency, for the registry's refresh of the 事前 page: the inspection app
# installs it; not installed (or empty for the agency), the page lists the registry's inspection powers.
inspection_items_provided: Slot[Callable[..., tuple[PublicInspectionItem, ...]]] = Slot(
    "public: inspection_items_provided"
)


def inspection_items_published_subscribe(handler: Callable[[InspectionItemsPublished], object]) -> None:
    PUBLIC_EVENTS.subscribe(InspectionItemsPublished, handler, atomic=True)


def inspection_items_published_emit(event: InspectionItemsPublished) -> None:
    PUBLIC_EVENTS.emit(event)


@dataclass(frozen=True)
class PublicDrawnTarget:
    """A target drawn in a 双随机 task, and the certificate numbers of the officers drawn for it."""

    name: str
    credit_code: str
    officers: tuple[str, ...]


@dataclass(frozen=True)
class InspectionNoticePublished:
    """A plan notice (抽查计划公告) or a task notice (任务公告) was published or completed: the task's
    notice is published with the seed's commitment before the draw, and again with the seed, the
    public inputs and the result after it (same `key`)."""

    key: str  # "plan:<id>" or "task:<id>"
    kind: str  # plan | task
    agency_id: int
    agency_name: str
    year: int
    title: str
    body: str
    published_at: dt.datetime
    seed_commitment: str = ""
    seed: str = ""
    public_inputs: str = ""  # the JSON anyone repeats the draw from (python -m sanxiang_verify.draw)
    drawn: tuple[PublicDrawnTarget, ...] = ()


def inspection_notice_published_subscribe(handler: Callable[[InspectionNoticePublished], object]) -> None:
    PUBLIC_EVENTS.subscribe(InspectionNoticePublished, handler, atomic=True)


def inspection_notice_published_emit(event: InspectionNoticePublished) -> None:
    PUBLIC_EVENTS.emit(event)


# --- inspection (issue 17, item 7): the register's inspections in the annual data ----------------


@dataclass(frozen=True)
class InspectedTimes:
    """An enterprise of the register and how many counted inspections it had in the year."""

    target_id: int
    name: str
    times: int


@dataclass(frozen=True)
class InspectionAnnualFigures:
    """One agency's year of register inspections, as the annual data counts them: the counted ones
    (procedure.annual_counting.inspection_counted_year), those left out by reason (a key of
    INSPECTION_LEFT_OUT → number), the enterprises per frequency band (1, 2, 3 = three or more),
    the most inspected enterprises, and the (case id, day) of each counted inspection that opened a
    penalty case, so that the case's inspection of that day is not counted again."""

    agency_id: int
    counted: int = 0
    left_out: dict[str, int] | None = None
    bands: dict[int, int] | None = None
    top: tuple[InspectedTimes, ...] = ()
    case_visits: tuple[tuple[int, dt.date], ...] = ()


# The annual data (publication) asks the inspection app through this slot: (agency_ids=[...],
# year=..., top=bool) → {agency_id: InspectionAnnualFigures}, a bounded number of queries.
inspection_annual_provided: Slot[Callable[..., dict[int, InspectionAnnualFigures]]] = Slot(
    "public: inspection_annual_provided"
)
