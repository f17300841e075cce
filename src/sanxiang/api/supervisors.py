"""The judicial bureau's register of its supervisors (行政执法监督人员) and their supervision
certificates (监督检查证件) through the API, as the pages /staff/registry/supervisors/… give them:
read by the bureau's supervisors and administrator (system administrators too), changed by the
bureau's administrator, through the registry's selectors and services (the same checks and ledger
entries). Another county's or bureau's supervisors are 404; an agency's users see none. A
supervisor's login (登录账号) is read, linked or created by the bureau's administrator, as on the
page supervisors/{id}/account/, through the account services."""

import datetime as dt
from dataclasses import replace
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema

from sanxiang.accounts import selectors as account_selectors
from sanxiang.accounts import services as account_services
from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import user_can_manage_staff
from sanxiang.api.auth import bearer_presented
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
from sanxiang.api.registry import (
    IF_MATCH,
    blank_refused,
    given,
    precondition_failed,
    row_etag,
    row_update_if_current,
    stripped,
)
from sanxiang.api.schemas import Id, PlausibleDate, Status, Text, answers
from sanxiang.inputs import ID_MAX
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.registry import selectors, services
from sanxiang.registry.models import CertificateStatus, SupervisionCertificate, Supervisor

router = Router(tags=["registry"])

CertificateStatusIn = Literal[tuple(CertificateStatus.values)]  # type: ignore[valid-type]
SUPERVISOR_ORDERING = {"id": ("id", "登记先后"), "name": ("name", "姓名")}
SINCE, UNTIL = since_query("登记日期"), until_query("登记日期")


class SupervisionCertificateOut(Schema):
    id: int
    supervisor_id: int = Field(..., description="持证的监督人员")
    number: str = Field(..., description="监督检查证号")
    issuing_authority: str = Field(..., description="发证机关")
    valid_from: dt.date = Field(..., description="有效期自")
    valid_to: dt.date = Field(..., description="有效期至")
    status: str = Field(..., description=status_description(CertificateStatus.choices, what="证件状态"))
    state: str = Field(..., description="今天的状态，如页面所示：有效、尚未生效、已过期、暂扣、注销")
    usable_today: bool = Field(..., description="今天可以凭此证履行监督职责")


class SupervisorOut(Schema):
    id: int
    bureau_id: int = Field(..., description="所属司法行政部门")
    bureau_name: str = Field(..., description="所属司法行政部门名称")
    name: str = Field(..., description="姓名")
    id_number: str = Field(..., description="公民身份号码（本司法行政部门管理员见完整号码，其他人见遮蔽后的号码）")
    post: str = Field(..., description="职务岗位")
    is_active: bool = Field(..., description="在岗")
    account: str | None = Field(..., description="登录账号的用户名；未开通为 null")
    certificates: list[SupervisionCertificateOut] = Field(..., description="监督检查证件")


class SupervisorPageOut(PageOut):
    items: list[SupervisorOut]


def _certificate_out(certificate: SupervisionCertificate, today: dt.date) -> dict:
    label, usable = selectors.supervision_certificate_state(certificate, on=today)
    return {
        "id": certificate.pk, "supervisor_id": certificate.supervisor_id, "number": certificate.number,
        "issuing_authority": certificate.issuing_authority, "valid_from": certificate.valid_from,
        "valid_to": certificate.valid_to, "status": certificate.status, "state": label, "usable_today": usable,
    }


def _supervisor_out(supervisor: Supervisor, *, viewer, account, today: dt.date) -> dict:
    full = user_can_manage_staff(viewer, supervisor.bureau_id)
    return {
        "id": supervisor.pk, "bureau_id": supervisor.bureau_id, "bureau_name": supervisor.bureau.name,
        "name": supervisor.name, "id_number": supervisor.id_number if full else supervisor.id_number_masked,
        "post": supervisor.post, "is_active": supervisor.is_active,
        "account": account.username if account is not None else None,
        "certificates": [_certificate_out(c, today) for c in supervisor.certificates.all()],
    }


def _supervisor_answer(response: HttpResponse, supervisor: Supervisor, *, viewer) -> dict:
    supervisor = selectors.supervisor_get(viewer=viewer, supervisor_id=supervisor.pk)
    response["ETag"] = row_etag(supervisor)
    response["Cache-Control"] = "no-store"  # personal data: the full ID number to the administrator
    account = account_selectors.supervisor_accounts(supervisor_ids=[supervisor.pk]).get(supervisor.pk)
    return _supervisor_out(supervisor, viewer=viewer, account=account, today=dt.date.today())


