"""One error shape for every refusal: {"error": {"code", "message"}, "violations": [...]}, so a
client can show the same Chinese reasons, with their legal basis, that the web pages show."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from sanxiang.procedure.violations import Refused


def error_handlers_install(api: NinjaAPI) -> None:
    @api.exception_handler(Refused)
    def refused(request: HttpRequest, exc: Refused):
        return api.create_response(
            request,
            {"error": {"code": "refused", "message": "操作被拒绝"}, "violations": [v.as_dict() for v in exc.violations]},
            status=409,
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied):
        return api.create_response(
            request, {"error": {"code": "forbidden", "message": str(exc) or "没有权限"}, "violations": []}, status=403
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):
        return api.create_response(request, {"error": {"code": "not_found", "message": "不存在"}, "violations": []}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return api.create_response(
            request, {"error": {"code": "unauthenticated", "message": "请登录或提供接口令牌"}, "violations": []}, status=401
        )

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError):
        violations = [
            {
                "code": "invalid",
                "message": error.get("msg", "格式不正确"),
                "legal_basis": "数据校验",
                "field": ".".join(str(part) for part in error.get("loc", [])[1:]) or None,
            }
            for error in exc.errors
        ]
        return api.create_response(
            request, {"error": {"code": "invalid", "message": "请求格式不正确"}, "violations": violations}, status=422
        )
