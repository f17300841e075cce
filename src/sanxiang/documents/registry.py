"""The kinds of document: title, layout, what each needs, and the rule that asks for it.

`DOCUMENT_KINDS` holds the fourteen standard documents of a penalty case; `PENALTY_OUTCOME_KINDS` the
decisions of its other outcomes (不予行政处罚, 移送司法机关); `COERCION_KINDS` the documents of
行政强制 (the measures and their execution). `ALL_DOCUMENT_KINDS` is all of them, which
`document_render` and `document_problems` accept.

`record_kind` is the procedure engine's record (penalty/, coercion/ and enforcement/procedures.py
RECORD_KINDS) that an issued document of this kind provides, so the workflow can tick the record
once the document is stored.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sanxiang.documents import coercion_layouts, layouts, layouts_other_acts, permit_layouts
from sanxiang.documents.blocks import Layout
from sanxiang.documents.context import DocumentContext
from sanxiang.documents.requirements import (
    ART_27,
    ART_33_3,
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
    C_18,
    C_18_2,
    C_18_5,
    C_18_6,
    C_18_9,
    C_24,
    C_24_2,
    C_25_2,
    C_28,
    C_30,
    C_31,
    C_32_2,
    C_33,
    C_35,
    C_37,
    C_37_2,
    C_37_3,
    C_50,
    C_51,
    C_54,
    C_55,
    C_55_1,
    C_55_2,
    CHECKLIST_LABEL,
    FORM_BASIS,
    NO_PENALTY_BASIS,
    REVIEW_BASIS,
    SERVICE_BASIS,
    TRANSFER_BASIS,
    TRANSFER_MATERIALS_BASIS,
    Requirement,
    accounts_complete,
    checklist_complete,
    checklist_describe,
    demand_amount_set,
    education_given,
    execution_method_known,
    extension_days_set,
    given,
    hearing_window_set,
    immediate_reason_given,
    measure_items_complete,
    measure_kind_in,
    measure_period_set,
    no_penalty_reason_known,
    obligation_known,
    officers_at_least,
    officers_of_the_act,
    on_site_given,
    on_spot_collection_documented,
    penalty_or_opinion,
    penalty_requirements,
    performance_requirement,
    release_ground_known,
    release_returns_listed,
    remedies_requirements,
    review_opinion_known,
    review_round_set,
    service_method_known,
    statement_window_set,
    substitute_cost_set,
    witness_when_absent,
)
from sanxiang.procedure.coercion.snapshot import DECISION_ELEMENTS as MEASURE_DECISION_ELEMENTS
from sanxiang.procedure.coercion.snapshot import FREEZE_DECISION_ELEMENTS, MEASURE_KINDS
from sanxiang.procedure.enforcement.snapshot import DEMAND_ELEMENTS, EXECUTION_DECISION_ELEMENTS
from sanxiang.procedure.penalty.snapshot import NO_PENALTY_DECISION_ELEMENTS
from sanxiang.procedure.permit import rules as permit_rules

Resolve = Callable[[DocumentContext], str]


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
    # What a numbered kind's 文号 adds to the agency's abbreviation: 罚决 in 乌市监罚决〔2026〕12号.
    number_word: str = ""
    # The procedure engine's checklist of what the document states (e.g. 第二十四条第二款's elements
    # of a 查封、扣押决定书), under the engine's keys; `document_elements_present` reports which of
    # them a context supplies, from the requirements that carry them.
    elements: tuple[str, ...] = ()
    # A title or a basis that depends on the context: a measure's documents name the measure
    # (扣押决定书), and a 冻结 rests on other articles than a 查封、扣押.
    title_of: Resolve | None = None
    basis_of: Resolve | None = None

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:
        """(context path, Chinese label) of everything the kind needs, for forms and the API."""
        return tuple((r.key, r.label) for r in self.requirements)

    def title_for(self, context: DocumentContext) -> str:
        """The title this context's document carries: 扣押决定书 for a seizure."""
        return self.title_of(context) if self.title_of is not None else self.title

    def basis_for(self, context: DocumentContext) -> str:
        """The basis of the requirements that cite none of their own, for this context."""
        return self.basis_of(context) if self.basis_of is not None else self.legal_basis


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
            number_word="先保",
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
            number_word="罚告",
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
            number_word="听通",
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
            number_word="罚决",
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
            number_word="当罚",
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


