"""Issue 19: the judicial bureau's register of supervisors (监督人员名录) and their supervision
certificates through the API, as /staff/registry/supervisors/… give them: the bureau's supervisors
read (ID numbers masked), its administrator changes (full ID number), another bureau's rows are 404,
an enforcement agency's users see none and may not write; bad input is a 422 naming the field; a
POST replayed with its Idempotency-Key writes once. With bearer tokens and the CSRF checks on."""

import datetime as dt
import json

import pytest

from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry as LedgerEntry
from sanxiang.registry.models import SupervisionCertificate, Supervisor
from tests.api.support import bearer
from tests.factories import agency_make, id_number, user_make

pytestmark = pytest.mark.django_db

URL = "/api/registry/supervisors"


def send(client, method: str, url: str, auth: dict, body: dict, **headers):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **auth, **headers)


@pytest.fixture
def county():
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    other_bureau = agency_make(name="鄂托克旗司法局", is_judicial_bureau=True)
    agency = agency_make(name="乌审旗市场监督管理局")
    return {
        "bureau": bureau, "other_bureau": other_bureau,
        "admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=bureau)),
        "supervisor": bearer(user_make(role=Role.SUPERVISOR, agency=bureau)),
        "other_admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=other_bureau)),
        "agency_admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=agency)),
    }


PERSON = {"name": "李监督", "post": "科长"}
CERTIFICATE = {"number": "JD-2026-001", "issuing_authority": "乌审旗人民政府",
               "valid_from": "2026-01-01", "valid_to": "2028-12-31"}


