"""The legal parameters still to be checked, through the API (issue 19): the read-only list the
待核实的参数 page shows (/staff/review/parameters/), through its own selector and permission:
legal reviewers, the judicial bureau's supervisors and system administrators; everyone else 403."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from sanxiang.api.schemas import answers
from sanxiang.review.parameter_list import STATUS_PLATFORM, STATUS_UNVERIFIED, parameters_unverified
from sanxiang.review.permissions import user_can_read_parameters

router = Router(tags=["review"])


class UnverifiedParameterOut(Schema):
    description: str = Field(..., description="参数的含义")
    value: str = Field(..., description="今日施行的值（按单位写成中文）")
    reference: str = Field(..., description="所引依据")
    status: str = Field(..., description=f"状态：{STATUS_UNVERIFIED} 或 {STATUS_PLATFORM}")
    since: dt.date | None = Field(..., description="该值的施行日期（尚无施行中的值为 null）")
    note: str = Field(..., description="待核实的内容")


class UnverifiedParameterListOut(Schema):
    items: list[UnverifiedParameterOut]


@router.get("/review/parameters", response=answers({200: UnverifiedParameterListOut}, 403))
def review_parameter_list(request: HttpRequest):
    """依据标为待核实的全部参数（按参数文件的顺序，不分页），与待核实的参数页面相同：今日施行的值、所引依据、状态和待核实的内容。
    法制审核人员、司法局监督人员和系统管理员可以查看，其他人 403。"""
    if not user_can_read_parameters(request.user):
        raise PermissionDenied("只有法制审核人员、司法局监督人员和系统管理员可以查看待核实的参数")
    return {"items": parameters_unverified(on=timezone.localdate())}