# --- 不予行政处罚, 移送司法机关 ------------------------------------------------------------------------

# 第五十九条's elements that a 不予行政处罚决定书 states (procedure: NO_PENALTY_DECISION_ELEMENTS),
# with the ground of not penalising in place of the penalty and its performance.
NO_PENALTY_REQUIREMENTS: tuple[Requirement, ...] = (
    given("party.name", "当事人的姓名或者名称", element="party"),
    given("party.address", "当事人的地址", element="party"),
    given("facts", "查明的事实", element="facts_evidence"),
    given("evidence", "证据", element="facts_evidence"),
    Requirement(
        "no_penalty.reason",
        "不予行政处罚的法定情形",
        no_penalty_reason_known,
        NO_PENALTY_BASIS,
    ),
    given("no_penalty.reasoning", "不予行政处罚的理由", legal_basis=NO_PENALTY_BASIS),
    Requirement("no_penalty.education", "对当事人的教育（或者责令监护人管教）", education_given, ART_33_3),
    *remedies_requirements(legal_basis=ART_59, element="remedies"),
    given("agency.name", "作出决定的行政机关名称", element="agency_date"),
    given("issued_on", "作出决定的日期", element="agency_date"),
    given("agency.seal_text", "行政机关的印章", element="seal"),
    NUMBER,
)

PENALTY_OUTCOME_KINDS: dict[str, DocumentKind] = {
    kind.key: kind
    for kind in (
        DocumentKind(
            "no_penalty_decision",
            "不予行政处罚决定书",
            layouts.no_penalty_decision_layout,
            NO_PENALTY_REQUIREMENTS,
            ART_59,
            "decision_document",
            numbered=True,
            number_word="不罚决",
            elements=tuple(NO_PENALTY_DECISION_ELEMENTS),
        ),
        DocumentKind(
            "transfer_letter",
            "涉嫌犯罪案件移送书",
            layouts.transfer_letter_layout,
            (
                *_issued(),
                CAUSE,
                PARTY_NAME,
                given("transfer.recipient", "受移送的司法机关"),
                given("facts", "案件事实"),
                given("transfer.reasons", "移送的理由（涉嫌犯罪的情形）", legal_basis=ART_27),
                given("transfer.suspected_offence", "涉嫌的罪名", legal_basis=ART_27),
                given(
                    "transfer.attachments",
                    "随案移送的材料（涉嫌犯罪案件情况的调查报告、涉案物品清单、检验报告或者鉴定结论等）",
                    legal_basis=TRANSFER_MATERIALS_BASIS,
                ),
            ),
            TRANSFER_BASIS,
            "transfer_letter",
            numbered=True,
            number_word="移送",
        ),
    )
}


# --- 行政强制 ----------------------------------------------------------------------------------------

SEAL_SEIZURE = ("seal_up", "seizure")
ALL_MEASURES = tuple(MEASURE_KINDS)


def _measure_title(template: str, kinds: tuple[str, ...] = ALL_MEASURES) -> Resolve:
    """查封（扣押）决定书 → 查封决定书 / 扣押决定书 (/ 冻结 where the document serves a freeze too) as
    the context's measure is; the template while the measure is none the document is for."""

    def title(context: DocumentContext) -> str:
        measure = context.measure
        if measure is None or measure.kind not in kinds:
            return template
        return template.replace("查封（扣押）", measure.label)

    return title


