"""Issue 19 item 1: 监督事项 through the API, to whom the desk shows them: the bureau's supervisors
every matter of their bureau (with a complaint's summary), the agency's users the matters about
their agency (a complaint's summary, in the complainant's words, withheld), others none."""

import datetime as dt

import pytest

from sanxiang.accounts.models import Role
from sanxiang.supervision.services import matter_open
from tests.api.support import bearer
from tests.factories import agency_make, user_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db


def test_matters_are_listed_to_whom_the_desk_shows_them(client):
    desk = desk_make()
    today = dt.date.today()
    routine = matter_open(bureau=desk.bureau, agency=desk.agency, source="routine", subject="未按期公示行政处罚决定",
                          summary="日常监督发现。", received_on=today - dt.timedelta(days=1), actor=desk.first)
    complaint = matter_open(bureau=desk.bureau, agency=desk.agency, source="complaint", subject="投诉执法人员态度",
                            summary="投诉人称其电话为13900000000。", received_on=today)
    supervisor = client.get("/api/supervision/matters", **bearer(desk.first)).json()
    assert [m["id"] for m in supervisor["items"]] == [complaint.pk, routine.pk]  # newest first
    assert supervisor["items"][0]["summary"] == "投诉人称其电话为13900000000。"
    assert supervisor["items"][0]["source_label"] and supervisor["items"][0]["state_label"]

    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))
    seen = {m["id"]: m for m in client.get("/api/supervision/matters", **head).json()["items"]}
    assert seen.keys() == {routine.pk, complaint.pk}
    assert seen[complaint.pk]["summary"] == "" and seen[routine.pk]["summary"] == "日常监督发现。"
    assert client.get(f"/api/supervision/matters/{complaint.pk}", **head).json()["summary"] == ""

    stranger = bearer(user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="乌审旗交通运输局")))
    assert client.get("/api/supervision/matters", **stranger).json()["items"] == []
    assert client.get(f"/api/supervision/matters/{routine.pk}", **stranger).status_code == 404
    # Filters, as on the desk.
    only = client.get("/api/supervision/matters?source=complaint", **bearer(desk.first)).json()["items"]
    assert [m["id"] for m in only] == [complaint.pk]
