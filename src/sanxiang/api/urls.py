from ninja import NinjaAPI

from sanxiang.api import cases, registry
from sanxiang.api.auth import api_auth
from sanxiang.api.errors import error_handlers_install

# The interactive docs page of django-ninja loads its scripts from a CDN, which county
# intranets cannot reach; the OpenAPI description itself is served at /api/openapi.json.
api = NinjaAPI(
    title="Sanxiang API",
    version="1",
    description="三项制度平台接口：执法主体、执法人员、执法事项与案件。错误时返回 {error, violations}，"
    "被拒绝的操作返回 HTTP 409 并列出全部理由及法律依据。",
    auth=api_auth,
    urls_namespace="api",
    docs_url=None,
)
error_handlers_install(api)
api.add_router("/registry", registry.router)
api.add_router("", cases.router)
urlpatterns = api.urls[0]