def _login_of(supervisor: Supervisor):
    try:
        return supervisor.user
    except ObjectDoesNotExist:
        return None


@router.get("/supervisors", response=answers({200: SupervisorPageOut}))
def supervisor_list(request: HttpRequest,
                    q: str = Query("", max_length=Q_MAX_LENGTH, description="按姓名、职务或监督检查证号查找"),
                    bureau: int | None = Query(None, ge=1, le=ID_MAX, description="所属司法行政部门"),
                    is_active: bool | None = Query(None, description="在岗（true）或离岗（false）"),
                    since: dt.date | None = SINCE, until: dt.date | None = UNTIL,
                    ordering: str = ordering_query(SUPERVISOR_ORDERING, default="id"),
                    limit: int = limit_query(), cursor: str | None = cursor_query()):
    """司法行政部门的监督人员及其监督检查证件、登录账号，默认按登记先后排序，分页返回。本司法行政部门的监督人员和管理员
    （及系统管理员）可读；执法机关的用户看到空列表。身份证号码按页面的规则遮蔽。"""
    today = dt.date.today()
    supervisors = selectors.supervisor_list(viewer=request.user, search=q)
    if bureau is not None:
        supervisors = supervisors.filter(bureau_id=bureau)
    if is_active is not None:
        supervisors = supervisors.filter(is_active=is_active)
    supervisors = date_range_filter(supervisors, field="created_at", since=since, until=until)
    order = order_resolve(ordering, keys=SUPERVISOR_ORDERING, default="id")

    # Each row's login in the page's one query (User.supervisor's reverse side), not one query a row.
    return paginate(request, supervisors.select_related("user"), order=order, limit=limit, cursor=cursor,
                    item=lambda s: _supervisor_out(s, viewer=request.user, today=today, account=_login_of(s)))


@router.get("/supervisors/{supervisor_id}", response=answers({200: SupervisorOut}, 404))
def supervisor_get(request: HttpRequest, response: HttpResponse, supervisor_id: int = Path(..., ge=1, le=ID_MAX)):
    """一名监督人员及其监督检查证件、登录账号；响应头 ETag 为其当前版本（修改时放在 If-Match 中）。"""
    supervisor = selectors.supervisor_get(viewer=request.user, supervisor_id=supervisor_id)
    return _supervisor_answer(response, supervisor, viewer=request.user)


class SupervisorIn(Schema):
    bureau_id: int | None = Field(None, ge=1, le=ID_MAX, description="所属司法行政部门；不填为本单位")
    name: Text(50) = Field(..., min_length=1, description="姓名")
    id_number: Text(18) = Field(..., min_length=1, description="公民身份号码（按 GB 11643 校验，不得与已登记的人员重复）")
    post: Text(60) = Field("", description="职务岗位")
    is_active: bool = Field(True, description="在岗")


class SupervisorPatchIn(Schema):
    name: Text(50) | None = Field(None, min_length=1, description="姓名")
    id_number: Text(18) | None = Field(None, min_length=1, description="公民身份号码")
    post: Text(60) | None = Field(None, description="职务岗位")
    is_active: bool | None = Field(None, description="在岗；取消在岗须填写 reason")
    reason: Text(500, multiline=True) = Field("", description="离岗理由（取消在岗时必填），记入账本")


def _bureau_of(request: HttpRequest, bureau_id: int | None):
    """The bureau a new supervisor is for: the one named (404 unless the caller reads its
    supervisors), or the caller's own."""
    bureau_id = bureau_id if bureau_id is not None else request.user.agency_id
    if bureau_id is None:
        raise InputRefused([Violation("supervisor.bureau_missing", "请指明司法行政部门", "数据校验", "bureau_id")])
    bureau = selectors.supervisor_bureaus(viewer=request.user).filter(pk=bureau_id).first()
    if bureau is None:
        raise Http404
    return bureau


