from ninja import NinjaAPI

from sanxiang.api import (
    cases,
    documents,
    evidence,
    indicators,
    outbox,
    permit_import,
    procedures,
    publication,
    registry,
    reviews,
    supervision,
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


# The interactive docs page of django-ninja loads its scripts from a CDN, which county
# intranets cannot reach; the OpenAPI description itself is served at /api/openapi.json.
api = SanxiangAPI(
    title="Sanxiang API",
    version="1",
    description="三项制度平台接口：执法主体、执法人员、执法事项、案件与执法程序。错误时返回 {error, violations}，"
    "被拒绝的操作返回 HTTP 409 并列出全部理由及法律依据。",
    auth=api_auth,
    urls_namespace="api",
    docs_url=None,
)
error_handlers_install(api)
api.add_router("/registry", registry.router)
api.add_router("", cases.router)
api.add_router("", procedures.router)
api.add_router("", indicators.router)
api.add_router("", supervision.router)
api.add_router("", outbox.router)
api.add_router("", publication.router)
api.add_router("", reviews.router)
api.add_router("", documents.router)
api.add_router("", evidence.router)
api.add_router("", permit_import.router)
urlpatterns = api.urls[0]
