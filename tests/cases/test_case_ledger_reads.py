"""The case's readers of the ledger (its timeline, the day of its last step, whether it was
registered on paper) read the case's own ledger only: an entry under another ledger id, which
`sanxiang verify` does not walk as a ledger (review r3, F5), is not the case's history."""

import json

import pytest
from django.db import transaction

from sanxiang.cases.selectors import case_last_step_on, case_registered_on_paper, case_timeline
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import ledger_agency_assign, ledger_county_create
from tests.cases.support import D, lead_make, to_decided, world_make
from tests.ledger.helpers import raw

pytestmark = pytest.mark.django_db


def _forge(case, *, ledger_id: int, kind: str, change, seq_to: int = 0) -> None:
    """Copy the case's latest entry of `kind` under `ledger_id` at `seq_to`, its payload changed by
    `change`."""
    source, seq, body = (Entry.objects.filter(case_id=case.pk, kind=kind).order_by("-seq")
                         .values_list("ledger_id", "seq", "body").first())
    doc = json.loads(bytes(body))
    change(doc["payload"])
    doc["seq"] = seq_to
    forged = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    raw("INSERT INTO ledger_entry (ledger_id, seq, kind, actor_id, agency_id, case_id, subject, created_at, body, "
        "leaf_hash) SELECT %s, %s, kind, actor_id, agency_id, case_id, subject, created_at, %s, leaf_hash "
        "FROM ledger_entry WHERE ledger_id = %s AND seq = %s", [ledger_id, seq_to, forged, source, seq])


def _reads(case):
    return [item.title for item in case_timeline(case=case)], case_last_step_on(case=case), case_registered_on_paper(
        case=case)


@pytest.mark.parametrize("county", [False, True], ids=["default-ledger", "county-ledger"])
def test_entries_under_another_ledger_id_are_not_the_cases_history(county):
    w = world_make()
    expected_ledger = 1
    if county:
        with transaction.atomic():
            ledger = ledger_county_create(name="wushen", title="乌审旗")
            ledger_agency_assign(agency_id=w.agency.pk, ledger=ledger)
        expected_ledger = ledger.pk
    case = to_decided(w, lead_make(w))
    assert set(Entry.objects.filter(case_id=case.pk).values_list("ledger_id", flat=True)) == {expected_ledger}
    before = _reads(case)
    assert "案源登记" in before[0] and before[1] is not None and before[2] is False

    def later_step(payload):
        payload["label"] = "当事人书面放弃陈述、申辩和听证权利（伪造）"
        payload["on"] = "2099-01-01"

    def on_paper(payload):
        payload["back_entry"] = {"occurred_on": "2099-01-02", "reason": "伪造"}

    for ledger_id in (200, 1 if county else expected_ledger + 1):  # an id naming no ledger; another ledger than the case's
        _forge(case, ledger_id=ledger_id, kind=EventKind.STEP_DONE, change=later_step, seq_to=1 << 20)
        _forge(case, ledger_id=ledger_id, kind=EventKind.CASE_OPENED, change=on_paper, seq_to=(1 << 20) + 1)
    assert Entry.objects.filter(case_id=case.pk).exclude(ledger_id=expected_ledger).count() == 4
    assert _reads(case) == before
    # The control: the same forgery appended to the case's own ledger does show (`verify` names it there).
    end = Entry.objects.filter(ledger_id=expected_ledger).order_by("-seq").values_list("seq", flat=True).first() + 1
    _forge(case, ledger_id=expected_ledger, kind=EventKind.STEP_DONE, change=later_step, seq_to=end)
    _forge(case, ledger_id=expected_ledger, kind=EventKind.CASE_OPENED, change=on_paper, seq_to=end + 1)
    titles, last_step, _paper = _reads(case)
    assert len(titles) == len(before[0]) + 2 and last_step == D(2099, 1, 2)
