"""Signatures of deliveries (Stripe's and GitHub's scheme: t=timestamp,v1=HMAC-SHA256 over
"t.body"): the README's receiver code (`signature_verify`) accepts what the worker signs, and
refuses a changed byte, another secret and an old timestamp."""

import time

from hypothesis import given
from hypothesis import strategies as st

from sanxiang.outbox.signing import signature_header, signature_verify

SECRET = "whsec_test"


@given(body=st.binary(min_size=1, max_size=300), index=st.integers(min_value=0), flip=st.integers(1, 255))
def test_a_signature_verifies_and_any_changed_byte_fails(body, index, flip):
    now = int(time.time())
    header = signature_header(secret=SECRET, body=body, timestamp=now)
    assert signature_verify(secret=SECRET, body=body, header=header, now=now)
    changed = bytearray(body)
    changed[index % len(body)] ^= flip
    assert not signature_verify(secret=SECRET, body=bytes(changed), header=header, now=now)
    assert not signature_verify(secret=SECRET + "x", body=body, header=header, now=now)


def test_an_old_or_future_timestamp_fails_and_a_changed_timestamp_fails():
    body = b'{"id":"1"}'
    header = signature_header(secret=SECRET, body=body, timestamp=1_000_000)
    assert signature_verify(secret=SECRET, body=body, header=header, now=1_000_000 + 300)
    assert not signature_verify(secret=SECRET, body=body, header=header, now=1_000_000 + 301)  # replayed later
    assert not signature_verify(secret=SECRET, body=body, header=header, now=1_000_000 - 301)
    moved = header.replace("t=1000000", "t=1000100")  # a replayer cannot freshen the timestamp
    assert not signature_verify(secret=SECRET, body=body, header=moved, now=1_000_100)


def test_the_header_has_the_documented_form_and_garbage_fails_closed():
    header = signature_header(secret=SECRET, body=b"x", timestamp=42)
    t, v1 = header.split(",")
    assert t == "t=42" and v1.startswith("v1=") and len(v1) == 3 + 64
    for bad in ("", "t=x,v1=00", "v1=00", "t=42", "nonsense"):
        assert not signature_verify(secret=SECRET, body=b"x", header=bad, now=42)


def test_the_readme_s_receiver_code_verifies_what_the_worker_signs():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Events for other systems (webhooks)")[1]
    code = section.split("```python\n")[1].split("```")[0]
    namespace: dict = {}
    exec(code, namespace)
    verify = namespace["verify"]
    body = b'{"id":"e1","type":"case.opened"}'
    header = signature_header(secret=SECRET, body=body, timestamp=int(time.time()))
    assert verify(SECRET, body, header)
    assert not verify(SECRET, body + b" ", header)
    assert not verify("whsec_other", body, header)
    assert not verify(SECRET, body, signature_header(secret=SECRET, body=body, timestamp=int(time.time()) - 600))
    assert not verify(SECRET, body, "garbage")
