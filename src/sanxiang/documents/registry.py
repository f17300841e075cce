"""The fourteen kinds of document: title, layout, what each needs, and the rule that asks for it.

`record_kind` is the procedure engine's record (penalty/procedures.py RECORD_KINDS) that an issued
document of this kind provides, so the workflow can tick the record once the document is stored.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sanxiang.documents import layouts
from sanxiang.documents.blocks import Layout
from sanxiang.documents.context import DocumentContext
from sanxiang.documents.requirements import (
    ART_44,
    ART_52,
    ART_54,
    ART_55,
    ART_56,
    ART_57,
    ART_57_2,
    ART_59,
    ART_63,
    ART_64,
    ART_67,
    ART_70,
    CHECKLIST_LABEL,
    FORM_BASIS,
    REVIEW_BASIS,
    SERVICE_BASIS,
    Requirement,
    checklist_complete,
    checklist_describe,
    given,
    hearing_window_set,
    officers_at_least,
    officers_of_the_act,
    on_spot_collection_documented,
    penalty_or_opinion,
    penalty_requirements,
    performance_requirement,
    remedies_requirements,
    review_opinion_known,
    review_round_set,
    service_method_known,
    statement_window_set,
)


@dataclass(frozen=True)
class DocumentKind:
    key: str
    title: str
    layout: Callable[[DocumentContext], Layout]
    requirements: tuple[Requirement, ...]
    legal_basis: str  # the basis of requirements that cite none of their own
    record_kind: str
    # Issued to the party under a 文号 of its own; the others (forms, records, reports) are filed
    # under the case number.
    numbered: bool = False

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:
        """(context path, Chinese label) of everything the kind needs, for forms and the API."""
        return tuple((r.key, r.label) for r in self.requirements)


AGENCY = given("agency.name", "行政机关名称", legal_basis=FORM_BASIS)
NUMBER = given("document_number", "文号", legal_basis=FORM_BASIS)
CASE_NUMBER = given("case.number", "案件编号", legal_basis=FORM_BASIS)
ISSUED = given("issued_on", "文书日期", legal_basis=FORM_BASIS)
SEAL = given("agency.seal_text", "行政机关的印章", legal_basis=FORM_BASIS)
CAUSE = given("case.cause", "案由")
PARTY_NAME = given("party.name", "当事人的姓名或者名称")


def _issued(*, basis: str = FORM_BASIS) -> tuple[Requirement, ...]:
    """What every document issued to the party carries: number, agency, date and seal."""
    return (
        given("document_number", "文号", legal_basis=basis),
        given("agency.name", "行政机关名称", legal_basis=basis),
        given("issued_on", "文书日期", legal_basis=basis),
        given("agency.seal_text", "行政机关的印章", legal_basis=basis),
    )


DECISION_REQUIREMENTS: tuple[Requirement, ...] = (
    given("party.name", "当事人的姓名或者名称", element="party"),
    given("party.address", "当事人的地址", element="party"),
    given("facts", "违法事实", element="facts_evidence"),
    given("evidence", "证明违法事实的证据", element="facts_evidence"),
    given("violated", "当事人违反的法律、法规、规章条款", element="facts_evidence"),
    *penalty_requirements(legal_basis=ART_59, element="penalty_basis"),
    performance_requirement(legal_basis=ART_59, element="performance"),
    *remedies_requirements(legal_basis=ART_59, element="remedies"),
    given("agency.name", "作出行政处罚决定的行政机关名称", element="agency_date"),
    given("issued_on", "作出决定的日期", element="agency_date"),
    given("agency.seal_text", "行政机关的印章", element="seal"),
    NUMBER,
)

DOCUMENT_KINDS: dict[str, DocumentKind] = {
    kind.key: kind
    for kind in (
        DocumentKind(
            "opening_approval",
            "立案审批表",
            layouts.filing_approval_layout,
            (
                AGENCY,
                CASE_NUMBER,
                CAUSE,
                given("case.source", "案件来源"),
                PARTY_NAME,
                given("facts", "案情简介"),
                given("violated", "涉嫌违反的法律、法规、规章条款"),
                officers_of_the_act(),
                given("approval.handler", "承办人意见"),
                given("approval.head", "机关负责人审批意见"),
            ),
            ART_54,
            "opening_approval",
        ),
        DocumentKind(
            "inquiry_record",
            "询问笔录",
            layouts.inquiry_record_layout,
            (
                AGENCY,
                CAUSE,
                PARTY_NAME,
                officers_of_the_act(),
                given("inquiry.started_at", "询问时间"),
                given("inquiry.place", "询问地点"),
                given("inquiry.interviewee.name", "被询问人的姓名"),
                given("inquiry.recorder", "记录人"),
                given("inquiry.exchanges", "询问内容（问答）"),
            ),
            ART_55,
            "inquiry_record",
        ),
        DocumentKind(
            "inspection_record",
            "现场检查笔录",
            layouts.inspection_record_layout,
            (
                AGENCY,
                CAUSE,
                PARTY_NAME,
                officers_of_the_act(),
                given("inspection.started_at", "检查时间"),
                given("inspection.place", "检查地点"),
                given("inspection.recorder", "记录人"),
                given("inspection.findings", "检查情况"),
            ),
            ART_55,
            "inspection_record",
        ),
        DocumentKind(
            "preservation_notice",
            "先行登记保存通知书",
            layouts.preservation_notice_layout,
            (
                *_issued(),
                CAUSE,
                PARTY_NAME,
                officers_of_the_act(),
                given("preservation.approved_on", "机关负责人批准先行登记保存的日期"),
                given("preservation.items", "先行登记保存的物品"),
                given("preservation.storage_place", "保存地点"),
                given("preservation.handling_deadline", "作出处理决定的期限（七个工作日）"),
            ),
            ART_56,
            "preservation_notice",
            numbered=True,
        ),
        DocumentKind(
            "investigation_report",
            "调查终结报告",
            layouts.investigation_report_layout,
            (
                AGENCY,
                CAUSE,
                PARTY_NAME,
                officers_of_the_act(),
                given("investigation.process", "调查经过"),
                given("facts", "违法事实"),
                given("evidence", "证据"),
                given("violated", "当事人违反的法律、法规、规章条款"),
                Requirement("penalty", "处理意见（拟作出的行政处罚或者其他处理意见）", penalty_or_opinion),
                ISSUED,
            ),
            ART_57,
            "investigation_report",
        ),
        DocumentKind(
            "advance_notice",
            "行政处罚事先告知书",
            layouts.advance_notice_layout,
            (
                *_issued(),
                CAUSE,
                PARTY_NAME,
                given("facts", "拟作出行政处罚的事实"),
                given("violated", "当事人违反的法律、法规、规章条款（理由）"),
                *penalty_requirements(legal_basis=ART_44),
                given("notice", "当事人陈述、申辩（及听证）的权利和期限"),
                Requirement("notice.statement_days", "陈述、申辩的期限", statement_window_set),
                Requirement("notice.hearing_request_days", "要求听证的期限", hearing_window_set, ART_63),
            ),
            ART_44,
            "advance_notice",
            numbered=True,
        ),
        DocumentKind(
            "hearing_notice",
            "听证通知书",
            layouts.hearing_notice_layout,
            (
                *_issued(),
                CAUSE,
                PARTY_NAME,
                given("hearing.held_at", "听证的时间"),
                given("hearing.place", "听证的地点"),
                given("hearing.presiding", "听证主持人"),
                given("hearing.clerk", "书记员"),
            ),
            ART_64,
            "hearing_notice",
            numbered=True,
        ),
        DocumentKind(
            "hearing_transcript",
            "听证笔录",
            layouts.hearing_record_layout,
            (
                AGENCY,
                CAUSE,
                PARTY_NAME,
                officers_at_least(1, legal_basis=ART_64),
                given("hearing.held_at", "听证开始时间"),
                given("hearing.ended_at", "听证结束时间"),
                given("hearing.place", "听证地点"),
                given("hearing.presiding", "听证主持人"),
                given("hearing.clerk", "书记员"),
                given("hearing.exchanges", "听证记录"),
            ),
            ART_64,
            "hearing_transcript",
        ),
        DocumentKind(
            "decision_document",
            "行政处罚决定书",
            layouts.decision_document_layout,
            DECISION_REQUIREMENTS,
            ART_59,
            "decision_document",
            numbered=True,
        ),
        DocumentKind(
            "service_receipt",
            "送达回证",
            layouts.service_receipt_layout,
            (
                AGENCY,
                given("service.documents", "送达文书的名称和文号"),
                given("service.recipient", "受送达人"),
                given("service.place", "送达地点"),
                Requirement(
                    "service.method",
                    "送达方式（直接、留置、邮寄、电子、公告或者委托送达）",
                    service_method_known,
                ),
                officers_at_least(1, legal_basis=SERVICE_BASIS),
                ISSUED,
                SEAL,
            ),
            SERVICE_BASIS,
            "service_receipt",
        ),
        DocumentKind(
            "summary_decision",
            "当场处罚决定书",
            layouts.summary_decision_layout,
            (
                given("document_number", "决定书编号", legal_basis=ART_52),
                given("party.name", "当事人的姓名或者名称"),
                given("facts", "当事人的违法行为"),
                *penalty_requirements(legal_basis=ART_52),
                given("on_spot.occurred_at", "违法行为的时间"),
                given("on_spot.place", "违法行为的地点"),
                performance_requirement(legal_basis=ART_67),
                Requirement(
                    "on_spot.receipt_number",
                    "当场收缴罚款的法定情形和罚款收据编号",
                    on_spot_collection_documented,
                    ART_70,
                ),
                *remedies_requirements(legal_basis=ART_52),
                given("agency.name", "行政机关名称"),
                officers_at_least(1, legal_basis=ART_52),
                ISSUED,
                SEAL,
            ),
            ART_52,
            "decision_document",
            numbered=True,
        ),
        DocumentKind(
            "closing_approval",
            "结案审批表",
            layouts.closing_approval_layout,
            (
                AGENCY,
                CASE_NUMBER,
                CAUSE,
                PARTY_NAME,
                given("closing.decision_number", "处理决定书文号"),
                given("closing.decided_on", "决定日期"),
                given("closing.execution", "执行情况"),
                officers_at_least(1, legal_basis=FORM_BASIS),
                given("approval.handler", "承办人意见"),
                given("approval.head", "机关负责人审批意见"),
            ),
            FORM_BASIS,
            "closing_approval",
        ),
        DocumentKind(
            "review_opinion",
            "法制审核意见书",
            layouts.review_opinion_layout,
            (
                AGENCY,
                CASE_NUMBER,
                CAUSE,
                PARTY_NAME,
                Requirement("review.round", "送审次数", review_round_set),
                given("review.reviewer", "审核人员"),
                given("review.reviewed_on", "审核日期"),
                given("review.proposed", "拟作出的决定"),
                Requirement(
                    "review.checklist", CHECKLIST_LABEL, checklist_complete, describe=checklist_describe
                ),
                Requirement(
                    "review.opinion", "审核意见（同意、不同意或者补充材料后重新提交）", review_opinion_known
                ),
                given("review.reasons", "审核意见的理由"),
            ),
            REVIEW_BASIS,
            "review_opinion",
        ),
        DocumentKind(
            "collective_discussion",
            "集体讨论记录",
            layouts.collective_discussion_layout,
            (
                AGENCY,
                CASE_NUMBER,
                CAUSE,
                given("discussion.held_on", "讨论时间"),
                given("discussion.host", "主持人"),
                given("discussion.recorder", "记录人"),
                given("discussion.participants", "出席人员"),
                given("discussion.subject", "讨论事项"),
                given("discussion.conclusion", "讨论结论"),
            ),
            ART_57_2,
            "collective_discussion_record",
        ),
    )
}

__all__ = ["DECISION_REQUIREMENTS", "DOCUMENT_KINDS", "DocumentKind"]
