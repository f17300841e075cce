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

- The PDF of an internal document (an approval form, the investigator's report, the record of the
  collective discussion, the legal reviewer's opinion: `DOCUMENT_KINDS_INTERNAL`) may follow too.
  No law serves it to the party or has the party read or sign it (笔录 and 清单, which the party
  signs, and every numbered document, which is issued to the party, stay in the step; so does the
  送达回证). Its content is fixed in the step: the step's DOCUMENT_ISSUED entry records the digest
  of the very context the job renders from, and the job's entry records the files' digests. Until
  it exists the document page says 生成中; a step that serves a document to the party (a numbered document or a
  送达回证) or decides, and a case-file export, first renders every PDF of the case still to follow, in its own
  transaction (`documents_complete_before_step`), so that nothing is served, decided or exported
  on a document that does not exist yet.

All of these are platform rules (系统规则), not law.
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

# Documents the agency writes for itself, never served to the party nor signed by it (platform rule).
DOCUMENT_KINDS_INTERNAL = frozenset(
    {"opening_approval", "investigation_report", "closing_approval", "review_opinion", "collective_discussion"}
)
DOCUMENT_INTERNAL_RULE = (
    "系统规则：立案审批表、调查终结报告、法制审核意见书、集体讨论记录、结案审批表等内部文书不向当事人送达、"
    "不交当事人签字，其内容在办理环节中确定并将内容摘要记入账本，PDF文本可由后台任务随后生成；"
    "向当事人送达文书或作出决定的环节、导出案卷之前，先行生成本案尚未生成的文本"
)


def document_pdf_may_follow(kind: str) -> bool:
    """Whether the PDF of a document of `kind` may be rendered after the step that issues it (an
    internal document: `DOCUMENT_KINDS_INTERNAL`); its Word copy then follows with it."""
    return kind in DOCUMENT_KINDS_INTERNAL


# The 送达回证 is served with the document it covers (it has no 文号 of its own).
DOCUMENT_KINDS_SERVED_WITHOUT_NUMBER = frozenset({"service_receipt"})


def document_served_to_party(kind: str, *, numbered: bool) -> bool:
    """Whether a step issuing a document of `kind` serves it to the party: every document issued
    under a 文号 of its own, and the 送达回证."""
    return numbered or kind in DOCUMENT_KINDS_SERVED_WITHOUT_NUMBER


def documents_complete_before_step(*, serves: bool, decides: bool) -> bool:
    """Whether a step must first render every PDF of the case still to follow: it serves a document
    to the party (`document_served_to_party`), or it decides."""
    return serves or decides


def document_format_may_follow(fmt: str) -> bool:
    """Whether this form of a document may be rendered after the step that issues it has
    committed (True for the Word copy only; never for the PDF original)."""
    if fmt not in DOCUMENT_FORMATS_IN_STEP | DOCUMENT_FORMATS_MAY_FOLLOW:
        raise ValueError(f"unknown document format {fmt!r}")
    return fmt in DOCUMENT_FORMATS_MAY_FOLLOW
