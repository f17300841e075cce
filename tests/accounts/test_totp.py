"""RFC 6238 TOTP, checked against the RFC's own Appendix B vectors (SHA-1, 8 digits)."""

import base64

import pytest

from sanxiang.accounts.totp import hotp, totp_code, totp_match

RFC_SECRET = b"12345678901234567890"


@pytest.mark.parametrize(
    ("unix_time", "expected"),
    [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"), (1234567890, "89005924"),
     (2000000000, "69279037"), (20000000000, "65353130")],
)
def test_rfc6238_appendix_b_vectors(unix_time, expected):
    assert hotp(RFC_SECRET, unix_time // 30, digits=8) == expected


def test_six_digit_code_matches_within_one_step_only():
    secret = base64.b32encode(RFC_SECRET).decode()
    code = totp_code(secret, at=1_000_000)
    assert totp_match(secret, code, at=1_000_000) == 1_000_000 // 30
    assert totp_match(secret, code, at=1_000_000 + 30) is not None
    assert totp_match(secret, code, at=1_000_000 + 90) is None
    assert totp_match(secret, "abcdef", at=1_000_000) is None
