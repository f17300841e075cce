"""The error pages are Chinese, with a way back (issue 13 item 6): Django's own are English."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views import defaults

from sanxiang.accounts.models import Role
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


def _is_chinese_page_with_a_way_back(html: str, heading: str, *, home: str = "/") -> None:
    assert f"<title>{heading}</title>" in html
    assert heading in html and f'href="{home}"' in html and ("返回首页" in html or "返回工作台" in html)
    for english in ("Not Found", "Server Error", "Forbidden", "Bad Request", "Sanxiang"):
        assert english not in html


def test_an_unknown_address_is_a_chinese_404(client):
    client.force_login(user_make(role=Role.OFFICER, agency=agency_make()))
    response = client.get("/staff/no-such-page/")
    assert response.status_code == 404
    _is_chinese_page_with_a_way_back(response.content.decode(), "页面不存在", home="/staff/")
    assert "工作台" in response.content.decode()  # the navigation stays for a signed-in user


def test_the_error_pages_without_a_request_render_in_chinese():
    request = RequestFactory().get("/")
    _is_chinese_page_with_a_way_back(defaults.server_error(request).content.decode(), "系统出错")
    _is_chinese_page_with_a_way_back(defaults.bad_request(request, Exception()).content.decode(), "请求有误")


def test_a_refusal_is_a_chinese_403(rf):
    request = rf.get("/")
    request.user = user_make(role=Role.OFFICER, agency=agency_make())
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    _is_chinese_page_with_a_way_back(response.content.decode(), "没有权限", home="/staff/")


def test_a_form_without_its_csrf_token_gets_a_chinese_page():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    _is_chinese_page_with_a_way_back(response.content.decode(), "页面已过期")
