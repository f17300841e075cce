"""The standard documents of an administrative-penalty case, each written once as blocks: the fourteen
of its course, and the 不予行政处罚决定书 and 涉嫌犯罪案件移送书 of its other outcomes. (The documents of
行政强制 are in coercion_layouts.py.)

The wording follows the common national templates (市场监督管理行政处罚文书格式范本 and the
provincial 行政执法文书 models derived from it): agency and title centred, the 文号 under them, the
party, the body, then the seal, the agency and the date at the bottom right. Each function receives
a context that already passed the kind's requirements, so it may rely on what they guarantee.
"""

import datetime as dt
from collections.abc import Iterable

from sanxiang.documents.blocks import (
    Block,
    Cell,
    Group,
    Heading,
    Layout,
    NumberLine,
    Para,
    Signature,
    Space,
    Table,
)
from sanxiang.documents.context import (
    REVIEW_OPINIONS,
    SERVICE_METHODS,
    DocumentContext,
    InquiryDetails,
    LegalBasis,
    Opinion,
    Party,
    Person,
)
from sanxiang.documents.requirements import TRANSFER_REGULATION, no_penalty_citation, performance_needed
from sanxiang.documents.text import (
    clause_render,
    date_render,
    datetime_render,
    number_render_chinese,
    period_render,
    proves_render,
    sentence_render,
)
from sanxiang.procedure.penalty.basis import penalty_article
from sanxiang.procedure.penalty.snapshot import NO_PENALTY_REASONS

LETTER_SIZE = 14.0  # 四号: letters to the party (告知书, 通知书, 决定书)
FORM_SIZE = 12.0  # 小四: forms, records, reports
SEAL = "（印章）"
BLANK_DATE = "年　　月　　日"
BLANK_SIGNATURE = "　" * 8


# --- shared pieces --------------------------------------------------------------------------------


def _date(value: dt.date | None) -> str:
    return date_render(on=value) if value else BLANK_DATE


def _cite(bases: Iterable[LegalBasis]) -> str:
    return "、".join(basis.citation for basis in bases)


def _case_phrase(context: DocumentContext) -> str:
    """案由 as it reads inside a sentence: "涉嫌经营超过保质期的食品一案" (a trailing 案 tolerated)."""
    cause = context.case.cause.strip()
    for suffix in ("一案", "案"):
        if cause.endswith(suffix):
            cause = cause[: -len(suffix)]
            break
    return cause + "一案"


def _officers_with_certificates(context: DocumentContext) -> str:
    return "、".join(f"{o.name}（执法证号：{o.certificate_number}）" for o in context.officers)


def _officer_names(context: DocumentContext) -> str:
    return "、".join(o.name for o in context.officers)


def _numbered(lines: Iterable[str], *, last: str = "。") -> list[Para]:
    items = [clause_render(line) for line in lines if clause_render(line)]
    return [
        Para(f"{index}．{text}{last if index == len(items) else '；'}")
        for index, text in enumerate(items, start=1)
    ]


def _evidence_lines(context: DocumentContext) -> list[str]:
    lines = []
    for evidence in context.evidence:
        name, proves = clause_render(evidence.name), proves_render(evidence.proves)
        lines.append(f"{name}，证明{proves}" if proves else name)
    return lines


def _party_paras(party: Party) -> list[Para]:
    """The party as the documents introduce it: name, identifier, address, representative."""
    organization = party.kind != "natural_person"
    lines = [f"当事人：{party.name}"]
    if party.id_code:
        lines.append(f"{'统一社会信用代码' if organization else '身份证件号码'}：{party.id_code}")
    if party.legal_representative:
        # A citizen's representative is a guardian (a minor, 第三十条), not an officer of a company.
        lines.append(
            f"{'法定代表人（负责人）' if organization else '法定代理人'}：{party.legal_representative}"
        )
    if party.address:
        lines.append(f"{'住所' if organization else '住址'}：{party.address}")
    if party.phone:
        lines.append(f"联系电话：{party.phone}")
    return [Para(line, indent=False, align="left") for line in lines]


def _person_line(person: Person) -> list[str]:
    parts = [f"姓名：{person.name}"]
    if person.gender:
        parts.append(f"性别：{person.gender}")
    if person.id_code:
        parts.append(f"身份证件号码：{person.id_code}")
    lines = ["　".join(parts)]
    work = [
        p
        for p in (
            f"工作单位：{person.employer}" if person.employer else "",
            f"职务：{person.position}" if person.position else "",
        )
        if p
    ]
    if work:
        lines.append("　".join(work))
    contact = [
        p
        for p in (
            f"住址：{person.address}" if person.address else "",
            f"联系电话：{person.phone}" if person.phone else "",
        )
        if p
    ]
    if contact:
        lines.append("　".join(contact))
    if person.relation:
        lines.append(f"与本案关系：{person.relation}")
    return lines


def _heading(context: DocumentContext, title: str, *, number: str = "") -> list[Heading | NumberLine | Space]:
    blocks: list[Heading | NumberLine | Space] = [Heading(context.agency.name, title)]
    if number:
        blocks.append(NumberLine(number))
    blocks.append(Space(3))
    return blocks


def _case_number_line(context: DocumentContext) -> str:
    return f"案件编号：{context.case.number}" if context.case.number else ""


