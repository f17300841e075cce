"""The public endpoints: checkpoint, proofs and key, and their structured 400s."""

import base64

import pytest
from django.db import transaction
from django.urls import reverse

from sanxiang.ledger import merkle, notes
from sanxiang.ledger.services import checkpoint_issue, entries_append
from tests.ledger.helpers import make_event

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ledger.urls")]


@pytest.fixture
def ledger():
    with transaction.atomic():
        entries_append(events=[make_event(i) for i in range(100)])
        checkpoint = checkpoint_issue()
        entries_append(events=[make_event(i) for i in range(100, 130)])
    return checkpoint


def _b(value: str) -> bytes:
    return base64.b64decode(value)


def test_checkpoint_and_key_let_anyone_verify_proofs_offline(client, ledger):
    note = client.get(reverse("ledger:checkpoint"))
    assert note.status_code == 200 and note["Content-Type"] == "text/plain; charset=utf-8"
    key = client.get(reverse("ledger:public_key")).json()
    verifier = notes.Verifier.from_vkey(key["vkey"])
    assert (key["signature_algorithm"], key["hash_algorithm"]) == ("ed25519", "sha256")
    signed = notes.checkpoint_verify(note.content.decode(), [verifier], origin=key["origin"])
    assert signed.size == 100  # the latest checkpoint, not the head (130)
    hasher = merkle.hasher_for("sha256")

    proof = client.get(reverse("ledger:inclusion_proof"), {"seq": 42}).json()
    assert (proof["leaf_index"], proof["tree_size"]) == (42, 100)
    merkle.verify_inclusion(
        hasher, 42, 100, _b(proof["leaf_hash"]), [_b(p) for p in proof["inclusion_path"]], signed.root
    )

    consistency = client.get(reverse("ledger:consistency_proof"), {"first": 37, "second": 100}).json()
    merkle.verify_consistency(
        hasher,
        37,
        100,
        [_b(p) for p in consistency["consistency_path"]],
        _b(consistency["first_root"]),
        signed.root,
    )
    # A proof up to the current head, given explicitly.
    later = client.get(reverse("ledger:consistency_proof"), {"first": 100, "second": 130}).json()
    merkle.verify_consistency(
        hasher, 100, 130, [_b(p) for p in later["consistency_path"]], signed.root, _b(later["second_root"])
    )


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("inclusion_proof", {}, "seq"),
        ("inclusion_proof", {"seq": "abc"}, "seq"),
        ("inclusion_proof", {"seq": "-1"}, "seq"),
        ("inclusion_proof", {"seq": "100"}, "seq"),  # not below the checkpoint's size 100
        ("inclusion_proof", {"seq": "1", "size": "131"}, "size"),  # beyond the ledger
        ("inclusion_proof", {"seq": "1", "size": "0"}, "size"),
        ("inclusion_proof", {"seq": "1" * 30}, "seq"),
        ("consistency_proof", {}, "first"),
        ("consistency_proof", {"first": "0"}, "first"),
        ("consistency_proof", {"first": "101"}, "first"),
        ("consistency_proof", {"first": "5", "second": "4"}, "first"),
        ("consistency_proof", {"first": "5", "second": "x"}, "second"),
        ("consistency_proof", {"first": "5", "second": "999"}, "second"),
    ],
)
def test_invalid_parameters_get_a_structured_400(client, ledger, name, params, field):
    response = client.get(reverse(f"ledger:{name}"), params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter" and error["field"] == field and error["message"]


def test_empty_ledger_answers_404_and_400(client):
    response = client.get(reverse("ledger:checkpoint"))
    assert response.status_code == 404 and response.json()["error"]["code"] == "no_checkpoint"
    response = client.get(reverse("ledger:inclusion_proof"), {"seq": 0, "size": 1})
    assert response.status_code == 400 and response.json()["error"]["message"] == "the ledger is empty"


def test_endpoints_are_read_only(client, ledger):
    assert client.post(reverse("ledger:checkpoint")).status_code == 405
