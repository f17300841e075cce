"""Enforcement documents (执法文书): the fourteen standard documents of a penalty case, rendered from
case data as PDF (to issue, hash and archive) and DOCX (to edit in WPS or Word).

Pure rendering: no models and no Django. The workflow builds a `DocumentContext`, calls
`document_render(kind=..., context=...)`, stores both files in the evidence store and records the
PDF's digest in the ledger. A context that lacks something the document must contain is refused
with `DocumentIncomplete`, a `Refused` carrying every missing item as a `Violation` with its legal
basis (for the 行政处罚决定书: 《中华人民共和国行政处罚法》第五十九条).
"""

from sanxiang.documents.context import (
    CHECKLIST_FINDINGS,
    PENALTY_KINDS,
    REVIEW_OPINIONS,
    SERVICE_METHODS,
    Agency,
    Approval,
    CaseInfo,
    ChecklistLine,
    ClosingDetails,
    DecisionDetails,
    DiscussionDetails,
    DocumentContext,
    Evidence,
    Exchange,
    HearingDetails,
    InquiryDetails,
    InspectionDetails,
    InvestigationDetails,
    LegalBasis,
    NoticeDetails,
    Officer,
    OnSpotDetails,
    Opinion,
    Party,
    Penalty,
    PenaltyItem,
    Performance,
    Person,
    PreservationDetails,
    PreservedItem,
    Remedies,
    ReviewDetails,
    ServedDocument,
    ServiceDetails,
)
from sanxiang.documents.pdf import CharactersUnprintable
from sanxiang.documents.registry import DOCUMENT_KINDS, DocumentKind
from sanxiang.documents.render import (
    RenderedDocument,
    decision_elements_present,
    document_kind_get,
    document_problems,
    document_render,
)
from sanxiang.documents.requirements import DECISION_ELEMENTS, DocumentIncomplete
from sanxiang.documents.text import (
    amount_render,
    amount_render_capital,
    amount_render_figures,
    date_render,
)

__all__ = [
    "CHECKLIST_FINDINGS",
    "DECISION_ELEMENTS",
    "DOCUMENT_KINDS",
    "PENALTY_KINDS",
    "REVIEW_OPINIONS",
    "SERVICE_METHODS",
    "Agency",
    "Approval",
    "CaseInfo",
    "CharactersUnprintable",
    "ChecklistLine",
    "ClosingDetails",
    "DecisionDetails",
    "DiscussionDetails",
    "DocumentContext",
    "DocumentIncomplete",
    "DocumentKind",
    "Evidence",
    "Exchange",
    "HearingDetails",
    "InquiryDetails",
    "InspectionDetails",
    "InvestigationDetails",
    "LegalBasis",
    "NoticeDetails",
    "Officer",
    "OnSpotDetails",
    "Opinion",
    "Party",
    "Penalty",
    "PenaltyItem",
    "Performance",
    "Person",
    "PreservationDetails",
    "PreservedItem",
    "Remedies",
    "RenderedDocument",
    "ReviewDetails",
    "ServedDocument",
    "ServiceDetails",
    "amount_render",
    "amount_render_capital",
    "amount_render_figures",
    "date_render",
    "decision_elements_present",
    "document_kind_get",
    "document_problems",
    "document_render",
]