def _sealed(context: DocumentContext, *, gap: float = 10, note: str = "") -> list[Space | Signature]:
    """The closing of an issued document: the seal goes over the agency's name and date; then,
    in small print, how many copies go where and any note of the form."""
    notes = "".join(n for n in (context.copies_note, note) if n)
    return [Space(gap), Signature((SEAL, context.agency.name, _date(context.issued_on)), note=notes)]


def _contact(context: DocumentContext, person: str = "") -> Para | None:
    agency = context.agency
    parts = [
        p
        for p in (
            f"联系人：{person}" if person else "",
            f"联系电话：{agency.phone}" if agency.phone else "",
            f"地址：{agency.address}" if agency.address else "",
        )
        if p
    ]
    return Para("　".join(parts), indent=False, align="left") if parts else None


def _opinion_cell(opinion: Opinion | None, role: str) -> Cell:
    if opinion is None:
        return Cell("", span=3, sign=f"{role}（签名）：{BLANK_SIGNATURE}{BLANK_DATE}")
    return Cell(opinion.text, span=3, sign=f"{role}（签名）：{opinion.signer}　{_date(opinion.on)}")


def _penalty_sentence_items(context: DocumentContext) -> list[Para]:
    assert context.penalty is not None
    return _numbered(item.describe() for item in context.penalty.items)


def _performance_paras(context: DocumentContext) -> list[Para]:
    """第五十九条第四项 and the consequences of not paying (第七十二条) the party must be told."""
    if not performance_needed(context) or context.performance is None or context.penalty is None:
        return []
    performance = context.performance
    days = number_render_chinese(value=performance.days)
    text = f"当事人应当自收到本决定书之日起{days}日内，{clause_render(performance.method)}。"
    if performance.arrangement:
        text += sentence_render(performance.arrangement)
    paras = [Para(text)]
    if "fine" in context.penalty.kinds:
        paras.append(
            Para(
                "到期不缴纳罚款的，本机关可以依据《中华人民共和国行政处罚法》第七十二条第一款第一项的规定，"
                "每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额。"
            )
        )
    return paras


def decision_remedies_para(
    context: DocumentContext,
    *,
    who: str = "当事人",
    document: str = "决定书",
    act: str = "本决定",
    not_suspended: bool = True,
) -> Para:
    """申请行政复议、提起行政诉讼的途径和期限, as every decision to the party prints them; and, for
    a decision to be carried out, that a challenge does not suspend it (行政复议法第四十二条,
    行政诉讼法第五十六条)."""
    assert context.remedies is not None
    remedies = context.remedies
    days = number_render_chinese(value=remedies.reconsideration_days)
    months = number_render_chinese(value=remedies.litigation_months)
    text = (
        f"{who}如不服{act}，可以自收到本{document}之日起{days}日内向{remedies.reconsideration_authority}"
        f"申请行政复议，也可以自收到本{document}之日起{months}个月内依法向{remedies.court}提起行政诉讼。"
    )
    if not_suspended:
        text += f"申请行政复议或者提起行政诉讼期间，{act}不停止执行，法律另有规定的除外。"
    return Para(text)


def _remedies_para(context: DocumentContext, *, document: str) -> Para:
    return decision_remedies_para(context, document=document, act="本行政处罚决定")


def _record_signatures(*roles: str, signs: str = "（签名）") -> list[Table]:
    """Signature lines with their blanks aligned under each other: who, room to sign, date."""
    rows = tuple((Cell(f"{role}{signs}："), Cell(""), Cell(BLANK_DATE, label=True)) for role in roles)
    return [Table(rows, widths=(0.5, 0.2, 0.3), heights=(9,) * len(rows), ruled=False)]


# --- 1. 立案审批表 -----------------------------------------------------------------------------------


def filing_approval_layout(context: DocumentContext) -> Layout:
    assert context.party is not None and context.approval is not None
    party = context.party
    organization = party.kind != "natural_person"
    approval = context.approval
    rows = (
        (Cell("案由", label=True), Cell(context.case.cause, span=3)),
        (
            Cell("案件来源", label=True),
            Cell(context.case.source),
            Cell("受案时间", label=True),
            Cell(_date(context.case.discovered_on) if context.case.discovered_on else ""),
        ),
        (Cell("当事人", label=True), Cell(party.name, span=3)),
        (
            Cell("统一社会信用代码" if organization else "身份证件号码", label=True),
            Cell(party.id_code),
            Cell("法定代表人（负责人）" if organization else "联系电话", label=True),
            Cell(party.legal_representative if organization else party.phone),
        ),
        (Cell("住所（住址）", label=True), Cell(party.address, span=3)),
        (Cell("案情简介", label=True), Cell(context.facts, span=3)),
        (Cell("涉嫌违反的规定", label=True), Cell(_cite(context.violated), span=3)),
        (Cell("承办人意见", label=True), _opinion_cell(approval.handler, "承办人")),
        (Cell("承办机构意见", label=True), _opinion_cell(approval.department, "负责人")),
        (Cell("机关负责人审批意见", label=True), _opinion_cell(approval.head, "负责人")),
    )
    return Layout(
        blocks=(
            *_heading(context, "立案审批表", number=_case_number_line(context)),
            Table(rows, widths=(0.2, 0.3, 0.2, 0.3), heights=(0, 0, 0, 0, 0, 45, 0, 30, 25, 30)),
            Space(3),
            Para(f"承办人：{_officers_with_certificates(context)}", indent=False, align="left", small=True),
        ),
        body_size=FORM_SIZE,
    )


# --- 2. 询问笔录 -----------------------------------------------------------------------------------


