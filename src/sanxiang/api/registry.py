import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema

from sanxiang.accounts.permissions import user_can_manage_parties, user_sees_full_officer_id_number
from sanxiang.api.errors import InputRefused
from sanxiang.api.pagination import (
    Q_MAX_LENGTH,
    PageOut,
    cursor_query,
    date_range_filter,
    limit_query,
    order_resolve,
    ordering_query,
    paginate,
    since_query,
    status_description,
    until_query,
)
from sanxiang.api.schemas import AgencyOut, MatterOut, OfficerOut, Status, Text, answers
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry import selectors, services
from sanxiang.registry.models import (
    AgencyStatus,
    IdentityDocumentType,
    MatterKind,
    Officer,
    OfficerStatus,
    Party,
    PartyKind,
)

router = Router(tags=["registry"])


class AgencyPageOut(PageOut):
    items: list[AgencyOut]


class OfficerPageOut(PageOut):
    items: list[OfficerOut]


class MatterPageOut(PageOut):
    items: list[MatterOut]


_limit, _cursor = limit_query, cursor_query
REGISTERED = "登记日期"
AgencyStatusIn = Literal[tuple(AgencyStatus.values)]  # type: ignore[valid-type]
OfficerStatusIn = Literal[tuple(OfficerStatus.values)]  # type: ignore[valid-type]
MatterKindIn = Literal[tuple(MatterKind.values)]  # type: ignore[valid-type]

AGENCY_ORDERING = {"name": ("name", "名称"), "credit_code": ("credit_code", "统一社会信用代码"), "id": ("id", "登记先后")}
OFFICER_ORDERING = {"id": ("id", "登记先后"), "name": ("name", "姓名")}
MATTER_ORDERING = {"id": ("id", "登记先后"), "code": ("code", "事项编码"), "name": ("name", "事项名称")}
PARTY_ORDERING = {"id": ("id", "登记先后"), "name": ("name", "名称或姓名")}
SINCE, UNTIL = since_query(REGISTERED), until_query(REGISTERED)
AGENCY_STATUS = Query(None, description=status_description(AgencyStatus.choices))
OFFICER_STATUS = Query(None, description=status_description(OfficerStatus.choices))
MATTER_KIND = Query(None, description=status_description(MatterKind.choices, what="事项类别"))


@router.get("/agencies", response=answers({200: AgencyPageOut}))
def agency_list(request: HttpRequest, q: str = Query("", max_length=Q_MAX_LENGTH, description="按名称或统一社会信用代码查找"),
                status: AgencyStatusIn | None = AGENCY_STATUS,
                since: dt.date | None = SINCE, until: dt.date | None = UNTIL,
                ordering: str = ordering_query(AGENCY_ORDERING, default="name"),
                limit: int = _limit(), cursor: str | None = _cursor()):
    """执法主体，默认按名称排序，分页返回。"""
    agencies = selectors.agency_list(viewer=request.user, search=q)
    if status:
        agencies = agencies.filter(status=status)
    agencies = date_range_filter(agencies, field="created_at", since=since, until=until)
    order = order_resolve(ordering, keys=AGENCY_ORDERING, default="name")
    return paginate(request, agencies, order=order, limit=limit, cursor=cursor)


@router.get("/agencies/{agency_id}", response=answers({200: AgencyOut}, 404))
def agency_get(request: HttpRequest, agency_id: int = Path(..., ge=1, le=ID_MAX)):
    return selectors.agency_get(viewer=request.user, agency_id=agency_id)


def _officer_out(officer: Officer, *, viewer, today: dt.date) -> dict:
    full = user_sees_full_officer_id_number(viewer, officer.agency_id)
    return {
        "id": officer.pk,
        "agency_id": officer.agency_id,
        "name": officer.name,
        "post": officer.post,
        "department": officer.department,
        "id_number": officer.id_number if full else officer.id_number_masked,
        "staffing_type": officer.staffing_type,
        "is_legal_reviewer": officer.is_legal_reviewer,
        "status": officer.status,
        "certificates": [
            {
                "number": c.number,
                "enforcement_fields": c.enforcement_fields,
                "valid_from": c.valid_from,
                "valid_to": c.valid_to,
                "status": c.status,
                "valid_today": c.is_valid_on(today),
            }
            for c in officer.certificates.all()
        ],
    }


@router.get("/officers", response=answers({200: OfficerPageOut}))
def officer_list(request: HttpRequest, agency: int | None = Query(None, ge=1, le=ID_MAX, description="所属执法主体"),
                 q: str = Query("", max_length=Q_MAX_LENGTH, description="按姓名、执法证号或职务查找"),
                 status: OfficerStatusIn | None = OFFICER_STATUS,
                 since: dt.date | None = SINCE, until: dt.date | None = UNTIL,
                 ordering: str = ordering_query(OFFICER_ORDERING, default="id"),
                 limit: int = _limit(), cursor: str | None = _cursor()):
    """执法人员，默认按登记先后排序，分页返回。身份证号码按页面的规则遮蔽（本单位管理员以外只见遮蔽后的号码）。"""
    today = dt.date.today()
    officers = selectors.officer_list(viewer=request.user, agency_id=agency, search=q)
    if status:
        officers = officers.filter(status=status)
    officers = date_range_filter(officers, field="created_at", since=since, until=until)
    order = order_resolve(ordering, keys=OFFICER_ORDERING, default="id")
    return paginate(request, officers, order=order, limit=limit, cursor=cursor,
                    item=lambda o: _officer_out(o, viewer=request.user, today=today))


