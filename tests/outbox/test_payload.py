"""What an event carries (outbox/rules.py, a platform rule): the envelope and only the payload keys
its kind offers; never a party's personal data, whatever the entry held."""

import uuid
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from sanxiang.outbox import rules
from sanxiang.outbox.services import event_payload

PERSONAL = ("facts", "party", "name", "id_number", "address", "phone", "data", "officers", "party_name")
values = st.one_of(st.none(), st.integers(), st.text(max_size=20), st.booleans())


@given(
    kind=st.sampled_from(sorted(rules.OFFERED)),
    payload=st.dictionaries(st.sampled_from(PERSONAL) | st.text(max_size=12), values, max_size=12),
    offered=st.data(),
)
def test_an_event_carries_only_the_offered_keys_of_its_kind(kind, payload, offered):
    keys = rules.OFFERED[kind].keys
    payload |= offered.draw(st.dictionaries(st.sampled_from(keys), values, max_size=len(keys)))
    entry = SimpleNamespace(kind=kind, agency_id=3, case_id=9, subject="case:9", seq=41, leaf_hash=b"\x01" * 32)
    event = event_payload(event_id=uuid.uuid4(), origin="o", ledger="default", entry=entry,
                          body={"at": "2026-12-04T08:00:00Z", "payload": payload})
    assert event["data"] == {k: v for k, v in payload.items() if k in keys}
    assert event["label"] == rules.OFFERED[kind].label and event["type"] == kind


def test_no_offered_kind_offers_a_personal_field():
    for offered in rules.OFFERED.values():
        assert not set(offered.keys) & set(PERSONAL), offered.kind