def inquiry_record_layout(context: DocumentContext) -> Layout:
    """Every page is signed by the interviewee and the officers (案卷评查: 笔录 每页签名), so the
    signature line is the page footer."""
    assert context.inquiry is not None and context.party is not None
    inquiry = context.inquiry
    officers = context.officers
    opening = (
        f"问：我们是{context.agency.name}的执法人员{_officer_names(context)}，这是我们的执法证件"
        f"（出示执法证件），证件号码分别为{'、'.join(o.certificate_number for o in officers)}。"
        f"现依法就{context.party.name}{_case_phrase(context)}向你调查了解有关情况，请你如实回答。"
        "你有陈述和申辩的权利，也有如实回答询问、协助调查的义务。"
        "如果你认为执法人员与本案有直接利害关系或者有其他关系可能影响公正执法，你有权申请回避。你是否申请回避？"
    )
    header = [
        f"询问时间：{period_render(start=inquiry.started_at, end=inquiry.ended_at)}",
        f"询问地点：{inquiry.place}",
        f"询问人：{_officers_with_certificates(context)}",
        f"记录人：{inquiry.recorder}",
        *(
            ("被询问人" + line) if index == 0 else line
            for index, line in enumerate(_person_line(inquiry.interviewee))
        ),
    ]
    return Layout(
        blocks=(
            *_heading(context, "询问笔录", number=_case_number_line(context)),
            *(Para(line, indent=False, align="left") for line in header),
            Space(2),
            Para(opening, indent=False, align="left"),
            *_recusal_answer(inquiry),
            *(Para(f"{turn.speaker}：{turn.text}", indent=False, align="left") for turn in inquiry.exchanges),
            Space(2),
            Para("（以下空白）", indent=False, align="center"),
            Space(4),
            Group(
                (
                    Para("被询问人对笔录的意见：", indent=False, align="left"),
                    Space(12),
                    *_record_signatures("被询问人", "询问人", "记录人"),
                )
            ),
        ),
        body_size=FORM_SIZE,
        footer="被询问人签名：　　　　　　　询问人签名：　　　　　　　记录人签名：",
        page_numbers=True,
    )


def _recusal_answer(inquiry: InquiryDetails) -> list[Para]:
    """The answer to the opening's 你是否申请回避？: as recorded; none when the record's first
    exchange is the answer; else a line the interviewee's answer is written on by hand, never a
    question left without its answer line."""
    if inquiry.recusal_answer.strip():
        return [Para(f"答：{sentence_render(inquiry.recusal_answer)}", indent=False, align="left")]
    if inquiry.exchanges and inquiry.exchanges[0].speaker == "答":
        return []
    return [Para("答：" + BLANK_SIGNATURE * 3, indent=False, align="left")]


# --- 3. 现场检查笔录 -------------------------------------------------------------------------------


def inspection_record_layout(context: DocumentContext) -> Layout:
    assert context.inspection is not None and context.party is not None
    inspection = context.inspection
    header = [
        f"检查时间：{period_render(start=inspection.started_at, end=inspection.ended_at)}",
        f"检查地点：{inspection.place}",
    ]
    party_lines = [p.text for p in _party_paras(context.party)]
    present = inspection.present_person
    if present is not None:
        party_lines.append("现场负责人" + _person_line(present)[0])
    header += party_lines
    header += [f"检查人员：{_officers_with_certificates(context)}", f"记录人：{inspection.recorder}"]
    if inspection.witness is not None:
        header.append("见证人" + _person_line(inspection.witness)[0])
    blocks: list[Block] = [
        *_heading(context, "现场检查笔录", number=_case_number_line(context)),
        *(Para(line, indent=False, align="left") for line in header),
        Space(2),
        Para(
            "执法人员向当事人（现场负责人）出示了执法证件，表明了身份，告知了检查的事由和依据，"
            "以及当事人依法享有陈述、申辩和申请回避的权利和配合检查的义务。"
        ),
        Para("检查情况：", indent=False, align="left"),
        *(Para(line) for line in inspection.findings.splitlines() if line.strip()),
    ]
    if inspection.recording:
        blocks += [Para("现场拍照、录像情况：", indent=False, align="left"), Para(inspection.recording)]
    roles = ["当事人（现场负责人）", "检查人员", "记录人"]
    if inspection.witness is not None:
        roles.append("见证人")
    blocks += [
        Space(2),
        Para("（以下空白）", indent=False, align="center"),
        Space(4),
        Group(
            (
                Para("当事人（现场负责人）对笔录的意见：", indent=False, align="left"),
                Space(12),
                *_record_signatures(*roles),
            )
        ),
    ]
    return Layout(
        blocks=tuple(blocks),
        body_size=FORM_SIZE,
        footer="当事人（现场负责人）签名：　　　　　　　检查人员签名：　　　　　　　记录人签名：",
        page_numbers=True,
    )


# --- 4. 先行登记保存通知书 ---------------------------------------------------------------------------


