"""When each form of an issued document (文书) must exist: in the transaction of the step that
issues it, or once that step has committed (issue 12: render in the background what the law allows
to follow, keep synchronous what must be).

- The PDF is the document as issued: the text that is numbered, checked, entered in the ledger,
  printed, signed, served to the party (《中华人民共和国行政处罚法》第六十一条: the decision is
  served; 第四十四条: the party is told before the decision) and read by the reviewers and by every
  guard of a later step. It is rendered in the step's own transaction, for every kind, so that a
  step that issues a document never commits without it.
- The Word (DOCX) form is a copy of the same text for the agency's own editing and filing. No law
  requires it, nothing is served from it and no guard reads it: it may follow, rendered from the
  very context the PDF was rendered from (kept with its job), stored, linked to the document and
  entered in the ledger when it exists. Until then it is not offered for download ("生成中"), and
  a case file (案卷) exported in the meantime renders it first.

Both are platform rules (系统规则), not law.
"""

from __future__ import annotations

DOCUMENT_ORIGINAL_FORMAT = "pdf"
# The forms rendered in the step's transaction, and those that may follow it.
DOCUMENT_FORMATS_IN_STEP = frozenset({"pdf"})
DOCUMENT_FORMATS_MAY_FOLLOW = frozenset({"docx"})

DOCUMENT_ORIGINAL_RULE = (
    "系统规则：文书的PDF文本为正式文本，在办理环节的同一事务中生成、编号并记入账本，"
    "向当事人送达、打印签字和审核均以该文本为准"
)
DOCUMENT_COPY_RULE = (
    "系统规则：文书的Word文本是PDF正式文本的编辑副本，不向当事人送达、不作为办理依据，"
    "可在办理环节提交后由后台任务按同一内容生成，生成后记入账本；生成前不提供下载，导出案卷时先行生成"
)


def document_format_may_follow(fmt: str) -> bool:
    """Whether this form of a document may be rendered after the step that issues it has
    committed (True for the Word copy only; never for the PDF original)."""
    if fmt not in DOCUMENT_FORMATS_IN_STEP | DOCUMENT_FORMATS_MAY_FOLLOW:
        raise ValueError(f"unknown document format {fmt!r}")
    return fmt in DOCUMENT_FORMATS_MAY_FOLLOW
