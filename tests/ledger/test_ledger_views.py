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


# --- a damaged ledger: a clear 409 naming the place, never a 500 ------------------------------


def _damage(sql: str, params: list) -> None:
    from tests.ledger.helpers import raw, triggers_dropped

    with triggers_dropped():
        raw(sql, params)


def test_a_missing_stored_node_is_named_not_a_500(client, ledger):
    """Node (1, 20) (entries 40..41) is on the path of entry 42 in the tree of 100: deleted, the
    inclusion proof answers 409 ledger_damaged naming it; a consistency proof needing it too."""
    _damage('DELETE FROM ledger_node WHERE ledger_id = 1 AND level = 1 AND "index" = 20', [])
    response = client.get(reverse("ledger:inclusion_proof"), {"seq": 43})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "ledger_damaged" and error["node"] == {"level": 1, "index": 20}
    assert "node (1, 20) over entries 40..41 is missing" in error["message"]
    consistency = client.get(reverse("ledger:consistency_proof"), {"first": 42, "second": 100})
    assert consistency.status_code == 409 and consistency.json()["error"]["code"] == "ledger_damaged"
    # A proof that does not need the node is still given.
    assert client.get(reverse("ledger:inclusion_proof"), {"seq": 7}).status_code == 200


def test_a_missing_entry_inside_the_tree_is_named(client, ledger):
    _damage("DELETE FROM ledger_entry WHERE ledger_id = 1 AND seq = 42", [])
    response = client.get(reverse("ledger:inclusion_proof"), {"seq": 42})
    assert response.status_code == 409
    assert response.json()["error"]["node"] == {"level": 0, "index": 42}


@pytest.mark.parametrize(
    ("size", "against"),
    [(None, "checkpoint #"), (130, "the head (size 130)"), (120, "the stored subtrees of size 120")],
    ids=["latest checkpoint", "the head", "a size without checkpoint"],
)
def test_a_tampered_leaf_hash_fails_the_proof_against_the_signed_root(client, ledger, size, against):
    """Entry 42's leaf hash replaced in the database: the path's nodes are untouched, so the root
    computed from the tampered leaf differs from the checkpoint's signed root (or the head's, or
    the stored subtrees'): 409 naming the entry, not a proof of a root nobody signed. Untouched,
    the same request gives the proof (the allowed path)."""
    params = {"seq": 42} if size is None else {"seq": 42, "size": size}
    assert client.get(reverse("ledger:inclusion_proof"), params).status_code == 200
    _damage("UPDATE ledger_entry SET leaf_hash = %s WHERE ledger_id = 1 AND seq = 42", [b"\x07" * 32])
    response = client.get(reverse("ledger:inclusion_proof"), params)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "ledger_damaged" and error["node"] == {"level": 0, "index": 42}
    assert against in error["message"]
    if size is None:
        assert error["checkpoint"] == ledger.pk


def test_the_key_endpoint_never_creates_a_missing_key(client, settings, monkeypatch):
    """Review r3 (suspected, confirmed): GET /ledger/key made a new signing key when the key file was
    missing, so a lost key was replaced by the first public request. A read answers 503 and leaves
    the data folder as it was; signing (a checkpoint: `checkpoint`, `demo`) or `serve` makes the key."""
    from sanxiang.ledger import keys
    from sanxiang.ledger.verification import ledger_verify

    monkeypatch.delenv(keys.ENV_KEY, raising=False)
    path = keys.key_file_path()
    assert not path.exists()
    response = client.get(reverse("ledger:public_key"))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "ledger_key_missing" and "密钥缺失" in response.json()["error"]["message"]
    assert ledger_verify(run_extra_checks=False).ok  # nothing signed yet: nothing to check with a key
    assert not path.exists()
    with transaction.atomic():
        entries_append(events=[make_event(0)])
        checkpoint_issue()  # signing makes the key
    assert path.exists()
    assert client.get(reverse("ledger:public_key")).json()["vkey"] == keys.verifier_get().vkey
    path.unlink()  # the key file lost: the checkpoint signed by it no longer verifies, and no new key appears
    assert client.get(reverse("ledger:public_key")).status_code == 503
    report = ledger_verify(run_extra_checks=False)
    assert [f.code for f in report.findings] == ["checkpoint_signature"] and not path.exists()


def test_serve_prepares_the_signing_key(settings, monkeypatch):
    from sanxiang.ledger import keys
    from sanxiang.web.management.commands.serve import data_folder_prepare

    monkeypatch.delenv(keys.ENV_KEY, raising=False)
    assert not keys.key_file_path().exists()
    data_folder_prepare()
    assert keys.key_file_path().exists() and keys.verifier_get().vkey