def preservation_notice_layout(context: DocumentContext) -> Layout:
    assert context.preservation is not None and context.party is not None
    preservation = context.preservation
    party = context.party
    rows = [
        (
            Cell("序号", label=True),
            Cell("物品名称", label=True),
            Cell("规格型号", label=True),
            Cell("数量", label=True),
            Cell("单位", label=True),
            Cell("备注", label=True),
        ),
    ]
    for index, item in enumerate(preservation.items, start=1):
        rows.append(
            (
                Cell(str(index), label=True),
                Cell(item.name),
                Cell(item.specification),
                Cell(item.quantity, label=True),
                Cell(item.unit, label=True),
                Cell(item.note),
            )
        )
    approved = _date(preservation.approved_on)
    return Layout(
        blocks=(
            *_heading(context, "先行登记保存通知书", number=context.document_number),
            Para(f"{party.name}：", indent=False, align="left"),
            Para(
                f"本机关在调查{party.pronoun}{_case_phrase(context)}过程中，因证据可能灭失或者以后难以取得，"
                f"经本机关负责人于{approved}批准，根据《中华人民共和国行政处罚法》第五十六条的规定，"
                f"决定对{party.pronoun}的下列物品予以先行登记保存："
            ),
            Table(tuple(rows), widths=(0.09, 0.27, 0.2, 0.1, 0.09, 0.25)),
            Space(2),
            Para(f"保存方式：{preservation.storage_method}；保存地点：{preservation.storage_place}。"),
            Para(
                f"先行登记保存期间，{party.pronoun}不得损毁、销毁或者转移上述物品。本机关将在七个工作日内"
                f"（最迟于{_date(preservation.handling_deadline)}）依法作出处理决定。"
            ),
            Space(4),
            Para(f"执法人员：{_officers_with_certificates(context)}", indent=False, align="left"),
            *_record_signatures("当事人", signs="（签名或者盖章）"),
            *_sealed(context),
        ),
        body_size=LETTER_SIZE,
    )


# --- 5. 调查终结报告 --------------------------------------------------------------------------------


def investigation_report_layout(context: DocumentContext) -> Layout:
    assert context.investigation is not None and context.party is not None
    investigation = context.investigation
    case = context.case
    blocks: list[Block] = [
        *_heading(context, "调查终结报告", number=_case_number_line(context)),
        Para(f"案由：{case.cause}", indent=False, align="left"),
    ]
    if case.source:
        blocks.append(Para(f"案件来源：{case.source}", indent=False, align="left"))
    if case.opened_on:
        blocks.append(Para(f"立案日期：{_date(case.opened_on)}", indent=False, align="left"))
    blocks += _party_paras(context.party)
    blocks += [
        Para("一、调查经过", indent=False, align="left"),
        *(Para(line) for line in investigation.process.splitlines() if line.strip()),
        Para("二、违法事实", indent=False, align="left"),
        *(Para(line) for line in context.facts.splitlines() if line.strip()),
        Para("三、证据", indent=False, align="left"),
        *_numbered(_evidence_lines(context)),
        Para("四、定性和依据", indent=False, align="left"),
        Para(
            f"当事人的上述行为违反了{_cite(context.violated)}的规定。"
            + (
                f"依据{_cite(context.penalty_bases)}的规定，应当予以行政处罚。"
                if context.penalty_bases
                else ""
            )
        ),
    ]
    section = "五"
    if investigation.discretion:
        blocks += [Para("五、裁量理由", indent=False, align="left"), Para(investigation.discretion)]
        section = "六"
    blocks.append(Para(f"{section}、处理意见", indent=False, align="left"))
    if context.penalty is not None and context.penalty.items:
        blocks.append(Para("建议对当事人作出如下行政处罚："))
        blocks += _penalty_sentence_items(context)
    if investigation.opinion:
        blocks.append(Para(investigation.opinion))
    blocks += [
        Para("请予审查。"),
        Space(10),
        Signature((f"承办人：{_officer_names(context)}", _date(context.issued_on))),
    ]
    return Layout(blocks=tuple(blocks), body_size=FORM_SIZE, page_numbers=True)


# --- 6. 行政处罚事先告知书 ---------------------------------------------------------------------------


def advance_notice_layout(context: DocumentContext) -> Layout:
    assert context.party is not None and context.notice is not None and context.penalty is not None
    party = context.party
    notice = context.notice
    you = party.pronoun
    opening = (
        f"本机关于{_date(context.case.opened_on)}对{you}{_case_phrase(context)}立案调查。"
        if context.case.opened_on
        else ""
    )
    blocks: list[Block] = [
        *_heading(context, "行政处罚事先告知书", number=context.document_number),
        Para(f"{party.name}：", indent=False, align="left"),
        Para(f"{opening}经查，{clause_render(context.facts)}。"),
    ]
    if context.evidence:
        blocks += [Para("以上事实有下列证据证明："), *_numbered(_evidence_lines(context))]
    blocks += [
        Para(
            f"{you}的上述行为违反了{_cite(context.violated)}的规定。依据{_cite(context.penalty_bases)}的规定，"
            f"本机关拟对{you}作出如下行政处罚："
        ),
        *_penalty_sentence_items(context),
        Para(
            f"根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，{you}有权进行陈述和申辩。"
            f"{you}如要求陈述、申辩，应当自收到本告知书之日起{number_render_chinese(value=notice.statement_days)}个工作日内"
            "向本机关提出，逾期未提出的，视为放弃陈述和申辩的权利。"
        ),
    ]
    if notice.hearing_right:
        blocks.append(
            Para(
                f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{you}有权要求举行听证。"
                f"{you}如要求听证，应当自收到本告知书之日起{number_render_chinese(value=notice.hearing_request_days)}"
                "个工作日内向本机关提出，逾期未提出的，视为放弃听证的权利。"
            )
        )
    contact = _contact(context, notice.contact_person)
    if contact:
        blocks += [Space(2), contact]
    blocks += _sealed(context)
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


