from ninja import NinjaAPI

from sanxiang.api import (
    acceptance,
    access_log,
    campaigns,
    cases,
    complaints,
    coordination,
    dashboard,
    discretion,
    documents,
    evaluations,
    evidence,
    holiday_years,
    inbox,
    indicators,
    inspection_frequency,
    inspection_plans,
    inspection_register,
    inspections,
    notices,
    outbox,
    parameters,
    permit_import,
    procedures,
    proposals,
    public_documents,
    publication,
    publication_exports,
    registry,
    registry_import,
    reports,
    review_catalogues,
    review_supervision,
    reviews,
    supervision,
    supervision_plans,
    supervisors,
    system_documents,
    targets,
    training,
)
from sanxiang.api.auth import api_auth
from sanxiang.api.errors import error_handlers_install
from sanxiang.api.idempotency import openapi_idempotency_install
from sanxiang.api.steps import openapi_steps_install


class SanxiangAPI(NinjaAPI):
    """The OpenAPI document, drawn at each request, with the data of every step of every procedure
    of the catalogue (api/steps.py)."""

    def get_openapi_schema(self, **kwargs):
        document = super().get_openapi_schema(**kwargs)
        openapi_steps_install(document)
        openapi_idempotency_install(document)
        return document


DESCRIPTION = (
    "三项制度平台接口：执法主体、执法人员、执法事项、案件与执法程序。错误时返回 {error, violations}，"
    "被拒绝的操作返回 HTTP 409 并列出全部理由及法律依据。\n\n"
    "列表的约定（每个列表相同，详见 docs/api.md）：\n"
    "- 分页：limit（默认50，最多200）与 cursor（上一页的 next_cursor）；应答为 {items, next_cursor, next}，"
    "next 为下一页的地址（保留筛选与排序），没有下一页时为 null。\n"
    "- 筛选：agency（执法主体 id）、case（案件 id）、status（状态，取值见各列表的枚举）、"
    "since 与 until（ISO 日期，含首尾两日，作用于该列表说明的日期；since 不得晚于 until）、q（查找，最多200字）。\n"
    "- 排序：ordering 取该列表列出的一个键，前加 - 为倒序，不填按该列表说明的默认排序；取值相同的再按 id 同向排序。\n"
    "- 取值不合格（未知的状态或排序键、不是日期、日期超出范围）返回 422，violations 的 field 指明参数。\n"
    "- 标为 deprecated 的参数是上一版本的名称，保留一个版本。"
)

# The interactive docs page of django-ninja loads its scripts from a CDN, which county
# intranets cannot reach; the OpenAPI description itself is served at /api/openapi.json.
api = SanxiangAPI(
    title="Sanxiang API",
    version="1",
    description=DESCRIPTION,
    auth=api_auth,
    urls_namespace="api",
    docs_url=None,
)
error_handlers_install(api)
api.add_router("/registry", registry.router)
api.add_router("/registry", discretion.router)
api.add_router("/registry", supervisors.router)
api.add_router("/registry", registry_import.router)
api.add_router("", cases.router)
api.add_router("", procedures.router)
api.add_router("", indicators.router)
api.add_router("", supervision.router)
api.add_router("", outbox.router)
api.add_router("", publication.router)
api.add_router("", publication_exports.router)
api.add_router("", reviews.router)
api.add_router("", review_supervision.router)
api.add_router("", review_catalogues.router)
api.add_router("", documents.router)
api.add_router("", evidence.router)
api.add_router("", permit_import.router)
api.add_router("", reports.router)
api.add_router("", inspections.router)
api.add_router("", inspection_plans.router)
api.add_router("", inspection_register.router)
api.add_router("", complaints.router)
api.add_router("", coordination.router)
api.add_router("", notices.router)
api.add_router("", proposals.router)
api.add_router("", supervision_plans.router)
api.add_router("", evaluations.router)
api.add_router("", training.router)
api.add_router("", campaigns.router)
api.add_router("", system_documents.router)
api.add_router("", acceptance.router)
api.add_router("", targets.router)
api.add_router("", access_log.router)
api.add_router("", parameters.router)
api.add_router("", holiday_years.router)
api.add_router("", inspection_frequency.router)
api.add_router("", dashboard.router)
api.add_router("", public_documents.router)
api.add_router("", inbox.router)
urlpatterns = api.urls[0]
