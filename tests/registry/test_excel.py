"""Excel import and export of the registry: a file with any bad row imports nothing, the
report names every bad row, column and reason, and export -> import changes nothing."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from sanxiang.accounts.models import Role
from sanxiang.accounts.services import user_create
from sanxiang.procedure.identifiers import (
    credit_code_check_character,
    id_number_check_character,
    organization_code_check_character,
)
from sanxiang.registry import excel, services
from sanxiang.registry.models import Agency, Certificate, Matter, Officer

pytestmark = pytest.mark.django_db

# The template is a contract with every county office's spreadsheets: spelled out here, so
# that changing it is a deliberate act.
HEADERS = {
    "agencies": [
        "名称", "统一社会信用代码", "主体类别", "委托机关统一社会信用代码", "行政区划代码",
        "所属人民政府", "职权依据", "执法领域", "联系电话", "办公地址", "状态",
    ],
    "officers": [
        "执法主体统一社会信用代码", "姓名", "职务岗位", "内设机构", "公民身份号码", "人员身份",
        "法律职业资格", "法制审核人员", "状态",
    ],
    "certificates": [
        "持证人公民身份号码", "执法证号", "发证机关", "执法领域", "执法区域",
        "有效期自", "有效期至", "证件状态", "变更理由",
    ],
    "matters": [
        "实施主体统一社会信用代码", "事项编码", "事项名称", "事项类别", "执法领域",
        "法律依据", "裁量基准", "是否有效",
    ],
}


# Builders -----------------------------------------------------------------------------------


def credit_code(serial: int) -> str:
    body = f"{serial:08d}"
    first17 = "11150626" + body + organization_code_check_character(body)
    return first17 + credit_code_check_character(first17)


def id_number(serial: int, birth: dt.date = dt.date(1985, 6, 15)) -> str:
    first17 = f"150626{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_number_check_character(first17)


def with_wrong_check_digit(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def agency_new(serial: int, **fields) -> Agency:
    defaults = {
        "name": f"乌审旗测试局{serial}",
        "credit_code": credit_code(serial),
        "kind": "administrative_organ",
        "region_code": "150626",
        "parent_government": "乌审旗人民政府",
        "enforcement_fields": "市场监管",
    }
    return services.agency_create(actor=None, **(defaults | fields))


def bureau_new() -> Agency:
    """The county's judicial bureau, whose supervisors read the county's agencies."""
    return agency_new(98, name="乌审旗司法局", is_judicial_bureau=True)


def user_new(role: str, agency: Agency | None = None):
    return user_create(
        actor=None, username=f"{role}-{agency.pk if agency else 'county'}", password="x", role=role,
        agency=agency, validate=False,
    )


def officer_row(agency: Agency, serial: int, **overrides) -> list:
    row = {
        "code": agency.credit_code,
        "name": f"执法员{serial}",
        "post": "执法队员",
        "department": "执法一中队",
        "id_number": id_number(serial),
        "staffing": "行政编制",
        "qualified": "否",
        "reviewer": "否",
        "status": "在岗",
    } | overrides
    return list(row.values())


def xlsx(kind: str, rows: list[list]) -> io.BytesIO:
    """A filled-in copy of the downloadable template."""
    workbook = load_workbook(io.BytesIO(excel.registry_template_build(kind=kind)))
    sheet = workbook[excel.SHEETS[kind].title]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def import_(kind: str, rows_or_file, *, actor=None) -> excel.ImportReport:
    file = rows_or_file if isinstance(rows_or_file, io.BytesIO) else xlsx(kind, rows_or_file)
    return excel.registry_import(actor=actor, kind=kind, file=file)


def where(report: excel.ImportReport) -> list[tuple[int | None, str]]:
    return [(e.row, e.column) for e in report.errors]


def table(model) -> list[dict]:
    return list(model.objects.order_by("pk").values())


@pytest.fixture
def agency() -> Agency:
    return agency_new(1)


@pytest.fixture
def other_agency() -> Agency:
    return agency_new(2, name="乌审旗另一个局")


@pytest.fixture
def admin(agency):
    return user_new(Role.AGENCY_ADMIN, agency)


# The template -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(HEADERS))
def test_template_has_the_chinese_headers_a_visible_notes_sheet_and_dropdowns(kind):
    workbook = load_workbook(io.BytesIO(excel.registry_template_build(kind=kind)))
    data, notes = workbook.worksheets
    assert [c.value for c in data[1]] == HEADERS[kind]
    assert data.max_row == 1
    assert notes.title == "说明" and notes.sheet_state == "visible"
    explained = {row[0] for row in notes.iter_rows(values_only=True)}
    assert set(HEADERS[kind]) <= explained
    dropdowns = {str(v.sqref).split(":")[0]: v.formula1 for v in data.data_validations.dataValidation}
    header_column = {c.value: c.column_letter for c in data[1]}
    choice_headers = {
        "agencies": {"主体类别": "行政机关", "状态": "正常"},
        "officers": {"人员身份": "劳务派遣", "法律职业资格": "是", "法制审核人员": "否", "状态": "退休"},
        "certificates": {"证件状态": "暂扣"},
        "matters": {"事项类别": "行政处罚", "是否有效": "是"},
    }[kind]
    assert len(dropdowns) == len(choice_headers)
    for header, label in choice_headers.items():
        assert label in dropdowns[f"{header_column[header]}2"]


# The acceptance test --------------------------------------------------------------------------


def test_one_bad_row_among_500_imports_nothing_and_names_its_row_column_and_reason(agency, admin):
    rows = [officer_row(agency, serial) for serial in range(1, 502)]
    bad_excel_row = 317  # row 1 is the header
    good_id = rows[bad_excel_row - 2][4]
    rows[bad_excel_row - 2][4] = with_wrong_check_digit(good_id)

    report = import_("officers", rows, actor=admin)

    assert not report.ok
    assert report.rows == 501
    assert where(report) == [(317, "公民身份号码")]
    assert "第18位校验码应为" in report.errors[0].message
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert Officer.objects.count() == 0

    # The other 500 rows were good: with row 317 corrected, the same file imports whole.
    rows[bad_excel_row - 2][4] = good_id
    report = import_("officers", rows, actor=admin)
    assert report.ok, report.errors
    assert report.created == 501
    assert Officer.objects.filter(agency=agency).count() == 501


def test_every_bad_row_is_reported_with_its_own_column_and_reason(agency, admin):
    unregistered = credit_code(99)
    rows = [
        officer_row(agency, 1),  # row 2: good, but nothing is imported
        officer_row(agency, 2, staffing="临时工"),  # row 3
        officer_row(agency, 3, name=None),  # row 4
        officer_row(agency, 4, code=unregistered),  # row 5
        officer_row(agency, 5, id_number=id_number(1)),  # row 6: same person as row 2
        officer_row(agency, 6, qualified="可能"),  # row 7
        officer_row(agency, 7, id_number=float(id_number(7)[:17] + "1")),  # row 8: Excel number
        officer_row(agency, 8, id_number="150626********1234"),  # row 9: masked
        officer_row(agency, 9, id_number="15062619850615"),  # row 10: too short (service check)
    ]
    report = import_("officers", rows, actor=admin)

    assert where(report) == [
        (3, "人员身份"),
        (4, "姓名"),
        (5, "执法主体统一社会信用代码"),
        (6, "公民身份号码"),
        (7, "法律职业资格"),
        (8, "公民身份号码"),
        (9, "公民身份号码"),
        (10, "公民身份号码"),
    ]
    messages = [e.message for e in report.errors]
    assert "“人员身份”不能填写“临时工”" in messages[0] and "行政编制" in messages[0]
    assert messages[1] == "“姓名”必须填写"
    assert unregistered in messages[2]
    assert "与第2行的公民身份号码" in messages[3]
    assert "只能填写“是”、“否”" in messages[4]
    assert "末几位已经丢失" in messages[5]
    assert "脱敏" in messages[6]
    assert "应为18位" in messages[7]
    assert Officer.objects.count() == 0


def test_a_row_with_an_unreadable_cell_is_still_checked_for_its_other_problems(agency, admin):
    # Fixing a file should take one round: the wrong label and the wrong check digit together.
    rows = [officer_row(agency, 1, staffing="临时工", id_number=with_wrong_check_digit(id_number(1)), name=None)]
    report = import_("officers", rows, actor=admin)
    assert where(report) == [(2, "姓名"), (2, "公民身份号码"), (2, "人员身份")]
    assert "第18位校验码应为" in report.errors[1].message
    assert Officer.objects.count() == 0


def test_certificate_rows_report_bad_dates_periods_unknown_holders_and_missing_reasons(agency, admin):
    holder = services.officer_create(
        actor=None, agency=agency, name="张三", id_number=id_number(1), staffing_type="administrative"
    )
    existing = services.certificate_create(
        actor=None, officer=holder, number="15062600000001", issuing_authority="鄂尔多斯市人民政府",
        enforcement_fields="市场监管", valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2028, 1, 1),
    )
    base = [holder.id_number, "15062600000002", "鄂尔多斯市人民政府", "市场监管", "乌审旗", dt.date(2024, 1, 1),
            dt.date(2028, 12, 31), "有效", None]

    def row(**changes):
        positions = {"holder": 0, "number": 1, "from": 5, "to": 6, "status": 7, "reason": 8}
        values = list(base)
        for name, value in changes.items():
            values[positions[name]] = value
        return values

    rows = [
        row(number="A-1", to="2024-13-01"),  # row 2: no such month
        row(number="A-2", to="2023/12/31"),  # row 3: ends before it starts
        row(number="A-3", holder=id_number(500)),  # row 4: nobody registered with that number
        row(number=existing.number, status="注销"),  # row 5: revoking needs a reason
        row(number="A-4", **{"from": "明年"}),  # row 6
        row(number="A-5", to="2030年1月1日"),  # row 7: fine
    ]
    report = import_("certificates", rows, actor=admin)

    assert where(report) == [(2, "有效期至"), (3, "有效期至"), (4, "持证人公民身份号码"), (5, "变更理由"), (6, "有效期自")]
    assert "不是有效的日期" in report.errors[0].message
    assert "截止日期不能早于起始日期" in report.errors[1].message
    assert "需要说明理由" in report.errors[3].message
    assert Certificate.objects.count() == 1

    rows = [row(number=existing.number, status="注销", reason="调离执法岗位"), row(number="A-5", to="2030年1月1日")]
    report = import_("certificates", rows, actor=admin)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    existing.refresh_from_db()
    assert existing.status == "revoked"
    assert Certificate.objects.get(number="A-5").valid_to == dt.date(2030, 1, 1)


# Idempotence and round trips ------------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing_the_second_time(agency, admin):
    file_rows = [officer_row(agency, serial) for serial in range(1, 6)]
    first = import_("officers", file_rows, actor=admin)
    assert (first.created, first.updated, first.unchanged) == (5, 0, 0)
    before = table(Officer)

    second = import_("officers", file_rows, actor=admin)

    assert second.ok
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)
    assert table(Officer) == before


def test_an_edited_row_updates_that_record_only(agency, admin):
    import_("officers", [officer_row(agency, serial) for serial in range(1, 4)], actor=admin)
    rows = [officer_row(agency, 1), officer_row(agency, 2, post="法制审核员", reviewer="是"), officer_row(agency, 3)]

    report = import_("officers", rows, actor=admin)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    changed = Officer.objects.get(id_number=id_number(2))
    assert (changed.post, changed.is_legal_reviewer) == ("法制审核员", True)


def test_a_blank_optional_cell_keeps_the_stored_value(agency, admin):
    import_("officers", [officer_row(agency, 1, status="调离")], actor=admin)
    report = import_("officers", [officer_row(agency, 1, status=None)], actor=admin)
    assert report.unchanged == 1
    assert Officer.objects.get().status == "transferred"


def test_an_officer_s_department_is_imported_updated_and_exported(agency, admin):
    # 内设机构 tells apart two officers of the same name when a case's officers are chosen.
    report = import_("officers", [officer_row(agency, 1, department="法制股"), officer_row(agency, 2)], actor=admin)
    assert report.ok and report.created == 2
    assert dict(Officer.objects.values_list("id_number", "department")) == {
        id_number(1): "法制股", id_number(2): "执法一中队"}

    report = import_("officers", [officer_row(agency, 1, department="执法二中队"), officer_row(agency, 2)], actor=admin)
    assert (report.updated, report.unchanged) == (1, 1)
    assert Officer.objects.get(id_number=id_number(1)).department == "执法二中队"

    sheet = load_workbook(io.BytesIO(excel.registry_export_build(viewer=admin, kind="officers"))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("内设机构")
    assert sorted(row[column] for row in rows[1:]) == ["执法一中队", "执法二中队"]


def test_a_file_made_before_the_department_column_still_imports_and_keeps_the_departments(agency, admin):
    import_("officers", [officer_row(agency, 1, department="法制股")], actor=admin)
    workbook = load_workbook(xlsx("officers", [officer_row(agency, 1, post="法制审核员")]))
    workbook.worksheets[0].delete_cols(HEADERS["officers"].index("内设机构") + 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)

    report = import_("officers", buffer, actor=admin)

    assert report.ok, report.errors
    assert report.updated == 1
    officer = Officer.objects.get()
    assert (officer.post, officer.department) == ("法制审核员", "法制股")


@pytest.fixture
def county(agency, other_agency):
    """A bureau, an entrusted organisation, officers (one ID ending in X), certificates and matters."""
    services.agency_update(actor=None, agency=agency, contact_phone="0477-7512345", address="乌审旗嘎鲁图镇",
                           legal_basis="《中华人民共和国食品安全法》")
    agency_new(3, name="乌审旗综合行政执法大队", kind="entrusted_organization", entrusting_agency=agency)
    serial_with_x = next(s for s in range(10, 1000) if id_number(s).endswith("X"))
    for serial in (1, 2, serial_with_x):
        officer = services.officer_create(
            actor=None, agency=agency, name=f"执法员{serial}", post="科员", department=f"执法{serial % 3 + 1}中队",
            id_number=id_number(serial),
            staffing_type="civil_service_managed", has_legal_qualification=serial == 1,
        )
        services.certificate_create(
            actor=None, officer=officer, number=f"NM-{serial:05d}", issuing_authority="鄂尔多斯市人民政府",
            enforcement_fields="市场监管、食品安全", enforcement_areas="乌审旗",
            valid_from=dt.date(2023, 3, 1), valid_to=dt.date(2027, 2, 28),
        )
    services.officer_create(actor=None, agency=other_agency, name="外单位", id_number=id_number(900),
                            staffing_type="administrative")
    services.matter_create(
        actor=None, agency=agency, code="330217001000", name="对生产经营不符合食品安全标准食品的处罚", kind="penalty",
        enforcement_field="食品安全",
        legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第一百二十四条第一款"},
                     {"law": "《中华人民共和国行政处罚法》", "article": "第二十八条"}],
        discretion_standard="情节轻微的，从轻处罚",
    )
    services.matter_create(actor=None, agency=agency, code="xk-001", name="食品经营许可", kind="permit",
                           legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第三十五条"}], is_active=False)


@pytest.mark.parametrize(
    ("kind", "role", "expected_rows"),
    # A supervisor reads the county's agencies: the three and the bureau itself.
    [("agencies", Role.SUPERVISOR, 4), ("officers", Role.AGENCY_ADMIN, 3),
     ("certificates", Role.AGENCY_ADMIN, 3), ("matters", Role.AGENCY_ADMIN, 2)],
)
def test_export_then_import_changes_nothing(county, agency, kind, role, expected_rows):
    user = user_new(role, agency if role == Role.AGENCY_ADMIN else bureau_new())
    model = {"agencies": Agency, "officers": Officer, "certificates": Certificate, "matters": Matter}[kind]
    before = table(model)

    exported = excel.registry_export_build(viewer=user, kind=kind)
    report = excel.registry_import(actor=user, kind=kind, file=io.BytesIO(exported))

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, expected_rows)
    assert table(model) == before


def test_export_shows_what_the_viewer_may_read_and_masks_id_numbers(county, agency):
    def exported(user, kind):
        workbook = load_workbook(io.BytesIO(excel.registry_export_build(viewer=user, kind=kind)))
        return list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))

    admin = user_new(Role.AGENCY_ADMIN, agency)
    supervisor = user_new(Role.SUPERVISOR, bureau_new())
    own = exported(admin, "officers")
    assert {row[4] for row in own} == set(Officer.objects.filter(agency=agency).values_list("id_number", flat=True))
    assert {row[0] for row in own} == {agency.credit_code}
    assert [row[1] for row in exported(admin, "agencies")] == [agency.credit_code]

    everyone = exported(supervisor, "officers")
    assert len(everyone) == Officer.objects.count()
    assert all("*" in row[4] and row[4][-4:] == Officer.objects.get(name=row[1]).id_number[-4:] for row in everyone)
    assert all("*" in row[0] for row in exported(supervisor, "certificates"))
    matters = {row[1]: row for row in exported(admin, "matters")}
    assert matters["330217001000"][5] == "《中华人民共和国食品安全法》第一百二十四条第一款；《中华人民共和国行政处罚法》第二十八条"
    assert matters["xk-001"][7] == "否"


# Agencies ---------------------------------------------------------------------------------------


def agency_row(serial: int, **overrides) -> list:
    row = {
        "name": f"新登记局{serial}", "credit_code": credit_code(serial), "kind": "行政机关", "entrusting": None,
        "region": "150626", "government": "乌审旗人民政府", "basis": None, "fields": "交通运输", "phone": None,
        "address": None, "status": None,
    } | overrides
    return list(row.values())


def test_supervisor_registers_an_entrusted_organisation_after_its_entruster_in_one_file():
    supervisor = user_new(Role.SUPERVISOR, bureau_new())  # of the county the rows name (150626)
    entrusted = agency_row(11, kind="受委托组织", entrusting=credit_code(10).lower())
    report = import_("agencies", [agency_row(10), entrusted], actor=supervisor)
    assert report.ok, report.errors
    assert Agency.objects.get(credit_code=credit_code(11)).entrusting_agency.credit_code == credit_code(10)

    report = import_("agencies", [agency_row(21, kind="受委托组织", entrusting=credit_code(20)), agency_row(20)],
                     actor=supervisor)
    assert where(report) == [(2, "委托机关统一社会信用代码")]
    assert "请把它排在本行之前" in report.errors[0].message
    assert not Agency.objects.filter(credit_code__in=[credit_code(20), credit_code(21)]).exists()


def test_agency_rows_report_code_and_region_violations_with_their_columns():
    bad_code = credit_code(12)[:-1] + ("0" if credit_code(12)[-1] != "0" else "1")
    report = import_("agencies", [agency_row(12, credit_code=bad_code), agency_row(13, region="990000")],
                     actor=user_new(Role.SUPERVISOR, bureau_new()))
    # Row 3 twice: 990000 is no region code, and not the supervisor's county (every reason is given).
    assert where(report) == [(2, "统一社会信用代码"), (3, "行政区划代码"), (3, "行政区划代码")]
    assert any("本县" in e.message for e in report.errors if e.row == 3)
    assert Agency.objects.count() == 1  # the bureau alone


# Permissions ------------------------------------------------------------------------------------


def test_an_agency_admin_importing_into_another_agency_gets_error_rows_and_nothing_is_imported(
    agency, other_agency, admin
):
    rows = [officer_row(agency, 1), officer_row(other_agency, 2), officer_row(other_agency, 3)]
    report = import_("officers", rows, actor=admin)
    assert where(report) == [(3, "执法主体统一社会信用代码"), (4, "执法主体统一社会信用代码")]
    assert "不是本单位" in report.errors[0].message
    assert Officer.objects.count() == 0

    matter = ["", "M-1", "某事项", "行政检查", "", "《中华人民共和国行政处罚法》第五十四条", "", "是"]
    report = import_("matters", [[other_agency.credit_code, *matter[1:]]], actor=admin)
    assert where(report) == [(2, "实施主体统一社会信用代码")]
    assert Matter.objects.count() == 0


def test_an_officer_of_another_agency_is_neither_moved_nor_given_a_certificate(agency, other_agency, admin):
    stranger = services.officer_create(actor=None, agency=other_agency, name="外单位", id_number=id_number(7),
                                       staffing_type="administrative")
    report = import_("officers", [officer_row(agency, 7)], actor=admin)
    assert where(report) == [(2, "公民身份号码")]
    report = import_("certificates", [[stranger.id_number, "Z-1", "某政府", "市场监管", None, "2024-01-01",
                                       "2026-01-01", None, None]], actor=admin)
    assert where(report) == [(2, "持证人公民身份号码")]
    assert Officer.objects.get(pk=stranger.pk).agency == other_agency
    assert Certificate.objects.count() == 0


@pytest.mark.parametrize(("role", "kind"), [(Role.AGENCY_ADMIN, "agencies"), (Role.SUPERVISOR, "officers"),
                                             (Role.OFFICER, "officers")])
def test_a_kind_the_actor_may_not_import_is_refused_outright(agency, role, kind):
    user = user_new(role, agency if role != Role.SUPERVISOR else None)
    with pytest.raises(PermissionDenied):
        import_(kind, [agency_row(30)] if kind == "agencies" else [officer_row(agency, 1)], actor=user)
    assert Officer.objects.count() == 0 and Agency.objects.count() == 1


def test_system_admin_may_import_every_kind():
    system_admin = user_new(Role.SYSTEM_ADMIN)
    assert excel.registry_import_kinds(user=system_admin) == ["agencies", "officers", "certificates", "matters"]
    report = import_("agencies", [agency_row(40)], actor=system_admin)
    assert report.ok
    report = import_("officers", [officer_row(Agency.objects.get(), 1)], actor=system_admin)
    assert report.created == 1


# Files that are not the template ----------------------------------------------------------------


def only_error(report: excel.ImportReport) -> str:
    assert not report.ok
    assert len(report.errors) == 1
    assert report.errors[0].row is None
    return report.errors[0].message


def test_a_file_that_is_not_xlsx_gets_one_clear_error(admin):
    assert "不是 Excel 工作簿（.xlsx）" in only_error(import_("officers", io.BytesIO(b"name,id\n"), actor=admin))
    old_excel = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert ".xls" in only_error(import_("officers", old_excel, actor=admin))
    truncated = io.BytesIO(xlsx("officers", []).getvalue()[:3000])
    assert "xlsx" in only_error(import_("officers", truncated, actor=admin))
    assert "空的" in only_error(import_("officers", io.BytesIO(b""), actor=admin))


def test_a_header_that_does_not_match_the_template_gets_one_clear_error(agency, admin):
    assert "这是“执法证”的导入文件" in only_error(import_("officers", xlsx("certificates", []), actor=admin))

    workbook = load_workbook(xlsx("officers", [officer_row(agency, 1)]))
    workbook.worksheets[0]["B1"] = "名字"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    message = only_error(import_("officers", buffer, actor=admin))
    assert "缺少列“姓名”" in message and "模板中没有的列“名字”" in message
    assert Officer.objects.count() == 0


def test_a_template_without_data_rows_imports_nothing_and_says_so(admin):
    assert "没有数据行" in only_error(import_("officers", [], actor=admin))


def test_files_over_the_row_or_size_limit_are_refused(agency, admin, monkeypatch):
    monkeypatch.setattr(excel, "MAX_ROWS", 3)
    rows = [officer_row(agency, serial) for serial in range(1, 5)]
    assert "超过3行" in only_error(import_("officers", rows, actor=admin))
    monkeypatch.undo()
    monkeypatch.setattr(excel, "MAX_FILE_BYTES", 1000)
    assert "文件大小超过" in only_error(import_("officers", rows, actor=admin))
    assert Officer.objects.count() == 0


def test_blank_rows_are_skipped_and_row_numbers_stay_those_excel_shows(agency, admin):
    rows = [officer_row(agency, 1), [None] * 9, [" "] * 9, officer_row(agency, 2, staffing="合同工")]
    report = import_("officers", rows, actor=admin)
    assert where(report) == [(5, "人员身份")]
    assert report.rows == 2


def test_a_value_in_a_column_without_header_is_an_error_not_silently_dropped(agency, admin):
    report = import_("officers", [[*officer_row(agency, 1), "备注"]], actor=admin)
    assert where(report) == [(2, "J列")]
