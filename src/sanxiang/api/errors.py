"""One error shape for every refusal: {"error": {"code", "message"}, "violations": [...]}, so a
client can show the same Chinese reasons, with their legal basis, that the web pages show."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sanxiang.api.auth import CsrfFailed
from sanxiang.procedure.violations import Refused


class InputRefused(Exception):
    """A service's refusal of the data sent (an identifier failing its check digit, a field out of
    its rules): 422 with the service's violations, as for a malformed field, not 409 (a step the
    law does not allow now)."""

    def __init__(self, violations) -> None:
        super().__init__("invalid input")
        self.violations = list(violations)

# pydantic's messages are English; a client shows these to Chinese-speaking officers.
MESSAGES = {
    "missing": "必填",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "日期格式不正确，应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式不正确，应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不含时间",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "greater_than_equal": "超出允许的范围",
    "less_than_equal": "超出允许的范围",
    "string_type": "应为文字",
    "string_too_long": "过长",
    "list_type": "应为列表",
    "too_long": "项数过多",
    "too_short": "项数不足",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "literal_error": "不是允许的取值",
    "json_invalid": "不是有效的 JSON",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "decimal_parsing": "应为数值",
    "decimal_type": "应为数值",
    "finite_number": "应为有限的数值",
    "decimal_max_digits": "位数过多",
    "decimal_max_places": "小数位数过多",
    "cursor_invalid": "翻页标记无效，请从第一页重新开始",
    "indicator_unknown": "没有这项指标",
    "period_invalid": "期间不完整或不合理：填写 year（及 month），或同时填写 start 和 end（end 不早于 start，不超过五年）",
}


# The tags pydantic puts in `loc` for the member of a union that refused the value
# (`function-after[check(), str]`, `list[int]`, `str`, `float` …): not fields a client sends.
_UNION_TAGS = frozenset({"str", "int", "float", "bool", "none", "bytes", "decimal", "date", "datetime", "time"})


def _union_tag(part) -> bool:
    return isinstance(part, str) and ("[" in part or part in _UNION_TAGS)


def _field(loc) -> str | None:
    """The field a client knows: `act_date` for ("body", "payload", "act_date"), `q` for
    ("query", "q"), `officer_ids.0` for an item of a list; a union member's tag is left out."""
    parts = list(loc)[1:]
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]
    return ".".join(str(part) for part in parts if not _union_tag(part)) or None


def located_message(row: int | None, column: str | None, message: str) -> str:
    """An import's refusal in words: “第3行“名称”：…” where the row or column is known, else the message alone."""
    where = (f"第{row}行" if row else "") + (f"“{column}”" if column else "")
    return f"{where}：{message}" if where else message


def error_handlers_install(api: NinjaAPI) -> None:
    @api.exception_handler(Refused)
    def refused(request: HttpRequest, exc: Refused):
        return api.create_response(
            request,
            {"error": {"code": "refused", "message": "操作被拒绝"}, "violations": [v.as_dict() for v in exc.violations]},
            status=409,
        )

    @api.exception_handler(InputRefused)
    def input_refused(request: HttpRequest, exc: InputRefused):
        return api.create_response(
            request,
            {"error": {"code": "invalid", "message": "请求格式不正确"}, "violations": [v.as_dict() for v in exc.violations]},
            status=422,
        )

    @api.exception_handler(CsrfFailed)
    def csrf_failed(request: HttpRequest, exc: CsrfFailed):
        return api.create_response(
            request, {"error": {"code": "csrf_failed", "message": str(exc)}, "violations": []}, status=403
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

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        # django-ninja's own refusals (e.g. a body that is not JSON), in the one error shape.
        message = "请求体不是有效的 JSON" if exc.status_code == 400 else "请求无法处理"
        return api.create_response(
            request, {"error": {"code": "bad_request" if exc.status_code == 400 else "error", "message": message},
                      "violations": []}, status=exc.status_code,
        )

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError):
        violations, named = [], set()
        for error in exc.errors:
            loc = tuple(error.get("loc", ()))
            field = _field(loc)
            if any(_union_tag(part) for part in loc[1:]):
                if field in named:  # each member of a union refused it: one violation for the field
                    continue
                named.add(field)
            violations.append({
                "code": "invalid",
                "message": MESSAGES.get(error.get("type", ""), error.get("msg", "格式不正确")),
                "legal_basis": "数据校验",
                "basis_kind": "platform",
                "field": field,
            })
        return api.create_response(
            request, {"error": {"code": "invalid", "message": "请求格式不正确"}, "violations": violations}, status=422
        )
