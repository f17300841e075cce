"""The registry through the API: agencies, officers and their certificates, the matter catalogue
and parties; reads scoped as the registry's pages, writes through the registry's services (the
same permission checks, rules and ledger entries as the pages). Officers, certificates and matters
answer with an ETag; an update sent with If-Match is refused with 412 when the row changed since."""

import datetime as dt
from collections.abc import Callable
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Path, Query, Router, Schema

from sanxiang.accounts.permissions import (
    user_can_edit_agency,
    user_can_manage_parties,
    user_can_manage_staff,
    user_can_register_agencies,
    user_sees_full_officer_id_number,
)
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
from sanxiang.api.schemas import (
    AgencyOut,
    MatterOut,
    OfficerOut,
    PlausibleDate,
    Status,
    Text,
    answers,
    changed_since_read,
)
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry import selectors, services
from sanxiang.registry.models import (
    AgencyKind,
    AgencyStatus,
    Certificate,
    CertificateStatus,
    IdentityDocumentType,
    Matter,
    MatterKind,
    Officer,
    OfficerStatus,
    Party,
    PartyKind,
    StaffingType,
)

router = Router(tags=["registry"])


class AgencyPageOut(PageOut):
    items: list[AgencyOut]


class AgencyDetailOut(AgencyOut):
    legal_basis: str = Field(..., description="职权依据")
    contact_phone: str = Field(..., description="联系电话")
    address: str = Field(..., description="办公地址")
    is_judicial_bureau: bool = Field(..., description="是本级司法行政部门（其监督人员可查看全部执法主体）")


def _agency_detail(agency) -> dict:
    return {
        "id": agency.pk, "name": agency.name, "credit_code": agency.credit_code, "kind": agency.kind,
        "entrusting_agency_id": agency.entrusting_agency_id, "region_code": agency.region_code,
        "parent_government": agency.parent_government, "enforcement_fields": agency.enforcement_fields,
        "status": agency.status, "legal_basis": agency.legal_basis, "contact_phone": agency.contact_phone,
        "address": agency.address, "is_judicial_bureau": agency.is_judicial_bureau,
    }


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


@router.get("/agencies/{agency_id}", response=answers({200: AgencyDetailOut}, 404))
def agency_get(request: HttpRequest, response: HttpResponse, agency_id: int = Path(..., ge=1, le=ID_MAX)):
    """一个执法主体的全部登记事项（含职权依据、联系电话、办公地址）；响应头 ETag 为其当前版本（修改时放在 If-Match 中）。"""
    agency = selectors.agency_get(viewer=request.user, agency_id=agency_id)
    response["ETag"] = row_etag(agency)
    return _agency_detail(agency)


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
                "id": c.pk,
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
def officer_get(request: HttpRequest, response: HttpResponse, officer_id: int = Path(..., ge=1, le=ID_MAX)):
    """一名执法人员及其执法证；响应头 ETag 为其当前版本（修改时放在 If-Match 中）。身份证号码只向本单位管理员完整提供。"""
    officer = selectors.officer_get(viewer=request.user, officer_id=officer_id)
    response["ETag"] = row_etag(officer)
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
def party_get(request: HttpRequest, response: HttpResponse, party_id: int = Path(..., ge=1, le=ID_MAX)):
    """一个当事人；响应头 ETag 为其当前版本（修改时可放在 If-Match 中）。"""
    party = selectors.party_get(viewer=request.user, party_id=party_id)
    response["ETag"] = row_etag(party)
    return _party_out(party, viewer=request.user)


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


# --- writes: officers, certificates, matters (as an agency administrator on the pages) ------------

StaffingTypeIn = Literal[tuple(StaffingType.values)]  # type: ignore[valid-type]
CertificateStatusIn = Literal[tuple(CertificateStatus.values)]  # type: ignore[valid-type]

IF_MATCH = Header(None, alias="If-Match", max_length=500,
                  description="可选：读取时响应头 ETag 的值；此后已被他人修改时返回 412，不予修改")


def row_etag(row: models.Model) -> str:
    """A row's version: its id and the instant of its last change (`updated_at`)."""
    return f'"{row.pk}-{int(row.updated_at.timestamp() * 1_000_000)}"'


def _etag_matches(if_match: str, row: models.Model) -> bool:
    """If-Match compares strongly (RFC 9110 §13.1.1): a weak tag (W/"…") never matches."""
    tags = {tag.strip() for tag in if_match.split(",")}
    return "*" in tags or row_etag(row) in tags