# --- 7. 听证通知书 ---------------------------------------------------------------------------------


def hearing_notice_layout(context: DocumentContext) -> Layout:
    assert context.party is not None and context.hearing is not None
    party = context.party
    hearing = context.hearing
    you = party.pronoun
    requested = (
        f"根据{you}于{_date(hearing.requested_on)}提出的听证申请，"
        if hearing.requested_on
        else "根据" + you + "的听证申请，"
    )
    panel = f"听证主持人：{hearing.presiding}"
    if hearing.hearing_officers:
        panel += f"；听证员：{'、'.join(hearing.hearing_officers)}"
    panel += f"；书记员：{hearing.clerk}。"
    blocks: list[Block] = [
        *_heading(context, "听证通知书", number=context.document_number),
        Para(f"{party.name}：", indent=False, align="left"),
        Para(
            f"{requested}本机关定于{datetime_render(at=hearing.held_at)}在{hearing.place}"
            f"就{you}{_case_phrase(context)}{'公开' if hearing.public else '不公开'}举行听证。"
        ),
        Para(panel),
        Para(
            f"请{you}按时出席。{you}可以亲自参加听证，也可以委托一至二人代理。委托代理人参加听证的，"
            f"应当在听证举行前向本机关提交由{you}签名或者盖章的授权委托书，写明委托事项和权限。"
        ),
        Para(
            f"{you}认为主持人与本案有直接利害关系的，有权申请回避；申请回避的，应当在听证举行前向本机关提出，并说明理由。"
        ),
        Para(f"{you}无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，本机关终止听证。"),
    ]
    contact = _contact(context)
    if contact:
        blocks += [Space(2), contact]
    blocks += _sealed(context)
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


# --- 8. 听证笔录 -----------------------------------------------------------------------------------


def hearing_record_layout(context: DocumentContext) -> Layout:
    assert context.party is not None and context.hearing is not None
    hearing = context.hearing
    ended_at = hearing.ended_at
    assert ended_at is not None
    party = context.party
    header = [
        f"案由：{context.case.cause}",
        f"听证时间：{period_render(start=hearing.held_at, end=ended_at)}",
        f"听证地点：{hearing.place}",
        f"听证方式：{'公开' if hearing.public else '不公开'}",
        f"听证主持人：{hearing.presiding}",
    ]
    if hearing.hearing_officers:
        header.append(f"听证员：{'、'.join(hearing.hearing_officers)}")
    header += [
        f"书记员：{hearing.clerk}",
        f"案件调查人员：{_officers_with_certificates(context)}",
        f"当事人：{party.name}"
        + (f"（法定代表人（负责人）：{party.legal_representative}）" if party.legal_representative else ""),
        f"出席听证的当事人及委托代理人：{'、'.join(hearing.party_attendees) if hearing.party_attendees else '无'}",
    ]
    roles = ["当事人或者委托代理人", "听证主持人"]
    if hearing.hearing_officers:
        roles.append("听证员")
    roles.append("书记员")
    return Layout(
        blocks=(
            *_heading(context, "听证笔录", number=_case_number_line(context)),
            *(Para(line, indent=False, align="left") for line in header),
            Space(2),
            Para("听证记录：", indent=False, align="left"),
            *(Para(f"{turn.speaker}：{turn.text}", indent=False, align="left") for turn in hearing.exchanges),
            Space(2),
            Para("（以下空白）", indent=False, align="center"),
            Space(4),
            Group(
                (
                    Para("当事人或者委托代理人对笔录的意见：", indent=False, align="left"),
                    Space(12),
                    *_record_signatures(*roles),
                )
            ),
        ),
        body_size=FORM_SIZE,
        footer="当事人（代理人）签名：　　　　　　　主持人签名：　　　　　　　书记员签名：",
        page_numbers=True,
    )


# --- 9. 行政处罚决定书 -----------------------------------------------------------------------------


def decision_document_layout(context: DocumentContext) -> Layout:
    """第五十九条: party and address; facts and evidence; kinds and basis; how and by when to perform;
    the remedies and their periods; agency and date; the seal."""
    assert context.party is not None and context.penalty is not None
    details = context.decision
    blocks: list[Block] = [
        *_heading(context, "行政处罚决定书", number=context.document_number),
        *_party_paras(context.party),
        Space(2),
    ]
    if details is not None and details.procedure:
        blocks += [Para(line) for line in details.procedure.splitlines() if line.strip()]
    elif context.case.opened_on and context.case.cause:
        blocks.append(
            Para(f"本机关于{_date(context.case.opened_on)}对当事人{_case_phrase(context)}立案调查。")
        )
    blocks += [
        Para(f"经查明：{context.facts.strip()}"),
        Para("上述事实，有下列证据证明："),
        *_numbered(_evidence_lines(context)),
        Para(f"本机关认为，当事人的上述行为违反了{_cite(context.violated)}的规定。"),
    ]
    if details is not None and details.reasoning:
        blocks += [Para(line) for line in details.reasoning.splitlines() if line.strip()]
    blocks += [
        Para(f"依据{_cite(context.penalty_bases)}的规定，本机关决定对当事人作出如下行政处罚："),
        *_penalty_sentence_items(context),
        *_performance_paras(context),
    ]
    if performance_needed(context):
        blocks.append(
            Para(
                "当事人逾期不申请行政复议、不提起行政诉讼，又不履行本行政处罚决定的，本机关将依法申请人民法院强制执行。"
            )
        )
    blocks.append(_remedies_para(context, document="决定书"))
    blocks += _sealed(context)
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


