"""Issue 19: the registry's Excel import through the API (名录 Excel 批量导入), as the page
/staff/registry/import/ does it: multipart, all or nothing, each bad row and column named in the 422;
the template downloaded; only who maintains the registry (an agency's administrator for its staff,
the judicial bureau for agencies), others 403; a POST replayed with its Idempotency-Key answered
from the first. With bearer tokens and the CSRF checks on."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry as LedgerEntry
from sanxiang.registry import excel
from sanxiang.registry.models import Officer
from tests.api.support import assert_safe_download, bearer
from tests.factories import agency_make, user_make
from tests.registry.test_excel import officer_row, with_wrong_check_digit, xlsx

pytestmark = pytest.mark.django_db


def upload(rows: list[list], kind: str = "officers") -> SimpleUploadedFile:
    return SimpleUploadedFile("人员.xlsx", xlsx(kind, rows).getvalue(), content_type=excel.XLSX_CONTENT_TYPE)


@pytest.fixture
def county():
    agency, other = agency_make(name="乌审旗市场监督管理局"), agency_make(name="乌审旗交通运输局")
    return {
        "agency": agency, "other": other,
        "admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=agency)),
        "officer": bearer(user_make(role=Role.OFFICER, agency=agency)),
    }


def test_officers_are_imported_once_and_a_replay_answers_the_first(client, county):
    content = xlsx("officers", [officer_row(county["agency"], 1), officer_row(county["agency"], 2)]).getvalue()

    def file():  # the same bytes each time (a key sent again with another body is refused)
        return SimpleUploadedFile("人员.xlsx", content, content_type=excel.XLSX_CONTENT_TYPE)

    first = client.post("/api/registry/imports/officers", {"file": file()}, **county["admin"],
                        HTTP_IDEMPOTENCY_KEY="imp-1")
    assert first.status_code == 200, first.content
    assert first.json() == {"kind": "officers", "rows": 2, "created": 2, "updated": 0, "unchanged": 0}
    assert set(Officer.objects.values_list("agency_id", flat=True)) == {county["agency"].pk}
    assert LedgerEntry.objects.filter(kind=EventKind.OFFICER_CREATED).count() == 2
    replayed = client.post("/api/registry/imports/officers", {"file": file()}, **county["admin"],
                           HTTP_IDEMPOTENCY_KEY="imp-1")
    assert replayed.status_code == 200 and replayed.json()["created"] == 2  # the first answer, not a re-import
    again = client.post("/api/registry/imports/officers", {"file": file()}, **county["admin"])
    assert again.json()["unchanged"] == 2 and Officer.objects.count() == 2


def test_a_wrong_row_refuses_the_whole_file_naming_each_row_and_column(client, county):
    good = officer_row(county["agency"], 3)
    bad = officer_row(county["agency"], 4)
    bad[4] = with_wrong_check_digit(bad[4])  # the 公民身份号码 column
    elsewhere = officer_row(county["other"], 5)  # another agency's staff: not the administrator's to import
    response = client.post("/api/registry/imports/officers", {"file": upload([good, bad, elsewhere])}, **county["admin"])
    assert response.status_code == 422, response.content
    fields = [v["field"] for v in response.json()["violations"]]
    assert "rows.3.id_number" in fields and any(f.startswith("rows.4") for f in fields)
    assert not any(f.startswith("rows.2") for f in fields)
    assert Officer.objects.count() == 0  # all or nothing


def test_an_unreadable_file_is_a_422_on_file(client, county):
    junk = SimpleUploadedFile("x.xlsx", b"not a workbook", content_type=excel.XLSX_CONTENT_TYPE)
    response = client.post("/api/registry/imports/officers", {"file": junk}, **county["admin"])
    assert response.status_code == 422 and [v["field"] for v in response.json()["violations"]] == ["file"]


def test_who_may_import_and_download_the_template(client, county):
    rows = [officer_row(county["agency"], 6)]
    assert client.post("/api/registry/imports/officers", {"file": upload(rows)}, **county["officer"]).status_code == 403
    # An agency's administrator does not register agencies (the judicial bureau does).
    assert client.post("/api/registry/imports/agencies", {"file": upload([], "agencies")},
                       **county["admin"]).status_code == 403
    assert client.get("/api/registry/import-templates/officers", **county["officer"]).status_code == 403
    assert client.get("/api/registry/import-templates/unknown", **county["admin"]).status_code == 422
    assert Officer.objects.count() == 0

    template = client.get("/api/registry/import-templates/officers", **county["admin"])
    assert template.status_code == 200 and template["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert_safe_download(template)
    sheet = load_workbook(io.BytesIO(template.content))[excel.SHEETS["officers"].title]
    assert [c.value for c in sheet[1]][:2] == [excel.SHEETS["officers"].columns[0].header, "姓名"]