def precondition_failed():
    return changed_since_read(code="registry.changed", message="这一登记在您读取之后已被修改，请重新读取后再修改")


def row_update_if_current(response: HttpResponse, row: models.Model, if_match: str | None,
             save: Callable[[], models.Model]) -> models.Model | None:
    """`save()` run in one transaction with the row locked, if it is still the version the client
    read (always without If-Match); None when it is not. The answer's ETag is the new version."""
    with transaction.atomic():
        if if_match is not None:
            current = type(row).objects.select_for_update().only("pk", "updated_at").get(pk=row.pk)
            if not _etag_matches(if_match, current):
                return None
        try:
            saved = save()
        except Refused as refused:
            raise InputRefused(refused.violations) from None
    response["ETag"] = row_etag(saved)
    return saved


def _agency_of(request: HttpRequest, agency_id: int | None):
    """The agency a new row is for: the one named (read as the pages read it: 404 if not visible),
    or the caller's own."""
    if agency_id is not None:
        return selectors.agency_get(viewer=request.user, agency_id=agency_id)
    if request.user.agency is None:
        raise InputRefused([Violation("registry.agency_missing", "请指明执法主体", "数据校验", "agency_id")])
    return request.user.agency


def blank_refused(values: dict, *names: str) -> None:
    missing = [Violation(f"{name}.missing", "必填", "数据校验", name) for name in names
               if name in values and isinstance(values[name], str) and not values[name].strip()]
    if missing:
        raise InputRefused(missing)


def stripped(values: dict) -> dict:
    return {key: value.strip() if isinstance(value, str) else value for key, value in values.items()}


class OfficerIn(Schema):
    agency_id: int | None = Field(None, ge=1, le=ID_MAX, description="所属执法主体；不填为本单位")
    name: Text(50) = Field(..., min_length=1, description="姓名")
    post: Text(60) = Field("", description="职务岗位")
    department: Text(60) = Field("", description="内设机构（如执法一中队、法制股）")
    id_number: Text(18) = Field(..., min_length=1, description="公民身份号码（按 GB 11643 校验，不得与已登记的人员重复）")
    staffing_type: StaffingTypeIn = Field(..., description=status_description(StaffingType.choices, what="人员身份"))
    has_legal_qualification: bool = Field(False, description="具有法律职业资格")
    is_legal_reviewer: bool = Field(False, description="法制审核人员")
    status: OfficerStatusIn = Field("active", description=status_description(OfficerStatus.choices))


class OfficerPatchIn(Schema):
    name: Text(50) | None = Field(None, min_length=1, description="姓名")
    post: Text(60) | None = Field(None, description="职务岗位")
    department: Text(60) | None = Field(None, description="内设机构")
    id_number: Text(18) | None = Field(None, min_length=1, description="公民身份号码")
    staffing_type: StaffingTypeIn | None = Field(None, description=status_description(StaffingType.choices, what="人员身份"))
    has_legal_qualification: bool | None = Field(None, description="具有法律职业资格")
    is_legal_reviewer: bool | None = Field(None, description="法制审核人员")
    status: OfficerStatusIn | None = Field(None, description=status_description(OfficerStatus.choices))


def given(payload: Schema) -> dict:
    """The fields a partial update sends (a null is no change)."""
    return stripped({key: value for key, value in payload.dict(exclude_unset=True).items() if value is not None})


def _officer_answer(response: HttpResponse, officer: Officer, *, viewer) -> dict:
    officer = selectors.officer_get(viewer=viewer, officer_id=officer.pk)
    response["ETag"] = row_etag(officer)
    # Personal data (the full ID number to the agency's administrator): neither caches nor an
    # Idempotency-Key's stored answer keep it.
    response["Cache-Control"] = "no-store"
    return _officer_out(officer, viewer=viewer, today=dt.date.today())


@router.post("/officers", response=answers({201: OfficerOut}, 403, 404))
def officer_create(request: HttpRequest, response: HttpResponse, payload: OfficerIn):
    """登记执法人员（本单位管理员；系统管理员须指明 agency_id）。身份证号码按国家标准校验，不通过或与已登记人员重复时
    返回 422 并指明字段。应答中的身份证号码按页面的规则遮蔽。"""
    values = stripped(payload.dict())
    agency = _agency_of(request, values.pop("agency_id"))
    blank_refused(values, "name", "id_number")
    try:
        officer = services.officer_create(actor=request.user, agency=agency, **values)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _officer_answer(response, officer, viewer=request.user))


