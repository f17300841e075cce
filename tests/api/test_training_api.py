"""Issue 19: 培训 and 提醒 through the API, as their pages: sessions listed and read by who the pages
show them to, recorded by the organiser (an agency's head or administrator, a supervisor for the
司法局), attendees marked or imported from the Excel template (a bad row: a 422 naming the Excel
row, nothing imported), the per-agency summary and the officers behind it; the user's reminders and
their dismissal. Bearer token, CSRF checks on (Django's test client with a token: no session)."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from sanxiang.accounts.models import Role
from sanxiang.evaluation.models import Reminder, TrainingAttendance, TrainingSession
from sanxiang.evaluation.reminder_services import reminder_upsert
from sanxiang.evaluation.training_services import XLSX_CONTENT_TYPE, training_session_record
from sanxiang.ledger.models import Entry
from sanxiang.procedure.evaluation.reminders import ReminderKind
from tests.api.query_bounds import queries_of
from tests.api.support import assert_safe_download, bearer
from tests.evaluation.support import county_make
from tests.factories import officer_make, user_make

pytestmark = pytest.mark.django_db

SESSIONS = "/api/training/sessions"
TODAY = dt.date.today()


def auth(user) -> dict:
    """One token per user (an Idempotency-Key belongs to the token that sent it)."""
    if not hasattr(user, "test_bearer"):
        user.test_bearer = bearer(user)
    return user.test_bearer


def post(client, url: str, user, body: dict | None = None, **extra):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **auth(user), **extra)


def get(client, url: str, user, **query):
    return client.get(url, query, **auth(user))


def ledger(kind: str) -> int:
    return Entry.objects.filter(kind=kind).count()


def fields(response) -> set:
    return {v["field"] for v in response.json()["violations"]}


def session_make(actor, *, held_on=dt.date(2026, 3, 1), hours="4", topic="三项制度培训", kind="three_systems"):
    return training_session_record(actor=actor, kind=kind, topic=topic, held_on=held_on, hours=Decimal(hours),
                                   today=TODAY)


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "执法证号", "身份证号码", "学时"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, session_id: int, user, content: bytes, name: str = "参训人员.xlsx", **extra):
    file = io.BytesIO(content)
    file.name = name
    return client.post(f"{SESSIONS}/{session_id}/attendance/import", {"file": file}, **auth(user), **extra)


@pytest.fixture
def county():
    """A county (its 司法局 with a supervisor, two agencies each with a head) and another county."""
    return county_make(), county_make(region="150627")


# --- sessions: record, list, read -------------------------------------------------------------------------


def test_a_session_is_recorded_by_the_organiser_once_per_idempotency_key_and_read_back(client, county):
    here, _ = county
    body = {"kind": "three_systems", "topic": "行政执法三项制度专题培训", "held_on": "2026-03-02", "hours": "3.5"}
    recorded = post(client, SESSIONS, here.head, body, HTTP_IDEMPOTENCY_KEY="training-1")
    assert recorded.status_code == 201, recorded.content
    out = recorded.json()
    assert (out["organiser_id"], out["kind_label"], out["hours"], out["held_on"]) == (
        here.agency.pk, "三项制度", "3.5", "2026-03-02")
    assert out["organises"] is True and out["attendances"] == [] and out["candidates"] == []
    assert ledger("evaluation.training_recorded") == 1
    # Sent again with the same key (the answer was lost): the first answer, not a second session.
    again = post(client, SESSIONS, here.head, body, HTTP_IDEMPOTENCY_KEY="training-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true" and again.json() == out
    assert TrainingSession.objects.count() == 1 and ledger("evaluation.training_recorded") == 1
    # The hours as a JSON number too; a supervisor records the 司法局's session.
    bureau = post(client, SESSIONS, here.supervisor, body | {"hours": 2, "topic": "全县执法人员培训"})
    assert bureau.status_code == 201, bureau.content
    assert bureau.json()["organiser_id"] == here.bureau.pk and bureau.json()["organiser_is_judicial_bureau"]
    assert bureau.json()["hours"] == "2"


def test_only_an_organising_role_records_and_bad_input_gives_every_field_with_nothing_written(client, county):
    here, _ = county
    officer_user = user_make(role=Role.OFFICER, agency=here.agency)
    reviewer = user_make(role=Role.REVIEWER, agency=here.agency)
    body = {"kind": "three_systems", "topic": "培训", "held_on": "2026-03-02", "hours": "2"}
    for user in (officer_user, reviewer):
        refused = post(client, SESSIONS, user, body)
        assert refused.status_code == 403 and "负责人" in refused.json()["error"]["message"]
    admin = user_make(role=Role.AGENCY_ADMIN, agency=here.agency)
    assert post(client, SESSIONS, admin, body).status_code == 201
    assert TrainingSession.objects.count() == 1 == ledger("evaluation.training_recorded")

    bad = post(client, SESSIONS, here.head, {"kind": "party", "topic": " ",
                                             "held_on": (TODAY + dt.timedelta(days=1)).isoformat(), "hours": "0.3"})
    assert bad.status_code == 422, bad.content
    assert fields(bad) == {"kind", "topic", "held_on", "hours"}
    messages = {v["field"]: v["message"] for v in bad.json()["violations"]}
    assert "晚于今天" in messages["held_on"] and "0.5" in messages["hours"] and "三项制度" in messages["kind"]
    assert post(client, SESSIONS, here.head, body | {"hours": "两小时"}).json()["violations"][0]["field"] == "hours"
    assert fields(post(client, SESSIONS, here.head, {"kind": "other"})) == {"topic", "held_on", "hours"}
    assert fields(post(client, SESSIONS, here.head, body | {"held_on": "2026-02-30"})) == {"held_on"}
    assert TrainingSession.objects.count() == 1 == ledger("evaluation.training_recorded")  # the admin's only
    assert client.post(SESSIONS, data=json.dumps(body), content_type="application/json").status_code == 401


def test_the_sessions_are_listed_and_read_by_whom_the_pages_show_them_to(client, county):
    here, far = county
    own = session_make(here.head, held_on=dt.date(2026, 3, 1))
    others = session_make(here.other_head, held_on=dt.date(2026, 4, 1), kind="other")
    bureau = session_make(here.supervisor, held_on=dt.date(2026, 5, 1))
    far_session = session_make(far.head, held_on=dt.date(2026, 6, 1))
    officer_user = user_make(role=Role.OFFICER, agency=here.agency)

    def listed(user, **query) -> list[int]:
        response = get(client, SESSIONS, user, **query)
        assert response.status_code == 200, response.content
        return [s["id"] for s in response.json()["items"]]

    # The newest first; an agency's users their agency's and the county bureau's; the bureau the county's.
    assert listed(here.head) == listed(officer_user) == [bureau.pk, own.pk]
    assert listed(here.supervisor) == [bureau.pk, others.pk, own.pk]
    assert listed(far.supervisor) == [far_session.pk]
    # Filters and ordering, as every list.
    assert listed(here.supervisor, organiser=here.other.pk) == [others.pk]
    assert listed(here.supervisor, kind="other") == [others.pk]
    assert listed(here.supervisor, since="2026-03-15", until="2026-04-30") == [others.pk]
    assert listed(here.supervisor, ordering="held_on") == [own.pk, others.pk, bureau.pk]
    first = get(client, SESSIONS, here.supervisor, limit=2).json()
    assert [s["id"] for s in first["items"]] == [bureau.pk, others.pk] and first["next"]
    rest = get(client, SESSIONS, here.supervisor, limit=2, cursor=first["next_cursor"]).json()
    assert [s["id"] for s in rest["items"]] == [own.pk] and rest["next_cursor"] is None
    assert fields(get(client, SESSIONS, here.head, since="2026-05-01", until="2026-04-01")) == {"until"}
    assert fields(get(client, SESSIONS, here.head, ordering="topic")) == {"ordering"}
    assert fields(get(client, SESSIONS, here.head, kind="party")) == {"kind"}
    assert fields(get(client, SESSIONS, here.head, cursor="forged")) == {"cursor"}

    # One session: another agency's or another county's is not found (its existence is not told).
    assert get(client, f"{SESSIONS}/{own.pk}", here.head).status_code == 200
    for user, session in ((here.other_head, own), (far.supervisor, own), (far.head, bureau),
                          (here.head, far_session)):
        missing = get(client, f"{SESSIONS}/{session.pk}", user)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert get(client, f"{SESSIONS}/99999999", here.head).status_code == 404
    # The organiser is offered its serving officers to mark; a reader is not.
    mine = officer_make(agency=here.agency, name="王芳")
    detail = get(client, f"{SESSIONS}/{own.pk}", here.head).json()
    assert detail["organises"] and [c["officer_id"] for c in detail["candidates"]] == [mine.pk]
    reader = get(client, f"{SESSIONS}/{bureau.pk}", here.head).json()
    assert reader["organises"] is False and reader["candidates"] == []


# --- attendance: marked, imported, template -----------------------------------------------------------------


def test_attendees_are_marked_by_the_organiser_and_each_agency_reads_its_own(client, county):
    here, far = county
    a, b = officer_make(agency=here.agency, name="王芳"), officer_make(agency=here.agency, name="李强")
    neighbour = officer_make(agency=here.other, name="赵六")
    stranger = officer_make(agency=far.agency, name="钱七")
    own = session_make(here.head)
    url = f"{SESSIONS}/{own.pk}/attendance"

    marked = post(client, url, here.head, {"officer_ids": [a.pk, b.pk]}, HTTP_IDEMPOTENCY_KEY="mark-1")
    assert marked.status_code == 200, marked.content
    assert (marked.json()["added"], marked.json()["removed"]) == (2, 0)
    assert {x["officer_id"] for x in marked.json()["attendances"]} == {a.pk, b.pk}
    assert {x["source"] for x in marked.json()["attendances"]} == {"marked"}
    assert post(client, url, here.head, {"officer_ids": [a.pk, b.pk]},
                HTTP_IDEMPOTENCY_KEY="mark-1")["Idempotent-Replayed"] == "true"
    unmarked = post(client, url, here.head, {"officer_ids": [a.pk]})
    assert (unmarked.json()["added"], unmarked.json()["removed"]) == (0, 1)
    assert ledger("evaluation.training_attendance") == 2

    # An officer the session may not record (another agency's, another county's): 422 on the field, nothing changed.
    for officer in (neighbour, stranger):
        refused = post(client, url, here.head, {"officer_ids": [a.pk, officer.pk]})
        assert refused.status_code == 422, refused.content
        assert fields(refused) == {"officer_ids"} and "本机关在岗执法人员" in refused.json()["violations"][0]["message"]
    assert fields(post(client, url, here.head, {"officer_ids": [0]})) == {"officer_ids.0"}
    assert fields(post(client, url, here.head, {})) == {"officer_ids"}
    assert list(own.attendances.values_list("officer_id", flat=True)) == [a.pk]

    # The 司法局's session takes every agency of the county; an agency's head reads it but does not mark it.
    bureau = session_make(here.supervisor)
    bureau_url = f"{SESSIONS}/{bureau.pk}/attendance"
    done = post(client, bureau_url, here.supervisor, {"officer_ids": [a.pk, neighbour.pk]})
    assert done.status_code == 200 and done.json()["added"] == 2
    not_theirs = post(client, bureau_url, here.head, {"officer_ids": [a.pk]})
    assert not_theirs.status_code == 409, not_theirs.content
    [reason] = not_theirs.json()["violations"]
    assert reason["code"] == "evaluation.training.organiser" and reason["legal_basis"].startswith("平台规则")
    assert reason["basis_kind"] == "platform"
    # Each agency reads its own officers' attendances of the bureau's session; the bureau all of them.
    read = get(client, f"{SESSIONS}/{bureau.pk}", here.other_head).json()
    assert [x["officer_id"] for x in read["attendances"]] == [neighbour.pk]
    assert len(get(client, f"{SESSIONS}/{bureau.pk}", here.supervisor).json()["attendances"]) == 2
    # Other roles 403; another agency's session 404.
    officer_user = user_make(role=Role.OFFICER, agency=here.agency)
    assert post(client, url, officer_user, {"officer_ids": [a.pk]}).status_code == 403
    assert post(client, url, here.other_head, {"officer_ids": [neighbour.pk]}).status_code == 404
    assert post(client, url, far.supervisor, {"officer_ids": []}).status_code == 404
    assert list(own.attendances.values_list("officer_id", flat=True)) == [a.pk]


def test_an_excel_import_names_each_bad_row_and_imports_nothing_then_imports_the_good_sheet(client, county):
    here, _ = county
    a, b = officer_make(agency=here.agency, name="王芳"), officer_make(agency=here.agency, name="李强")
    neighbour = officer_make(agency=here.other, name="赵六")
    own = session_make(here.head, hours="4")
    number = a.certificates.get().number

    bad = upload(client, own.pk, here.head, workbook([
        ("王芳", number, None, 2),  # row 2: good
        ("王小芳", b.certificates.get().number, None, None),  # row 3: the name does not match
        ("赵六", neighbour.certificates.get().number, None, None),  # row 4: not this agency's
        ("李强", None, b.id_number, 5),  # row 5: more hours than the session
    ]))
    assert bad.status_code == 422, bad.content
    violations = bad.json()["violations"]
    assert {v["field"] for v in violations} == {"file.3.姓名", "file.4.执法证号", "file.5.学时"}
    assert all(v["message"].startswith(f"第{v['field'].split('.')[1]}行") for v in violations)
    assert all(v["legal_basis"] == "平台规则：参训人员导入模板" for v in violations)
    assert not TrainingAttendance.objects.exists() and ledger("evaluation.training_attendance") == 0

    good = workbook([("王芳", number, None, 2), ("李强", None, b.id_number, None)])
    imported = upload(client, own.pk, here.head, good, HTTP_IDEMPOTENCY_KEY="import-1")
    assert imported.status_code == 200, imported.content
    assert (imported.json()["rows"], imported.json()["added"], imported.json()["unchanged"]) == (2, 2, 0)
    assert {(x["officer_id"], x["hours"], x["source"]) for x in imported.json()["attendances"]} == {
        (a.pk, "2", "imported"), (b.pk, "4", "imported")}
    replayed = upload(client, own.pk, here.head, good, HTTP_IDEMPOTENCY_KEY="import-1")
    assert replayed["Idempotent-Replayed"] == "true" and replayed.json() == imported.json()
    again = upload(client, own.pk, here.head, good)
    assert (again.json()["added"], again.json()["unchanged"]) == (0, 2)
    assert TrainingAttendance.objects.count() == 2 and ledger("evaluation.training_attendance") == 1

    # A file that is not a workbook, or none: 422 on `file`.
    for content in (b"not a workbook", b""):
        refused = upload(client, own.pk, here.head, content)
        assert refused.status_code == 422 and fields(refused) == {"file"}
    assert fields(client.post(f"{SESSIONS}/{own.pk}/attendance/import", {}, **auth(here.head))) == {"file"}
    # Not the organiser: 409; not an organising role: 403; another agency's session: 404.
    bureau = session_make(here.supervisor)
    assert upload(client, bureau.pk, here.head, good).status_code == 409
    assert upload(client, own.pk, user_make(role=Role.OFFICER, agency=here.agency), good).status_code == 403
    assert upload(client, own.pk, here.other_head, good).status_code == 404
    assert TrainingAttendance.objects.count() == 2


def test_the_attendance_template_is_for_the_organising_roles(client, county):
    here, _ = county
    template = get(client, "/api/training/attendance-template", here.supervisor)
    assert template.status_code == 200 and template["Content-Type"] == XLSX_CONTENT_TYPE
    assert_safe_download(template)
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]] == ["姓名", "执法证号", "身份证号码", "学时"]
    assert get(client, "/api/training/attendance-template", here.head).status_code == 200
    officer_user = user_make(role=Role.OFFICER, agency=here.agency)
    assert get(client, "/api/training/attendance-template", officer_user).status_code == 403


# --- the summary and the officers behind it ------------------------------------------------------------------


def test_the_summary_and_the_officers_behind_each_number(client, county):
    here, far = county
    full, short = officer_make(agency=here.agency, name="王芳"), officer_make(agency=here.agency, name="李强")
    neighbour = officer_make(agency=here.other, name="赵六")
    officer_make(agency=far.agency)
    own = session_make(here.head, hours="30", held_on=dt.date(2026, 3, 1))
    bureau = session_make(here.supervisor, hours="10", held_on=dt.date(2026, 6, 1))
    post(client, f"{SESSIONS}/{own.pk}/attendance", here.head, {"officer_ids": [full.pk, short.pk]})
    post(client, f"{SESSIONS}/{bureau.pk}/attendance", here.supervisor, {"officer_ids": [full.pk, neighbour.pk]})

    summary = get(client, "/api/training/summary", here.supervisor, year=2026)
    assert summary.status_code == 200, summary.content
    out = summary.json()
    assert (out["year"], out["required_hours"], out["officers"], out["met"], out["rate"]) == (
        2026, "40", 3, 1, "0.3333")
    assert out["required_hours_basis"] and isinstance(out["required_hours_unverified"], bool)
    rows = {r["agency_id"]: r for r in out["agencies"]}
    assert set(rows) == {here.agency.pk, here.other.pk}
    assert (rows[here.agency.pk]["officers"], rows[here.agency.pk]["met"], rows[here.agency.pk]["short"],
            rows[here.agency.pk]["sessions"], rows[here.agency.pk]["session_hours"],
            rows[here.agency.pk]["attended_hours"]) == (2, 1, 1, 1, "30", "70")
    # An agency's head reads their agency's row only; another county's bureau its county's.
    assert [r["agency_id"] for r in get(client, "/api/training/summary", here.head, year=2026).json()["agencies"]] == [
        here.agency.pk]
    assert here.agency.pk not in {r["agency_id"] for r in get(client, "/api/training/summary", far.supervisor,
                                                             year=2026).json()["agencies"]}
    assert get(client, "/api/training/summary", here.head, year=2025).json()["met"] == 0
    assert fields(get(client, "/api/training/summary", here.head, year=1999)) == {"year"}
    # A year before the required hours were set (a parameter from 2022-11-03): 422 on `year`, never a 500.
    for url in ("/api/training/summary", "/api/training/officers"):
        before = get(client, url, here.head, year=2021)
        assert before.status_code == 422 and fields(before) == {"year"}
        assert "2022-11-03" in before.json()["violations"][0]["message"]

    officers = get(client, "/api/training/officers", here.supervisor, year=2026, agency=here.agency.pk).json()
    by_id = {o["officer_id"]: o for o in officers["officers"]}
    assert set(by_id) == {full.pk, short.pk}
    assert (by_id[full.pk]["hours"], by_id[full.pk]["met"], by_id[full.pk]["short_by"]) == ("40", True, "0")
    assert (by_id[short.pk]["hours"], by_id[short.pk]["met"], by_id[short.pk]["short_by"]) == ("30", False, "10")
    assert [x["session_id"] for x in by_id[full.pk]["attendances"]] == [own.pk, bureau.pk]
    met = get(client, "/api/training/officers", here.supervisor, year=2026, met="true").json()["officers"]
    assert [o["officer_id"] for o in met] == [full.pk]
    short_ones = get(client, "/api/training/officers", here.supervisor, year=2026, met="false").json()["officers"]
    assert {o["officer_id"] for o in short_ones} == {short.pk, neighbour.pk}
    # Another agency's officers are not the head's to read: an empty list, as the page.
    assert get(client, "/api/training/officers", here.head, year=2026, agency=here.other.pk).json()["officers"] == []
    assert get(client, "/api/training/officers", far.supervisor, year=2026, agency=here.agency.pk).json()[
        "officers"] == []
    assert fields(get(client, "/api/training/officers", here.head, met="maybe")) == {"met"}


def test_the_lists_cost_the_same_queries_for_one_row_as_for_many(client, county):
    here, _ = county
    first = officer_make(agency=here.agency)
    own = session_make(here.head)
    post(client, f"{SESSIONS}/{own.pk}/attendance", here.head, {"officer_ids": [first.pk]})
    urls = (SESSIONS, f"{SESSIONS}/{own.pk}", "/api/training/officers?year=2026", "/api/training/summary?year=2026")
    queries_of(client, SESSIONS, auth(here.supervisor))  # warm-up: one-time work of a first request
    few = [queries_of(client, url, auth(here.supervisor)) for url in urls]
    more = [officer_make(agency=here.agency).pk for _ in range(4)]
    for n in range(4):
        session_make(here.supervisor if n % 2 else here.head, topic=f"培训{n}")
    post(client, f"{SESSIONS}/{own.pk}/attendance", here.head, {"officer_ids": [first.pk, *more]})
    assert [queries_of(client, url, auth(here.supervisor)) for url in urls] == few


# --- reminders -----------------------------------------------------------------------------------------------------


def test_the_user_s_reminders_are_listed_and_dismissed_by_their_recipients_only(client: Client, county):
    here, far = county
    officer = officer_make(agency=here.agency)
    officer_user = user_make(role=Role.OFFICER, agency=here.agency, officer=officer)
    second_head = user_make(role=Role.AGENCY_HEAD, agency=here.agency)
    on = dt.date(2026, 12, 1)
    for_head = reminder_upsert(
        kind=ReminderKind.MONTHLY_REPORT_DUE, subject_type="monthly_report", subject_id=7, on=on,
        recipient_role=Role.AGENCY_HEAD, recipient_agency=here.agency, agency=here.agency,
        title="2026年11月月报应于12月25日前报送", due_on=dt.date(2026, 12, 25), stage="5").reminder
    earlier = reminder_upsert(
        kind=ReminderKind.MONTHLY_REPORT_DUE, subject_type="monthly_report", subject_id=6, on=dt.date(2026, 11, 1),
        recipient_role=Role.AGENCY_HEAD, recipient_agency=here.agency, agency=here.agency,
        title="2026年10月月报应于11月25日前报送", due_on=dt.date(2026, 11, 25), stage="5").reminder
    for_officer = reminder_upsert(
        kind=ReminderKind.CERTIFICATE_EXPIRY, subject_type="certificate", subject_id=1, on=on,
        recipient_user=officer_user, agency=here.agency, title="您的执法证将于90日后到期", stage="90").reminder

    def listed(user, **query) -> list[int]:
        response = get(client, "/api/reminders", user, **query)
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["items"]]

    assert listed(here.head) == listed(second_head) == [for_head.pk, earlier.pk]
    assert listed(officer_user) == [for_officer.pk]
    assert listed(here.other_head) == listed(here.supervisor) == listed(far.head) == []
    item = get(client, "/api/reminders", officer_user).json()["items"][0]
    assert (item["kind_label"], item["title"], item["due_on"], item["dismissed"]) == (
        "执法证件即将到期或者已过期", "您的执法证将于90日后到期", None, False)
    assert listed(here.head, ordering="raised_on") == [earlier.pk, for_head.pk]
    assert listed(here.head, since="2026-11-15") == [for_head.pk]
    page = get(client, "/api/reminders", here.head, limit=1).json()
    assert [r["id"] for r in page["items"]] == [for_head.pk] and page["next_cursor"]
    assert listed(here.head, limit=1, cursor=page["next_cursor"]) == [earlier.pk]
    assert fields(get(client, "/api/reminders", here.head, ordering="due_on")) == {"ordering"}

    url = f"/api/reminders/{for_head.pk}/actions/dismiss"
    # Not theirs: not found, and not dismissed.
    for user in (officer_user, here.other_head, far.supervisor):
        assert post(client, url, user).status_code == 404
    assert post(client, "/api/reminders/99999999/actions/dismiss", here.head).status_code == 404
    assert Reminder.objects.get(pk=for_head.pk).dismissed_at is None
    dismissed = post(client, url, here.head, HTTP_IDEMPOTENCY_KEY="dismiss-1")
    assert dismissed.status_code == 200, dismissed.content
    assert dismissed.json()["id"] == for_head.pk and dismissed.json()["dismissed"] is True
    assert Reminder.objects.get(pk=for_head.pk).dismissed_by == here.head
    assert ledger("evaluation.reminder_dismissed") == 1
    replayed = post(client, url, here.head, HTTP_IDEMPOTENCY_KEY="dismiss-1")
    assert replayed["Idempotent-Replayed"] == "true" and replayed.json() == dismissed.json()
    # A role's reminder leaves every inbox of that role in the agency; dismissed again, nothing changes.
    assert listed(second_head) == [earlier.pk]
    assert post(client, url, second_head).status_code == 200 and ledger("evaluation.reminder_dismissed") == 1
    assert client.get("/api/reminders").status_code == 401


def multipart(boundary: str, content: bytes, name: str = "参训人员.xlsx") -> bytes:
    """A body built by hand: Django's test client always uses the same boundary, a real client
    chooses a new one each time it sends."""
    return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: {XLSX_CONTENT_TYPE}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()


def test_a_retried_upload_with_a_new_boundary_is_replayed_and_another_file_is_refused(client, county):
    """Issue 19 review, finding 3: the Idempotency-Key's fingerprint of a multipart request is its
    fields and files (name, size, SHA-256), not its raw bytes with the boundary."""
    here, _ = county
    officer = officer_make(agency=here.agency, name="王芳")
    session = session_make(here.head)
    content = workbook([("王芳", officer.certificates.get().number, None, None)])
    url = f"{SESSIONS}/{session.pk}/attendance/import"

    def send(boundary: str, body: bytes):
        return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}",
                           HTTP_IDEMPOTENCY_KEY="import-1", **auth(here.head))

    first = send("----a1b2c3", multipart("----a1b2c3", content))
    assert first.status_code == 200, first.content
    entries = ledger("evaluation.training_attendance")
    again = send("----WebKitFormBoundaryZ9y8X7", multipart("----WebKitFormBoundaryZ9y8X7", content))
    assert again.status_code == 200, again.content
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert ledger("evaluation.training_attendance") == entries and TrainingAttendance.objects.count() == 1
    # Another file (or the same bytes under another name) with the same key is another request.
    other = workbook([("王芳", officer.certificates.get().number, None, 2)])
    for body in (multipart("x1", other), multipart("x2", content, name="另一个.xlsx")):
        refused = send(body[2:4].decode(), body)
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "idempotency_key_reused"


def test_a_boolean_is_no_number_of_hours_nor_an_officers_id(client, county):
    """Issue 19 review, finding 6: pydantic's lax mode read `true` as 1.0 学时 and as officer 1."""
    here, _ = county
    body = {"kind": "three_systems", "topic": "三项制度培训", "held_on": "2026-03-02", "hours": True}
    refused = post(client, SESSIONS, here.head, body)
    assert refused.status_code == 422 and fields(refused) == {"hours"}
    assert not TrainingSession.objects.exists()
    session = session_make(here.head)
    marked = post(client, f"{SESSIONS}/{session.pk}/attendance", here.head, {"officer_ids": [True]})
    assert marked.status_code == 422 and fields(marked) == {"officer_ids.0"}, marked.content
    assert not TrainingAttendance.objects.exists()


def test_the_topics_limit_in_the_schema_is_the_services(client, county):
    """Issue 19 review, finding 7: the schema declared 1000 characters while the service allows 200."""
    from sanxiang.procedure.evaluation.training import TOPIC_MAX

    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["TrainingSessionIn"]
    assert schema["properties"]["topic"]["maxLength"] == TOPIC_MAX == 200
    here, _ = county
    body = {"kind": "three_systems", "topic": "培" * (TOPIC_MAX + 1), "held_on": "2026-03-02", "hours": 2}
    long = post(client, SESSIONS, here.head, body)
    assert long.status_code == 422 and fields(long) == {"topic"} and not TrainingSession.objects.exists()
