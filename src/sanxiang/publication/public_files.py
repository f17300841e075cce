"""The file of a published policy document, for the portal: the public row names its blob by
digest, and publication (which may use the evidence store, below it) opens it. The portal imports
this module, never the evidence app."""

from __future__ import annotations

from typing import BinaryIO

from sanxiang.evidence.storage import blob_store_get
from sanxiang.publication.models import PublicDocument


def public_document_open(*, document: PublicDocument) -> BinaryIO:
    """The bytes of `document`; FileNotFoundError if the store does not hold them."""
    return blob_store_get().open(document.sha256)
