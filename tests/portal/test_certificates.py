"""事中公示 on the portal: a citizen checks an officer's certificate by its QR code or its number,
and reads at once whether it is valid today, with the holder's name, agency, number and field and
nothing more."""

import datetime as dt
import re

import pytest
import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.portal.certificates import certificate_state_on
from sanxiang.publication.models import PublicCertificate
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.registry import services
from tests.factories import agency_make, certificate_make, officer_make
from tests.pages import linked_css

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def world():
    agency = agency_make(name="乌审旗市场监督管理局", address="乌审旗嘎鲁图镇市场路1号", contact_phone="0477-7000001")
    officers = {
        "valid": officer_make(agency=agency, name="王有效", post="稽查一中队队长"),
        "expired": officer_make(agency=agency, name="李过期", post="科员", valid_to=TODAY - dt.timedelta(days=1)),
        "suspended": officer_make(agency=agency, name="张暂扣"),
        "revoked": officer_make(agency=agency, name="赵注销"),
        "transferred": officer_make(agency=agency, name="钱调离"),
        "future": officer_make(agency=agency, name="周未生效", certificate=False),
    }
    certificate_make(
        officer=officers["future"], valid_from=TODAY + dt.timedelta(days=5), valid_to=TODAY + dt.timedelta(days=400),
        enforcement_areas="乌审旗全境",
    )
    for key, status in (("suspended", "suspended"), ("revoked", "revoked")):
        services.certificate_update(actor=None, certificate=officers[key].certificates.get(), status=status, reason="违纪")
    services.officer_update(actor=None, officer=officers["transferred"], status="transferred")
    public_registry_refresh()
    return {"agency": agency, "officers": officers}


def public_certificate(world, key: str) -> PublicCertificate:
    return PublicCertificate.objects.get(source_id=world["officers"][key].certificates.get().pk)


def state_shown(page: str) -> str:
    match = re.search(r'data-testid="certificate-state"[^>]*>([^<]+)<', page)
    assert match, "the state is not on the page"
    return match.group(1).strip()


