"""The documents of 行政强制 (《中华人民共和国行政强制法》): the measures (查封、扣押、冻结) and their
execution (催告, 强制执行, 代履行, 申请人民法院强制执行), written once as blocks in the style of the
penalty documents (layouts.py). A measure's documents name it as its kind does: the same layout
prints a 查封决定书 or an 扣押决定书. Each function receives a context that already passed its
kind's requirements.
"""

from sanxiang.documents.blocks import Block, Cell, Group, Layout, Para, Signature, Space, Table
from sanxiang.documents.context import (
    RELEASE_GROUNDS,
    DocumentContext,
    EnforcementDetails,
    FrozenAccount,
    MeasureDetails,
    Party,
    PreservedItem,
)
from sanxiang.documents.layouts import (
    FORM_SIZE,
    LETTER_SIZE,
    SEAL,
    _case_number_line,
    _case_phrase,
    _cite,
    _contact,
    _date,
    _heading,
    _numbered,
    _officers_with_certificates,
    _party_paras,
    _person_line,
    _prose,
    _record_signatures,
    _sealed,
    decision_remedies_para,
)
from sanxiang.documents.requirements import compulsion_article
from sanxiang.documents.text import (
    amount_render,
    clause_render,
    datetime_render,
    number_render_chinese,
    period_render,
    sentence_render,
)
from sanxiang.procedure.enforcement.snapshot import EXECUTION_METHODS


def _left(text: str) -> Para:
    return Para(text, indent=False, align="left")


def _sentence(text: str) -> str:
    """A clause given by the workflow, closed once: "…超过保质期" and "…超过保质期。" both end in 。."""
    return sentence_render(text)


def _days(value: int) -> str:
    return number_render_chinese(value=value)


def _measure(context: DocumentContext) -> MeasureDetails:
    assert context.measure is not None
    return context.measure


def _enforcement(context: DocumentContext) -> EnforcementDetails:
    assert context.enforcement is not None
    return context.enforcement


def _party(context: DocumentContext) -> Party:
    assert context.party is not None
    return context.party


def _items_table(items: tuple[PreservedItem, ...]) -> Table:
    rows = [
        (
            Cell("序号", label=True),
            Cell("名称", label=True),
            Cell("规格型号", label=True),
            Cell("数量", label=True),
            Cell("单位", label=True),
            Cell("备注", label=True),
        )
    ]
    rows += [
        (
            Cell(str(index), label=True),
            Cell(item.name),
            Cell(item.specification),
            Cell(item.quantity, label=True),
            Cell(item.unit, label=True),
            Cell(item.note),
        )
        for index, item in enumerate(items, start=1)
    ]
    return Table(tuple(rows), widths=(0.09, 0.27, 0.2, 0.1, 0.09, 0.25))


def _accounts_table(accounts: tuple[FrozenAccount, ...]) -> Table:
    rows = [
        (
            Cell("序号", label=True),
            Cell("开户金融机构", label=True),
            Cell("户名", label=True),
            Cell("账号", label=True),
            Cell("冻结数额", label=True),
        )
    ]
    rows += [
        (
            Cell(str(index), label=True),
            Cell(account.bank),
            Cell(account.account_name),
            Cell(account.account_number),
            Cell(amount_render(fen=account.amount_fen)),
        )
        for index, account in enumerate(accounts, start=1)
    ]
    return Table(tuple(rows), widths=(0.08, 0.24, 0.18, 0.24, 0.26))


def _opening(context: DocumentContext) -> str:
    """How a measure's decision starts its reasons: inside a case, or on its own."""
    if context.case.cause and context.party is not None:
        return f"本机关在调查当事人{_case_phrase(context)}过程中发现，"
    return "经查，"


def _approved(measure: MeasureDetails) -> str:
    return f"经本机关负责人于{_date(measure.approved_on)}批准，" if measure.approved_on else ""


def _period(measure: MeasureDetails) -> Para:
    return Para(
        f"{measure.label}期限为{_days(measure.days)}日，自{_date(measure.start)}起至{_date(measure.end)}止。"
    )


def _closing(context: DocumentContext, *, contact_person: str = "") -> list[Block]:
    blocks: list[Block] = []
    contact = _contact(context, contact_person)
    if contact:
        blocks += [Space(2), contact]
    blocks += _sealed(context)
    return blocks


