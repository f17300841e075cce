"""Issue 19 item 1: the desk's moves on a 监督事项 through the API, as the matter page's forms call
supervision's services: the pair assigned, the matter accepted, marked, concluded, closed, merged,
transferred. The bureau's supervisors only (403 to an agency's head, 404 to another bureau); a move
the state does not allow answers 409 with every reason and its basis, nothing written; a missing or
malformed field answers 422 naming it, nothing written."""

import datetime as dt

import pytest

from sanxiang.accounts.models import Role
from sanxiang.ledger.models import Entry
from sanxiang.supervision.models import Matter
from sanxiang.supervision.services import matter_open
from tests.api.support import bearer
from tests.factories import user_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db


def _matter(desk, subject: str = "未按期公示行政处罚决定") -> Matter:
    return matter_open(bureau=desk.bureau, agency=desk.agency, source="routine", subject=subject,
                       summary="日常监督发现。", received_on=dt.date.today(), actor=desk.first)


def _post(client, url: str, body: dict, headers: dict):
    return client.post(url, body, content_type="application/json", **headers)


def test_the_pair_accepts_marks_and_concludes_a_matter_each_move_in_the_ledger(client):
    desk = desk_make()
    first, second = bearer(desk.first), bearer(desk.second)  # before counting: a token's creation is in the ledger
    matter = _matter(desk)
    base = f"/api/supervision/matters/{matter.pk}"
    entries = Entry.objects.count()
    paired = _post(client, f"{base}/pair", {"user_ids": [desk.first.pk, desk.second.pk]}, first)
    assert paired.status_code == 200, paired.content
    accepted = _post(client, f"{base}/actions/accept", {}, first)
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "accepted" and accepted.json()["state_label"]
    marked = _post(client, f"{base}/actions/mark", {"mark": "listed", "mark_reason": "群众反映集中"}, second)
    assert marked.status_code == 200 and marked.json()["listed"] is True
    done = _post(client, f"{base}/actions/conclude", {"outcome": "已督促公示。"}, first)
    assert done.status_code == 200, done.content
    assert done.json()["outcome"] == "已督促公示。" and done.json()["ended_on"] == dt.date.today().isoformat()
    assert Entry.objects.count() == entries + 4  # pair, accept, mark, conclude


def test_a_move_the_state_does_not_allow_is_409_with_its_reasons_nothing_written(client):
    desk = desk_make()
    first = bearer(desk.first)  # before counting: a token's creation is in the ledger
    matter = _matter(desk)
    base = f"/api/supervision/matters/{matter.pk}"
    _post(client, f"{base}/pair", {"user_ids": [desk.first.pk, desk.second.pk]}, first)
    entries = Entry.objects.count()
    early = _post(client, f"{base}/actions/conclude", {"outcome": "办结。"}, first)  # not yet accepted
    assert early.status_code == 409
    violations = early.json()["violations"]
    assert violations and all(v["message"] and v["legal_basis"] for v in violations)
    assert Matter.objects.get(pk=matter.pk).state == matter.state and Entry.objects.count() == entries
    # The allowed path: accept first, then conclude.
    assert _post(client, f"{base}/actions/accept", {}, first).status_code == 200
    assert _post(client, f"{base}/actions/conclude", {"outcome": "办结。"}, first).status_code == 200
    again = _post(client, f"{base}/actions/accept", {}, first)  # ended: nothing more
    assert again.status_code == 409


def test_close_and_transfer_and_merge_take_their_fields(client):
    desk = desk_make()
    first = bearer(desk.first)  # before counting: a token's creation is in the ledger
    pair = {"user_ids": [desk.first.pk, desk.second.pk]}
    closing, moving, merged, into = (_matter(desk, f"事项{n}") for n in range(4))
    for m in (closing, moving, merged):
        _post(client, f"/api/supervision/matters/{m.pk}/pair", pair, first)
    closed = _post(client, f"/api/supervision/matters/{closing.pk}/actions/close",
                   {"reason": "no_facts", "outcome": "无法核实。"}, first)
    assert closed.status_code == 200, closed.content
    assert Matter.objects.get(pk=closing.pk).close_reason == "no_facts"
    moved = _post(client, f"/api/supervision/matters/{moving.pk}/actions/transfer", {"to_body": "市司法局"}, first)
    assert moved.status_code == 200, moved.content
    assert Matter.objects.get(pk=moving.pk).transferred_to == "市司法局"
    joined = _post(client, f"/api/supervision/matters/{merged.pk}/actions/merge", {"into_id": into.pk}, first)
    assert joined.status_code == 200, joined.content
    assert Matter.objects.get(pk=merged.pk).merged_into_id == into.pk


@pytest.mark.parametrize(("action", "body", "field"), [
    ("conclude", {"outcome": "  "}, "outcome"),
    ("close", {}, "reason"),
    ("close", {"reason": "bored"}, "reason"),
    ("transfer", {"to_body": ""}, "to_body"),
    ("merge", {}, "into_id"),
    ("merge", {"into_id": 999999}, "into_id"),
    ("mark", {"mark": "listed"}, "mark_reason"),
    ("mark", {"mark": "gold", "mark_reason": "理由"}, "mark"),
])
def test_bad_fields_are_422_naming_the_field_nothing_written(client, action, body, field):
    desk = desk_make()
    first = bearer(desk.first)  # before counting: a token's creation is in the ledger
    matter = _matter(desk)
    entries = Entry.objects.count()
    answer = _post(client, f"/api/supervision/matters/{matter.pk}/actions/{action}", body, first)
    assert answer.status_code == 422, answer.content
    assert field in [v["field"] for v in answer.json()["violations"]]
    assert Entry.objects.count() == entries and Matter.objects.get(pk=matter.pk).state == matter.state


def test_an_unknown_action_and_a_stranger_to_the_pair_are_refused(client):
    desk = desk_make()
    first = bearer(desk.first)  # before counting: a token's creation is in the ledger
    matter = _matter(desk)
    assert _post(client, f"/api/supervision/matters/{matter.pk}/actions/delete", {}, first).status_code == 422
    outsider = user_make(role=Role.SUPERVISOR, agency=desk.agency)  # not of this bureau
    bad = _post(client, f"/api/supervision/matters/{matter.pk}/pair", {"user_ids": [desk.first.pk, outsider.pk]}, first)
    assert bad.status_code == 422 and bad.json()["violations"][0]["field"] == "user_ids"
    assert not matter.pair.exists()


def test_only_the_bureaus_supervisors_move_a_matter(client):
    desk = desk_make()
    matter = _matter(desk)
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))  # sees the matter about its agency
    assert client.get(f"/api/supervision/matters/{matter.pk}", **head).status_code == 200
    assert _post(client, f"/api/supervision/matters/{matter.pk}/actions/accept", {}, head).status_code == 403
    other = desk_make()  # another bureau's supervisor: the matter is absent
    assert _post(client, f"/api/supervision/matters/{matter.pk}/actions/accept", {}, bearer(other.first)).status_code == 404
    assert Matter.objects.get(pk=matter.pk).state == matter.state