@router.patch("/officers/{officer_id}", response=answers({200: OfficerOut}, 403, 404, 412))
def officer_update(request: HttpRequest, response: HttpResponse, payload: OfficerPatchIn,
                   officer_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = IF_MATCH):
    """修改执法人员（本单位管理员）：只改所给的字段。带 If-Match 时，读取之后已被修改的返回 412。"""
    officer = selectors.officer_get(viewer=request.user, officer_id=officer_id)
    if not user_can_manage_staff(request.user, officer.agency_id):  # before If-Match: no 412 to who may not write
        raise PermissionDenied(services.OFFICER_EDIT_REFUSED)
    values = given(payload)
    blank_refused(values, "name", "id_number")
    saved = row_update_if_current(response, officer, if_match,
                     lambda: services.officer_update(actor=request.user, officer=officer, **values))
    if saved is None:
        return precondition_failed()
    return Status(200, _officer_answer(response, saved, viewer=request.user))


class CertificateDetailOut(Schema):
    id: int
    officer_id: int
    number: str
    issuing_authority: str
    enforcement_fields: str = Field(..., description="执法领域，多个以顿号分隔")
    enforcement_areas: str = Field(..., description="执法区域")
    valid_from: dt.date
    valid_to: dt.date
    status: str = Field(..., description=status_description(CertificateStatus.choices, what="证件状态"))
    valid_today: bool = Field(..., description="今天是否有效（状态有效且在有效期内）")


class CertificateIn(Schema):
    number: Text(40) = Field(..., min_length=1, description="执法证号（不得与已登记的证件重复）")
    issuing_authority: Text(100) = Field(..., min_length=1, description="发证机关")
    enforcement_fields: Text(200) = Field(..., min_length=1, description="执法领域，多个以顿号“、”分隔")
    enforcement_areas: Text(200) = Field("", description="执法区域")
    valid_from: PlausibleDate = Field(..., description="有效期自")
    valid_to: PlausibleDate = Field(..., description="有效期至（不早于有效期自）")


class CertificatePatchIn(Schema):
    number: Text(40) | None = Field(None, min_length=1, description="执法证号")
    issuing_authority: Text(100) | None = Field(None, min_length=1, description="发证机关")
    enforcement_fields: Text(200) | None = Field(None, min_length=1, description="执法领域")
    enforcement_areas: Text(200) | None = Field(None, description="执法区域")
    valid_from: PlausibleDate | None = Field(None, description="有效期自")
    valid_to: PlausibleDate | None = Field(None, description="有效期至")
    status: CertificateStatusIn | None = Field(
        None, description=status_description(CertificateStatus.choices, what="证件状态") + "；暂扣、注销须填写 reason")
    reason: Text(500, multiline=True) = Field("", description="变更理由（暂扣或注销时必填），记入账本")


def _certificate_out(certificate: Certificate) -> dict:
    return {
        "id": certificate.pk, "officer_id": certificate.officer_id, "number": certificate.number,
        "issuing_authority": certificate.issuing_authority, "enforcement_fields": certificate.enforcement_fields,
        "enforcement_areas": certificate.enforcement_areas, "valid_from": certificate.valid_from,
        "valid_to": certificate.valid_to, "status": certificate.status,
        "valid_today": certificate.is_valid_on(dt.date.today()),
    }


@router.get("/certificates/{certificate_id}", response=answers({200: CertificateDetailOut}, 404))
def certificate_get(request: HttpRequest, response: HttpResponse, certificate_id: int = Path(..., ge=1, le=ID_MAX)):
    """一张执法证；响应头 ETag 为其当前版本。"""
    certificate = selectors.certificate_get(viewer=request.user, certificate_id=certificate_id)
    response["ETag"] = row_etag(certificate)
    return _certificate_out(certificate)


@router.post("/officers/{officer_id}/certificates", response=answers({201: CertificateDetailOut}, 403, 404))
def certificate_create(request: HttpRequest, response: HttpResponse, payload: CertificateIn,
                       officer_id: int = Path(..., ge=1, le=ID_MAX)):
    """为执法人员登记执法证（本单位管理员）。证号重复、有效期不合规定时返回 422 并指明字段及依据。"""
    officer = selectors.officer_get(viewer=request.user, officer_id=officer_id)
    values = stripped(payload.dict())
    blank_refused(values, "number", "issuing_authority", "enforcement_fields")
    try:
        certificate = services.certificate_create(actor=request.user, officer=officer, **values)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    response["ETag"] = row_etag(certificate)
    return Status(201, _certificate_out(certificate))


