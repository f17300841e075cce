"""The file of a published policy document, for the portal: the public row names its blob by
digest, and publication (which may use the evidence store, below it) opens it. The portal imports
this module, never the evidence app."""

from __future__ import annotations

from typing import BinaryIO

from sanxiang.evidence.storage import blob_store_get
from sanxiang.publication.models import PublicDocument, PublicSystemDocument


def public_document_open(*, document: PublicDocument) -> BinaryIO:
    """The bytes of `document`; FileNotFoundError if the store does not hold them."""
    return blob_store_get().open(document.sha256)


def public_system_document_open(*, document: PublicSystemDocument) -> BinaryIO:
    """The bytes of an accepted 制度文件 (issue 15, item 5); FileNotFoundError if the store lacks them."""
    return blob_store_get().open(document.sha256)
