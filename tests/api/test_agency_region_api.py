"""Security review finding 1: the 行政区划代码 of an agency decides which county a supervisor reads, so
only a system administrator sets or changes it (and whether an agency is a 司法局). A supervisor registers
and edits agencies of their own county only; an agency's administrator cannot change the region code,
kind, status or credit code of their own agency. A refused field is a 422 naming it, with the platform
rule (平台规则) as its basis; another county's agency is a 403 (or absent). The page holds as well: it
calls the same service. Bearer token, CSRF checks on."""

import json

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.registry.models import Agency
from tests.api.support import bearer
from tests.factories import agency_make, credit_code, user_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, auth: dict, body: dict):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **auth)


@pytest.fixture
def county():
    desk = desk_make()  # region 150626
    own = agency_make(name="乌审旗交通运输局")
    far = agency_make(name="鄂托克旗交通运输局", region_code="150624")
    return {
        "bureau": desk.agency, "own": own, "far": far,
        "supervisor": bearer(desk.first),
        "admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=own)),
        "system": bearer(user_make(role=Role.SYSTEM_ADMIN, agency=None)),
    }


def refused_fields(response) -> set:
    assert response.status_code == 422, response.content
    return {v["field"] for v in response.json()["violations"] if "平台规则" in v["legal_basis"]}


def test_a_supervisor_cannot_move_their_bureau_into_another_county(client, county):
    bureau = county["bureau"]
    response = send(client, "patch", f"/api/registry/agencies/{bureau.pk}", county["supervisor"],
                    {"region_code": "150624"})
    assert "region_code" in refused_fields(response)
    bureau.refresh_from_db()
    assert bureau.region_code == "150626"
    # ... and so still does not read the other county.
    assert client.get(f"/api/registry/agencies/{county['far'].pk}", **county["supervisor"]).status_code == 404
    # The allowed path: a system administrator changes it.
    done = send(client, "patch", f"/api/registry/agencies/{bureau.pk}", county["system"], {"region_code": "150627"})
    assert done.status_code == 200, done.content
    assert done.json()["region_code"] == "150627"


def test_a_supervisor_edits_their_county_only_and_not_its_region_or_bureau_flag(client, county):
    own = county["own"]
    ok = send(client, "patch", f"/api/registry/agencies/{own.pk}", county["supervisor"], {"contact_phone": "0477-1"})
    assert ok.status_code == 200, ok.content
    response = send(client, "patch", f"/api/registry/agencies/{own.pk}", county["supervisor"],
                    {"region_code": "150624", "is_judicial_bureau": True})
    assert refused_fields(response) >= {"region_code", "is_judicial_bureau"}
    own.refresh_from_db()
    assert (own.region_code, own.is_judicial_bureau) == ("150626", False)
    far = send(client, "patch", f"/api/registry/agencies/{county['far'].pk}", county["supervisor"], {"name": "x局"})
    assert far.status_code in (403, 404)
    assert Agency.objects.get(pk=county["far"].pk).name == "鄂托克旗交通运输局"


AGENCY = {"name": "乌审旗林业和草原局", "kind": "administrative_organ", "parent_government": "乌审旗人民政府"}


def test_a_supervisor_registers_agencies_of_their_own_county_only(client, county):
    response = send(client, "post", "/api/registry/agencies", county["supervisor"],
                    AGENCY | {"credit_code": credit_code(serial=7101), "region_code": "150624", "is_judicial_bureau": True})
    assert refused_fields(response) >= {"region_code", "is_judicial_bureau"}
    assert not Agency.objects.filter(name=AGENCY["name"]).exists()
    done = send(client, "post", "/api/registry/agencies", county["supervisor"],
                AGENCY | {"credit_code": credit_code(serial=7102), "region_code": "150626"})
    assert done.status_code == 201, done.content
    system = send(client, "post", "/api/registry/agencies", county["system"],
                  AGENCY | {"name": "鄂托克旗司法局", "credit_code": credit_code(serial=7103), "region_code": "150624",
                            "is_judicial_bureau": True})
    assert system.status_code == 201, system.content


@pytest.mark.parametrize(("field", "value"), [
    ("region_code", "150624"), ("kind", "authorized_organization"), ("status", "suspended"),
    ("credit_code", credit_code(serial=7104)),
])
def test_an_agency_admin_keeps_the_identity_fields_of_their_agency(client, county, field, value):
    own = county["own"]
    before = getattr(own, field)
    response = send(client, "patch", f"/api/registry/agencies/{own.pk}", county["admin"], {field: value})
    assert refused_fields(response) == {field}
    own.refresh_from_db()
    assert getattr(own, field) == before
    ok = send(client, "patch", f"/api/registry/agencies/{own.pk}", county["admin"], {"contact_phone": "0477-2"})
    assert ok.status_code == 200, ok.content


def test_the_pages_show_what_the_user_may_not_set_but_do_not_let_it_change(county):
    """The page's form shows an agency admin their agency's region code, kind, status and credit code
    without letting them change (a posted value is ignored, the service's refusal stays behind it), and
    a supervisor's new agency takes their county's code, with no 司法局 checkbox."""
    from django.test import Client

    from sanxiang.registry import forms

    own = county["own"]
    client = Client()  # a page's form carries its CSRF token; this test is about the form's fields
    client.force_login(user_make(role=Role.AGENCY_ADMIN, agency=own))
    url = reverse("registry:agency_edit", args=[own.pk])
    html = client.get(url).content.decode()
    assert 'name="region_code"' in html and 'name="is_judicial_bureau"' not in html
    form = forms.AgencyForm(instance=own)
    data = {name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    page = client.post(url, data | {"region_code": "150624", "credit_code": credit_code(serial=777),
                                    "contact_phone": "0477-7654321"})
    assert page.status_code == 302, page.content.decode()[:2000]
    own.refresh_from_db()
    assert (own.region_code, own.contact_phone) == ("150626", "0477-7654321")
    assert own.credit_code != credit_code(serial=777)

    supervisor = Client()
    bureau = county["bureau"]
    supervisor.force_login(user_make(role=Role.SUPERVISOR, agency=bureau))
    new = supervisor.get(reverse("registry:agency_create")).content.decode()
    assert 'value="150626"' in new and 'name="is_judicial_bureau"' not in new
    made = supervisor.post(reverse("registry:agency_create"), {
        "name": "乌审旗水利局", "credit_code": credit_code(serial=778), "kind": "administrative_organ",
        "region_code": "150624", "parent_government": "乌审旗人民政府", "enforcement_fields": "水利",
        "status": "active"})
    assert made.status_code == 302, made.content.decode()[:2000]
    assert Agency.objects.get(name="乌审旗水利局").region_code == "150626"