@router.patch("/certificates/{certificate_id}", response=answers({200: CertificateDetailOut}, 403, 404, 412))
def certificate_update(request: HttpRequest, response: HttpResponse, payload: CertificatePatchIn,
                       certificate_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = IF_MATCH):
    """修改执法证（本单位管理员），包括暂扣（status=suspended）、注销（status=revoked）和恢复有效（status=valid）；
    暂扣、注销须填写 reason。只改所给的字段；带 If-Match 时，读取之后已被修改的返回 412。"""
    certificate = selectors.certificate_get(viewer=request.user, certificate_id=certificate_id)
    if not user_can_manage_staff(request.user, certificate.officer.agency_id):  # before If-Match, as above
        raise PermissionDenied(services.CERTIFICATE_EDIT_REFUSED)
    values = given(payload)
    reason = values.pop("reason", "")
    blank_refused(values, "number", "issuing_authority", "enforcement_fields")
    saved = row_update_if_current(response, certificate, if_match, lambda: services.certificate_update(
        actor=request.user, certificate=certificate, reason=reason, **values))
    if saved is None:
        return precondition_failed()
    return Status(200, _certificate_out(saved))


class LegalBasisIn(Schema):
    law: Text(200) = Field(..., min_length=1, description="法律、法规或规章的名称，如《中华人民共和国食品安全法》")
    article: Text(200) = Field("", description="条款")


class MatterIn(Schema):
    agency_id: int | None = Field(None, ge=1, le=ID_MAX, description="实施主体；不填为本单位")
    code: Text(40) = Field(..., min_length=1, description="事项编码（不得与已登记的事项重复）")
    name: Text(200) = Field(..., min_length=1, description="事项名称")
    kind: MatterKindIn = Field(..., description=status_description(MatterKind.choices, what="事项类别"))
    enforcement_field: Text(60) = Field("", description="执法领域")
    legal_bases: list[LegalBasisIn] = Field(..., min_length=1, max_length=50, description="法律依据，至少一条")
    discretion_standard: Text(5000, multiline=True) = Field("", description="裁量基准")
    is_active: bool = Field(True, description="有效")


class MatterPatchIn(Schema):
    code: Text(40) | None = Field(None, min_length=1, description="事项编码")
    name: Text(200) | None = Field(None, min_length=1, description="事项名称")
    kind: MatterKindIn | None = Field(None, description=status_description(MatterKind.choices, what="事项类别"))
    enforcement_field: Text(60) | None = Field(None, description="执法领域")
    legal_bases: list[LegalBasisIn] | None = Field(None, min_length=1, max_length=50, description="法律依据，至少一条")
    discretion_standard: Text(5000, multiline=True) | None = Field(None, description="裁量基准")
    is_active: bool | None = Field(None, description="有效")


def _legal_bases(values: dict) -> dict:
    if "legal_bases" in values:
        # A partial update's items keep only the keys sent (`exclude_unset`): an article left out is "".
        values["legal_bases"] = [{"law": b["law"].strip(), "article": b.get("article", "").strip()}
                                 for b in values["legal_bases"]]
    return values


def _matter_answer(response: HttpResponse, matter: Matter) -> Matter:
    response["ETag"] = row_etag(matter)
    return matter


@router.get("/matters/{matter_id}", response=answers({200: MatterOut}, 404))
def matter_get(request: HttpRequest, response: HttpResponse, matter_id: int = Path(..., ge=1, le=ID_MAX)):
    """一个执法事项；响应头 ETag 为其当前版本。"""
    return _matter_answer(response, selectors.matter_get(viewer=request.user, matter_id=matter_id))


@router.post("/matters", response=answers({201: MatterOut}, 403, 404))
def matter_create(request: HttpRequest, response: HttpResponse, payload: MatterIn):
    """新增执法事项（本单位管理员）。编码重复、缺少法律依据时返回 422 并指明字段。"""
    values = _legal_bases(stripped(payload.dict()))
    agency = _agency_of(request, values.pop("agency_id"))
    blank_refused(values, "code", "name")
    try:
        matter = services.matter_create(actor=request.user, agency=agency, **values)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _matter_answer(response, matter))


