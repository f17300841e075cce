"""C2SP signed notes (c2sp.org/signed-note) carrying tlog checkpoints (c2sp.org/tlog-checkpoint),
Ed25519 only: the verifying half of `sanxiang.ledger.notes`, vendored for the same reason as
`merkle.py` and checked against the original by the parity tests."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ED25519_TYPE = b"\x01"
EM_DASH = "\u2014"
_NAME_RE = re.compile(r"[^\s+]+")
_SIZE_RE = re.compile(r"0|[1-9][0-9]{0,19}")


class NoteError(ValueError):
    """A note or key is malformed, or a signature does not verify."""


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise NoteError(f"{what} is not valid base64") from exc


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519_TYPE + public_key).digest()[:4]


def _check_name(name: str) -> None:
    if not _NAME_RE.fullmatch(name):
        raise NoteError(f"invalid key name {name!r}")


@dataclass(frozen=True)
class Verifier:
    name: str
    public_key: bytes

    def __post_init__(self) -> None:
        _check_name(self.name)
        if len(self.public_key) != 32:
            raise NoteError("an Ed25519 public key is 32 bytes")

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    @property
    def vkey(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(ED25519_TYPE + self.public_key).decode()}"

    @classmethod
    def from_vkey(cls, vkey: str) -> Verifier:
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3:
            raise NoteError("a verifier key reads name+keyid+base64key")
        name, hex_id, b64 = parts
        raw = _b64decode(b64, "verifier key")
        if not raw or raw[:1] != ED25519_TYPE:
            raise NoteError("only Ed25519 verifier keys (type 0x01) are supported")
        verifier = cls(name, raw[1:])
        if verifier.key_id.hex() != hex_id.lower():
            raise NoteError("verifier key id does not match its name and key")
        return verifier

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class NoteSignature:
    name: str
    key_id: bytes
    signature: bytes


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()


def note_parse(note: str) -> tuple[str, list[NoteSignature]]:
    if not note.endswith("\n"):
        raise NoteError("a signed note ends with a newline")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise NoteError("a signed note has a blank line before its signatures")
    text, sig_block = note[: cut + 1], note[cut + 2 :]
    signatures = []
    for line in sig_block.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != EM_DASH:
            raise NoteError(f"malformed signature line {line!r}")
        _, name, b64 = parts
        _check_name(name)
        raw = _b64decode(b64, "signature")
        if len(raw) < 5:
            raise NoteError("signature too short")
        signatures.append(NoteSignature(name, raw[:4], raw[4:]))
    if not signatures:
        raise NoteError("a signed note has at least one signature")
    return text, signatures


def note_verify(note: str, verifiers: list[Verifier]) -> tuple[str, Verifier]:
    """The note's text and the verifier whose signature checks; NoteError if none does.

    Signatures by unknown keys are ignored, as the signed-note spec says; a signature by a known
    key that does not verify is an error."""
    text, signatures = note_parse(note)
    known = {(v.name, v.key_id): v for v in verifiers}
    verified = None
    for sig in signatures:
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            continue
        if not verifier.verify(text.encode(), sig.signature):
            raise NoteError(f"signature by {sig.name} does not verify")
        verified = verifier
    if verified is None:
        raise NoteError("no signature by a trusted key")
    return text, verified


def checkpoint_parse(text: str, *, digest_size: int = 32) -> Checkpoint:
    if not text.endswith("\n"):
        raise NoteError("checkpoint text ends with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("a checkpoint has an origin, a size and a root hash")
    origin, size_text, root_text, *extensions = lines
    if not origin:
        raise NoteError("empty origin line")
    if not _SIZE_RE.fullmatch(size_text):
        raise NoteError(f"invalid tree size {size_text!r}")
    root = _b64decode(root_text, "root hash")
    if len(root) != digest_size:
        raise NoteError(f"root hash is {len(root)} bytes, not {digest_size}")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))


def checkpoint_verify(note: str, verifiers: list[Verifier], *, digest_size: int = 32) -> Checkpoint:
    text, _ = note_verify(note, verifiers)
    return checkpoint_parse(text, digest_size=digest_size)