def _measure_basis(seal_seizure: str, freeze: str) -> Resolve:
    def basis(context: DocumentContext) -> str:
        return freeze if context.measure is not None and context.measure.kind == "freeze" else seal_seizure

    return basis


def _measure_decision_requirements(
    *, kind: Requirement, items: Requirement, legal_basis: str
) -> tuple[Requirement, ...]:
    """第二十四条第二款 (查封、扣押) and 第三十一条 (冻结): the same five elements, with the things or
    the accounts; under the keys of the engine's DECISION_ELEMENTS and FREEZE_DECISION_ELEMENTS."""
    return (
        given("party.name", "当事人的姓名或者名称", element="party"),
        given("party.address", "当事人的地址", element="party"),
        kind,
        given("measure.reason", "采取行政强制措施的理由", element="reasons_basis_period"),
        given("measure.bases", "采取行政强制措施的依据（法律、法规的条款）", element="reasons_basis_period"),
        Requirement(
            "measure.days",
            "行政强制措施的期限（起止日期和天数）",
            measure_period_set,
            element="reasons_basis_period",
        ),
        items,
        *remedies_requirements(legal_basis=legal_basis, element="remedies"),
        given("agency.name", "行政机关的名称", element="agency_seal_date"),
        given("agency.seal_text", "行政机关的印章", element="agency_seal_date"),
        given("issued_on", "决定日期", element="agency_seal_date"),
        NUMBER,
    )


def _enforced_decision(*, party: str = "当事人") -> tuple[Requirement, ...]:
    """The decision the party did not perform and how it failed (第三十四条、第五十三条)."""
    return (
        given("enforcement.decision.number", "据以执行的行政决定书文号"),
        given("enforcement.decision.duty", "行政决定要求履行的义务"),
        given("enforcement.default", f"{party}不履行义务的情况"),
    )


def _demand_served(*, legal_basis: str) -> tuple[Requirement, ...]:
    """The demand that came first (第三十五条, 第五十条, 第五十四条): its number, its service and its deadline."""
    return (
        given("enforcement.demand.number", "催告书文号", legal_basis=legal_basis),
        given("enforcement.demand.served_on", "催告书送达日期", legal_basis=legal_basis),
        given("enforcement.demand.deadline", "催告书载明的履行期限", legal_basis=legal_basis),
    )