def test_the_register_is_written_by_the_bureau_admin_and_read_as_on_the_pages(client, county):
    number = id_number(serial=801)
    created = send(client, "post", URL, county["admin"], PERSON | {"id_number": number}, HTTP_IDEMPOTENCY_KEY="sv-1")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["bureau_id"] == county["bureau"].pk and body["id_number"] == number and body["account"] is None
    assert created["Cache-Control"] == "no-store"
    replayed = send(client, "post", URL, county["admin"], PERSON | {"id_number": number}, HTTP_IDEMPOTENCY_KEY="sv-1")
    # Personal data is not kept with the key: the copy is answered 409, and nothing is written twice.
    assert replayed.status_code == 409 and replayed.json()["error"]["code"] == "idempotency_answer_withheld"
    assert Supervisor.objects.count() == 1
    supervisor = Supervisor.objects.get()
    assert LedgerEntry.objects.filter(kind=EventKind.SUPERVISOR_CREATED, subject=f"supervisor:{supervisor.pk}").exists()

    cert = send(client, "post", f"{URL}/{supervisor.pk}/certificates", county["admin"], CERTIFICATE)
    assert cert.status_code == 201, cert.content
    assert cert.json()["status"] == "valid" and cert.json()["supervisor_id"] == supervisor.pk

    # The bureau's supervisor reads it, masked; another bureau and an agency do not see it.
    listed = client.get(URL, **county["supervisor"]).json()["items"]
    assert [row["id"] for row in listed] == [supervisor.pk]
    assert listed[0]["id_number"] == supervisor.id_number_masked != number
    assert listed[0]["certificates"][0]["number"] == "JD-2026-001"
    assert client.get(URL, **county["agency_admin"]).json()["items"] == []
    assert client.get(URL, **county["other_admin"]).json()["items"] == []
    for auth in ("other_admin", "agency_admin"):
        assert client.get(f"{URL}/{supervisor.pk}", **county[auth]).status_code == 404
        assert client.get(f"/api/registry/supervision-certificates/{cert.json()['id']}", **county[auth]).status_code == 404
        assert send(client, "patch", f"{URL}/{supervisor.pk}", county[auth], {"post": "x"}).status_code == 404
    # A supervisor reads but does not change the register.
    assert send(client, "patch", f"{URL}/{supervisor.pk}", county["supervisor"], {"post": "处长"}).status_code == 403
    assert send(client, "post", URL, county["supervisor"], PERSON | {"id_number": id_number(serial=802)}).status_code == 403
    # Another bureau's administrator cannot register into this bureau.
    assert send(client, "post", URL, county["other_admin"],
                PERSON | {"id_number": id_number(serial=803), "bureau_id": county["bureau"].pk}).status_code == 404
    assert Supervisor.objects.count() == 1

    etag = client.get(f"{URL}/{supervisor.pk}", **county["admin"])["ETag"]
    updated = send(client, "patch", f"{URL}/{supervisor.pk}", county["admin"], {"post": "副局长"}, HTTP_IF_MATCH=etag)
    assert updated.status_code == 200 and updated.json()["post"] == "副局长"
    stale = send(client, "patch", f"{URL}/{supervisor.pk}", county["admin"], {"post": "局长"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and Supervisor.objects.get().post == "副局长"
    # Who may not write is told so, whatever If-Match it sends (403, not 412), as for officers.
    refused = send(client, "patch", f"{URL}/{supervisor.pk}", county["supervisor"], {"post": "局长"}, HTTP_IF_MATCH=etag)
    assert refused.status_code == 403 and "只有本单位管理员" in refused.json()["error"]["message"]
    cert_url = f"/api/registry/supervision-certificates/{cert.json()['id']}"
    cert_etag = client.get(cert_url, **county["admin"])["ETag"]
    assert send(client, "patch", cert_url, county["admin"], {"issuing_authority": "乌审旗政府"},
                HTTP_IF_MATCH=cert_etag).status_code == 200
    refused = send(client, "patch", cert_url, county["supervisor"], {"issuing_authority": "x"}, HTTP_IF_MATCH=cert_etag)
    assert refused.status_code == 403 and SupervisionCertificate.objects.get().issuing_authority == "乌审旗政府"


def test_a_certificate_is_suspended_with_a_reason_and_revoked_for_good(client, county):
    supervisor = Supervisor.objects.create(bureau=county["bureau"], name="赵监督", id_number=id_number(serial=811))
    cert = send(client, "post", f"{URL}/{supervisor.pk}/certificates", county["admin"], CERTIFICATE).json()
    url = f"/api/registry/supervision-certificates/{cert['id']}"
    no_reason = send(client, "patch", url, county["admin"], {"status": "suspended"})
    assert no_reason.status_code == 422 and [v["field"] for v in no_reason.json()["violations"]] == ["reason"]
    assert SupervisionCertificate.objects.get().status == "valid"
    suspended = send(client, "patch", url, county["admin"], {"status": "suspended", "reason": "调离监督岗位"})
    assert suspended.status_code == 200 and suspended.json()["usable_today"] is False
    assert suspended.json()["state"] == "暂扣"
    revoked = send(client, "patch", url, county["admin"], {"status": "revoked", "reason": "离职"})
    assert revoked.status_code == 200
    again = send(client, "patch", url, county["admin"], {"status": "valid"})
    assert again.status_code == 422 and "status" in [v["field"] for v in again.json()["violations"]]
    assert LedgerEntry.objects.filter(kind=EventKind.SUPERVISION_CERTIFICATE_SAVED).count() == 3
    read = client.get(url, **county["supervisor"]).json()
    assert read["status"] == "revoked" and read["valid_from"] == "2026-01-01"


@pytest.mark.parametrize(("body", "field"), [
    (PERSON | {"id_number": "150626198506150000"}, "id_number"),  # a wrong check digit
    (PERSON | {"id_number": id_number(serial=821), "name": "  "}, "name"),
    ({"name": "缺号码"}, "id_number"),
])
def test_a_bad_supervisor_is_a_422_naming_the_field(client, county, body, field):
    response = send(client, "post", URL, county["admin"], body)
    assert response.status_code == 422, response.content
    assert field in [v["field"] for v in response.json()["violations"]]
    assert not Supervisor.objects.exists()


def test_a_bad_certificate_is_a_422_naming_the_field(client, county):
    supervisor = Supervisor.objects.create(bureau=county["bureau"], name="钱监督", id_number=id_number(serial=831))
    backwards = send(client, "post", f"{URL}/{supervisor.pk}/certificates", county["admin"],
                     CERTIFICATE | {"valid_from": "2027-01-01", "valid_to": "2026-01-01"})
    assert backwards.status_code == 422 and "valid_to" in [v["field"] for v in backwards.json()["violations"]]
    assert not SupervisionCertificate.objects.exists()


def test_the_list_filters_and_pages(client, county):
    for serial, active in ((841, True), (842, False), (843, True)):
        Supervisor.objects.create(bureau=county["bureau"], name=f"孙{serial}", id_number=id_number(serial=serial),
                                  is_active=active)
    login = user_make(role=Role.SUPERVISOR, agency=county["bureau"])
    login.supervisor = Supervisor.objects.get(name="孙843")
    login.save()
    first = client.get(URL, {"limit": 2, "is_active": "true"}, **county["admin"]).json()
    assert [row["name"] for row in first["items"]] == ["孙841", "孙843"] and first["next_cursor"] is None
    assert [row["account"] for row in first["items"]] == [None, login.username]
    paged = client.get(URL, {"limit": 1, "ordering": "-id"}, **county["admin"]).json()
    assert paged["items"][0]["name"] == "孙843" and paged["next_cursor"]
    later = client.get(URL, {"since": (dt.date.today() + dt.timedelta(days=1)).isoformat()}, **county["admin"]).json()
    assert later["items"] == []
