"""`Idempotency-Key` on every POST of the API (issue 19), as Stripe's API and the IETF's
draft-ietf-httpapi-idempotency-key-header have it: a client that sends a write and loses the answer
(a phone leaving coverage in the field) sends it again with the same key and gets the first
answer back, marked `Idempotent-Replayed: true`, instead of a second change.

- The key is optional; 1–255 printable ASCII characters (a UUID is what clients should use).
- Keys belong to who sent them: a login session's user, or the bearer token (its SHA-256). The same
  key from someone else is another key; a replay is given only to a request that is authenticated
  as the first one was (a valid token; a session with its CSRF token).
- The key, the request's fingerprint and the answer are written in the same transaction as the
  change, so there is never a change without its key nor a key without its change. A second
  request with the same key waits for the first (the key's row is inserted first, under a unique
  constraint) and then gets its answer.
- Only a successful answer (2xx) is kept: a refused or invalid request changed nothing, and sending
  it again is judged again. An answer marked `Cache-Control: no-store` (a one-time secret) is not
  kept: the key is, so the change is not made twice, and a copy sent again is answered 409.
- The same key with a different request (method, path, query or body) is refused with 422. A
  multipart body (an upload) is compared by its bytes with its boundary set aside: a client sending
  it again chooses a new boundary.
- Keys are kept 24 hours (a platform rule, Stripe's figure); an older key counts as new, and the
  daily task `idempotency_keys_expire` deletes them (the answers they keep may hold personal data).

A middleware, so it covers every POST under /api/ (present and future endpoints alike)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

HEADER = "Idempotency-Key"
KEEP = dt.timedelta(hours=24)  # PLATFORM_RULE: how long a key is remembered (Stripe's figure)
_KEY = re.compile(r"[\x21-\x7e]{1,255}")


def _refusal(status: int, code: str, message: str, violation: str) -> HttpResponse:
    body = {
        "error": {"code": code, "message": message},
        "violations": [{"code": code, "message": violation, "legal_basis": "平台规则：接口幂等键",
                        "basis_kind": "platform", "field": HEADER}],
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


def _principal(request: HttpRequest) -> str | None:
    """Who the request is from, for keys, and only if it is authenticated now (a replay is an
    answer like any other)."""
    from ninja.utils import check_csrf

    from sanxiang.accounts.services import api_token_authenticate
    from sanxiang.api.auth import bearer_presented

    if bearer_presented(request):
        token = request.headers["Authorization"][7:].strip()
        if api_token_authenticate(token=token) is None:
            return None
        return "token:" + hashlib.sha256(token.encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or check_csrf(request) is not None:
        return None
    return f"user:{user.pk}"


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    body = request.body  # within DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig: 413), multipart too
    boundary = request.content_params.get("boundary", "") if request.content_type == "multipart/form-data" else ""
    if 0 < len(boundary) <= 200:
        # A multipart body by its bytes with only its boundary made one token: a client sending it
        # again chooses a new boundary, and nothing else of what it sends may differ (the boundary
        # occurs nowhere else in a well-formed body; a body that is not one is compared as sent).
        digest.update(b"multipart\0")
        body = body.replace(boundary.encode("latin-1", "replace"), b"\0boundary\0")
    digest.update(body)
    return digest.hexdigest()


OPENAPI_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
    "description": "幂等键（可选，建议使用UUID）：同一请求因未收到应答而重发时携带相同的键，平台返回首次的应答"
    "（响应头 Idempotent-Replayed: true），不会重复办理。键保留24小时；同一键用于内容不同的请求返回 422。",
}


def openapi_idempotency_install(document: dict) -> None:
    """Every POST operation of the API takes the optional Idempotency-Key header."""
    for item in document.get("paths", {}).values():
        operation = item.get("post")
        if operation is not None:
            operation.setdefault("parameters", []).append(OPENAPI_PARAMETER)


def _replay(row) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status, content_type=row.content_type or None)
    if row.location:
        response["Location"] = row.location
    if row.etag:
        response["ETag"] = row.etag
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyKeyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not _KEY.fullmatch(key):
            return _refusal(422, "invalid", "请求格式不正确", "幂等键应为1至255个可打印ASCII字符（建议使用UUID）")
        principal = _principal(request)
        if principal is None:
            return self.get_response(request)  # the view refuses it (401/403); nothing to remember
        return self._once(request, principal=principal, key=key)

    def _once(self, request: HttpRequest, *, principal: str, key: str) -> HttpResponse:
        from django.core.exceptions import RequestDataTooBig

        from sanxiang.api.models import IdempotentRequest

        try:
            fingerprint = _fingerprint(request)
        except RequestDataTooBig:
            return _refusal(413, "too_large", "请求体过大", "请求体超过平台允许的大小")
        now = timezone.now()
        with transaction.atomic():
            IdempotentRequest.objects.filter(principal=principal, key=key, created_at__lt=now - KEEP).delete()
            try:
                with transaction.atomic():
                    row = IdempotentRequest.objects.create(
                        principal=principal, key=key, fingerprint=fingerprint, created_at=now
                    )
            except IntegrityError:
                # Sent before (or being sent now: the insert waited for that request to commit).
                row = IdempotentRequest.objects.filter(principal=principal, key=key).first()
                if row is None:  # the first request failed and left nothing: judge this one afresh
                    return self.get_response(request)
                if row.fingerprint != fingerprint:
                    return _refusal(422, "idempotency_key_reused", "幂等键已用于另一请求",
                                    "该幂等键已用于内容不同的另一请求；新的请求请使用新的幂等键")
                if row.withheld:
                    return _refusal(409, "idempotency_answer_withheld", "该请求已经办理",
                                    "使用该幂等键的请求已经办理；其应答含一次性信息（如签名密钥），不再重复提供")
                if row.status is None:  # seen before its request finished (a database that reads uncommitted rows)
                    return _refusal(409, "idempotency_key_in_use", "相同幂等键的请求正在办理",
                                    "相同幂等键的请求正在办理，请稍后用同一幂等键重试")
                return _replay(row)
            response = self.get_response(request)
            if 200 <= response.status_code < 300 and not response.streaming:
                row.status = response.status_code
                if "no-store" in response.get("Cache-Control", ""):
                    row.withheld = True
                else:
                    row.content_type = response.get("Content-Type", "")[:100]
                    row.body = response.content
                    row.location = response.get("Location", "")[:2000]
                    row.etag = response.get("ETag", "")[:200]
                row.save(update_fields=["status", "content_type", "body", "location", "etag", "withheld"])
            else:
                row.delete()
            return response


def idempotency_keys_expire(on: dt.date) -> str:
    """The daily task: delete the keys (and the answers they keep) older than KEEP."""
    from sanxiang.api.models import IdempotentRequest

    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return f"删除过期的幂等键{deleted}个"


def idempotency_tasks_register() -> None:
    from sanxiang.jobs.schedule import Daily, PeriodicTask, periodic_task_register

    periodic_task_register(PeriodicTask(name="idempotency_keys_expire", label="删除过期的接口幂等键",
                                        period=Daily(at=dt.time(3, 10)), run=idempotency_keys_expire))