COERCION_KINDS: dict[str, DocumentKind] = {
    kind.key: kind
    for kind in (
        DocumentKind(
            "measure_decision",
            "查封（扣押）决定书",
            coercion_layouts.measure_decision_layout,
            _measure_decision_requirements(
                kind=measure_kind_in(*SEAL_SEIZURE),
                items=Requirement(
                    "measure.items",
                    "查封、扣押场所、设施或者财物的名称、数量",
                    measure_items_complete,
                    element="items",
                ),
                legal_basis=C_24_2,
            ),
            C_24_2,
            "measure_decision",
            numbered=True,
            number_word="查扣决",
            elements=tuple(MEASURE_DECISION_ELEMENTS),
            title_of=_measure_title("查封（扣押）决定书", SEAL_SEIZURE),
        ),
        DocumentKind(
            "inventory",
            "查封（扣押）财物清单",
            coercion_layouts.inventory_layout,
            (
                AGENCY,
                PARTY_NAME,
                measure_kind_in(*SEAL_SEIZURE),
                Requirement(
                    "measure.items", "查封、扣押场所、设施或者财物的名称、数量", measure_items_complete
                ),
                officers_of_the_act(legal_basis=C_18_2),
                ISSUED,
            ),
            C_24,
            "inventory",
            title_of=_measure_title("查封（扣押）财物清单", SEAL_SEIZURE),
        ),
        DocumentKind(
            "on_site_record",
            "现场笔录",
            coercion_layouts.on_site_record_layout,
            (
                AGENCY,
                PARTY_NAME,
                measure_kind_in(*ALL_MEASURES),
                officers_of_the_act(legal_basis=C_18_2),
                given("measure.on_site.started_at", "实施的时间"),
                given("measure.on_site.ended_at", "结束的时间"),
                given("measure.on_site.place", "实施的地点"),
                given("measure.on_site.recorder", "记录人"),
                given("measure.on_site.findings", "现场情况"),
                on_site_given(
                    "measure.on_site.told",
                    "当场告知当事人的理由、依据以及当事人依法享有的权利、救济途径",
                    legal_basis=C_18_5,
                ),
                on_site_given(
                    "measure.on_site.statement",
                    "当事人的陈述和申辩（或者当事人未陈述、申辩）",
                    legal_basis=C_18_6,
                ),
                Requirement("measure.on_site.witness", "当事人不到场时的见证人", witness_when_absent, C_18_9),
            ),
            C_18,
            "on_site_record",
            basis_of=_measure_basis(C_18, C_30),
        ),
        DocumentKind(
            "extension_notice",
            "延长查封（扣押）期限通知书",
            coercion_layouts.extension_notice_layout,
            (
                *_issued(),
                PARTY_NAME,
                measure_kind_in(*ALL_MEASURES),
                given("measure.decision_number", "原决定书文号"),
                given("measure.end", "原期限届满日期"),
                given("measure.extension", "延长期限的决定"),
                given("measure.extension.reason", "延长期限的理由"),
                Requirement("measure.extension.days", "延长的期限", extension_days_set),
                given("measure.extension.approved_on", "行政机关负责人批准延长的日期"),
                given("measure.extension.new_end", "延长后的期限届满日期"),
            ),
            C_25_2,
            "extension_notice",
            numbered=True,
            number_word="延期",
            title_of=_measure_title("延长查封（扣押）期限通知书"),
            basis_of=_measure_basis(C_25_2, C_32_2),
        ),
        DocumentKind(
            "release_decision",
            "解除查封（扣押）决定书",
            coercion_layouts.release_decision_layout,
            (
                *_issued(),
                PARTY_NAME,
                measure_kind_in(*ALL_MEASURES),
                given("measure.decision_number", "原决定书文号"),
                Requirement("measure.release.ground", "解除的法定情形", release_ground_known),
                Requirement(
                    "measure.release.items",
                    "解除后退还的财物（冻结：解除冻结的账号和数额）",
                    release_returns_listed,
                ),
            ),
            C_28,
            "release_decision",
            numbered=True,
            number_word="解强",
            title_of=_measure_title("解除查封（扣押）决定书"),
            basis_of=_measure_basis(C_28, C_33),
        ),
        DocumentKind(
            "freeze_decision",
            "冻结决定书",
            coercion_layouts.freeze_decision_layout,
            _measure_decision_requirements(
                kind=measure_kind_in("freeze"),
                items=Requirement(
                    "measure.accounts",
                    "冻结的账号和数额（开户金融机构、账号、数额）",
                    accounts_complete,
                    element="items",
                ),
                legal_basis=C_31,
            ),
            C_31,
            "freeze_decision",
            numbered=True,
            number_word="冻决",
            elements=tuple(FREEZE_DECISION_ELEMENTS),
        ),
        DocumentKind(
            "demand",
            "催告书",
            coercion_layouts.demand_layout,
            (
                *_issued(),
                PARTY_NAME,
                Requirement("enforcement.obligation", "应当履行的义务的种类", obligation_known),
                *_enforced_decision(),
                given("enforcement.demand.deadline", "履行义务的期限", element="deadline"),
                given("enforcement.demand.method", "履行义务的方式", element="method"),
                Requirement(
                    "enforcement.demand.amount_fen",
                    "金钱给付的金额和给付方式",
                    demand_amount_set,
                    element="amount",
                ),
            ),
            C_35,
            "demand",
            numbered=True,
            number_word="催告",
            elements=tuple(DEMAND_ELEMENTS),
        ),
        DocumentKind(
            "execution_decision",
            "强制执行决定书",
            coercion_layouts.execution_decision_layout,
            (
                given("party.name", "当事人的姓名或者名称", element="party"),
                given("party.address", "当事人的地址", element="party"),
                *_enforced_decision(),
                *_demand_served(legal_basis=C_37),
                given("enforcement.execution.reasons", "强制执行的理由", element="facts"),
                given("enforcement.execution.bases", "强制执行的依据（法律的条款）", element="facts"),
                Requirement(
                    "enforcement.execution.immediate_reason",
                    "立即强制执行的理由（有证据证明有转移或者隐匿财物的迹象）",
                    immediate_reason_given,
                    C_37_3,
                    element="facts",
                ),
                Requirement(
                    "enforcement.execution.method",
                    "强制执行的方式",
                    execution_method_known,
                    element="method_time",
                ),
                given("enforcement.execution.starts_at", "强制执行的时间", element="method_time"),
                *remedies_requirements(legal_basis=C_37_2, element="remedies"),
                given("agency.name", "行政机关的名称", element="agency_seal"),
                given("agency.seal_text", "行政机关的印章", element="agency_seal"),
                given("issued_on", "决定日期", element="agency_seal"),
                NUMBER,
            ),
            C_37_2,
            "execution_decision",
            numbered=True,
            number_word="强执决",
            elements=tuple(EXECUTION_DECISION_ELEMENTS),
        ),
        DocumentKind(
            "substitute_decision",
            "代履行决定书",
            coercion_layouts.substitute_decision_layout,
            (
                *_issued(),
                given("party.name", "当事人的姓名或者名称"),
                given("party.address", "当事人的地址"),
                *_enforced_decision(),
                *_demand_served(legal_basis=C_50),
                given("enforcement.substitute.reasons", "代履行的理由"),
                given("enforcement.substitute.bases", "代履行的依据"),
                given("enforcement.substitute.method", "代履行的方式"),
                given("enforcement.substitute.starts_at", "代履行的时间"),
                given("enforcement.substitute.target", "代履行的标的"),
                Requirement(
                    "enforcement.substitute.cost_estimate_fen", "代履行的费用预算", substitute_cost_set
                ),
                given("enforcement.substitute.performer", "代履行人"),
            ),
            C_51,
            "substitute_decision",
            numbered=True,
            number_word="代履",
        ),
        DocumentKind(
            "court_application",
            "强制执行申请书",
            coercion_layouts.court_application_layout,
            (
                NUMBER,
                AGENCY,
                PARTY_NAME,
                given("enforcement.court.court", "受理申请的人民法院"),
                *_enforced_decision(party="被申请人"),
                *_demand_served(legal_basis=C_54),
                given("enforcement.court.party_opinion", "当事人的意见", legal_basis=C_55_1),
                given("enforcement.court.target", "申请强制执行标的情况", legal_basis=C_55_1),
                given(
                    "enforcement.court.attachments",
                    "所附材料（行政决定书及作出决定的事实、理由和依据等）",
                    legal_basis=C_55_1,
                ),
                given("enforcement.court.head", "行政机关负责人的签名", legal_basis=C_55_2),
                given("agency.seal_text", "行政机关的印章", legal_basis=C_55_2),
                given("issued_on", "申请日期", legal_basis=C_55_2),
            ),
            C_55,
            "court_application",
            numbered=True,
            number_word="强执申",
        ),
    )
}