# --- 10. 送达回证 ---------------------------------------------------------------------------------


def service_receipt_layout(context: DocumentContext) -> Layout:
    assert context.service is not None
    service = context.service
    documents = "；".join(
        f"《{d.title}》" + (f"（{d.number}）" if d.number else "") for d in service.documents
    )
    served = datetime_render(at=service.served_at) if service.served_at else f"{BLANK_DATE}　时　分"
    rows = (
        (Cell("送达文书名称及文号", label=True), Cell(documents, span=3)),
        (Cell("受送达人", label=True), Cell(service.recipient, span=3)),
        (Cell("送达地点", label=True), Cell(service.place, span=3)),
        (Cell("送达方式", label=True), Cell(SERVICE_METHODS[service.method], span=3)),
        (
            Cell("收件人签名或者盖章", label=True),
            Cell(service.signed_by),
            Cell("收件时间", label=True),
            Cell(served),
        ),
        (Cell("代收人及代收理由", label=True), Cell(service.proxy_reason, span=3)),
        (
            Cell("送达人", label=True),
            Cell(_officer_names(context)),
            Cell("送达时间", label=True),
            Cell(served),
        ),
        (Cell("见证人", label=True), Cell(service.witness, span=3)),
        (Cell("备注", label=True), Cell(service.note, span=3)),
    )
    return Layout(
        blocks=(
            *_heading(context, "送达回证", number=_case_number_line(context)),
            Table(rows, widths=(0.22, 0.3, 0.16, 0.32), heights=(16, 11, 11, 11, 18, 12, 14, 11, 22)),
            Space(3),
            Para(
                "注：受送达人拒绝接收的，送达人可以邀请有关基层组织或者所在单位的代表到场，说明情况，"
                "在送达回证上记明拒收事由和日期，由送达人、见证人签名或者盖章，把文书留在受送达人的住所；"
                "也可以把文书留在受送达人的住所，并采用拍照、录像等方式记录送达过程，即视为送达。",
                indent=False,
                align="left",
                small=True,
            ),
            *_sealed(context),
        ),
        body_size=FORM_SIZE,
    )


# --- 11. 当场处罚决定书 ----------------------------------------------------------------------------


def summary_decision_layout(context: DocumentContext) -> Layout:
    """第五十二条: the act, the kinds and basis, the amount, time and place, the remedies, the
    agency, and the officers' signatures; handed over on the spot and filed with the agency."""
    assert context.party is not None and context.on_spot is not None and context.penalty is not None
    spot = context.on_spot
    blocks: list[Block] = [
        *_heading(context, "当场处罚决定书", number=context.document_number),
        *_party_paras(context.party),
        Space(2),
        Para(
            f"违法时间：{datetime_render(at=spot.occurred_at)}　　违法地点：{spot.place}",
            indent=False,
            align="left",
        ),
        Para(f"违法行为：{context.facts.strip()}", indent=False, align="left"),
    ]
    if context.evidence:
        blocks.append(Para(f"证据：{'；'.join(_evidence_lines(context))}。", indent=False, align="left"))
    violated = f"当事人的上述行为违反了{_cite(context.violated)}的规定，" if context.violated else ""
    blocks += [
        Para(f"{violated}依据{_cite(context.penalty_bases)}的规定，决定给予当事人如下行政处罚："),
        *_penalty_sentence_items(context),
    ]
    if spot.collected_on_spot:
        blocks.append(
            Para(
                f"罚款已依法当场收缴（{spot.collection_ground}），并出具财政部门统一制发的罚款收据，收据编号：{spot.receipt_number}。"
            )
        )
    blocks += _performance_paras(context)
    blocks += [
        _remedies_para(context, document="决定书"),
        Space(2),
        Para(f"执法人员（签名）：{_officers_with_certificates(context)}", indent=False, align="left"),
        *_record_signatures("当事人"),
        *_sealed(
            context,
            gap=2,
            note="本决定书由执法人员当场交付当事人，并报所属行政机关备案。当事人拒绝签收的，由执法人员在本决定书上注明。",
        ),
    ]
    # A form filled in and handed over on the spot: one page, so the smaller size.
    return Layout(blocks=tuple(blocks), body_size=FORM_SIZE)


# --- 12. 结案审批表 -------------------------------------------------------------------------------


def closing_approval_layout(context: DocumentContext) -> Layout:
    assert context.party is not None and context.approval is not None and context.closing is not None
    closing = context.closing
    approval = context.approval
    penalty = (
        context.penalty.describe()
        if context.penalty is not None and context.penalty.items
        else "未给予行政处罚"
    )
    rows = (
        (Cell("案由", label=True), Cell(context.case.cause, span=3)),
        (
            Cell("案件编号", label=True),
            Cell(context.case.number),
            Cell("立案日期", label=True),
            Cell(_date(context.case.opened_on) if context.case.opened_on else ""),
        ),
        (Cell("当事人", label=True), Cell(context.party.name, span=3)),
        (
            Cell("处罚决定书文号", label=True),
            Cell(closing.decision_number),
            Cell("决定日期", label=True),
            Cell(_date(closing.decided_on)),
        ),
        (Cell("处罚内容", label=True), Cell(penalty, span=3)),
        (Cell("执行情况", label=True), Cell(closing.execution, span=3)),
        (Cell("结案理由", label=True), Cell(closing.closing_reason, span=3)),
        (Cell("承办人意见", label=True), _opinion_cell(approval.handler, "承办人")),
        (Cell("承办机构意见", label=True), _opinion_cell(approval.department, "负责人")),
        (Cell("机关负责人审批意见", label=True), _opinion_cell(approval.head, "负责人")),
    )
    return Layout(
        blocks=(
            *_heading(context, "结案审批表", number=_case_number_line(context)),
            Table(rows, widths=(0.2, 0.3, 0.2, 0.3), heights=(0, 0, 0, 0, 20, 30, 0, 30, 25, 30)),
            Space(3),
            Para(f"承办人：{_officers_with_certificates(context)}", indent=False, align="left", small=True),
        ),
        body_size=FORM_SIZE,
    )


