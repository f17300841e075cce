"""法制审核目录 through the API (issue 19): an agency's catalogue of the decisions that need legal review
(重大执法决定法制审核目录清单), read, changed and published as its pages (/staff/review/catalogue/…) do,
through `review.selectors` (catalogue_overview_agencies, catalogue_page, catalogue_values) and
`review.services` (catalogue_update, catalogue_publish: in the ledger; publishing puts the version in
force for the review gate and the public portal). Readers: every role of the agency, the bureau's
supervisors and system administrators; changes: the agency head or agency administrator of the
agency and system administrators; publishing: the agency head and system administrators.
Handlers parse, call and render."""

import datetime as dt
from dataclasses import replace
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from sanxiang.api.errors import InputRefused
from sanxiang.api.pagination import (
    PageOut,
    cursor_query,
    limit_query,
    order_resolve,
    ordering_query,
    paginate,
    status_description,
)
from sanxiang.api.schemas import Id, Text, answers
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.penalty.snapshot import PENALTY_KINDS
from sanxiang.procedure.violations import Refused
from sanxiang.review import selectors, services
from sanxiang.review.permissions import user_can_edit_catalogue, user_can_publish_catalogue

router = Router(tags=["review"])

KindIn = Literal[tuple(PENALTY_KINDS)]  # type: ignore[valid-type]
DiscussionIn = Literal[tuple(selectors.DISCUSSION_CASES)]  # type: ignore[valid-type]
CATALOGUE_ORDERING = {"id": ("id", "执法机关先后"), "name": ("name", "执法机关名称")}
FEN_MAX = 10**14  # a platform bound on an amount: far beyond any fine, inside a 64-bit integer
# The service's field names, as the API sends them.
API_FIELDS = {"matters": "matter_ids"}


class CatalogueSummaryOut(Schema):
    agency_id: int
    agency_name: str
    latest_version: int | None = Field(..., description="最新发布的版本（从未发布为 null）")
    latest_published_at: dt.datetime | None = Field(..., description="最新发布的时间")


class CataloguePageOut(PageOut):
    items: list[CatalogueSummaryOut]


class CodeLabelOut(Schema):
    code: str
    label: str


class CatalogueMatterOut(Schema):
    id: int
    code: str
    name: str


class CataloguePublicationOut(Schema):
    version: int
    published_on: str = Field(..., description="发布日期")
    published_at: dt.datetime
    published_by_name: str = Field(..., description="发布人（系统发布为空）")
    ledger_seq: int | None = Field(..., description="账本序号")


class CatalogueOut(Schema):
    agency_id: int
    agency_name: str
    saved: bool = Field(..., description="是否修改过（false：为系统参数中的默认目录）")
    updated_at: dt.datetime | None = Field(..., description="最后修改时间")
    updated_by_name: str = Field(..., description="最后修改人")
    kinds: list[CodeLabelOut] = Field(..., description="一律须经法制审核的处罚种类")
    fine_natural_person_fen: int = Field(..., description="对公民的罚没数额标准（分）")
    fine_organization_fen: int = Field(..., description="对法人或者其他组织的罚没数额标准（分）")
    amount_inclusive: bool = Field(..., description="数额标准含本数（“以上”）；false 为超过标准的才须审核")
    discretion_deviation: bool = Field(..., description="减轻处罚或者超出裁量基准从重处罚的须经法制审核")
    discussion_for: list[CodeLabelOut] = Field(..., description="须经负责人集体讨论决定的情形")
    matters: list[CatalogueMatterOut] = Field(..., description="列入目录的执法事项")
    explanation: str = Field(..., description="说明")
    content: dict = Field(..., description="现在发布时将公开的目录清单全文（含列入情形、依据和数额标准的文字）")
    unpublished_changes: bool = Field(..., description="有尚未发布的修改（或从未发布）")
    publications: list[CataloguePublicationOut] = Field(..., description="已发布的各版，新的在前")
    can_edit: bool = Field(..., description="本人可以修改")
    can_publish: bool = Field(..., description="本人可以发布")


def _catalogue_out(*, viewer, agency_id: int) -> dict:
    page = selectors.catalogue_page(viewer=viewer, agency_id=agency_id)
    values = selectors.catalogue_values(agency=page.agency)
    catalogue = page.catalogue
    return {
        "agency_id": page.agency.pk, "agency_name": page.agency.name, "saved": catalogue is not None,
        "updated_at": catalogue.updated_at if catalogue else None,
        "updated_by_name": str(catalogue.updated_by) if catalogue and catalogue.updated_by else "",
        "kinds": [{"code": k, "label": PENALTY_KINDS[k]} for k in values.kinds],
        "fine_natural_person_fen": values.fine_natural_person_fen,
        "fine_organization_fen": values.fine_organization_fen,
        "amount_inclusive": values.amount_inclusive, "discretion_deviation": values.discretion_deviation,
        "discussion_for": [{"code": c, "label": selectors.DISCUSSION_CASES[c]} for c in values.discussion_for],
        "matters": [{"id": m.pk, "code": m.code, "name": m.name} for m in values.matters],
        "explanation": values.explanation, "content": page.content,
        "unpublished_changes": page.unpublished_changes,
        "publications": [{
            "version": p.version, "published_on": p.content.get("published_on", ""), "published_at": p.published_at,
            "published_by_name": str(p.published_by) if p.published_by else "", "ledger_seq": p.ledger_seq,
        } for p in page.publications],
        "can_edit": user_can_edit_catalogue(viewer, page.agency.pk),
        "can_publish": user_can_publish_catalogue(viewer, page.agency.pk),
    }