def main(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


@pytest.mark.parametrize(
    ("key", "state"),
    [
        ("valid", "有效"),
        ("expired", "已过期"),
        ("suspended", "暂扣"),
        ("revoked", "已注销"),
        ("transferred", "已注销"),
        ("future", "尚未生效"),
    ],
)
def test_verification_page_shows_the_state_of_today(client, world, key, state):
    certificate = public_certificate(world, key)
    response = client.get(reverse("portal:certificate_verify", args=[certificate.token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert state_shown(page) == state
    officer = world["officers"][key]
    registry_certificate = officer.certificates.get()
    for shown in (officer.name, registry_certificate.number, "乌审旗市场监督管理局", "市场监管"):
        assert shown in page
    # The validity dates, as the card itself prints them (issue 13): a citizen sees when it ran out.
    valid_from, valid_to = registry_certificate.valid_from, registry_certificate.valid_to
    assert f'data-testid="certificate-valid-from"><time datetime="{valid_from.isoformat()}">' in page
    assert f"{valid_to.year}年{valid_to.month}月{valid_to.day}日" in page.split('data-testid="certificate-valid-to"')[1]
    # And the printable card it can be checked against.
    assert reverse("portal:certificate_card", args=[certificate.token]) in page
    # Nothing else of the officer or the certificate: no ID number, post, issuer or areas.
    for hidden in (
        officer.id_number,
        officer.id_number_masked,
        officer.post or "稽查一中队队长",
        registry_certificate.issuing_authority,
        registry_certificate.enforcement_areas or "乌审旗全境",
        "0477-7000001",
        "市场路1号",
    ):
        assert hidden not in main(page), hidden


def test_state_follows_the_day_without_a_refresh(world):
    certificate = public_certificate(world, "valid")
    assert certificate_state_on(certificate, certificate.valid_to) == "有效"
    assert certificate_state_on(certificate, certificate.valid_to + dt.timedelta(days=1)) == "已过期"
    assert certificate_state_on(certificate, certificate.valid_from - dt.timedelta(days=1)) == "尚未生效"
    assert certificate_state_on(public_certificate(world, "suspended"), TODAY + dt.timedelta(days=9999)) == "暂扣"


def test_unknown_token_is_404(client, world):
    assert client.get(reverse("portal:certificate_verify", args=["no-such-token"])).status_code == 404
    assert client.get(reverse("portal:certificate_qr", args=["no-such-token"])).status_code == 404
    assert client.get(reverse("portal:certificate_card", args=["no-such-token"])).status_code == 404


# --- lookup by number ----------------------------------------------------------------------------


def test_lookup_form(client, world):
    page = client.get(reverse("portal:certificate_lookup")).content.decode()
    assert 'name="number"' in page and "未找到" not in page


def test_lookup_by_number_goes_to_the_verification_page(client, world):
    certificate = public_certificate(world, "valid")
    response = client.get(reverse("portal:certificate_lookup"), {"number": certificate.number})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:certificate_verify", args=[certificate.token])
    # As typed on a phone: spaces and full-width digits.
    typed = " ".join(certificate.number[i:i + 4] for i in range(0, len(certificate.number), 4))
    typed = typed.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    response = client.get(reverse("portal:certificate_lookup"), {"number": typed})
    assert response["Location"] == reverse("portal:certificate_verify", args=[certificate.token])


def test_lookup_of_an_unknown_number_says_not_found(client, world):
    response = client.get(reverse("portal:certificate_lookup"), {"number": "15062699999999"})
    assert response.status_code == 404
    page = response.content.decode()
    assert "未找到" in page and "15062699999999" in page and 'data-testid="certificate-not-found"' in page


# --- the QR code and the card --------------------------------------------------------------------


def path_data(svg: str) -> str:
    match = re.search(r'<path[^>]* d="([^"]+)"', svg)
    assert match, "no path in the SVG"
    return match.group(1)


def test_qr_code_encodes_the_absolute_verification_url(client, world):
    certificate = public_certificate(world, "valid")
    response = client.get(reverse("portal:certificate_qr", args=[certificate.token]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in svg and "<svg" in svg
    url = "http://testserver" + reverse("portal:certificate_verify", args=[certificate.token])
    # segno cannot decode; the same URL encoded the same way gives the same modules.
    assert path_data(svg) == path_data(segno.make(url, error="m", micro=False).svg_inline())
    assert path_data(svg) != path_data(segno.make(url + "x", error="m", micro=False).svg_inline())


def test_qr_code_uses_the_public_address_when_configured(client, world, settings):
    settings.SANXIANG_PUBLIC_BASE_URL = "https://zfgs.example.gov.cn/"
    certificate = public_certificate(world, "valid")
    svg = client.get(reverse("portal:certificate_qr", args=[certificate.token])).content.decode()
    url = "https://zfgs.example.gov.cn" + reverse("portal:certificate_verify", args=[certificate.token])
    assert path_data(svg) == path_data(segno.make(url, error="m", micro=False).svg_inline())


def test_printable_card_carries_the_qr_code(client, world):
    certificate = public_certificate(world, "valid")
    page = client.get(reverse("portal:certificate_card", args=[certificate.token])).content.decode()
    url = "http://testserver" + reverse("portal:certificate_verify", args=[certificate.token])
    card = page[page.index('data-testid="certificate-card"'):]
    assert path_data(card) == path_data(segno.make(url, error="m", micro=False).svg_inline())
    assert "王有效" in card and certificate.number in card and "乌审旗市场监督管理局" in card
    assert "@media print" in linked_css(page)
    officer = world["officers"]["valid"]
    assert officer.id_number not in page and officer.post not in page


def test_verification_reads_only_the_public_tables(client, world):
    certificate = public_certificate(world, "valid")
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("portal:certificate_verify", args=[certificate.token]))
    tables = {t for q in queries.captured_queries for t in re.findall(r'FROM "(\w+)"|JOIN "(\w+)"', q["sql"]) for t in t if t}
    assert tables and tables <= {"publication_publiccertificate", "publication_publicagency"}
