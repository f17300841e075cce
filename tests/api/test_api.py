import json

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

from sanxiang.accounts.models import Role
from sanxiang.accounts.services import api_token_create
from tests.factories import agency_make, officer_make, user_make

pytestmark = pytest.mark.django_db


def test_openapi_description_is_served_and_valid(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate(schema)
    assert "/api/registry/officers" in schema["paths"]
    assert "department" in schema["components"]["schemas"]["OfficerOut"]["properties"]


def test_anonymous_calls_get_a_structured_401(client):
    response = client.get("/api/registry/agencies")
    assert response.status_code == 401
    assert response.json() == {"error": {"code": "unauthenticated", "message": "请登录或提供接口令牌"}, "violations": []}


def test_bearer_token_sees_only_its_agency_and_masked_ids(client):
    own, other = agency_make(), agency_make()
    officer = officer_make(agency=own)
    officer_make(agency=other)
    user = user_make(role=Role.OFFICER, agency=own)
    _, token = api_token_create(actor=user, user=user, name="数据对接")
    response = client.get("/api/registry/officers", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    page = response.json()
    assert page["next"] is None
    body = page["items"]
    assert [o["id"] for o in body] == [officer.pk]
    assert body[0]["id_number"] == officer.id_number_masked
    assert body[0]["certificates"][0]["valid_today"] is True
    assert client.get(f"/api/registry/agencies/{other.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    assert client.get("/api/registry/agencies", HTTP_AUTHORIZATION="Bearer sx_wrong").status_code == 401


def test_an_officer_s_department_is_exchanged_in_the_list_and_the_detail(client):
    # 内设机构 tells apart two officers of the same name, in the API as on the pages.
    agency = agency_make()
    first = officer_make(agency=agency, name="张伟", department="执法一中队")
    second = officer_make(agency=agency, name="张伟", department="法制股")
    user = user_make(role=Role.OFFICER, agency=agency)
    _, token = api_token_create(actor=user, user=user, name="数据对接")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    items = client.get("/api/registry/officers", **auth).json()["items"]
    assert [(o["name"], o["department"]) for o in items] == [("张伟", "执法一中队"), ("张伟", "法制股")]
    assert client.get(f"/api/registry/officers/{second.pk}", **auth).json()["department"] == "法制股"
    assert client.get(f"/api/registry/officers/{first.pk}", **auth).json()["department"] == "执法一中队"


def test_tokens_are_stored_only_as_digests():
    user = user_make(role=Role.SYSTEM_ADMIN)
    row, token = api_token_create(actor=user, user=user, name="备份")
    assert token not in (row.digest, row.prefix) and token.startswith(row.prefix)


def test_no_model_change_lacks_its_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