def _measure_reference(measure: MeasureDetails, pronoun: str) -> str:
    """本机关于2026年9月1日以《扣押决定书》（乌市监查扣决〔2026〕3号）对你单位的有关场所、设施或者财物予以扣押"""
    number = f"（{measure.decision_number}）" if measure.decision_number else ""
    on = f"于{_date(measure.decided_on or measure.start)}" if (measure.decided_on or measure.start) else ""
    return (
        f"本机关{on}以《{measure.label}决定书》{number}对{pronoun}的有关{measure.object}予以{measure.label}"
    )


# --- 查封（扣押）决定书 (第二十四条) ----------------------------------------------------------------------


def measure_decision_layout(context: DocumentContext) -> Layout:
    """第二十四条第二款: the party and its address; the reasons, basis and period; the places,
    facilities or things with their names and numbers; the remedies; the agency, its seal, the date."""
    measure = _measure(context)
    label = measure.label
    blocks: list[Block] = [
        *_heading(context, f"{label}决定书", number=context.document_number),
        *_party_paras(_party(context)),
        Space(2),
        Para(_opening(context) + _sentence(measure.reason)),
        Para(
            f"依据{_cite(measure.bases)}的规定，{_approved(measure)}本机关决定对当事人的下列{measure.object}"
            f"予以{label}（清单见《{label}财物清单》）："
        ),
        _items_table(measure.items),
        Space(2),
        _period(measure),
    ]
    where = [
        part
        for part in (
            f"{label}地点：{measure.place}" if measure.place else "",
            f"保管地点：{measure.storage_place}" if measure.storage_place else "",
            f"保管方式：{measure.storage_method}" if measure.storage_method else "",
        )
        if part
    ]
    if where:
        blocks.append(Para("；".join(where) + "。"))
    if measure.kind == "seal_up":
        blocks.append(
            Para("查封期间，当事人不得擅自启封、使用、转移、隐匿、损毁或者处置被查封的场所、设施或者财物。")
        )
    blocks += [
        Para(
            f"本机关对{label}的{measure.object}妥善保管，不得使用或者损毁；因{label}发生的保管费用由本机关承担。"
            f"本机关将在{label}期限内及时查清事实，依法作出处理决定。对物品需要进行检测、检验、检疫或者技术鉴定的，"
            f"{label}的期间不包括检测、检验、检疫或者技术鉴定的期间，本机关将书面告知该期间。"
        ),
        decision_remedies_para(context),
        Para(f"本决定书和《{label}财物清单》当场交付当事人；清单一式二份，由当事人和本机关分别保存。"),
        *_closing(context),
    ]
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


# --- 查封（扣押）财物清单 (第二十四条第三款) ---------------------------------------------------------------


def inventory_layout(context: DocumentContext) -> Layout:
    measure = _measure(context)
    party = _party(context)
    label = measure.label
    number = (
        f"{label}决定书文号：{measure.decision_number}"
        if measure.decision_number
        else _case_number_line(context)
    )
    header = [f"当事人：{party.name}"]
    if party.address:
        header.append(f"{'住所' if party.kind != 'natural_person' else '住址'}：{party.address}")
    if measure.place:
        header.append(f"{label}地点：{measure.place}")
    blocks: list[Block] = [
        *_heading(context, f"{label}财物清单", number=number),
        *(_left(line) for line in header),
        Space(2),
        _items_table(measure.items),
        Space(2),
    ]
    if measure.storage_place or measure.storage_method:
        blocks.append(
            _left(
                "；".join(
                    p
                    for p in (
                        f"保管地点：{measure.storage_place}" if measure.storage_place else "",
                        f"保管方式：{measure.storage_method}" if measure.storage_method else "",
                    )
                    if p
                )
                + "。"
            )
        )
    witness = measure.on_site.witness if measure.on_site is not None else None
    roles = ["当事人", "执法人员"] + (["见证人"] if witness is not None else [])
    blocks += [
        Para(
            "本清单一式二份，由当事人和本机关分别保存。当事人对清单所列名称、数量无异议的，请签名或者盖章。"
        ),
        _left(f"执法人员：{_officers_with_certificates(context)}"),
        *_record_signatures(*roles, signs="（签名或者盖章）"),
        *_sealed(context, gap=4),
    ]
    return Layout(blocks=tuple(blocks), body_size=FORM_SIZE)