def _permit_kind(
    key: str, title: str, layout, basis: str, record_kind: str, word: str, *needs: Requirement, remedies: bool = False
) -> DocumentKind:
    """A document of 行政许可 issued to the applicant under its own 文号: the matter applied for and
    what the kind states; a refusal or a decision taking something away also the remedies."""
    requirements = (
        *_issued(),
        PARTY_NAME,
        given("permit.matter", "申请的行政许可事项", legal_basis=basis),
        *needs,
        *(remedies_requirements(legal_basis=permit_rules.REMEDIES_BASIS) if remedies else ()),
    )
    return DocumentKind(f"permit_{key}", title, layout, requirements, basis, record_kind, numbered=True,
                        number_word=word)


_P = permit_rules
_GRANT_CITED = (
    given("permit.decision_number", "准予行政许可决定书文号"),
    given("permit.decided_on", "准予行政许可的日期"),
)

# The documents of 行政许可 (procedure.permit), keyed permit_*: their engine records keep the
# procedure's names (permit/procedures.py RECORD_KINDS).
PERMIT_KINDS: dict[str, DocumentKind] = {
    kind.key: kind
    for kind in (
        _permit_kind("acceptance_notice", "受理通知书", permit_layouts.acceptance_notice_layout, _P.ART_32,
                     "acceptance_notice", "许受",
                     given("permit.received_on", "收到申请材料的日期", legal_basis=_P.ART_32),
                     given("permit.accepted_on", "受理日期", legal_basis=_P.ART_32),
                     given("permit.decision_due", "作出行政许可决定的期限", legal_basis=_P.ART_42),
                     given("permit.extension_days", "经批准可以延长的期限", legal_basis=_P.ART_42)),
        _permit_kind("non_acceptance", "不予受理决定书", permit_layouts.non_acceptance_layout, _P.ART_32,
                     "non_acceptance_notice", "许不受",
                     given("permit.reasons", "不予受理的理由", legal_basis=_P.ART_32), remedies=True),
        _permit_kind("missing_items_notice", "补正材料通知书（一次性告知）", permit_layouts.missing_items_layout,
                     _P.ART_32, "missing_items_notice", "许补",
                     given("permit.missing_items", "需要补正的全部内容", legal_basis=_P.ART_32)),
        _permit_kind("extension_notice", "延长审查期限告知书", permit_layouts.extension_notice_layout, _P.ART_42,
                     "extension_notice", "许延",
                     given("permit.accepted_on", "受理日期"),
                     given("permit.reasons", "延长期限的理由"),
                     given("permit.extension_days", "延长的期限"),
                     given("permit.extended_due", "延长后作出决定的期限")),
        _permit_kind("exclusion_notice", "不计入审查期限告知书", permit_layouts.exclusion_notice_layout, _P.ART_45,
                     "exclusion_notice", "许不计",
                     given("permit.accepted_on", "受理日期"),
                     given("permit.excluded_what", "不计入期限的事项"),
                     given("permit.excluded_start", "开始日期"),
                     given("permit.excluded_end", "结束日期")),
        _permit_kind("hearing_right_notice", "听证告知书", permit_layouts.hearing_right_layout, _P.ART_46_47,
                     "hearing_right_notice", "许听告",
                     given("permit.hearing_request_days", "申请听证的期限"),
                     given("permit.hearing_hold_days", "组织听证的期限"),
                     given("permit.hearing_notice_days", "通知听证的期限"),
                     given("permit.hearing_request_due", "申请听证的截止日期")),
        _permit_kind("grant_decision", "准予行政许可决定书", permit_layouts.grant_decision_layout, _P.ART_38,
                     "grant_decision", "许准",
                     given("permit.content", "准予行政许可的内容")),
        _permit_kind("refusal_decision", "不予行政许可决定书", permit_layouts.refusal_decision_layout, _P.ART_38,
                     "refusal_decision", "许不准",
                     given("permit.reasons", "不予行政许可的理由"), remedies=True),
        _permit_kind("change_decision", "变更行政许可决定书", permit_layouts.change_decision_layout, _P.ART_49,
                     "change_decision", "许变", *_GRANT_CITED,
                     given("permit.content", "变更的事项")),
        _permit_kind("renewal_decision", "准予延续行政许可决定书", permit_layouts.renewal_decision_layout, _P.ART_50,
                     "renewal_decision", "许续", *_GRANT_CITED,
                     given("permit.renewed_until", "延续后的有效期")),
        _permit_kind("renewal_refusal_decision", "不予延续行政许可决定书", permit_layouts.renewal_refusal_layout,
                     _P.ART_50, "renewal_refusal_decision", "许不续", *_GRANT_CITED,
                     given("permit.reasons", "不予延续的理由", legal_basis=_P.ART_38), remedies=True),
        _permit_kind("withdrawal_decision", "撤回行政许可决定书", permit_layouts.withdrawal_decision_layout, _P.ART_8,
                     "withdrawal_decision", "许撤回", *_GRANT_CITED,
                     given("permit.ground", "撤回的法定情形"), given("permit.facts", "撤回的事实和证据"),
                     remedies=True),
        _permit_kind("revocation_decision", "撤销行政许可决定书", permit_layouts.revocation_decision_layout, _P.ART_69,
                     "revocation_decision", "许撤销", *_GRANT_CITED,
                     given("permit.ground", "撤销的法定情形"), given("permit.facts", "撤销的事实和证据"),
                     remedies=True),
        _permit_kind("cancellation_decision", "注销行政许可决定书", permit_layouts.cancellation_decision_layout,
                     _P.ART_70, "cancellation_decision", "许注", *_GRANT_CITED,
                     given("permit.ground", "注销的法定情形"), given("permit.facts", "注销的事实")),
    )
}

