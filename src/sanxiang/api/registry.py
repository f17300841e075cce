import datetime as dt

from django.http import HttpRequest
from ninja import Path, Query, Router

from sanxiang.accounts.permissions import user_sees_full_officer_id_number
from sanxiang.api.pagination import (
    CURSOR_DESCRIPTION,
    CURSOR_MAX_LENGTH,
    DEFAULT_LIMIT,
    LIMIT_DESCRIPTION,
    MAX_LIMIT,
    PageOut,
    paginate,
)
from sanxiang.api.schemas import AgencyOut, MatterOut, OfficerOut, answers
from sanxiang.inputs import ID_MAX
from sanxiang.registry import selectors
from sanxiang.registry.models import Officer

router = Router(tags=["registry"])


class AgencyPageOut(PageOut):
    items: list[AgencyOut]


class OfficerPageOut(PageOut):
    items: list[OfficerOut]


class MatterPageOut(PageOut):
    items: list[MatterOut]


def _limit() -> int:
    return Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)


def _cursor() -> str | None:
    return Query(None, max_length=CURSOR_MAX_LENGTH, description=CURSOR_DESCRIPTION)


@router.get("/agencies", response=answers({200: AgencyPageOut}))
def agency_list(request: HttpRequest, q: str = Query("", max_length=200), limit: int = _limit(),
                cursor: str | None = _cursor()):
    """执法主体，按名称排序，分页返回。"""
    agencies = selectors.agency_list(viewer=request.user, search=q)
    return paginate(request, agencies, order=("name", "id"), limit=limit, cursor=cursor)


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
def officer_list(request: HttpRequest, agency: int | None = Query(None, ge=1, le=ID_MAX), q: str = Query("", max_length=200),
                 limit: int = _limit(), cursor: str | None = _cursor()):
    """执法人员，按登记先后排序，分页返回。"""
    today = dt.date.today()
    officers = selectors.officer_list(viewer=request.user, agency_id=agency, search=q)
    return paginate(request, officers, order=("id",), limit=limit, cursor=cursor,
                    item=lambda o: _officer_out(o, viewer=request.user, today=today))


@router.get("/officers/{officer_id}", response=answers({200: OfficerOut}, 404))
def officer_get(request: HttpRequest, officer_id: int = Path(..., ge=1, le=ID_MAX)):
    officer = selectors.officer_get(viewer=request.user, officer_id=officer_id)
    return _officer_out(officer, viewer=request.user, today=dt.date.today())


@router.get("/matters", response=answers({200: MatterPageOut}))
def matter_list(request: HttpRequest, agency: int | None = Query(None, ge=1, le=ID_MAX), kind: str = Query("", max_length=40),
                q: str = Query("", max_length=200), limit: int = _limit(), cursor: str | None = _cursor()):
    """执法事项，按登记先后排序，分页返回。"""
    matters = selectors.matter_list(viewer=request.user, agency_id=agency, kind=kind, search=q)
    return paginate(request, matters, order=("id",), limit=limit, cursor=cursor)