@router.get("/officers/{officer_id}", response=answers({200: OfficerOut}, 404))
def officer_get(request: HttpRequest, officer_id: int = Path(..., ge=1, le=ID_MAX)):
    officer = selectors.officer_get(viewer=request.user, officer_id=officer_id)
    return _officer_out(officer, viewer=request.user, today=dt.date.today())


@router.get("/matters", response=answers({200: MatterPageOut}))
def matter_list(request: HttpRequest, agency: int | None = Query(None, ge=1, le=ID_MAX, description="所属执法主体"),
                kind: MatterKindIn | None = MATTER_KIND,
                q: str = Query("", max_length=Q_MAX_LENGTH, description="按事项名称或编码查找"),
                since: dt.date | None = SINCE, until: dt.date | None = UNTIL,
                ordering: str = ordering_query(MATTER_ORDERING, default="id"),
                limit: int = _limit(), cursor: str | None = _cursor()):
    """执法事项，默认按登记先后排序，分页返回。"""
    matters = selectors.matter_list(viewer=request.user, agency_id=agency, kind=kind or "", search=q)
    matters = date_range_filter(matters, field="created_at", since=since, until=until)
    order = order_resolve(ordering, keys=MATTER_ORDERING, default="id")
    return paginate(request, matters, order=order, limit=limit, cursor=cursor)


# --- parties (当事人) ------------------------------------------------------------------------------

PartyKindIn = Literal[tuple(PartyKind.values)]  # type: ignore[valid-type]
IdTypeIn = Literal[("", *IdentityDocumentType.values)]  # type: ignore[valid-type]
PARTY_KIND = Query(None, description=status_description(PartyKind.choices, what="当事人类别"))


class PartyIn(Schema):
    kind: PartyKindIn = Field(..., description="当事人类别：" + "、".join(f"{value}（{label}）" for value, label in PartyKind.choices))
    name: Text(200) = Field(..., min_length=1, description="名称或姓名")
    credit_code: Text(18) = Field("", description="统一社会信用代码（法人、非法人组织必填；个体工商户有则填）")
    legal_representative: Text(50) = Field("", description="法定代表人或负责人")
    id_type: IdTypeIn = Field("", description="证件类型（自然人必填）")
    id_number: Text(40) = Field("", description="证件号码（居民身份证按 GB 11643 校验）")
    phone: Text(40) = ""
    address: Text(200) = ""


class PartyOut(Schema):
    id: int
    agency_id: int
    kind: str
    kind_label: str
    name: str
    credit_code: str
    legal_representative: str
    id_type: str
    id_number: str = Field(..., description="证件号码；本单位执法人员以外只见遮蔽后的号码")
    phone: str = Field(..., description="联系电话；本单位执法人员以外为空")
    address: str = Field(..., description="住所或地址；本单位执法人员以外为空")


class PartyPageOut(PageOut):
    items: list[PartyOut]


def _party_out(party: Party, *, viewer) -> dict:
    own = user_can_manage_parties(viewer, party.agency_id)
    return {
        "id": party.pk, "agency_id": party.agency_id, "kind": party.kind, "kind_label": party.get_kind_display(),
        "name": party.name, "credit_code": party.credit_code, "legal_representative": party.legal_representative,
        "id_type": party.id_type, "id_number": party.id_number if own else party.id_number_masked,
        "phone": party.phone if own else "", "address": party.address if own else "",
    }


@router.get("/parties", response=answers({200: PartyPageOut}))
def party_list(request: HttpRequest, q: str = Query("", max_length=Q_MAX_LENGTH, description="按名称或统一社会信用代码查找"),
               agency: int | None = Query(None, ge=1, le=ID_MAX, description="登记的执法主体"),
               kind: PartyKindIn | None = PARTY_KIND,
               since: dt.date | None = SINCE, until: dt.date | None = UNTIL,
               ordering: str = ordering_query(PARTY_ORDERING, default="id"),
               limit: int = _limit(), cursor: str | None = _cursor()):
    """当事人，默认按登记先后排序，分页返回。执法机关的人员看到本单位登记的当事人；
    证件号码、联系电话和住所只向本单位执法人员完整提供。"""
    parties = selectors.party_list(viewer=request.user, search=q)
    if agency is not None:
        parties = parties.filter(agency_id=agency)
    if kind:
        parties = parties.filter(kind=kind)
    parties = date_range_filter(parties, field="created_at", since=since, until=until)
    order = order_resolve(ordering, keys=PARTY_ORDERING, default="id")
    return paginate(request, parties, order=order, limit=limit, cursor=cursor,
                    item=lambda p: _party_out(p, viewer=request.user))


@router.get("/parties/{party_id}", response=answers({200: PartyOut}, 404))
def party_get(request: HttpRequest, party_id: int = Path(..., ge=1, le=ID_MAX)):
    return _party_out(selectors.party_get(viewer=request.user, party_id=party_id), viewer=request.user)


@router.post("/parties", response=answers({201: PartyOut}, 403))
def party_create(request: HttpRequest, response: HttpResponse, payload: PartyIn):
    """登记当事人（本单位）。统一社会信用代码、居民身份证号码按国家标准校验，不通过时返回 422 并指明字段。"""
    agency = request.user.agency
    if agency is None:
        raise PermissionDenied("只有执法机关的人员可以登记当事人")
    values = {key: value.strip() if isinstance(value, str) else value for key, value in payload.dict().items()}
    if not values["name"]:
        raise InputRefused([Violation("party.name_missing", "请填写名称或姓名", "数据校验", "name")])
    try:
        party = services.party_create(actor=request.user, agency=agency, **values)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    # Personal data: neither caches nor an Idempotency-Key's stored answer keep it.
    response["Cache-Control"] = "no-store"
    return Status(201, _party_out(party, viewer=request.user))