# --- 现场笔录 (第十八条) ---------------------------------------------------------------------------


def on_site_record_layout(context: DocumentContext) -> Layout:
    """第十八条: when and where; the officers and their certificates; whether the party came; the
    witness; what the party was told; what the party said; the signatures, or the refusal noted."""
    measure = _measure(context)
    on_site = measure.on_site
    assert on_site is not None
    party = _party(context)
    label = measure.label
    header = [
        f"时间：{period_render(start=on_site.started_at, end=on_site.ended_at)}",
        f"地点：{on_site.place}",
        *(p.text for p in _party_paras(party)),
    ]
    if on_site.present_person is not None:
        header.append("到场人员" + _person_line(on_site.present_person)[0])
    if measure.is_seal_seizure:
        header.append(f"当事人到场情况：{'到场' if on_site.party_present else '经通知未到场'}")
    header += [f"执法人员：{_officers_with_certificates(context)}", f"记录人：{on_site.recorder}"]
    if on_site.witness is not None:
        header.append("见证人" + _person_line(on_site.witness)[0])
    if not measure.is_seal_seizure:
        opening = "执法人员出示了执法证件，表明了身份，依法实施冻结。"
    elif on_site.party_present:
        opening = (
            f"执法人员通知当事人到场，出示了执法证件，表明了身份，当场告知当事人采取{label}的理由、依据以及"
            "当事人依法享有的陈述权、申辩权和申请行政复议、提起行政诉讼的权利，并听取了当事人的陈述和申辩。"
        )
    else:
        opening = (
            f"执法人员通知当事人到场，当事人未到场。执法人员邀请见证人到场，出示了执法证件，表明了身份，"
            f"说明了采取{label}的理由、依据。"
        )
    blocks: list[Block] = [
        *_heading(context, "现场笔录", number=_case_number_line(context)),
        *(_left(line) for line in header),
        Space(2),
        Para(opening),
    ]
    if on_site.told:
        blocks += [_left("告知情况："), *_prose(on_site.told)]
    blocks += [_left("现场情况："), *_prose(on_site.findings)]
    if on_site.statement:
        blocks += [_left("当事人的陈述和申辩："), *_prose(on_site.statement)]
    if on_site.recording:
        blocks += [_left("现场拍照、录像情况："), Para(on_site.recording)]
    if on_site.refusal_note:
        blocks += [_left("当事人拒绝签名或者盖章的情况："), Para(on_site.refusal_note)]
    roles = ["当事人", "执法人员", "记录人"] + (["见证人"] if on_site.witness is not None else [])
    footer = "当事人签名：　　　　　执法人员签名：　　　　　记录人签名："
    if on_site.witness is not None:
        footer += "　　　　　见证人签名："
    blocks += [
        Space(2),
        Para("（以下空白）", indent=False, align="center"),
        Space(4),
        Group(
            (
                _left("当事人对笔录的意见："),
                Space(12),
                *_record_signatures(*roles, signs="（签名或者盖章）"),
            )
        ),
    ]
    return Layout(blocks=tuple(blocks), body_size=FORM_SIZE, footer=footer, page_numbers=True)


# --- 延长查封（扣押）期限通知书 (第二十五条; 冻结: 第三十二条) ----------------------------------------------


def extension_notice_layout(context: DocumentContext) -> Layout:
    measure = _measure(context)
    extension = measure.extension
    assert extension is not None
    party = _party(context)
    you = party.pronoun
    label = measure.label
    basis = compulsion_article(25 if measure.is_seal_seizure else 32, detail="第一款")
    blocks: list[Block] = [
        *_heading(context, f"延长{label}期限通知书", number=context.document_number),
        _left(f"{party.name}："),
        Para(f"{_measure_reference(measure, you)}，期限至{_date(measure.end)}止。"),
        Para(
            f"因{clause_render(extension.reason)}，经本机关负责人于{_date(extension.approved_on)}批准，"
            f"根据{basis}的规定，本机关决定将{label}期限延长{_days(extension.days)}日，"
            f"延长后的{label}期限至{_date(extension.new_end)}止。"
        ),
    ]
    if context.remedies is not None:
        blocks.append(decision_remedies_para(context, who=you, document="通知书", act="本延长决定"))
    blocks += _closing(context)
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


