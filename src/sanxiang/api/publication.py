"""事后公开 through the API (issue 19 item 1): the publication drafts as the 公示审核 pages show
them (`/staff/publication/`), the head's writes on them through publication's services, and the
public records (公示的执法决定) as the portal shows them, from the public read model only.

Drafts are read by whom the pages show them to (`publication.selectors.drafts_for`, `draft_get`:
the agency's users, the supervisors of the county; a draft's texts, the decision's own beside the
public one, only under a read grant of its case for a supervisor). Approving, correcting and
withdrawing are the page's three forms, for the agency's head or administrator (the services
refuse anyone else with 403): the API call is itself the confirmation the page asks for. A draft
the rules keep from publication (依法不予公开, 暂缓公开) is so by the rules the services apply, not
by anyone's choice, and neither the page nor the API offers to withhold a draft.

The public records need no token, as the portal needs no login, and answer what the portal's
decision pages show: a withdrawn decision its number, names, dates and the statement of why, not
its content; an expired one nothing (404)."""

import datetime as dt
from typing import Literal
from urllib.parse import urlencode

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Header, Path, Query, Router, Schema
from ninja.errors import ValidationError

from sanxiang.access.models import AccessAction
from sanxiang.access.services import AccessTarget, request_access_record
from sanxiang.api.errors import InputRefused
from sanxiang.api.pagination import (
    CURSOR_DESCRIPTION,
    CURSOR_MAX_LENGTH,
    DEFAULT_LIMIT,
    LIMIT_DESCRIPTION,
    MAX_LIMIT,
    PageOut,
    cursor_decode,
    cursor_encode,
    date_range_check,
    order_resolve,
    ordering_query,
    paginate,
    since_query,
    status_description,
    until_query,
)
from sanxiang.api.schemas import (
    ChoiceOut,
    PlausibleDate,
    Text,
    ViolationOut,
    answers,
    changed_since_read,
)
from sanxiang.inputs import ID_MAX
from sanxiang.portal.decisions import DECISION_KINDS, decisions_filter, decisions_visible
from sanxiang.procedure.violations import Violation
from sanxiang.publication import selectors, services
from sanxiang.publication.models import DraftStatus, Publication, PublicationDraft, PublicationStatus
from sanxiang.publication.search import SearchCursor, publications_search_page

router = Router(tags=["publication"])

DRAFT_STATUS_LABELS = {value: str(label) for value, label in DraftStatus.choices}
DraftStatusIn = Literal[tuple(DraftStatus.values)]  # type: ignore[valid-type]
DecisionKindIn = Literal[tuple(DECISION_KINDS)]  # type: ignore[valid-type]
# The page's text fields take at most this many characters (publication.views.approve_form_class).
TEXT_MAX = 10000
STATEMENT_MAX = 2000

DRAFT_ORDERING = {"decided_on": ("decided_on", "决定日期"), "due_on": ("due_on", "应公示日期"), "id": ("id", "生成先后")}
PUBLIC_ORDERING = {"decided_on": ("decided_on", "决定日期"), "published_on": ("published_on", "公示日期")}
# Newest decision first, the id breaking ties between decisions of the same day: the lists' default,
# and a search's only order (the dated index is read back from the newest day).
PUBLIC_DEFAULT = "-decided_on"
PUBLIC_SEARCH_ORDER = order_resolve(PUBLIC_DEFAULT, keys=PUBLIC_ORDERING, default=PUBLIC_DEFAULT)


def _limit() -> int:
    return Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)


def _cursor() -> str | None:
    return Query(None, max_length=CURSOR_MAX_LENGTH, description=CURSOR_DESCRIPTION)


# --- drafts (公示审核) ------------------------------------------------------------------------------

DRAFT_STATUS_QUERY = Query(None, description=status_description(DRAFT_STATUS_LABELS, what="状态"))
SINCE_QUERY = since_query("决定日期")
UNTIL_QUERY = until_query("决定日期")
DECISION_KIND_QUERY = Query(None, description=status_description(DECISION_KINDS, what="决定种类"))

