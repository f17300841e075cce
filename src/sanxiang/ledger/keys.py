"""The checkpoint signing key and the ledger's origin, from settings and the data folder."""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sanxiang.ledger.notes import NoteError, Signer, Verifier
from sanxiang.privatefiles import private_dir_make

KEY_FILE_NAME = "ledger_ed25519.key"
ENV_KEY = "SANXIANG_LEDGER_SIGNING_KEY"


def ledger_origin() -> str:
    return getattr(settings, "SANXIANG_LEDGER_ORIGIN", "sanxiang.local/ledger")


def ledger_key_name() -> str:
    # The C2SP convention names the checkpoint key after the log's origin.
    return getattr(settings, "SANXIANG_LEDGER_KEY_NAME", None) or ledger_origin()


def ledger_hash_algorithm() -> str:
    return getattr(settings, "SANXIANG_LEDGER_HASH", "sha256")


def key_file_path() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


def _seed_from_base64(text: str, where: str) -> bytes:
    try:
        seed = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{where}: the ledger signing key is not valid base64") from exc
    if len(seed) != 32:
        raise ImproperlyConfigured(f"{where}: the ledger signing key must be 32 bytes (Ed25519 seed)")
    return seed


def _seed_create(path: Path) -> bytes:
    """Write a fresh key with mode 0600; O_EXCL so that two processes racing on first use end up
    with one key (the loser reads the winner's)."""
    private_dir_make(path.parent)
    seed = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _seed_read(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.b64encode(seed).decode() + "\n")
    return seed


def _seed_read(path: Path) -> bytes:
    text = path.read_text()
    if not text.strip():
        raise ImproperlyConfigured(f"{path}: empty ledger signing key file")
    return _seed_from_base64(text, str(path))


class LedgerKeyMissingError(ImproperlyConfigured):
    """No signing key: neither SANXIANG_LEDGER_SIGNING_KEY nor the key file (a read never makes one)."""


def signer_get(*, create: bool = True) -> Signer:
    """The Ed25519 checkpoint signer: SANXIANG_LEDGER_SIGNING_KEY (base64 seed) when set,
    otherwise DATA_DIR/ledger_ed25519.key, created when missing only by a signing (`create`: the
    commands and services that issue checkpoints); LedgerKeyMissingError otherwise."""
    configured = os.environ.get(ENV_KEY, "")
    if configured:
        seed = _seed_from_base64(configured, ENV_KEY)
    else:
        path = key_file_path()
        if path.exists():
            seed = _seed_read(path)
        elif create:
            seed = _seed_create(path)
        else:
            raise LedgerKeyMissingError(f"{path}: the ledger signing key is missing ({ENV_KEY} not set either)")
    return Signer(ledger_key_name(), Ed25519PrivateKey.from_private_bytes(seed))


def signing_key_ensure() -> None:
    """Create the signing key if there is none (setting up an installation: `serve`, `demo`)."""
    signer_get(create=True)


def verifier_get() -> Verifier:
    """The current public key, for reads and checks: never creates a key (a lost key file must not
    be replaced silently by the first request that reads it); LedgerKeyMissingError if missing."""
    return signer_get(create=False).verifier


def trusted_verifiers(extra_vkeys: list[str] = ()) -> list[Verifier]:
    """The current key (when there is one: its absence leaves signed checkpoints unverified, named
    as such) plus retired keys listed in settings.SANXIANG_LEDGER_TRUSTED_KEYS (vkey strings), so
    that checkpoints signed before a key change still verify."""
    vkeys = [*getattr(settings, "SANXIANG_LEDGER_TRUSTED_KEYS", []), *extra_vkeys]
    try:
        current = [verifier_get()]
    except LedgerKeyMissingError:
        current = []
    try:
        return [*current, *(Verifier.from_vkey(v) for v in vkeys)]
    except NoteError as exc:
        raise ImproperlyConfigured(f"invalid trusted ledger key: {exc}") from exc