# --- 解除查封（扣押）决定书 (第二十八条; 冻结: 第三十三条) ------------------------------------------------


def release_decision_layout(context: DocumentContext) -> Layout:
    measure = _measure(context)
    release = measure.release
    assert release is not None
    party = _party(context)
    you = party.pronoun
    label = measure.label
    grounds = list(RELEASE_GROUNDS)
    item = number_render_chinese(value=grounds.index(release.ground) + 1)
    basis = compulsion_article(28 if measure.is_seal_seizure else 33, detail=f"第一款第{item}项")
    ground = RELEASE_GROUNDS[release.ground].format(m=label, object=measure.object)
    detail = f"（{clause_render(release.detail)}）" if release.detail.strip() else ""
    blocks: list[Block] = [
        *_heading(context, f"解除{label}决定书", number=context.document_number),
        _left(f"{party.name}："),
        Para(f"{_measure_reference(measure, you)}。"),
        Para(f"因{ground}{detail}，根据{basis}的规定，本机关决定解除{label}。"),
    ]
    if measure.kind == "freeze":
        blocks += [
            Para(f"本机关将及时通知下列金融机构解除对{you}存款、汇款的冻结："),
            _accounts_table(measure.accounts),
        ]
    else:
        returned = release.items or measure.items
        lead = (
            f"现解除对{you}下列场所、设施或者财物的查封："
            if measure.kind == "seal_up"
            else f"现将下列扣押的财物退还{you}："
        )
        blocks += [Para(lead), _items_table(returned)]
        if release.proceeds_fen:
            blocks.append(
                Para(
                    "已拍卖或者变卖的鲜活物品或者其他不易保管的财物，退还拍卖或者变卖所得款项"
                    f"{amount_render(fen=release.proceeds_fen)}。"
                )
            )
        if release.collection:
            blocks.append(Para(f"领取方式：{_sentence(release.collection)}"))
    blocks += _closing(context)
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


# --- 冻结决定书 (第三十一条) ---------------------------------------------------------------------------


def freeze_decision_layout(context: DocumentContext) -> Layout:
    """第三十一条: the party and its address; the reasons, basis and period; the accounts and
    amounts; the remedies; the agency, its seal, the date."""
    measure = _measure(context)
    blocks: list[Block] = [
        *_heading(context, "冻结决定书", number=context.document_number),
        *_party_paras(_party(context)),
        Space(2),
        Para(_opening(context) + _sentence(measure.reason)),
        Para(f"依据{_cite(measure.bases)}的规定，{_approved(measure)}本机关决定冻结当事人的下列存款、汇款："),
        _accounts_table(measure.accounts),
        Space(2),
        _period(measure),
        Para(
            "本机关将在冻结期限内作出处理决定或者解除冻结决定；情况复杂需要延长冻结期限的，本机关将书面告知并说明理由。"
            "本机关逾期未作出处理决定或者解除冻结决定的，金融机构自冻结期满之日起解除冻结。"
        ),
        decision_remedies_para(context),
        *_closing(context),
    ]
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


# --- 行政强制执行 -----------------------------------------------------------------------------------


def _decision_story(context: DocumentContext, *, who: str) -> str:
    """The decision the party did not perform: 本机关于…作出《…》（…），要求当事人…。当事人…。"""
    enforcement = _enforcement(context)
    decision = enforcement.decision
    text = (
        f"本机关于{_date(decision.decided_on)}作出《{decision.title}》（{decision.number}），"
        f"要求{who}{_sentence(decision.duty)}"
    )
    if decision.received_on:
        text += f"{who}已于{_date(decision.received_on)}收到该决定书。"
    return text + who + _sentence(enforcement.default)


def _amount_line(enforcement: EnforcementDetails) -> str:
    demand = enforcement.demand
    assert demand is not None
    text = f"应缴金额：{amount_render(fen=demand.amount_fen)}"
    if enforcement.principal_fen and enforcement.surcharge_fen:
        text += (
            f"（其中应缴款项{amount_render(fen=enforcement.principal_fen)}，"
            f"加处罚款或者滞纳金{amount_render(fen=enforcement.surcharge_fen)}）"
        )
    return text + f"；给付方式：{clause_render(demand.payment_method)}"