class DraftSummaryOut(Schema):
    id: int
    case_id: int
    case_number: str = Field(..., description="案号")
    case_title: str = Field(..., description="案由")
    agency_id: int
    decision: str = Field(..., description="决定：行政处罚为空字符串；行政强制、行政许可决定为其种类")
    decision_label: str = Field(..., description="决定的名称（行政处罚为空字符串）")
    status: str = Field(..., description=status_description(DRAFT_STATUS_LABELS, what="状态"))
    status_label: str
    decided_on: dt.date = Field(..., description="决定日期")
    due_on: dt.date = Field(..., description="应当公示的日期")
    due_estimated: bool = Field(..., description="应当公示的日期为估算（该年度的节假日安排尚未录入）")
    publication_id: int | None = Field(..., description="发布后的公示信息（GET /api/public/decisions/{publication_id}）")
    approved_at: dt.datetime | None = Field(..., description="审核发布的时间")
    withdrawal_due_on: dt.date | None = Field(..., description="决定被变更、撤销等之后应当撤回公示的日期")


class DraftPageOut(PageOut):
    items: list[DraftSummaryOut]


class DraftFieldOut(Schema):
    name: str
    label: str
    original: str = Field(..., description="决定原文（内部）")
    public: str = Field(..., description="公开文本")
    changed: bool = Field(..., description="公开文本与原文不同（已脱敏或已修改）")
    editable: bool = Field(..., description="审核发布、更正时可修改（texts 的键）")


class RedactionOut(Schema):
    field: str
    kind: str = Field(..., description="隐去的信息类别")
    replacement: str
    digest: str = Field(..., description="原值的摘要（可据以核对，不可还原）")


class DraftOut(DraftSummaryOut):
    fields: list[DraftFieldOut] = Field(..., description="原文与公开文本对照")
    redactions: list[RedactionOut] = Field(..., description="已隐去的信息")
    refusals: list[ViolationOut] = Field(..., description="依法不予公开或暂缓公开的理由及依据")
    can_publish: bool = Field(..., description="调用者可以审核发布、更正和撤回本公示")
    change_kinds: list[ChoiceOut] = Field(..., description="撤回公示时 kind 的取值：决定被变更、撤销、确认违法或者确认无效等")


def _draft_summary(draft: PublicationDraft) -> dict:
    return {
        "id": draft.pk, "case_id": draft.case_id, "case_number": draft.case.number, "case_title": draft.case.title,
        "agency_id": draft.agency_id, "decision": draft.decision, "decision_label": draft.decision_label,
        "status": draft.status, "status_label": DRAFT_STATUS_LABELS.get(draft.status, draft.status),
        "decided_on": draft.decided_on, "due_on": draft.due_on, "due_estimated": draft.due_estimated,
        "publication_id": draft.publication_id, "approved_at": draft.approved_at,
        "withdrawal_due_on": draft.withdrawal_due_on,
    }


def _draft_out(draft: PublicationDraft, *, viewer) -> dict:
    kept, texts = selectors.draft_fields(draft)
    return {
        **_draft_summary(draft),
        "fields": [
            {"name": name, "label": label, "original": str(draft.original.get(name, "")),
             "public": str(draft.public.get(name, "")),
             "changed": str(draft.original.get(name, "")) != str(draft.public.get(name, "")), "editable": name in texts}
            for name, label in (*kept.items(), *texts.items())
        ],
        "redactions": selectors.draft_redactions(draft),
        "refusals": [Violation(**{k: v for k, v in refusal.items() if k in ("code", "message", "legal_basis", "field")})
                     .as_dict() for refusal in draft.refusals],
        "can_publish": services.user_can_publish(viewer, draft.agency_id),
        "change_kinds": [{"value": value, "label": str(label)} for value, label in selectors.draft_change_kinds(draft).items()],
    }


def draft_etag(draft: PublicationDraft) -> str:
    """The draft's version as a strong ETag: every service that changes a draft saves its `updated_at`."""
    return f'"d{draft.pk}-{int(draft.updated_at.timestamp() * 1_000_000)}"'


def _draft_private(response: HttpResponse, draft: PublicationDraft, *, viewer) -> dict:
    """The draft, with the decision's own text and the party's data in it: neither a cache nor an
    Idempotency-Key's stored answer keeps it (a copy of a write sent again is answered 409). Its
    ETag is the version a write may name in If-Match."""
    response["Cache-Control"] = "no-store"
    response["ETag"] = draft_etag(draft)
    return _draft_out(draft, viewer=viewer)


