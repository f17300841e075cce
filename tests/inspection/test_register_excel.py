"""The target register's Excel import: all rows or none, every error with its row and column."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from sanxiang.inspection.models import InspectionTarget
from sanxiang.inspection.register_excel import COLUMNS, targets_import, targets_template_build
from sanxiang.ledger.models import Entry
from tests.factories import agency_make, credit_code

pytestmark = pytest.mark.django_db


def _file(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([header for _, header in COLUMNS])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_template_example_row_imports():
    agency = agency_make()
    report = targets_import(actor=None, agency=agency, file=io.BytesIO(targets_template_build()))
    assert report.ok and report.created == 1
    assert load_workbook(io.BytesIO(targets_template_build())).sheetnames[0] == "检查对象名录"


def test_one_bad_row_imports_nothing_and_names_row_and_column():
    agency = agency_make()
    good = credit_code(prefix="91150626")
    report = targets_import(actor=None, agency=agency, file=_file([
        ("甲商贸有限公司", good, "王某", "某路1号", "餐饮", "高风险", "A类"),
        ("乙商贸有限公司", "91150626MA0N00000X", "李某", "", "餐饮", "很高", "E"),
        ("", good, "", "", "", "低风险", "B"),
    ]))
    assert not report.ok
    cells = {(e.row, e.column) for e in report.errors}
    assert (3, "统一社会信用代码") in cells  # the check character
    assert (3, "风险等级") in cells and (3, "信用等级") in cells
    assert (4, "市场主体名称") in cells and (4, "统一社会信用代码") in cells  # empty name; repeats row 2's code
    assert not InspectionTarget.objects.exists()
    assert not Entry.objects.filter(kind="inspection.targets_imported").exists()


def test_a_valid_file_creates_and_updates_in_one_entry():
    agency = agency_make()
    code = credit_code(prefix="91150626")
    targets_import(actor=None, agency=agency, file=_file([("甲公司", code, "", "", "餐饮", "中风险", "B")]))
    report = targets_import(actor=None, agency=agency, file=_file([
        ("甲公司（更名）", code, "", "", "餐饮", "高", "C"),
        ("乙公司", credit_code(prefix="91150626"), "", "", "零售", "低风险", "A"),
    ]))
    assert report.ok and (report.created, report.updated) == (1, 1)
    target = InspectionTarget.objects.get(credit_code=code)
    assert (target.name, target.risk_grade, target.credit_grade) == ("甲公司（更名）", "high", "C")
    assert Entry.objects.filter(kind="inspection.targets_imported").count() == 2


def test_not_a_workbook_is_reported_not_raised():
    report = targets_import(actor=None, agency=agency_make(), file=io.BytesIO(b"not a workbook"))
    assert [e.row for e in report.errors] == [0] and "Excel" in report.errors[0].message
