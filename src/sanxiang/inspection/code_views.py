"""The public page of a 检查码 (扫码入企): the enterprise scans the code the officers show and reads
who inspects it, on which items and basis, and until when the code is valid. No login; nothing
about anyone but the inspecting body and its officers (names and certificate numbers, which the
law has them show). The QR image is drawn on the server (segno), so the page runs no script."""

from __future__ import annotations

import io
import re

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from sanxiang.inspection.inspection_selectors import inspection_code_page
from sanxiang.public_events import public_form_attempt

CODE_LOOKUP = "inspection_code"  # publication.complaints.CODE_LOOKUP: the counts' scope

CODE = re.compile(r"[A-Z2-9]{10}")


def qr_svg(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=6, border=2, title="检查码")
    return out.getvalue()


@never_cache
@require_safe
def page(request: HttpRequest, code: str) -> HttpResponse:
    if not CODE.fullmatch(code):
        raise Http404("检查码不正确")
    if not public_form_attempt(scope=CODE_LOOKUP, address=request.META.get("REMOTE_ADDR") or None):
        return render(request, "inspection/code_limited.html", status=429)
    found = inspection_code_page(code=code, on=timezone.localdate())
    if found is None:
        raise Http404("没有这个检查码")
    return render(request, "inspection/code_page.html", {"page": found})