# Lost updates (issue 19): two heads correcting the same publication at once would both apply, the
# second over the first unseen. A write sent with If-Match is refused with 412 when the draft changed
# since the client read it, checked under the draft's row lock, as api/cases.py does for a case.
DRAFT_IF_MATCH = Header(None, alias="If-Match", max_length=500,
                        description="可选：读取本草稿时响应头 ETag 的值；草稿此后已有变动（如他人已发布、更正或撤回）时返回 412，不予办理")


def _draft_precondition_failed():
    return changed_since_read(code="publication.changed", summary="本公示草稿已有变动", basis="平台规则：防止覆盖他人的办理",
                              message="本公示在您读取之后已有变动（如他人已发布、更正或撤回），请重新读取后再办理")


def _draft_unchanged(draft: PublicationDraft, if_match: str | None) -> bool:
    """Inside the caller's transaction: the draft's row locked, and whether it is still the version
    the client read (always true without If-Match; a weak tag never matches, RFC 9110 strong comparison)."""
    if if_match is None:
        return True
    locked = PublicationDraft.objects.select_for_update(of=("self",)).only("pk", "updated_at").get(pk=draft.pk)
    tags = {tag.strip() for tag in if_match.split(",")}
    return "*" in tags or draft_etag(locked) in tags


def _draft_read(request: HttpRequest, draft_id: int) -> PublicationDraft:
    """The draft as its page finds it, the reading recorded in the access log as the page's is."""
    draft = selectors.draft_get(viewer=request.user, draft_id=draft_id)
    with transaction.atomic():
        request_access_record(request=request, action=AccessAction.VIEW, target=AccessTarget(
            "publication_draft", draft.pk, str(draft.case), case_id=draft.case_id, agency_id=draft.agency_id))
    return draft


@router.get("/publication/drafts", summary="公示草稿列表", response=answers({200: DraftPageOut}))
def publication_draft_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="执法机关"),
    status: DraftStatusIn | None = DRAFT_STATUS_QUERY,
    since: PlausibleDate | None = SINCE_QUERY,
    until: PlausibleDate | None = UNTIL_QUERY,
    ordering: str = ordering_query(DRAFT_ORDERING, default="-decided_on"),
    limit: int = _limit(),
    cursor: str | None = _cursor(),
):
    """公示草稿（公示审核页面所列），决定日期最新的在前，分页返回；不含原文和公开文本（见单个草稿）。
    执法机关的人员看到本机关的，司法局监督人员看到本行政区域的。"""
    date_range_check(since, until)
    drafts = selectors.drafts_for(viewer=request.user).defer("original", "public", "redactions", "refusals", "facts",
                                                              "case__facts", "case__details")
    if agency is not None:
        drafts = drafts.filter(agency_id=agency)
    if status is not None:
        drafts = drafts.filter(status=status)
    if since is not None:
        drafts = drafts.filter(decided_on__gte=since)
    if until is not None:
        drafts = drafts.filter(decided_on__lte=until)
    order = order_resolve(ordering, keys=DRAFT_ORDERING, default="-decided_on")
    return paginate(request, drafts, order=order, limit=limit, cursor=cursor, item=_draft_summary)


@router.get("/publication/drafts/{draft_id}", summary="读取公示草稿", response=answers({200: DraftOut}, 403, 404))
def publication_draft_get(request: HttpRequest, response: HttpResponse, draft_id: int = Path(..., ge=1, le=ID_MAX)):
    """一个公示草稿：原文与公开文本对照、已隐去的信息、不予公开的理由。司法局监督人员须经调阅本案。
    读取记入访问日志。响应头 ETag 为草稿当前版本，审核发布、更正、撤回时可放在 If-Match 中。"""
    draft = _draft_read(request, draft_id)
    return _draft_private(response, draft, viewer=request.user)


TEXTS_DESCRIPTION = (
    "修改的公开文本：键为 fields 中 editable 为 true 的字段名，值为修改后的文本（只能隐去更多，系统再次进行脱敏检查）；"
    "未列出的字段不修改"
)


