"""Probes of the attacker review of the annual statistics pages: a supervisor reads their county only
(系统权限规则, accounts.permissions.county_lookup), on the annual page too: neither the choice of
agencies nor the alert of reports not published names another county's agency."""

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.registry.models import Agency
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


def test_the_annual_page_of_a_supervisor_names_no_agency_of_another_county(client):
    agency_make(name="乌审旗市场监督管理局")
    agency_make(name="乙旗市场监督管理局", region_code="150627", parent_government="乙旗人民政府")
    # Both existed through last year, and neither has published it: both are overdue.
    Agency.objects.update(created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    client.force_login(
        user_make(role=Role.SUPERVISOR, agency=agency_make(name="乌审旗司法局", is_judicial_bureau=True))
    )
    page = client.get(reverse("publication:annual")).content.decode()
    assert "乌审旗市场监督管理局" in page
    assert "乙旗市场监督管理局" not in page
    # Asking for the other county's agency shows the county's own page, not the other agency.
    other = Agency.objects.get(name="乙旗市场监督管理局")
    response = client.get(reverse("publication:annual"), {"agency": other.pk})
    assert response.status_code in (200, 403) and "乙旗市场监督管理局" not in response.content.decode()