@router.get("/review-catalogues", summary="法制审核目录清单列表", response=answers({200: CataloguePageOut}))
def review_catalogue_list(
    request: HttpRequest,
    ordering: str = ordering_query(CATALOGUE_ORDERING, default="id"),
    limit: int = limit_query(),
    cursor: str | None = cursor_query(),
):
    """本人可以查看的执法机关及其法制审核目录清单最新发布的版本，与目录页面相同：执法机关人员为本机关，司法局监督人员为本县各机关，
    系统管理员为全部。"""
    rows = selectors.catalogue_overview_agencies(viewer=request.user)
    order = order_resolve(ordering, keys=CATALOGUE_ORDERING, default="id")
    return paginate(request, rows, order=order, limit=limit, cursor=cursor, item=lambda a: {
        "agency_id": a.pk, "agency_name": a.name, "latest_version": a.latest_version,
        "latest_published_at": a.latest_published_at})


AGENCY_ID = Path(..., ge=1, le=ID_MAX, description="执法机关")


@router.get("/review-catalogues/{agency_id}", summary="读取法制审核目录清单",
            response=answers({200: CatalogueOut}, 404))
def review_catalogue_get(request: HttpRequest, agency_id: int = AGENCY_ID):
    """一个执法机关现行修改中的目录清单、现在发布将公开的全文、已发布的各版，以及本人能否修改、发布，与目录页面相同。
    不能查看的机关 404。"""
    return _catalogue_out(viewer=request.user, agency_id=agency_id)


class CatalogueIn(Schema):
    """The page's form: a field left out keeps its value."""

    kinds: list[KindIn] | None = Field(None, max_length=len(PENALTY_KINDS) * 2,
                                       description=status_description(PENALTY_KINDS, what="一律须经法制审核的处罚种类"))
    fine_natural_person_fen: int | None = Field(None, ge=0, le=FEN_MAX, description="对公民的罚没数额标准（分，大于0）")
    fine_organization_fen: int | None = Field(None, ge=0, le=FEN_MAX,
                                              description="对法人或者其他组织的罚没数额标准（分，大于0）")
    amount_inclusive: bool | None = Field(None, description="数额标准含本数（“以上”）")
    discretion_deviation: bool | None = Field(None, description="减轻处罚或者超出裁量基准从重处罚的须经法制审核")
    discussion_for: list[DiscussionIn] | None = Field(
        None, max_length=4, description=status_description(selectors.DISCUSSION_CASES, what="须经集体讨论的情形"))
    matter_ids: list[Id] | None = Field(None, max_length=2000, description="列入目录的执法事项（本机关的执法事项 id）")
    explanation: Text(5000, multiline=True) | None = Field(None, description="说明")


@router.patch("/review-catalogues/{agency_id}", summary="修改法制审核目录清单",
              response=answers({200: CatalogueOut}, 403, 404))
def review_catalogue_update(request: HttpRequest, payload: CatalogueIn, agency_id: int = AGENCY_ID):
    """修改目录清单（未给出的字段不变），与目录修改页面相同，记入账本；发布后才对案件和公众生效。本机关负责人、单位管理员和系统管理员
    可以修改，同机关的其他人 403，不能查看的机关 404；数额不大于0、执法事项不是本机关的，返回 422 并指明字段及依据。"""
    page = selectors.catalogue_page(viewer=request.user, agency_id=agency_id)
    fields = payload.dict(exclude_unset=True)
    if "matter_ids" in fields:
        fields["matters"] = fields.pop("matter_ids")
    fields = {name: value for name, value in fields.items() if value is not None}
    try:
        services.catalogue_update(actor=request.user, agency=page.agency, **fields)
    except Refused as refused:
        raise InputRefused([replace(v, field=API_FIELDS.get(v.field or "", v.field)) for v in refused.violations]) from None
    return _catalogue_out(viewer=request.user, agency_id=agency_id)


@router.post("/review-catalogues/{agency_id}/actions/publish", summary="发布法制审核目录清单",
             response=answers({200: CatalogueOut}, 403, 404, 409))
def review_catalogue_publish(request: HttpRequest, agency_id: int = AGENCY_ID):
    """发布目录清单为下一版，与目录页面相同：即日起施行（法制审核按此版认定重大执法决定）并向社会公开，记入账本。本机关负责人和
    系统管理员可以发布，同机关的其他人 403，不能查看的机关 404；自上一版以来没有修改的 409 并说明理由。"""
    page = selectors.catalogue_page(viewer=request.user, agency_id=agency_id)
    services.catalogue_publish(actor=request.user, agency=page.agency)
    return _catalogue_out(viewer=request.user, agency_id=agency_id)
