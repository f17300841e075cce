from django.conf import settings
from django.utils import translation


class DefaultLanguageMiddleware:
    """Chinese unless the user chose otherwise. Django's LocaleMiddleware would follow the
    browser's Accept-Language, and an English-language browser on an office PC would then show
    an officer English pages they never asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class QueryStringInputMiddleware:
    """Refuses a path or a query string holding NUL or control characters (`/certificates/%00/`,
    `?q=%00`) with 400 before any view sees it: PostgreSQL refuses NUL in a query parameter (a
    path part is one too, a token or a slug looked up), and no address, search or filter needs a
    control character. One check for every page and every API call (系统输入校验规则)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest, JsonResponse

        from sanxiang.inputs import path_problem, query_problem

        problem = path_problem(request.path) or next(
            (p for key, values in request.GET.lists() for value in (key, *values) if (p := query_problem(value))), None
        )
        if problem is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"error": {"code": "invalid", "message": problem},
                 "violations": [{"code": "invalid", "message": problem, "legal_basis": "系统输入校验规则", "field": None,
                                "basis_kind": "platform"}]},
                status=400,
            )
        return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