class DraftApproveIn(Schema):
    texts: dict[Text(40), Text(TEXT_MAX, multiline=True)] = Field({}, max_length=20, description=TEXTS_DESCRIPTION)


class DraftCorrectIn(Schema):
    texts: dict[Text(40), Text(TEXT_MAX, multiline=True)] = Field(..., max_length=20, description=TEXTS_DESCRIPTION)
    reason: Text(STATEMENT_MAX, multiline=True) = Field(..., description="更正的理由")


class DraftWithdrawIn(Schema):
    kind: Text(20) = Field(..., description="决定被变更、撤销、确认违法或者确认无效等：取值见草稿的 change_kinds")
    changed_on: PlausibleDate = Field(..., description="决定被变更或者撤销的日期，不得晚于今天、早于决定日期")
    statement: Text(STATEMENT_MAX, multiline=True) = Field(..., description="公开说明撤回的理由（经脱敏检查后公开）")


def _texts_checked(draft: PublicationDraft, texts: dict[str, str]) -> dict[str, str]:
    """The edits as the page's form takes them (stripped), a name the draft's kind has no text of
    refused with 422 naming it."""
    editable = selectors.draft_fields(draft)[1]
    unknown = [name for name in texts if name not in editable]
    if unknown:
        raise InputRefused([Violation("publication.text_unknown", "没有这一可修改的公开文本", "数据校验", f"texts.{name}")
                            for name in unknown])
    return {name: text.strip() for name, text in texts.items()}


@router.post("/publication/drafts/{draft_id}/approve", summary="审核并发布公示", response=answers({200: DraftOut}, 403, 404, 409, 412))
def publication_draft_approve(request: HttpRequest, response: HttpResponse, payload: DraftApproveIn, draft_id: int = Path(..., ge=1, le=ID_MAX),
                              if_match: str | None = DRAFT_IF_MATCH):
    """审核并发布公示（本机关负责人或者管理员）：按 texts 修改公开文本后发布。发布后不能收回，只能依法更正或者撤回。
    依法不予公开、公开文本中仍有应当隐去的个人信息、或者已经发布的，返回 409 并列出理由及依据。
    带 If-Match 而草稿此后已有变动的，返回 412。返回的草稿（含原文）记入访问日志。"""
    draft = selectors.draft_get(viewer=request.user, draft_id=draft_id)
    edits = _texts_checked(draft, payload.texts)
    with transaction.atomic():
        if not _draft_unchanged(draft, if_match):
            return _draft_precondition_failed()
        services.publication_approve(actor=request.user, draft=draft, edits=edits)
    return _draft_private(response, _draft_read(request, draft_id), viewer=request.user)


@router.post("/publication/drafts/{draft_id}/correct", summary="更正公示信息", response=answers({200: DraftOut}, 403, 404, 409, 412))
def publication_draft_correct(request: HttpRequest, response: HttpResponse, payload: DraftCorrectIn, draft_id: int = Path(..., ge=1, le=ID_MAX),
                              if_match: str | None = DRAFT_IF_MATCH):
    """更正公示中的信息（本机关负责人或者管理员）：公示信息不准确，或者仍有不宜公开的内容的，修改 texts 所列的公开文本，
    并说明理由。只能更正公示中的信息，否则返回 409。带 If-Match 而草稿此后已有变动的（如他人已更正），返回 412。
    返回的草稿（含原文）记入访问日志。"""
    draft = selectors.draft_get(viewer=request.user, draft_id=draft_id)
    edits = _texts_checked(draft, payload.texts)
    if not payload.reason.strip():
        raise InputRefused([Violation("publication.reason_missing", "请填写更正的理由", "数据校验", "reason")])
    with transaction.atomic():
        if not _draft_unchanged(draft, if_match):
            return _draft_precondition_failed()
        services.publication_correct(actor=request.user, draft=draft, edits=edits, reason=payload.reason.strip())
    return _draft_private(response, _draft_read(request, draft_id), viewer=request.user)