def demand_layout(context: DocumentContext) -> Layout:
    """第三十五条: the deadline, the way, the amount and how to pay it, and the party's right to
    state and defend (第三十六条 says what the agency does with it)."""
    enforcement = _enforcement(context)
    demand = enforcement.demand
    assert demand is not None
    party = _party(context)
    you = party.pronoun
    articles = compulsion_article(35, 54) if demand.to_court else compulsion_article(35)
    lines = [
        f"履行期限：请于{_date(demand.deadline)}前履行上述义务",
        f"履行方式：{clause_render(demand.method)}",
    ]
    if enforcement.obligation == "payment":
        lines.append(_amount_line(enforcement))
    window = (
        f"，可以自收到本催告书之日起{_days(demand.statement_days)}个工作日内向本机关提出"
        if demand.statement_days
        else "，可以在履行期限届满前向本机关提出"
    )
    consequence = (
        f"{you}逾期仍不履行的，本机关将依法申请人民法院强制执行。"
        if demand.to_court
        else f"{you}逾期仍不履行且无正当理由的，本机关将依法作出强制执行决定。"
    )
    blocks: list[Block] = [
        *_heading(context, "催告书", number=context.document_number),
        _left(f"{party.name}："),
        Para(_decision_story(context, who=you)),
        Para(f"根据{articles}的规定，现催告{you}履行义务："),
        *_numbered(lines),
        Para(
            f"{you}收到本催告书后有权进行陈述和申辩{window}。本机关将充分听取{you}的意见，对{you}提出的事实、理由和证据"
            f"进行记录、复核；{you}提出的事实、理由或者证据成立的，本机关将予以采纳。"
        ),
        Para(consequence),
        *_closing(context),
    ]
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


def _demand_story(enforcement: EnforcementDetails, *, who: str) -> str:
    demand = enforcement.demand
    assert demand is not None
    number = f"（{demand.number}）" if demand.number else ""
    return (
        f"本机关于{_date(demand.served_on)}向{who}送达《催告书》{number}，"
        f"催告{who}于{_date(demand.deadline)}前履行义务。"
    )


def execution_decision_layout(context: DocumentContext) -> Layout:
    """第三十七条第二款: the party and its address; the reasons and basis; the way and the time; the
    remedies; the agency, its seal, the date. 第三款: immediately, on evidence of assets moved or hidden."""
    enforcement = _enforcement(context)
    execution = enforcement.execution
    assert execution is not None and execution.starts_at is not None
    blocks: list[Block] = [
        *_heading(context, "强制执行决定书", number=context.document_number),
        *_party_paras(_party(context)),
        Space(2),
        Para(_decision_story(context, who="当事人")),
    ]
    if execution.immediate:
        blocks.append(
            Para(
                _demand_story(enforcement, who="当事人")
                + f"在催告期间，{_sentence(execution.immediate_reason)}"
            )
        )
    else:
        blocks.append(Para(_demand_story(enforcement, who="当事人") + "当事人逾期仍不履行，且无正当理由。"))
    if execution.reexamination:
        blocks.append(Para(f"当事人提出了陈述和申辩，经本机关复核：{_sentence(execution.reexamination)}"))
    blocks += _prose(execution.reasons)
    immediate = f"和{compulsion_article(37, detail='第三款')}" if execution.immediate else ""
    blocks += [
        Para(
            f"依据{_cite(execution.bases)}{immediate}的规定，本机关决定{'立即' if execution.immediate else ''}"
            "对当事人强制执行："
        ),
        *_numbered(
            [
                f"强制执行的方式：{EXECUTION_METHODS[execution.method]}，{clause_render(execution.method_detail)}",
                f"强制执行的时间：{datetime_render(at=execution.starts_at)}起",
            ]
        ),
        decision_remedies_para(context),
        *_closing(context),
    ]
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


