"""Issue 19: the unverified legal parameters through the API, as the 待核实的参数 page lists them,
for the legal staff only. Bearer token, CSRF checks on."""

import pytest
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.review.parameter_list import parameters_unverified
from tests.api.support import bearer
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db

URL = "/api/review/parameters"


def test_the_legal_staff_read_the_rows_of_the_page_and_others_are_refused(client):
    own, bureau = agency_make(), agency_make(is_judicial_bureau=True)
    rows = parameters_unverified(on=timezone.localdate())
    assert rows  # the parameter files mark some references as still to be checked
    for user in (user_make(role=Role.REVIEWER, agency=own), user_make(role=Role.SUPERVISOR, agency=bureau),
                 user_make(role=Role.SYSTEM_ADMIN)):
        response = client.get(URL, **bearer(user))
        assert response.status_code == 200, response.content
        items = response.json()["items"]
        assert [item["description"] for item in items] == [row.description for row in rows]
        assert items[0]["value"] == rows[0].value and items[0]["status"] == rows[0].status
        assert items[0]["reference"] == rows[0].reference and items[0]["note"] == rows[0].note
    for role in (Role.OFFICER, Role.AGENCY_HEAD, Role.AGENCY_ADMIN):
        assert client.get(URL, **bearer(user_make(role=role, agency=own))).status_code == 403