@router.post("/supervisors", response=answers({201: SupervisorOut}, 403, 404))
def supervisor_create(request: HttpRequest, response: HttpResponse, payload: SupervisorIn):
    """登记监督人员（本司法行政部门的管理员；系统管理员须指明 bureau_id）。身份证号码不通过校验或重复时返回 422 并指明字段。"""
    values = stripped(payload.dict())
    bureau = _bureau_of(request, values.pop("bureau_id"))
    blank_refused(values, "name", "id_number")
    try:
        supervisor = services.supervisor_create(actor=request.user, bureau=bureau, **values)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _supervisor_answer(response, supervisor, viewer=request.user))


@router.patch("/supervisors/{supervisor_id}", response=answers({200: SupervisorOut}, 403, 404, 412))
def supervisor_update(request: HttpRequest, response: HttpResponse, payload: SupervisorPatchIn,
                      supervisor_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = IF_MATCH):
    """修改监督人员（本司法行政部门的管理员）：只改所给的字段；取消在岗须填写 reason。带 If-Match 时，读取之后已被修改的返回 412。"""
    supervisor = selectors.supervisor_get(viewer=request.user, supervisor_id=supervisor_id)
    if not user_can_manage_staff(request.user, supervisor.bureau_id):  # before If-Match: no 412 to who may not write
        raise PermissionDenied(services.SUPERVISOR_EDIT_REFUSED)
    values = given(payload)
    reason = values.pop("reason", "")
    blank_refused(values, "name", "id_number")
    saved = row_update_if_current(response, supervisor, if_match, lambda: services.supervisor_update(
        actor=request.user, supervisor=supervisor, reason=reason, **values))
    if saved is None:
        return precondition_failed()
    return Status(200, _supervisor_answer(response, saved, viewer=request.user))


class SupervisionCertificateIn(Schema):
    number: Text(40) = Field(..., min_length=1, description="监督检查证号（不得与已登记的证件重复）")
    issuing_authority: Text(100) = Field(..., min_length=1, description="发证机关")
    valid_from: PlausibleDate = Field(..., description="有效期自")
    valid_to: PlausibleDate = Field(..., description="有效期至（不早于有效期自）")


class SupervisionCertificatePatchIn(Schema):
    number: Text(40) | None = Field(None, min_length=1, description="监督检查证号")
    issuing_authority: Text(100) | None = Field(None, min_length=1, description="发证机关")
    valid_from: PlausibleDate | None = Field(None, description="有效期自")
    valid_to: PlausibleDate | None = Field(None, description="有效期至")
    status: CertificateStatusIn | None = Field(
        None, description=status_description(CertificateStatus.choices, what="证件状态") + "；暂扣、注销须填写 reason，注销后不能再修改")
    reason: Text(500, multiline=True) = Field("", description="变更理由（暂扣或注销时必填），记入账本")


def _certificate_answer(response: HttpResponse, certificate: SupervisionCertificate) -> dict:
    response["ETag"] = row_etag(certificate)
    return _certificate_out(certificate, dt.date.today())


@router.get("/supervision-certificates/{certificate_id}", response=answers({200: SupervisionCertificateOut}, 404))
def supervision_certificate_get(request: HttpRequest, response: HttpResponse,
                                certificate_id: int = Path(..., ge=1, le=ID_MAX)):
    """一张监督检查证件；响应头 ETag 为其当前版本。"""
    certificate = selectors.supervision_certificate_get(viewer=request.user, certificate_id=certificate_id)
    return _certificate_answer(response, certificate)


@router.post("/supervisors/{supervisor_id}/certificates", response=answers({201: SupervisionCertificateOut}, 403, 404))
def supervision_certificate_create(request: HttpRequest, response: HttpResponse, payload: SupervisionCertificateIn,
                                   supervisor_id: int = Path(..., ge=1, le=ID_MAX)):
    """为监督人员登记监督检查证件（本司法行政部门的管理员）。证号重复、有效期倒置时返回 422 并指明字段。"""
    supervisor = selectors.supervisor_get(viewer=request.user, supervisor_id=supervisor_id)
    values = stripped(payload.dict())
    blank_refused(values, "number", "issuing_authority")
    try:
        certificate = services.supervision_certificate_save(actor=request.user, supervisor=supervisor, **values)
    except Refused as refused:
        raise InputRefused(refused.violations) from None
    return Status(201, _certificate_answer(response, certificate))


@router.patch("/supervision-certificates/{certificate_id}",
              response=answers({200: SupervisionCertificateOut}, 403, 404, 412))