# Every kind `document_render` knows, under its key.
# The decisions of 行政征收征用 and of the other acts (行政给付、确认、奖励、裁决 …, issue 18 items 2–3):
# the provisions they rest on and what they decide, with the remedies; the title is the act's. The
# engine refuses the decision without its basis, content, purpose, scope or compensation
# (procedure.expropriation / other_acts rules), so the kinds ask here only what the registry gives.
EXPROPRIATION_BASIS = "《中华人民共和国宪法》第十条第三款、第十三条第三款"
OTHER_ACT_BASIS = "国办发〔2018〕118号（行政执法决定应当载明法律依据）"


def _act_title(context: DocumentContext) -> str:
    return context.act_decision.title if context.act_decision is not None else "决定书"


OTHER_ACT_KINDS: dict[str, DocumentKind] = {
    kind.key: kind
    for kind in (
        DocumentKind(
            "expropriation_decision",
            "征收（征用）决定书",
            layouts_other_acts.act_decision_layout,
            (
                *_issued(),
                PARTY_NAME,
                given("act_decision.title", "征收、征用的决定", legal_basis=EXPROPRIATION_BASIS),
                *remedies_requirements(legal_basis=EXPROPRIATION_BASIS),
            ),
            EXPROPRIATION_BASIS,
            "expropriation_decision",
            numbered=True,
            number_word="征决",
            title_of=_act_title,
        ),
        DocumentKind(
            "act_decision",
            "决定书",
            layouts_other_acts.act_decision_layout,
            (
                *_issued(),
                PARTY_NAME,
                given("act_decision.title", "所作出的决定", legal_basis=OTHER_ACT_BASIS),
                *remedies_requirements(legal_basis=OTHER_ACT_BASIS),
            ),
            OTHER_ACT_BASIS,
            "act_decision",
            numbered=True,
            number_word="决",
            title_of=_act_title,
        ),
    )
}

ALL_DOCUMENT_KINDS: dict[str, DocumentKind] = {
    **DOCUMENT_KINDS, **PENALTY_OUTCOME_KINDS, **COERCION_KINDS, **OTHER_ACT_KINDS, **PERMIT_KINDS
}

__all__ = [
    "ALL_DOCUMENT_KINDS",
    "COERCION_KINDS",
    "DECISION_REQUIREMENTS",
    "DOCUMENT_KINDS",
    "NO_PENALTY_REQUIREMENTS",
    "OTHER_ACT_KINDS",
    "PENALTY_OUTCOME_KINDS",
    "PERMIT_KINDS",
    "DocumentKind",
]