@router.post("/publication/drafts/{draft_id}/withdraw", summary="撤回公示", response=answers({200: DraftOut}, 403, 404, 409, 412))
def publication_draft_withdraw(request: HttpRequest, response: HttpResponse, payload: DraftWithdrawIn, draft_id: int = Path(..., ge=1, le=ID_MAX),
                               if_match: str | None = DRAFT_IF_MATCH):
    """决定被变更、撤销、确认违法或者确认无效的，撤回公示并公开说明理由（本机关负责人或者管理员）。
    公众此后只见决定书文号、名称、日期和撤回说明。理由不全、日期不合理或者已经撤回的，返回 409 并列出理由。
    带 If-Match 而草稿此后已有变动的，返回 412。返回的草稿（含原文）记入访问日志。"""
    draft = selectors.draft_get(viewer=request.user, draft_id=draft_id)
    if payload.kind not in selectors.draft_change_kinds(draft):
        raise InputRefused([Violation("publication.change_kind", "不是允许的取值（见草稿的 change_kinds）", "数据校验", "kind")])
    with transaction.atomic():
        if not _draft_unchanged(draft, if_match):
            return _draft_precondition_failed()
        services.publication_decision_change(actor=request.user, draft=draft, kind=payload.kind,
                                             changed_on=payload.changed_on, statement=payload.statement.strip())
    return _draft_private(response, _draft_read(request, draft_id), viewer=request.user)


# --- public records (公示的执法决定), as the portal shows them -------------------------------------------

PUBLIC_STATUS_LABELS = {PublicationStatus.PUBLISHED.value: "公示中", PublicationStatus.WITHDRAWN.value: "已撤回"}


class PublicDecisionSummaryOut(Schema):
    id: int
    decision_kind: str = Field(..., description="penalty（行政处罚）、permit（行政许可）或行政强制决定的种类")
    number: str = Field(..., description="决定书文号")
    title: str = Field(..., description="案件名称")
    party_name: str = Field(..., description="当事人（自然人的姓名已按规定隐去部分）")
    agency_id: int = Field(..., description="执法机关（与 /api/registry/agencies 的编号相同）")
    agency_name: str
    kinds_label: str = Field(..., description="处罚种类或决定种类；已撤回的为空字符串")
    decided_on: dt.date
    status: str = Field(..., description=status_description(PUBLIC_STATUS_LABELS, what="状态"))
    withdrawn_on: dt.date | None


class PublicDecisionPageOut(PageOut):
    items: list[PublicDecisionSummaryOut]
    count: int | None = Field(None, description="按关键词查找时找到的条数（超过一定数量时为估算，见 count_estimated）；不按关键词查找时为 null")
    count_estimated: bool = Field(False, description="count 为估算（按最近若干天找到的条数推算）")


class PublicDecisionOut(PublicDecisionSummaryOut):
    labels: dict[str, str] = Field(..., description="各栏目在本类决定中的名称（如行政强制决定的“理由”“执法结论”）")
    party_kind: str
    party_credit_code: str
    legal_representative: str
    violation_type: str
    facts: str
    basis: str
    content: str
    fine_fen: int = Field(..., description="罚款金额（分）")
    confiscation_fen: int = Field(..., description="没收金额（分）")
    licence: str
    agency_credit_code: str
    published_on: dt.date
    display_until: dt.date | None = Field(..., description="公示截止期；已撤回的为 null")
    withdrawal_statement: str = Field(..., description="撤回说明（已撤回的）")


def _public_summary(p: Publication) -> dict:
    withdrawn = p.status == PublicationStatus.WITHDRAWN
    return {
        "id": p.pk, "decision_kind": p.decision_kind, "number": p.number, "title": p.title, "party_name": p.party_name,
        "agency_id": p.agency.source_id, "agency_name": p.agency_name, "kinds_label": "" if withdrawn else p.kinds_label,
        "decided_on": p.decided_on, "status": p.status, "withdrawn_on": p.withdrawn_on,
    }


def _public_out(p: Publication) -> dict:
    """What the portal's decision page shows: everything the law lists while published; once
    withdrawn, the number, names and dates with the statement of why, nothing of the content."""
    shown = p.status == PublicationStatus.PUBLISHED

    def kept(value):
        return value if shown else type(value)()

    return {
        **_public_summary(p), "labels": p.labels, "party_kind": kept(p.party_kind),
        "party_credit_code": kept(p.party_credit_code), "legal_representative": kept(p.legal_representative),
        "violation_type": kept(p.violation_type), "facts": kept(p.facts), "basis": kept(p.basis),
        "content": kept(p.content), "fine_fen": kept(p.fine_fen), "confiscation_fen": kept(p.confiscation_fen),
        "licence": kept(p.licence), "agency_credit_code": kept(p.agency_credit_code), "published_on": p.published_on,
        "display_until": p.display_until if shown else None,
        "withdrawal_statement": "" if shown else p.withdrawal_statement,
    }