def supervision_certificate_update(request: HttpRequest, response: HttpResponse,
                                   payload: SupervisionCertificatePatchIn,
                                   certificate_id: int = Path(..., ge=1, le=ID_MAX), if_match: str | None = IF_MATCH):
    """修改监督检查证件（本司法行政部门的管理员），包括暂扣（status=suspended）、注销（status=revoked）和恢复有效
    （status=valid）；暂扣、注销须填写 reason，已注销的不能再修改（422）。带 If-Match 时，读取之后已被修改的返回 412。"""
    certificate = selectors.supervision_certificate_get(viewer=request.user, certificate_id=certificate_id)
    if not user_can_manage_staff(request.user, certificate.supervisor.bureau_id):  # before If-Match, as above
        raise PermissionDenied(services.SUPERVISION_CERTIFICATE_EDIT_REFUSED)
    values = given(payload)
    reason = values.pop("reason", "")
    blank_refused(values, "number", "issuing_authority")
    saved = row_update_if_current(response, certificate, if_match, lambda: services.supervision_certificate_save(
        actor=request.user, supervisor=certificate.supervisor, certificate=certificate, reason=reason, **values))
    if saved is None:
        return precondition_failed()
    return Status(200, _certificate_answer(response, saved))


# The supervisor's login (登录账号), as the page supervisors/{id}/account/ gives it: the bureau's
# administrator (or a system administrator) reads it and links an existing supervisor account of the
# bureau or creates a login with a temporary password, through the same account services (the same
# checks and ledger entries). The password is in the 201 answer only: marked no-store, so that an
# Idempotency-Key replay is answered 409 (api/idempotency.py keeps the key, not the answer). Creating
# is for a login session only: passwords are managed in sessions that passed the second factor
# (docs/api.md, the /accounts/security/ and /accounts/users/ rows), and a bearer token handed a
# temporary password would let a system administrator's token skip theirs. Linking reveals no
# secret and stays open to tokens.

SUPERVISOR_ACCOUNT_REFUSED = "只有本司法行政部门的管理员可以查看、开通或关联监督人员的登录账号"
SUPERVISOR_LOGIN_TOKEN_REFUSED = ("开通账号的应答含临时密码，而密码只在经过第二因素的登录会话中管理：接口令牌不能开通账号，"
                                  "请登录后办理（关联已有账号可以用令牌）")
# The service's reasons that are the supervisor's state, not the data sent: 409 with every reason.
_ACCOUNT_STATE_CODES = frozenset({"user.supervisor_taken"})


class SupervisorLoginOut(Schema):
    id: int
    username: str = Field(..., description="用户名")
    display_name: str = Field(..., description="姓名")
    is_active: bool = Field(..., description="账号可用（停用的账号不能登录）")


class SupervisorAccountOut(Schema):
    supervisor_id: int = Field(..., description="监督人员")
    account: SupervisorLoginOut | None = Field(..., description="已开通或关联的登录账号；没有为 null")
    linkable: list[SupervisorLoginOut] = Field(
        ..., description="本司法行政部门尚未对应监督人员的监督人员账号（可以关联的）；已有登录账号时为空列表")


class SupervisorAccountCreatedOut(SupervisorAccountOut):
    password: str = Field(..., description="临时密码：只在这一次应答中给出，不再可读；本人首次登录须修改，并设置两步验证")


class SupervisorLoginIn(Schema):
    username: Text(150) = Field(..., min_length=1, description="用户名：1至150个字母、数字或 @ . + - _ 字符，不得与已有的重复")


class SupervisorAccountIn(Schema):
    model_config = {"json_schema_extra": {"examples": [{"create": {"username": "jiandu-li"}}, {"link": 12}]}}

    link: Id | None = Field(None, description="关联的账号（本司法行政部门尚未对应监督人员的监督人员账号，见 linkable）")
    create: SupervisorLoginIn | None = Field(None, description="开通新账号（角色为监督人员，临时密码在应答中给出一次）")


def _login_out(user: User) -> dict:
    return {"id": user.pk, "username": user.username, "display_name": user.display_name, "is_active": user.is_active}


def _account_out(supervisor: Supervisor) -> dict:
    account = account_selectors.supervisor_accounts(supervisor_ids=[supervisor.pk]).get(supervisor.pk)
    linkable = [] if account is not None else account_selectors.supervisor_accounts_unlinked(
        bureau_id=supervisor.bureau_id)
    return {"supervisor_id": supervisor.pk, "account": _login_out(account) if account is not None else None,
            "linkable": [_login_out(user) for user in linkable]}