@router.patch("/matters/{matter_id}", response=answers({200: MatterOut}, 403, 404, 412))
def matter_update(request: HttpRequest, response: HttpResponse, payload: MatterPatchIn,
                  matter_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = IF_MATCH):
    """修改执法事项（本单位管理员）：只改所给的字段（legal_bases 整体替换）。带 If-Match 时，读取之后已被修改的返回 412。"""
    matter = selectors.matter_get(viewer=request.user, matter_id=matter_id)
    if not user_can_manage_staff(request.user, matter.agency_id):  # before If-Match, as above
        raise PermissionDenied(services.MATTER_EDIT_REFUSED)
    values = _legal_bases(given(payload))
    blank_refused(values, "code", "name")
    saved = row_update_if_current(response, matter, if_match,
                     lambda: services.matter_update(actor=request.user, matter=matter, **values))
    if saved is None:
        return precondition_failed()
    return Status(200, _matter_answer(response, saved))


# --- writes: agencies (执法主体), as the registry's pages register and edit them --------------------

AgencyKindIn = Literal[tuple(AgencyKind.values)]  # type: ignore[valid-type]


class AgencyIn(Schema):
    name: Text(100) = Field(..., min_length=1, description="名称（不得与已登记的执法主体重复）")
    credit_code: Text(18) = Field(..., min_length=1, description="统一社会信用代码（按 GB 32100 校验，不得重复）")
    kind: AgencyKindIn = Field(..., description=status_description(AgencyKind.choices, what="主体类别"))
    entrusting_agency_id: int | None = Field(None, ge=1, le=ID_MAX, description="委托机关（受委托组织必填）")
    region_code: Text(6) = Field(..., min_length=1, description="行政区划代码（6位）")
    parent_government: Text(100) = Field(..., min_length=1, description="所属人民政府")
    legal_basis: Text(20000, multiline=True) = Field("", description="职权依据")
    enforcement_fields: Text(200) = Field("", description="执法领域，多个以顿号“、”分隔")
    contact_phone: Text(40) = Field("", description="联系电话")
    address: Text(200) = Field("", description="办公地址")
    status: AgencyStatusIn = Field("active", description=status_description(AgencyStatus.choices))
    is_judicial_bureau: bool = Field(False, description="是本级司法行政部门")


class AgencyPatchIn(Schema):
    name: Text(100) | None = Field(None, min_length=1, description="名称")
    credit_code: Text(18) | None = Field(None, min_length=1, description="统一社会信用代码")
    kind: AgencyKindIn | None = Field(None, description=status_description(AgencyKind.choices, what="主体类别"))
    entrusting_agency_id: int | None = Field(
        None, ge=1, le=ID_MAX, description="委托机关；明确给出 null 为取消委托机关（不给出为不改）")
    region_code: Text(6) | None = Field(None, min_length=1, description="行政区划代码")
    parent_government: Text(100) | None = Field(None, min_length=1, description="所属人民政府")
    legal_basis: Text(20000, multiline=True) | None = Field(None, description="职权依据")
    enforcement_fields: Text(200) | None = Field(None, description="执法领域")
    contact_phone: Text(40) | None = Field(None, description="联系电话")
    address: Text(200) | None = Field(None, description="办公地址")
    status: AgencyStatusIn | None = Field(None, description=status_description(AgencyStatus.choices))
    is_judicial_bureau: bool | None = Field(None, description="是本级司法行政部门（只有系统管理员可以修改；本单位管理员给出时 403）")


def _entrusting_agency(request: HttpRequest, values: dict) -> dict:
    """`entrusting_agency_id` as the row the service takes: one of the agencies the caller sees (422 otherwise)."""
    if "entrusting_agency_id" not in values:
        return values
    agency_id = values.pop("entrusting_agency_id")
    entrusting = None
    if agency_id is not None:
        entrusting = selectors.agency_list(viewer=request.user, search="").filter(pk=agency_id).first()
        if entrusting is None:
            raise InputRefused([Violation("agency.entrusting_unknown", "没有这个委托机关", "数据校验",
                                          "entrusting_agency_id")])
    return values | {"entrusting_agency": entrusting}


def _agency_violations_input(refused: Refused) -> InputRefused:
    """The service names the model's field (`entrusting_agency`); the API's is `entrusting_agency_id`."""
    return InputRefused([Violation(v.code, v.message, v.legal_basis, "entrusting_agency_id")
                         if v.field == "entrusting_agency" else v for v in refused.violations])


