"""tus 1.0.0 resumable upload endpoint (https://tus.io/protocols/resumable-upload): core,
creation, termination, checksum (sha1, sha256) and expiration.

This module is only the protocol adapter: headers in, headers out. The upload's state lives in
the database (`UploadSession`) and is changed by `services.upload_*`, so the adapter can be
swapped for the IETF "Resumable Uploads for HTTP" draft when it is final.

Who calls: a browser with its login session (and Django's CSRF header on writes), or another
system with the API's bearer token (`Authorization: Bearer sx_…`, accounts' ApiToken), judged by
the token alone as the API judges it: the session cookie and the CSRF check play no part (a token is
not sent by the browser on its own, so a forged cross-site request cannot carry it). Either way the
user's rights are the services' checks, the same for both.

Deviations, on purpose:
- every endpoint needs a logged-in session or a valid token, and answers 401 instead of
  redirecting to the login page;
- an upload of another user, or of an agency the user left, is 404;
- DELETE of a finished upload is 409: what was received is evidence, not a draft.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from sanxiang.accounts.services import api_token_authenticate
from sanxiang.evidence import selectors, services
from sanxiang.evidence.models import UploadStatus
from sanxiang.procedure.violations import Refused

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,termination,checksum,expiration"
CHECKSUM_ALGORITHMS = {"sha1": 20, "sha256": 32}
# An integer header: ASCII digits, no more than a 64-bit integer has (what every length fits in).
_HEADER_INTEGER = re.compile(r"[0-9]{1,19}")


def _response(status: int, message: str = "", **headers: str) -> HttpResponse:
    body = json.dumps({"message": message}, ensure_ascii=False) if message else ""
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8" if body else None)
    if not body:
        del response["Content-Type"]
    if status == 460:
        response.reason_phrase = "Checksum Mismatch"
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _options() -> HttpResponse:
    response = HttpResponse(status=204)
    del response["Content-Type"]
    response["Tus-Version"] = TUS_VERSION
    response["Tus-Extension"] = EXTENSIONS
    response["Tus-Max-Size"] = str(services.max_bytes())
    response["Tus-Checksum-Algorithm"] = ",".join(CHECKSUM_ALGORITHMS)
    return response


def _method(request: HttpRequest) -> str:
    # Some proxies and old browsers cannot send PATCH or DELETE; the protocol lets a POST carry
    # the method in X-HTTP-Method-Override.
    override = request.headers.get("X-HTTP-Method-Override", "").upper()
    if request.method == "POST" and override in ("PATCH", "DELETE", "HEAD"):
        return override
    return request.method


def _bearer(request: HttpRequest) -> str | None:
    """The token of an `Authorization: Bearer …` header, "" for a bearer header without one, None
    when the request presents no bearer token (a browser's session request)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _csrf_failed(request: HttpRequest) -> bool:
    """Django's CSRF check, as its middleware makes it for a view not exempted (safe methods pass)."""
    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    middleware.process_request(request)
    return middleware.process_view(request, None, (), {}) is not None


def tus_endpoint(view: Callable) -> Callable:
    """Version check, caller check (session with CSRF, or bearer token without) and error mapping
    shared by the two tus URLs."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        method = _method(request)
        if method == "OPTIONS":
            return _options()
        if request.headers.get("Tus-Resumable") != TUS_VERSION:
            return _response(412, "客户端的 tus 协议版本不受支持", Tus_Version=TUS_VERSION)
        token = _bearer(request)
        if token is not None:
            user = api_token_authenticate(token=token) if token else None
            if user is None:
                return _response(401, "接口令牌无效、已过期或已撤销", WWW_Authenticate="Bearer")
            request.user = user
        elif not request.user.is_authenticated:
            return _response(401, "登录已失效，请重新登录后继续上传（已上传的部分会保留）")
        elif _csrf_failed(request):
            return _response(403, "CSRF 校验失败：请刷新页面后重试")
        try:
            return view(request, method, *args, **kwargs)
        except Http404:
            return _response(404, "上传不存在，或不是您发起的上传")
        except PermissionDenied as denied:
            return _response(403, str(denied) or "您没有权限上传证据材料")
        except Refused as refused:
            return _response(422, str(refused))
        except services.UploadError as error:
            headers = {"Upload_Offset": str(error.offset)} if error.offset is not None else {}
            return _response(error.status, error.message, **headers)

    # The CSRF check is the wrapper's own: a token request needs none, a session request still does.
    return csrf_exempt(wrapper)


def _metadata_parse(raw: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated `key base64value` pairs (the value may be absent)."""
    fields: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in raw.split(","))):
        key, _, value = pair.partition(" ")
        if not key or key in fields:
            raise ValueError(pair)
        fields[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8") if value.strip() else ""
    return fields


def _int_header(request: HttpRequest, name: str) -> int | None:
    """A non-negative integer header (tus: Upload-Length, Upload-Offset), or None when absent or not
    1 to 19 ASCII digits. str.isdigit() alone lets through "²" (WSGI decodes the byte 0xB2 as latin-1)
    and 5,000 digits, both of which int() refuses with a ValueError: a 500 instead of tus's 400."""
    value = request.headers.get(name)
    if value is None or not _HEADER_INTEGER.fullmatch(value):
        return None
    return int(value)


def _expires(moment: dt.datetime) -> str:
    return http_date(moment.timestamp())


def _record_headers(record) -> dict[str, str]:
    if record is None:
        return {}
    return {"Sanxiang_Evidence_Record": str(record.pk), "Sanxiang_Evidence_Sha256": record.stored_file.sha256}


@tus_endpoint
def uploads(request: HttpRequest, method: str) -> HttpResponse:
    """Creation: POST with Upload-Length and Upload-Metadata; answers 201 with the Location."""
    if method != "POST":
        return _response(405, "不支持的请求方法", Allow="OPTIONS, POST")
    if request.headers.get("Upload-Defer-Length"):
        return _response(400, "不支持未知长度的上传，请提供 Upload-Length")
    length = _int_header(request, "Upload-Length")
    if length is None:
        return _response(400, "缺少或无效的 Upload-Length")
    if length > services.max_bytes():
        return _response(413, f"文件超过单个文件大小上限 {services.size_label(services.max_bytes())}")
    raw = request.headers.get("Upload-Metadata", "")
    try:
        fields = _metadata_parse(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return _response(400, "Upload-Metadata 格式不正确")
    session = services.upload_create(actor=request.user, length=length, fields=fields, raw_metadata=raw)
    location = request.build_absolute_uri(reverse("evidence:tus_upload", args=[session.pk]))
    return _response(201, Location=location, Upload_Offset="0", Upload_Expires=_expires(session.expires_at))


@tus_endpoint
def upload(request: HttpRequest, method: str, upload_id) -> HttpResponse:
    session = selectors.upload_get(owner=request.user, upload_id=upload_id)
    if method == "HEAD":
        return _head(session)
    if method == "PATCH":
        return _patch(request, session)
    if method == "DELETE":
        services.upload_terminate(session=session)
        return _response(204)
    return _response(405, "不支持的请求方法", Allow="OPTIONS, HEAD, PATCH, DELETE")


def _head(session) -> HttpResponse:
    if session.status == UploadStatus.ACTIVE and session.expires_at <= timezone.now():
        services.upload_expire(session=session)
        session.refresh_from_db()
    if session.status in (UploadStatus.TERMINATED, UploadStatus.EXPIRED, UploadStatus.FAILED):
        return _response(410, services.upload_status_message(session))
    headers = {
        "Upload_Offset": str(session.offset),
        "Upload_Length": str(session.length),
    }
    if session.raw_metadata:
        headers["Upload_Metadata"] = session.raw_metadata
    if session.status == UploadStatus.ACTIVE:
        headers["Upload_Expires"] = _expires(session.expires_at)
    response = _response(200, **headers, **_record_headers(session.record))
    return response


def _checksum(request: HttpRequest) -> tuple[str, bytes] | None:
    value = request.headers.get("Upload-Checksum")
    if value is None:
        return None
    algorithm, _, encoded = value.strip().partition(" ")
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise services.UploadError(f"不支持的校验算法 {algorithm}，支持 sha1、sha256")
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError) as bad:
        raise services.UploadError("Upload-Checksum 不是有效的 Base64") from bad
    if len(digest) != CHECKSUM_ALGORITHMS[algorithm]:
        raise services.UploadError("Upload-Checksum 的长度与算法不符")
    return algorithm, digest


def _patch(request: HttpRequest, session) -> HttpResponse:
    offset = _int_header(request, "Upload-Offset")
    if offset is None:
        return _response(400, "缺少或无效的 Upload-Offset")
    if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        # Django reads no body without a length; a chunked PATCH would look empty and loop.
        return _response(411, "请提供 Content-Length（不支持分块传输编码）")
    content_length = _int_header(request, "Content-Length") or 0
    if content_length and request.content_type != "application/offset+octet-stream":
        return _response(415, "PATCH 的 Content-Type 必须是 application/offset+octet-stream")
    if session.status == UploadStatus.DONE and offset == session.length and content_length == 0:
        # A repeated final PATCH (the answer to the first was lost): already done.
        return _response(204, Upload_Offset=str(session.length), **_record_headers(session.record))
    checksum = _checksum(request)
    # Read with request.read(64 KiB) in the service, never request.body: the body of a PATCH is
    # tens of megabytes and must not be held in memory.
    result = services.upload_chunk_append(
        session=session, offset=offset, stream=request, content_length=content_length, checksum=checksum
    )
    headers = {"Upload_Offset": str(result.offset)}
    if result.record is None:
        headers["Upload_Expires"] = _expires(result.expires_at)
    return _response(204, **headers, **_record_headers(result.record))