def _account_supervisor(request: HttpRequest, supervisor_id: int) -> Supervisor:
    """The supervisor (404 to who may not read the register) whose login the caller manages (else 403)."""
    supervisor = selectors.supervisor_get(viewer=request.user, supervisor_id=supervisor_id)
    if not user_can_manage_staff(request.user, supervisor.bureau_id):
        raise PermissionDenied(SUPERVISOR_ACCOUNT_REFUSED)
    return supervisor


def _account_refusal(refused: Refused, *, field: str) -> Exception:
    """The service's reasons with the API's field names: 422 when each is about the data sent, 409
    with every reason when the supervisor already has a login."""
    violations = [replace(v, field=None) if v.code in _ACCOUNT_STATE_CODES
                  else replace(v, field=field) if v.field in ("user", "username", "supervisor") else v
                  for v in refused.violations]
    if any(v.code in _ACCOUNT_STATE_CODES for v in violations):
        return Refused(violations)
    return InputRefused(violations)


@router.get("/supervisors/{supervisor_id}/account", response=answers({200: SupervisorAccountOut}, 403, 404))
def supervisor_account_get(request: HttpRequest, supervisor_id: int = Path(..., ge=1, le=ID_MAX)):
    """监督人员的登录账号（没有为 null），以及本司法行政部门可以关联的监督人员账号，与“登录账号”页面相同。只有本司法行政部门
    的管理员（及系统管理员）可以查看（本局监督人员 403）；其他司法行政部门的、执法机关的用户 404。"""
    return _account_out(_account_supervisor(request, supervisor_id))


@router.post("/supervisors/{supervisor_id}/account",
             response=answers({200: SupervisorAccountOut, 201: SupervisorAccountCreatedOut}, 403, 404, 409))
def supervisor_account_set(request: HttpRequest, response: HttpResponse, payload: SupervisorAccountIn,
                           supervisor_id: int = Path(..., ge=1, le=ID_MAX)):
    """为监督人员关联已有账号（{"link": 账号id}，应答 200）或开通新账号（{"create": {"username": …}}，应答 201，
    临时密码 `password` 只在这一次应答中给出），二者选一，与“登录账号”页面相同，记入账本（不含密码）。本司法行政部门的管理员
    （及系统管理员）办理，其他人 403；其他司法行政部门的 404。用户名不合格或已被使用、所选账号不是本司法行政部门尚未对应
    监督人员的监督人员账号的，返回 422 并指明字段；该监督人员已有登录账号的，返回 409 并列出全部理由。开通的应答不保存：
    带幂等键重发时答 409，不会开通两次，也不会再给出密码。开通只能以登录会话办理（密码只在经过第二因素的会话中管理），
    以接口令牌开通的 403，不开通、不记账；关联可以用令牌。"""
    supervisor = _account_supervisor(request, supervisor_id)
    if (payload.link is None) == (payload.create is None):
        raise InputRefused([Violation("supervisor_account.choice", "关联已有账号（link）或开通新账号（create），二者选一",
                                      "数据校验", name) for name in ("link", "create")])
    if payload.create is not None and bearer_presented(request):
        raise PermissionDenied(SUPERVISOR_LOGIN_TOKEN_REFUSED)
    if payload.link is not None:
        # Another bureau's account or a missing one: the same answer (no way to probe other bureaus' users).
        user = account_selectors.bureau_user_get(bureau_id=supervisor.bureau_id, user_id=payload.link)
        if user is None:
            raise InputRefused([Violation("user.supervisor_bureau", "不是本司法行政部门的监督人员账号", "系统权限规则",
                                          "link")])
        try:
            account_services.user_supervisor_link(actor=request.user, user=user, supervisor=supervisor)
        except Refused as refused:
            raise _account_refusal(refused, field="link") from None
        return Status(200, _account_out(supervisor))
    try:
        _user, password = account_services.supervisor_login_create(
            actor=request.user, supervisor=supervisor, username=payload.create.username)
    except Refused as refused:
        raise _account_refusal(refused, field="create.username") from None
    response["Cache-Control"] = "no-store"  # the password, once: neither caches nor Idempotency-Key replays keep it
    return Status(201, _account_out(supervisor) | {"password": password})
