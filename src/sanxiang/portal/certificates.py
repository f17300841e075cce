"""事中公示 on the portal: a citizen checks the certificate an officer shows (出示执法证件).

The verification page answers at once, in large type, whether the certificate lets its holder act
today, and shows the holder's name, agency, certificate number, field and validity dates (有效期自、
有效期至): what the certificate itself shows, nothing more; it links to the printable card. It is reached by the certificate's random token (from the QR code on
the card) or by typing the number. Reads `PublicCertificate` only.
"""

import datetime as dt
import io
import unicodedata

import segno
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from sanxiang.procedure.registry_rules import CertificateSnapshot, certificate_problems_on
from sanxiang.publication.models import PublicCertificate

# The answer for each reason a certificate does not allow acting, in the order they are judged:
# a revoked or suspended certificate reads so whatever its dates.
STATE_LABELS = {
    "certificate.revoked": "已注销",
    "certificate.suspended": "暂扣",
    "certificate.not_yet_valid": "尚未生效",
    "certificate.expired": "已过期",
}
VALID_LABEL = "有效"
NUMBER_MAX = 40


def certificate_state_on(certificate: PublicCertificate, on: dt.date) -> str:
    """有效, 已过期, 暂扣, 已注销 or 尚未生效 on `on`, by the registry's own rule
    (`certificate_problems_on`) applied to the public row."""
    snapshot = CertificateSnapshot(
        id=None,
        number=certificate.number,
        status=certificate.state,
        valid_from=certificate.valid_from,
        valid_to=certificate.valid_to,
    )
    codes = [p.code for p in certificate_problems_on(snapshot, on)]
    return next((STATE_LABELS[code] for code in STATE_LABELS if code in codes), VALID_LABEL)


def number_normalize(text: str) -> str:
    """A number as typed on a phone: full-width digits and letters made half-width (NFKC), spaces
    dropped, letters upper-case."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()[:NUMBER_MAX]


def verify_url(request: HttpRequest, token: str) -> str:
    """The absolute address a QR code carries. A card printed from an internal address (a staff
    member on 127.0.0.1) must still open the public site: `SANXIANG_PUBLIC_BASE_URL`, when the
    deployment sets it, wins over the host of the request."""
    location = reverse("portal:certificate_verify", args=[token])
    base = str(getattr(settings, "SANXIANG_PUBLIC_BASE_URL", "") or "").rstrip("/")
    return f"{base}{location}" if base else request.build_absolute_uri(location)


def certificate_qr(url: str) -> segno.QRCode:
    """A regular QR code (never Micro QR, which phone cameras do not read) with error correction
    M, so that a worn or scratched card still scans."""
    return segno.make_qr(url, error="m")


@require_safe
def certificate_lookup(request: HttpRequest) -> HttpResponse:
    number = number_normalize(request.GET.get("number", ""))
    not_found = False
    if number:
        found = PublicCertificate.objects.filter(number__iexact=number).order_by("-valid_to").first()
        if found is not None:
            return redirect("portal:certificate_verify", found.token)
        not_found = True
    return render(
        request,
        "portal/certificates/lookup.html",
        {"number": number, "not_found": not_found},
        status=404 if not_found else 200,
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    # The answer depends on the day and on the registry: never served from a cache.
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def certificate_verify(request: HttpRequest, token: str) -> HttpResponse:
    certificate = get_object_or_404(PublicCertificate.objects.select_related("agency"), token=token)
    today = timezone.localdate()
    state = certificate_state_on(certificate, today)
    response = render(
        request,
        "portal/certificates/verify.html",
        {"certificate": certificate, "state": state, "valid": state == VALID_LABEL, "today": today},
    )
    return _no_store(response)


@require_safe
def certificate_qr_svg(request: HttpRequest, token: str) -> HttpResponse:
    certificate = get_object_or_404(PublicCertificate, token=token)
    svg = io.BytesIO()
    # A stand-alone file: with the XML declaration and the SVG namespace, 4 px a module.
    certificate_qr(verify_url(request, certificate.token)).save(svg, kind="svg", scale=4, border=4)
    response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def certificate_card(request: HttpRequest, token: str) -> HttpResponse:
    certificate = get_object_or_404(PublicCertificate.objects.select_related("agency"), token=token)
    url = verify_url(request, certificate.token)
    # A viewBox instead of a fixed size, so that the print style sets the printed size (30 mm);
    # the quiet zone stays the four modules the QR standard asks for.
    return render(
        request,
        "portal/certificates/card.html",
        {"certificate": certificate, "url": url, "qr": certificate_qr(url).svg_inline(scale=4, border=4, omitsize=True)},
    )


urlpatterns = [
    path("certificates/", certificate_lookup, name="certificate_lookup"),
    path("certificates/<str:token>/", certificate_verify, name="certificate_verify"),
    path("certificates/<str:token>/qr.svg", certificate_qr_svg, name="certificate_qr"),
    path("certificates/<str:token>/card/", certificate_card, name="certificate_card"),
]
