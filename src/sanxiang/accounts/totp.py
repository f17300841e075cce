"""TOTP (RFC 6238) over HMAC-SHA1 with 30-second steps and 6 digits, the parameters every
authenticator app (Google Authenticator, Microsoft Authenticator, 腾讯身份验证器) uses."""

import base64
import hmac
import secrets
import struct
import time
from urllib.parse import quote

STEP_SECONDS = 30
DIGITS = 6


def totp_secret_generate() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def hotp(secret: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    mac = hmac.new(secret, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


def _key(secret_b32: str) -> bytes:
    padded = secret_b32.upper() + "=" * (-len(secret_b32) % 8)
    return base64.b32decode(padded)


def totp_code(secret_b32: str, *, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // STEP_SECONDS)
    return hotp(_key(secret_b32), counter)


def totp_match(secret_b32: str, code: str, *, at: float | None = None, drift_steps: int = 1) -> int | None:
    """The counter that `code` matches within ±drift_steps, or None. Callers keep the last
    accepted counter and refuse it again, so that a code is never used twice."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = int((time.time() if at is None else at) // STEP_SECONDS)
    key = _key(secret_b32)
    for counter in range(now - drift_steps, now + drift_steps + 1):
        if hmac.compare_digest(hotp(key, counter), code):
            return counter
    return None


def totp_provisioning_uri(secret_b32: str, *, account: str, issuer: str = "Sanxiang") -> str:
    label = quote(f"{issuer}:{account}")
    return f"otpauth://totp/{label}?secret={secret_b32}&issuer={quote(issuer)}&digits={DIGITS}&period={STEP_SECONDS}"