def substitute_decision_layout(context: DocumentContext) -> Layout:
    """第五十一条第一款第一项: the party and its address; the reasons and basis, the way and the
    time, the object, the cost estimate and who performs; then the rules of 第二项至第四项 and
    第二款 the party is entitled to know."""
    enforcement = _enforcement(context)
    substitute = enforcement.substitute
    assert substitute is not None and substitute.starts_at is not None
    blocks: list[Block] = [
        *_heading(context, "代履行决定书", number=context.document_number),
        *_party_paras(_party(context)),
        Space(2),
        Para(_decision_story(context, who="当事人")),
        Para(_demand_story(enforcement, who="当事人") + "当事人逾期仍不履行。"),
        *_prose(substitute.reasons),
        Para(f"依据{_cite(substitute.bases)}的规定，本机关决定代履行："),
        *_numbered(
            [
                f"代履行的方式：{clause_render(substitute.method)}",
                f"代履行的时间：{datetime_render(at=substitute.starts_at)}起",
                f"代履行的标的：{clause_render(substitute.target)}",
                f"代履行的费用预算：{amount_render(fen=substitute.cost_estimate_fen)}",
                f"代履行人：{clause_render(substitute.performer)}",
            ]
        ),
        Para(
            "代履行三日前，本机关将催告当事人履行，当事人履行的，停止代履行。代履行时，本机关将派员到场监督；"
            "代履行完毕，本机关到场监督的工作人员、代履行人和当事人或者见证人将在执行文书上签名或者盖章。"
            "代履行的费用按照成本合理确定，由当事人承担。"
        ),
    ]
    if context.remedies is not None:
        blocks.append(decision_remedies_para(context))
    blocks += _closing(context)
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


def court_application_layout(context: DocumentContext) -> Layout:
    """第五十五条: the application names the decision, its facts, reasons and basis, the party's
    opinion and the demand, what is to be enforced; it is signed by the agency's head, sealed and
    dated (第二款)."""
    enforcement = _enforcement(context)
    court = enforcement.court
    assert court is not None
    decision = enforcement.decision
    party = _party(context)
    agency = context.agency
    organization = party.kind != "natural_person"
    applicant = [f"申请人：{agency.name}"]
    if agency.address:
        applicant.append(f"地址：{agency.address}")
    applicant.append(f"负责人：{court.head}")
    respondent = [f"被申请人：{party.name}"]
    if party.id_code:
        respondent.append(f"{'统一社会信用代码' if organization else '身份证件号码'}：{party.id_code}")
    if party.legal_representative:
        respondent.append(
            f"{'法定代表人（负责人）' if organization else '法定代理人'}：{party.legal_representative}"
        )
    if party.address:
        respondent.append(f"{'住所' if organization else '住址'}：{party.address}")
    blocks: list[Block] = [
        *_heading(context, "强制执行申请书", number=context.document_number),
        *(_left(line) for line in applicant),
        Space(1),
        *(_left(line) for line in respondent),
        Space(2),
        _left("申请事项："),
        Para(
            f"请求依法强制执行本机关作出的《{decision.title}》（{decision.number}）：{_sentence(court.target)}"
        ),
        _left("事实和理由："),
    ]
    if context.facts:
        blocks += _prose(context.facts)
    blocks += [
        Para(
            f"本机关于{_date(decision.decided_on)}作出《{decision.title}》（{decision.number}），"
            f"要求被申请人{_sentence(decision.duty)}"
            + (f"该决定书已于{_date(decision.received_on)}送达被申请人。" if decision.received_on else "")
            + f"被申请人在法定期限内未申请行政复议或者提起行政诉讼，又不履行该决定：{_sentence(enforcement.default)}"
        ),
        Para(_demand_story(enforcement, who="被申请人") + "催告书送达十日后，被申请人仍未履行义务。"),
        Para(f"被申请人的意见：{_sentence(court.party_opinion)}"),
        Para(f"依据{compulsion_article(53, 54)}的规定，特申请贵院依法强制执行。"),
        Space(2),
        _left("此致"),
        _left(court.court),
        Space(2),
        _left("附："),
        *_numbered(court.attachments),
        Space(8),
        Signature(
            (f"行政机关负责人（签名）：{court.head}", SEAL, agency.name, _date(context.issued_on)),
            note=context.copies_note,
        ),
    ]
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


__all__ = [
    "court_application_layout",
    "demand_layout",
    "execution_decision_layout",
    "extension_notice_layout",
    "freeze_decision_layout",
    "inventory_layout",
    "measure_decision_layout",
    "on_site_record_layout",
    "release_decision_layout",
    "substitute_decision_layout",
]
