import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from tests.factories import agency_make, officer_make, user_make

pytestmark = pytest.mark.django_db


def test_landing_page_is_public_and_links_to_login(client):
    page = client.get("/")
    assert page.status_code == 200
    assert reverse("accounts:login") in page.content.decode()


def test_chinese_is_the_default_even_for_an_english_browser(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "工作人员登录" in page.content.decode()
    assert page["Content-Language"] == "zh-hans"


def test_chinese_is_the_only_language_and_no_menu_offers_another(client):
    # English covers only part of the pages: a switch to it would show a mix of languages.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "工作人员登录" in page and "Staff login" not in page
    assert 'name="language"' not in page and "英语" not in page and "English" not in page


@pytest.mark.parametrize("role", [Role.OFFICER, Role.REVIEWER, Role.AGENCY_HEAD, Role.AGENCY_ADMIN])
def test_agency_role_homes_show_the_agencys_team_findings(client, role):
    agency = agency_make()
    officer_make(agency=agency, certificate=False, name="无证的人")
    client.force_login(user_make(role=role, agency=agency))
    page = client.get(reverse("web:home")).content.decode()
    assert f'data-testid="home-{role}"' in page
    assert "无证的人没有有效的执法证" in page


def test_officer_home_shows_own_certificate_state(client):
    agency = agency_make()
    officer = officer_make(agency=agency)
    client.force_login(user_make(role=Role.OFFICER, agency=agency, officer=officer))
    page = client.get(reverse("web:home")).content.decode()
    assert officer.certificates.get().number in page
    assert '<span class="badge ok">有效</span>' in page