# --- 13. 法制审核意见书 -----------------------------------------------------------------------------


def _numbered_lines(lines: Iterable[str]) -> str:
    """A numbered list inside a form's cell, one item a line: 1．…；2．…。"""
    items = [clause_render(line) for line in lines if clause_render(line)]
    return "\n".join(
        f"{index}．{text}{'。' if index == len(items) else '；'}" for index, text in enumerate(items, start=1)
    )


def _ticked(chosen: str, options: Iterable[str]) -> str:
    """The options of a form with the chosen one ticked: ■同意　□不同意　□补充材料后重新提交."""
    return "　".join(("■" if option == chosen else "□") + option for option in options)


def review_opinion_layout(context: DocumentContext) -> Layout:
    """第五十八条 and 118号: what was submitted, why the decision is a major one, each checklist
    item with its finding, the opinion with its reasons, signed by the reviewer."""
    assert context.party is not None and context.review is not None
    review = context.review
    submitted = _date(review.submitted_on) if review.submitted_on else ""
    rows = [
        (Cell("案件名称（案由）", label=True), Cell(context.case.cause, span=3)),
        (Cell("当事人", label=True), Cell(context.party.name, span=3)),
        (Cell("承办机构", label=True), Cell(review.submitted_by), Cell("承办人", label=True), Cell(review.handler)),
        (
            Cell("送审日期", label=True),
            Cell(submitted),
            Cell("送审次数", label=True),
            Cell(f"第{number_render_chinese(value=review.round)}次"),
        ),
        (Cell("属于重大执法决定的情形", label=True), Cell(_numbered_lines(review.major_criteria), span=3)),
        (Cell("拟作出的决定", label=True), Cell(review.proposed, span=3)),
        (Cell("送审材料", label=True), Cell(_numbered_lines(review.materials), span=3)),
    ]
    if review.response:
        rows.append((Cell("承办机构说明", label=True), Cell(review.response, span=3)))
    checklist = [(Cell("审核事项", label=True), Cell("审核结论", label=True), Cell("说明", label=True))]
    checklist += [
        (Cell(line.item), Cell(line.finding.strip(), label=True), Cell(line.note))
        for line in review.checklist
    ]
    opinion = (
        (Cell("审核意见", label=True), Cell(_ticked(review.opinion.strip(), REVIEW_OPINIONS), span=3)),
        (Cell("理由", label=True), Cell(review.reasons, span=3)),
    )
    return Layout(
        blocks=(
            *_heading(context, "法制审核意见书", number=_case_number_line(context)),
            Table(tuple(rows), widths=(0.22, 0.28, 0.18, 0.32)),
            Space(3),
            Para("审核情况：", indent=False, align="left"),
            Table(tuple(checklist), widths=(0.4, 0.16, 0.44)),
            Space(3),
            Table(opinion, widths=(0.22, 0.28, 0.18, 0.32), heights=(0, 30)),
            Space(10),
            Signature(
                (
                    f"审核人员（签名）：{review.reviewer}",
                    f"审核日期：{_date(review.reviewed_on)}",
                    f"法制审核机构{SEAL}",
                )
            ),
        ),
        body_size=FORM_SIZE,
        page_numbers=True,
    )


# --- 14. 集体讨论记录 -------------------------------------------------------------------------------


def _prose(text: str) -> list[Para]:
    """User text as paragraphs, each a sentence closed once (no "。。", no "，。")."""
    return [Para(sentence_render(line)) for line in text.splitlines() if line.strip()]