PUBLIC_LIST_COLUMNS = ("id", "decision_kind", "number", "title", "party_name", "agency__source_id", "agency_name",
                       "kinds_label", "decided_on", "status", "withdrawn_on")


@router.get("/public/decisions", summary="公示的执法决定列表", response=answers({200: PublicDecisionPageOut}), auth=None)
def public_decision_list(
    request: HttpRequest,
    agency: int | None = Query(None, ge=1, le=ID_MAX, description="执法机关"),
    kind: DecisionKindIn | None = DECISION_KIND_QUERY,
    since: PlausibleDate | None = SINCE_QUERY,
    until: PlausibleDate | None = UNTIL_QUERY,
    q: str = Query("", max_length=200, description="关键词：只查找公示中的决定（已撤回的内容不再公开）"),
    ordering: str = ordering_query(PUBLIC_ORDERING, default=PUBLIC_DEFAULT),
    limit: int = _limit(),
    cursor: str | None = _cursor(),
):
    """公示的执法决定（公示平台“执法决定”所列，无须令牌）：公示中和已撤回的，决定日期最新的在前，分页返回。
    公示期满的不再列出。按关键词查找时另给出找到的条数 count（较多时为估算）。"""
    date_range_check(since, until)
    rows = decisions_visible().select_related("agency")
    if agency is not None:
        rows = rows.filter(agency__source_id=agency)
    rows = decisions_filter(rows, kind=kind or "", date_from=since, date_to=until).only(*PUBLIC_LIST_COLUMNS)
    order = order_resolve(ordering, keys=PUBLIC_ORDERING, default=PUBLIC_DEFAULT)
    if not q.strip():
        return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=_public_summary)
    if order != PUBLIC_SEARCH_ORDER:
        raise ValidationError([{"type": "ordering_invalid", "loc": ("query", "ordering"),
                                "msg": "按关键词查找时按决定日期倒序排列（-decided_on）"}])
    return _public_search_page(request, rows, q=q, since=since, until=until, limit=limit, cursor=cursor)


def _public_search_page(request: HttpRequest, rows, *, q: str, since: dt.date | None, until: dt.date | None,
                        limit: int, cursor: str | None) -> dict:
    """A search page as the portal reads it (`publications_search_page`: a range of days at a time
    through the dated index, the count bounded and estimated past the bound), whatever the number of
    rows found: the cursor the API signs holds the last row's day and id, as the portal's `after`."""
    after = None
    if cursor:
        decided_on, pk = cursor_decode(cursor, queryset=rows, order=PUBLIC_SEARCH_ORDER)
        after = SearchCursor(decided_on=decided_on, id=pk)
    found = publications_search_page(rows, q, per_page=limit, after=after, date_from=since, date_to=until)
    next_cursor = None
    if found.next_cursor:
        last = found.rows[-1]
        next_cursor = cursor_encode([last.decided_on, last.pk], order=PUBLIC_SEARCH_ORDER)
    query = {key: value for key, value in request.GET.items() if key != "cursor"}
    return {
        "items": [_public_summary(row) for row in found.rows],
        "next_cursor": next_cursor,
        "next": f"{request.path}?{urlencode(query | {'cursor': next_cursor})}" if next_cursor else None,
        "count": found.count,
        "count_estimated": found.estimated,
    }


@router.get("/public/decisions/{publication_id}", summary="读取公示的执法决定", response=answers({200: PublicDecisionOut}, 404), auth=None)
def public_decision_get(request: HttpRequest, publication_id: int = Path(..., ge=1, le=ID_MAX)):
    """一个公示的执法决定（公示平台的决定页面，无须令牌）；已撤回的只有文号、名称、日期和撤回说明；公示期满的返回 404。"""
    publication = decisions_visible().select_related("agency").filter(pk=publication_id).first()
    if publication is None:
        raise Http404
    return _public_out(publication)
