"""The Excel page: who reaches it, what it sends back, and the Chinese report it shows."""

import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from sanxiang.accounts.models import Role
from sanxiang.registry import excel
from sanxiang.registry.models import Officer
from tests.registry.test_excel import (
    agency_new,
    id_number,
    officer_row,
    user_new,
    with_wrong_check_digit,
    xlsx,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = "/staff/registry/import/"


@pytest.fixture
def agency():
    return agency_new(1)


@pytest.fixture
def admin_client(client, agency):
    client.force_login(user_new(Role.AGENCY_ADMIN, agency))
    return client


def upload(rows: list[list], kind: str = "officers") -> SimpleUploadedFile:
    return SimpleUploadedFile("人员.xlsx", xlsx(kind, rows).getvalue(), content_type=excel.XLSX_CONTENT_TYPE)


def test_the_routes_are_where_staff_pages_live():
    assert reverse("registry:import") == IMPORT_URL
    assert reverse("registry:template", args=["officers"]) == "/staff/registry/template/officers.xlsx"


def test_anonymous_users_are_sent_to_login(client):
    for url in (IMPORT_URL, reverse("registry:export", args=["officers"]), reverse("registry:template", args=["matters"])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.REVIEWER, Role.AGENCY_HEAD])
def test_other_agency_roles_are_forbidden(client, agency, role):
    client.force_login(user_new(role, agency))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"kind": "officers", "file": upload([officer_row(agency, 1)])}).status_code == 403
    assert client.get(reverse("registry:export", args=["officers"])).status_code == 403
    assert client.get(reverse("registry:template", args=["officers"])).status_code == 403
    assert Officer.objects.count() == 0


def test_the_page_offers_templates_exports_and_the_kinds_the_user_may_import(admin_client):
    response = admin_client.get(IMPORT_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Excel 导入导出" in page
    for kind in excel.SHEETS:
        assert reverse("registry:template", args=[kind]) in page
        assert reverse("registry:export", args=[kind]) in page
    assert '<option value="officers"' in page
    assert '<option value="agencies"' not in page  # the judicial bureau's work


def test_a_file_with_a_bad_row_gets_400_and_a_chinese_report_naming_row_column_and_reason(admin_client, agency):
    rows = [officer_row(agency, 1), officer_row(agency, 2, id_number=with_wrong_check_digit(id_number(2)))]
    response = admin_client.post(IMPORT_URL, {"kind": "officers", "file": upload(rows)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "未导入任何数据" in page
    assert "<td>第3行</td>" in page
    assert "<td>公民身份号码</td>" in page
    assert "第18位校验码应为" in page
    assert Officer.objects.count() == 0


def test_a_good_file_is_imported_and_the_report_counts_it(admin_client, agency):
    response = admin_client.post(IMPORT_URL, {"kind": "officers", "file": upload([officer_row(agency, 1)])})
    assert response.status_code == 200
    assert "导入成功" in response.content.decode() and "新增 1 条" in response.content.decode()
    assert Officer.objects.get().agency == agency


def test_a_non_xlsx_upload_gets_400_and_one_clear_message(admin_client):
    junk = SimpleUploadedFile("人员.csv", "姓名,公民身份号码\n".encode(), content_type="text/csv")
    response = admin_client.post(IMPORT_URL, {"kind": "officers", "file": junk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<td>整个文件</td>" in page and "不是 Excel 工作簿（.xlsx）" in page


def test_a_post_without_file_or_with_an_unknown_kind_gets_400(admin_client):
    assert admin_client.post(IMPORT_URL, {"kind": "officers"}).status_code == 400
    response = admin_client.post(IMPORT_URL, {"kind": "parties", "file": upload([])})
    assert response.status_code == 400
    assert "请选择要导入的数据类型" in response.content.decode()


def test_a_supervisor_may_import_agencies_but_not_officers(client, agency):
    client.force_login(user_new(Role.SUPERVISOR))
    assert client.get(IMPORT_URL).status_code == 200
    assert client.post(IMPORT_URL, {"kind": "officers", "file": upload([officer_row(agency, 1)])}).status_code == 403


def test_template_download_is_an_xlsx_with_a_chinese_file_name(admin_client):
    response = admin_client.get(reverse("registry:template", args=["officers"]))
    assert response.status_code == 200
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('执法人员导入模板.xlsx')}" in disposition
    assert 'filename="sanxiang-officers-template.xlsx"' in disposition
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["执法人员", "说明"]


def test_export_download_holds_the_users_own_data_and_is_not_cached(admin_client, agency):
    admin_client.post(IMPORT_URL, {"kind": "officers", "file": upload([officer_row(agency, 1)])})
    response = admin_client.get(reverse("registry:export", args=["officers"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert quote("执法人员_") in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [row[4] for row in rows] == [id_number(1)]


@pytest.mark.parametrize("name", ["registry:export", "registry:template"])
def test_an_unknown_kind_is_404(admin_client, name):
    assert admin_client.get(reverse(name, args=["parties"])).status_code == 404


@pytest.mark.django_db
def test_an_export_is_recorded_in_the_access_log_and_the_ledger(client):
    from sanxiang.access.models import AccessLogEntry
    from sanxiang.accounts.models import Role
    from sanxiang.ledger.models import Entry
    from tests.factories import agency_make, officer_make, user_make

    agency = agency_make()
    officer_make(agency=agency)
    admin = user_make(role=Role.AGENCY_ADMIN, agency=agency)
    client.force_login(admin)
    response = client.get(reverse("registry:export", args=["officers"]))
    assert response.status_code == 200
    logged = AccessLogEntry.objects.get()
    assert (logged.user, logged.action, logged.object_kind) == (admin, "export", "registry.officers")
    assert Entry.objects.get(seq=logged.ledger_seq).kind == "access.viewed"