@router.post("/agencies", response=answers({201: AgencyDetailOut}, 403))
def agency_create(request: HttpRequest, response: HttpResponse, payload: AgencyIn):
    """登记执法主体（执法主体资格确认：司法局监督人员、系统管理员，与页面相同）。统一社会信用代码、行政区划代码按国家标准校验，
    名称或代码重复、受委托组织未填委托机关等，返回 422 并指明字段及依据。"""
    if not user_can_register_agencies(request.user):
        raise PermissionDenied("只有司法局监督人员或系统管理员可以登记执法主体")
    values = _entrusting_agency(request, stripped(payload.dict()))
    blank_refused(values, "name", "credit_code", "region_code", "parent_government")
    try:
        agency = services.agency_create(actor=request.user, **values)
    except Refused as refused:
        raise _agency_violations_input(refused) from None
    response["ETag"] = row_etag(agency)
    return Status(201, _agency_detail(agency))


@router.patch("/agencies/{agency_id}", response=answers({200: AgencyDetailOut}, 403, 404, 412))
def agency_update(request: HttpRequest, response: HttpResponse, payload: AgencyPatchIn,
                  agency_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = IF_MATCH):
    """修改执法主体（司法局监督人员只能修改本县的，系统管理员，或本单位管理员），只改所给的字段。行政区划代码、是否为司法行政部门
    只有系统管理员可以修改（平台规则：本单位管理员给出是否为司法行政部门时 403，其余 422 指明字段）；本单位管理员不能修改本单位的
    行政区划代码、主体类别、状态和统一社会信用代码（422 指明字段）。带 If-Match 时，读取之后已被修改的返回 412。"""
    agency = selectors.agency_get(viewer=request.user, agency_id=agency_id)
    if not user_can_edit_agency(request.user, agency.pk):
        raise PermissionDenied("您不能修改这个执法主体")
    sent = payload.dict(exclude_unset=True)
    values = given(payload)
    if "entrusting_agency_id" in sent and sent["entrusting_agency_id"] is None:
        values["entrusting_agency_id"] = None  # an explicit null clears it
    if "is_judicial_bureau" in values and not user_can_register_agencies(request.user):
        raise PermissionDenied("只有司法局监督人员或系统管理员可以设定是否为司法行政部门")
    values = _entrusting_agency(request, values)
    blank_refused(values, "name", "credit_code", "region_code", "parent_government")

    def save():
        try:
            return services.agency_update(actor=request.user, agency=agency, **values)
        except Refused as refused:
            raise _agency_violations_input(refused) from None

    saved = row_update_if_current(response, agency, if_match, save)
    if saved is None:
        return precondition_failed()
    return Status(200, _agency_detail(saved))


# --- parties: changes (the page 修改当事人; issue 19, the audit of pages against the API) ---------------


class PartyPatchIn(Schema):
    kind: PartyKindIn | None = Field(None, description="当事人类别：" + "、".join(
        f"{value}（{label}）" for value, label in PartyKind.choices))
    name: Text(200) | None = Field(None, min_length=1, description="名称或姓名")
    credit_code: Text(18) | None = Field(None, description="统一社会信用代码（法人、非法人组织必填）")
    legal_representative: Text(50) | None = Field(None, description="法定代表人或负责人")
    id_type: IdTypeIn | None = Field(None, description="证件类型（自然人必填）")
    id_number: Text(40) | None = Field(None, description="证件号码（居民身份证按 GB 11643 校验）")
    phone: Text(40) | None = None
    address: Text(200) | None = None


@router.patch("/parties/{party_id}", response=answers({200: PartyOut}, 403, 404, 412))
def party_update(request: HttpRequest, response: HttpResponse, payload: PartyPatchIn,
                 party_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = IF_MATCH):
    """修改当事人（本单位人员），与修改当事人页面相同：只改所给的字段，改后按类别重新校验，不合格的 422 并指明字段；
    记入账本。别的单位登记的 403（看不到的 404）。带 If-Match 时（读取时响应头 ETag 的值），读取之后已被修改的返回 412。"""
    party = selectors.party_get(viewer=request.user, party_id=party_id)
    if not user_can_manage_parties(request.user, party.agency_id):  # before If-Match: no 412 to who may not write
        raise PermissionDenied(services.PARTY_EDIT_REFUSED)
    values = given(payload)
    blank_refused(values, "name")
    saved = row_update_if_current(response, party, if_match,
                                  lambda: services.party_update(actor=request.user, party=party, **values))
    if saved is None:
        return precondition_failed()
    response["Cache-Control"] = "no-store"  # personal data: neither caches nor an Idempotency-Key's answer keep it
    return Status(200, _party_out(saved, viewer=request.user))