def collective_discussion_layout(context: DocumentContext) -> Layout:
    """第五十七条第二款: the heads' discussion of a complex or major case, each one's view, the
    conclusion, and how a disagreement with the legal reviewer was settled; signed by all present."""
    assert context.discussion is not None
    discussion = context.discussion
    rows = [(Cell("案由", label=True), Cell(context.case.cause, span=3))]
    if context.party is not None:
        rows.append((Cell("当事人", label=True), Cell(context.party.name, span=3)))
    rows += [
        (
            Cell("时间", label=True),
            Cell(_date(discussion.held_on)),
            Cell("地点", label=True),
            Cell(discussion.place),
        ),
        (
            Cell("主持人", label=True),
            Cell(discussion.host),
            Cell("记录人", label=True),
            Cell(discussion.recorder),
        ),
        (Cell("出席人员", label=True), Cell("、".join(discussion.participants), span=3)),
        (
            Cell("缺席人员", label=True),
            Cell("、".join(discussion.absent) if discussion.absent else "无", span=3),
        ),
    ]
    sections: list[tuple[str, list[Para]]] = [("讨论事项", _prose(discussion.subject))]
    if discussion.review_summary:
        sections.append(("法制审核意见", _prose(discussion.review_summary)))
    sections.append(
        (
            "讨论意见",
            [Para(sentence_render(view), indent=False, align="left") for view in discussion.views if view.strip()]
            or [Para("无", indent=False, align="left")],
        )
    )
    sections.append(("讨论结论", _prose(discussion.conclusion)))
    if discussion.resolution:
        sections.append(("分歧处理", _prose(discussion.resolution)))
    blocks: list[Block] = [
        *_heading(context, "集体讨论记录", number=_case_number_line(context)),
        Table(tuple(rows), widths=(0.2, 0.3, 0.2, 0.3)),
        Space(3),
    ]
    for index, (name, paras) in enumerate(sections, start=1):
        blocks += [Para(f"{number_render_chinese(value=index)}、{name}", indent=False, align="left"), *paras]
    blocks += [
        Space(2),
        Para("（以下空白）", indent=False, align="center"),
        Space(4),
        Group(
            (
                Para("出席人员签名：", indent=False, align="left"),
                Space(16),
                *_record_signatures("主持人", "记录人"),
            )
        ),
    ]
    return Layout(blocks=tuple(blocks), body_size=FORM_SIZE, page_numbers=True)


# --- 15. 不予行政处罚决定书 (第五十七条第一款第二项、第三项) ------------------------------------------------


def _procedure_paras(context: DocumentContext) -> list[Para]:
    details = context.decision
    if details is not None and details.procedure:
        return _prose(details.procedure)
    if context.case.opened_on and context.case.cause:
        return [Para(f"本机关于{_date(context.case.opened_on)}对当事人{_case_phrase(context)}立案调查。")]
    return []


def no_penalty_decision_layout(context: DocumentContext) -> Layout:
    """What 第五十九条 asks of a decision, with the ground of not penalising in place of the penalty
    and its performance: the party and its address; the facts and evidence; the ground and its
    provisions; the education the law asks for (第三十三条第三款); the remedies; the agency, the date
    and the seal."""
    assert context.party is not None and context.no_penalty is not None
    details = context.no_penalty
    label = NO_PENALTY_REASONS[details.reason][0]
    bases = no_penalty_citation(details.reason)
    if details.bases:
        bases += "、" + _cite(details.bases)
    blocks: list[Block] = [
        *_heading(context, "不予行政处罚决定书", number=context.document_number),
        *_party_paras(context.party),
        Space(2),
        *_procedure_paras(context),
        Para(f"经查明：{context.facts.strip()}"),
    ]
    if context.evidence:
        blocks += [Para("上述事实，有下列证据证明："), *_numbered(_evidence_lines(context))]
    if context.violated:
        blocks.append(Para(f"当事人的上述行为违反了{_cite(context.violated)}的规定。"))
    blocks += _prose(details.reasoning)
    blocks.append(Para(f"本案属于“{label}”的情形。依据{bases}的规定，本机关决定对当事人不予行政处罚。"))
    if details.correction:
        blocks.append(Para(f"同时，责令当事人{clause_render(details.correction)}。"))
    if details.education:
        blocks += _prose(details.education)
    blocks.append(decision_remedies_para(context, not_suspended=False))
    blocks += _sealed(context)
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


# --- 16. 涉嫌犯罪案件移送书 (第二十七条; 第五十七条第一款第四项) --------------------------------------------


def transfer_letter_layout(context: DocumentContext) -> Layout:
    """To the judicial organ: the case and its facts, why a crime is suspected, the provisions of the
    transfer, the materials sent with it (《行政执法机关移送涉嫌犯罪案件的规定》第六条), and what the
    receiving organ and the agency do next (第七条、第八条、第十二条)."""
    assert context.party is not None and context.transfer is not None
    transfer = context.transfer
    approved = (
        f"经本机关负责人{transfer.approved_by}于{_date(transfer.approved_on)}批准，"
        if transfer.approved_by and transfer.approved_on
        else ""
    )
    provisions = (
        f"{penalty_article(27, detail='第一款')}、第五十七条第一款第四项和{TRANSFER_REGULATION}第三条"
    )
    blocks: list[Block] = [
        *_heading(context, "涉嫌犯罪案件移送书", number=context.document_number),
        Para(f"{transfer.recipient}：", indent=False, align="left"),
        Para(f"本机关在查处{context.party.name}{_case_phrase(context)}过程中查明：{context.facts.strip()}"),
    ]
    if context.evidence:
        blocks += [Para("以上事实，有下列证据证明："), *_numbered(_evidence_lines(context))]
    blocks += [
        Para(
            f"{clause_render(transfer.reasons)}，当事人的行为涉嫌构成{transfer.suspected_offence.strip()}，"
            "依法需要追究刑事责任。"
        ),
        Para(f"{approved}根据{provisions}的规定，现将该案移送你单位依法处理。"),
        Para(
            "请你单位在本移送书的回执上签字，自接受移送之日起三日内对所移送的案件进行审查，并将立案或者不予立案的决定"
            "书面通知本机关。本机关将自接到立案通知书之日起三日内将涉案物品以及与案件有关的其他材料移交你单位。"
        ),
        Para("附件：", indent=False, align="left"),
        *_numbered(transfer.attachments),
    ]
    contact = _contact(context, transfer.contact_person)
    if contact:
        blocks += [Space(2), contact]
    blocks += _sealed(context)
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)
