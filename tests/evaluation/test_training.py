"""培训 (issue 15, item 6): sessions, attendees marked or imported from Excel (every row checked,
nothing imported if a row is bad), hours per officer per year against the required hours (an
unverified parameter), `training_compliance` with the records behind each number, the ledger."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from openpyxl import Workbook

from sanxiang.accounts.models import Role
from sanxiang.evaluation.models import TrainingAttendance, TrainingSession
from sanxiang.evaluation.training_selectors import agency_training_summary, sessions_for, training_compliance
from sanxiang.evaluation.training_services import (
    attendance_template_build,
    training_attendance_import,
    training_attendance_mark,
    training_session_record,
)
from sanxiang.ledger.models import Entry
from sanxiang.procedure.parameters import parameters_default
from sanxiang.procedure.violations import Refused
from tests.evaluation.support import county_make
from tests.factories import officer_make, user_make

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def session_make(actor, *, hours="20", held_on=dt.date(2026, 3, 1), kind="three_systems", topic="三项制度培训"):
    return training_session_record(actor=actor, kind=kind, topic=topic, held_on=held_on, hours=Decimal(hours),
                                   today=TODAY)


def workbook(rows, header=("姓名", "执法证号", "身份证号码", "学时")) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def payloads(kind: str) -> list[dict]:
    return [json.loads(bytes(b))["payload"] for b in Entry.objects.filter(kind=kind).order_by("seq")
            .values_list("body", flat=True)]


def test_the_required_hours_are_an_unverified_parameter_with_its_reference():
    parameter = parameters_default()["evaluation.training.required_hours_per_year"]
    assert parameter.unverified and parameter.reference and parameter.note.startswith("待核实")
    assert parameter.value_on(dt.date(2026, 12, 31)) == 40


def test_a_session_is_recorded_with_its_ledger_entry_and_bad_input_gives_every_reason():
    county = county_make()
    session = session_make(county.head)
    assert session.organiser == county.agency
    [entry] = payloads("evaluation.training_recorded")
    assert entry["session"] == session.pk and entry["hours"] == "20" and entry["topic"] == "三项制度培训"
    with pytest.raises(Refused) as refused:
        training_session_record(actor=county.head, kind="party", topic="", held_on=TODAY + dt.timedelta(days=1),
                                hours=Decimal("0.3"), today=TODAY)
    assert {v.field for v in refused.value.violations} == {"kind", "topic", "held_on", "hours"}
    officer_user = user_make(role=Role.OFFICER, agency=county.agency)
    with pytest.raises(Refused) as refused:
        session_make(officer_user)
    assert refused.value.violations[0].legal_basis.startswith("平台规则")
    assert TrainingSession.objects.count() == 1


def test_marking_attendees_sets_the_list_and_is_recorded():
    county = county_make()
    a, b = officer_make(agency=county.agency), officer_make(agency=county.agency)
    stranger = officer_make(agency=county.other)
    session = session_make(county.head)
    assert training_attendance_mark(actor=county.head, session=session, officer_ids=[a.pk, b.pk]) == (2, 0)
    assert training_attendance_mark(actor=county.head, session=session, officer_ids=[a.pk]) == (0, 1)
    assert list(session.attendances.values_list("officer_id", "hours")) == [(a.pk, Decimal("20.0"))]
    # An agency's session records its own officers only; the other agency's head records nothing here.
    with pytest.raises(Refused):
        training_attendance_mark(actor=county.head, session=session, officer_ids=[a.pk, stranger.pk])
    with pytest.raises(Refused):
        training_attendance_mark(actor=county.other_head, session=session, officer_ids=[stranger.pk])
    marks = payloads("evaluation.training_attendance")
    assert [len(m["added"]) for m in marks] == [2, 0] and marks[1]["removed"] == [{"officer": b.pk, "hours": "20.0"}]
    # An attendee who has since left the agency's serving officers is not lost by marking again.
    from sanxiang.registry.models import Officer

    Officer.objects.filter(pk=a.pk).update(status="transferred")
    c = officer_make(agency=county.agency)
    assert training_attendance_mark(actor=county.head, session=session, officer_ids=[c.pk]) == (1, 0)
    assert set(session.attendances.values_list("officer_id", flat=True)) == {a.pk, c.pk}


def test_a_bureau_session_takes_officers_of_every_agency_of_its_county_only():
    county, elsewhere = county_make(), county_make(region="150627")
    mine, theirs = officer_make(agency=county.other), officer_make(agency=elsewhere.agency)
    session = session_make(county.supervisor)
    assert session.organiser == county.bureau
    training_attendance_mark(actor=county.supervisor, session=session, officer_ids=[mine.pk])
    with pytest.raises(Refused):
        training_attendance_mark(actor=county.supervisor, session=session, officer_ids=[theirs.pk])
    # The county's agencies see the bureau's session; another county does not.
    assert session in sessions_for(viewer=county.head)
    assert session not in sessions_for(viewer=elsewhere.head)
    assert session not in sessions_for(viewer=elsewhere.supervisor)


def test_an_excel_sheet_imports_every_good_row():
    county = county_make()
    a, b = officer_make(agency=county.agency, name="王芳"), officer_make(agency=county.agency, name="李强")
    session = session_make(county.head, hours="6")
    sheet = workbook([("王芳", a.certificates.get().number, None, None), ("李强", None, b.id_number, 3)])
    report = training_attendance_import(actor=county.head, session=session, file=sheet)
    assert report.ok and (report.rows, report.added) == (2, 2)
    assert dict(session.attendances.values_list("officer_id", "hours")) == {a.pk: Decimal("6"), b.pk: Decimal("3")}
    assert set(session.attendances.values_list("source", flat=True)) == {"imported"}
    # The same sheet again changes nothing and is not an error.
    again = training_attendance_import(actor=county.head, session=session,
                                       file=workbook([("王芳", a.certificates.get().number, None, None)]))
    assert again.ok and (again.added, again.unchanged) == (0, 1)
    assert len(payloads("evaluation.training_attendance")) == 1


def test_a_sheet_with_bad_rows_imports_nothing_and_names_each_row_in_chinese():
    county = county_make()
    a = officer_make(agency=county.agency, name="王芳")
    stranger = officer_make(agency=county.other, name="赵六")
    session = session_make(county.head, hours="4")
    number = a.certificates.get().number
    sheet = workbook([
        ("王芳", number, None, 2),  # row 2: good
        ("王小芳", number, None, None),  # row 3: the name does not match
        ("赵六", stranger.certificates.get().number, None, None),  # row 4: not this agency's officer
        ("", None, None, None, "x"),  # row 5: neither name nor identifier
        ("王芳", number, None, 5),  # row 6: more hours than the session; and the same person as row 2
    ])
    report = training_attendance_import(actor=county.head, session=session, file=sheet)
    assert not report.ok
    by_row: dict[int, list[str]] = {}
    for error in report.errors:
        by_row.setdefault(error.row, []).append(f"{error.column}:{error.message}")
    assert set(by_row) == {3, 4, 5, 6}
    assert any("姓名不一致" in m or "与登记的执法人员姓名不一致" in m for m in by_row[3])
    assert any("不是可以登记参训的执法人员的证号" in m for m in by_row[4])
    assert any("请填写姓名" in m for m in by_row[5]) and any("执法证号或者身份证号码" in m for m in by_row[5])
    assert any("学时不能超过4" in m for m in by_row[6]) and any("与第2行是同一个人" in m for m in by_row[6])
    assert not TrainingAttendance.objects.exists() and not payloads("evaluation.training_attendance")


@pytest.mark.parametrize("content, message", [
    (b"", "上传的文件是空的"),
    (b"not a workbook", "不是 Excel 工作簿"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 50, "旧版 Excel"),
])
def test_a_file_that_is_not_a_workbook_is_refused_as_a_whole(content, message):
    county = county_make()
    session = session_make(county.head)
    report = training_attendance_import(actor=county.head, session=session, file=io.BytesIO(content))
    [error] = report.errors
    assert error.row is None and message in error.message


def test_a_sheet_without_the_headers_is_refused():
    county = county_make()
    session = session_make(county.head)
    report = training_attendance_import(actor=county.head, session=session,
                                        file=workbook([("x", "y")], header=("名字", "编号")))
    assert "表头" in report.errors[0].message and not TrainingAttendance.objects.exists()


def test_the_template_round_trips():
    county = county_make()
    a = officer_make(agency=county.agency, name="张三")
    session = session_make(county.head)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(attendance_template_build()))
    sheet = book.active
    sheet["B2"] = a.certificates.get().number
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    report = training_attendance_import(actor=county.head, session=session, file=buffer)
    assert report.ok and report.added == 1


def test_training_compliance_counts_the_years_hours_with_the_records_behind_them():
    county = county_make()
    full, short, idle = (officer_make(agency=county.agency) for _ in range(3))
    officer_make(agency=county.other)
    first = session_make(county.head, hours="30", held_on=dt.date(2026, 3, 1))
    second = session_make(county.supervisor, hours="10", held_on=dt.date(2026, 6, 1))
    last_year = session_make(county.head, hours="40", held_on=dt.date(2025, 12, 31))
    training_attendance_mark(actor=county.head, session=first, officer_ids=[full.pk, short.pk])
    training_attendance_mark(actor=county.supervisor, session=second, officer_ids=[full.pk])
    training_attendance_mark(actor=county.head, session=last_year, officer_ids=[short.pk, idle.pk])
    result = training_compliance([county.agency.pk], 2026)
    assert result.required == Decimal(40)
    assert (result.met_count, result.officer_count) == (1, 3)
    assert [o.officer_id for o in result.met] == [full.pk]
    behind = {o.officer_id: o for o in result.officers}
    assert behind[full.pk].hours == Decimal(40) and len(behind[full.pk].attendance_ids) == 2
    assert behind[short.pk].hours == Decimal(30) and behind[short.pk].short_by == Decimal(10)
    assert behind[idle.pk].attendance_ids == []  # last year's session does not count
    # Every attendance behind the numbers is one of the officer's in the year.
    ids = [i for o in result.officers for i in o.attendance_ids]
    assert TrainingAttendance.objects.filter(pk__in=ids, session__held_on__year=2026).count() == len(ids) == 3


def test_the_summary_the_bureau_reads_has_every_agency_of_its_county():
    county, elsewhere = county_make(), county_make(region="150627")
    officer = officer_make(agency=county.agency)
    officer_make(agency=elsewhere.agency)
    session = session_make(county.head, hours="40")
    training_attendance_mark(actor=county.head, session=session, officer_ids=[officer.pk])
    rows, compliance = agency_training_summary(viewer=county.supervisor, year=2026)
    by_agency = {r.agency.pk: r for r in rows}
    assert set(by_agency) == {county.agency.pk, county.other.pk}
    assert (by_agency[county.agency.pk].officers, by_agency[county.agency.pk].met,
            by_agency[county.agency.pk].sessions) == (1, 1, 1)
    assert (compliance.met_count, compliance.officer_count) == (1, 1)
    own_rows, _ = agency_training_summary(viewer=county.other_head, year=2026)
    assert [r.agency.pk for r in own_rows] == [county.other.pk]


@pytest.mark.parametrize("path", ["evaluation:training_summary", "evaluation:training_officers"])
def test_a_year_before_the_required_hours_shows_this_years_page_instead_of_an_error(client, path):
    """The hours required a year are in force from 2022-11-03 (an unverified parameter): a year
    before it cannot be judged, and asking for 2021 (or 2000) shows this year's figures, as any
    other year out of range does, where it was a server error; the year choice offers no earlier year."""
    from django.urls import reverse
    from django.utils import timezone

    from sanxiang.procedure.evaluation.training import required_hours_first_year

    county = county_make()
    client.force_login(county.supervisor)
    first = required_hours_first_year()
    assert first == 2022
    for year in (first - 1, 2000):
        page = client.get(reverse(path), {"year": year})
        assert page.status_code == 200
        assert page.context["year"] == timezone.localdate().year
    page = client.get(reverse(path), {"year": first})
    assert page.status_code == 200 and page.context["year"] == first
    if "years" in page.context:
        assert min(page.context["years"]) >= first
