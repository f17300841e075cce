"""The documents of 行政许可 (《中华人民共和国行政许可法》), written once as blocks in the style of the
penalty and coercion documents: the answers to an application (受理通知书, 不予受理决定书, 补正材料
通知书), the notices while it is examined (延长审查期限告知书, 听证告知书), the decisions (准予 /
不予行政许可决定书) and the later decisions on the licence (变更, 延续, 不予延续, 撤回, 撤销, 注销).

Every refusal and every decision that takes something away states its reasons and the
applicant's remedies, with the authority, the court and the periods (第三十八条第二款; 行政复议法
第二十条, 行政诉讼法第四十六条). Each function receives a context that already passed its kind's
requirements.
"""

from sanxiang.documents.blocks import Block, Layout, Para, Space
from sanxiang.documents.context import DocumentContext, Party, PermitDetails
from sanxiang.documents.layouts import (
    LETTER_SIZE,
    _contact,
    _date,
    _heading,
    _numbered,
    _party_paras,
    _prose,
    _sealed,
    decision_remedies_para,
)
from sanxiang.documents.text import clause_render, number_render_chinese
from sanxiang.procedure.permit.rules import LICENSING_LAW, revocation_compensated


def _left(text: str) -> Para:
    return Para(text, indent=False, align="left")


def _permit(context: DocumentContext) -> PermitDetails:
    assert context.permit is not None
    return context.permit


def _party(context: DocumentContext) -> Party:
    assert context.party is not None
    return context.party


def _law(article: str) -> str:
    return f"{LICENSING_LAW}{article}"


def _days(value: int) -> str:
    return number_render_chinese(value=value)


def _matter(permit: PermitDetails) -> str:
    """The matter inside a sentence: "食品经营许可" (a trailing 申请 is not repeated)."""
    matter = clause_render(permit.matter)
    return matter[: -len("申请")] if matter.endswith("申请") else matter


def _application(context: DocumentContext) -> str:
    """你单位于2026年9月24日提出的食品经营许可申请"""
    permit = _permit(context)
    on = f"于{_date(permit.received_on)}" if permit.received_on else ""
    return f"{_party(context).pronoun}{on}提出的{_matter(permit)}申请"


def _closing(context: DocumentContext) -> list[Block]:
    blocks: list[Block] = []
    contact = _contact(context)
    if contact is not None:
        blocks += [Space(2), contact]
    return blocks + _sealed(context)


def _letter(context: DocumentContext, title: str, body: list[Block]) -> Layout:
    """A letter to the applicant: heading, number, addressee, body, contact, seal and date."""
    blocks: list[Block] = [
        *_heading(context, title, number=context.document_number),
        _left(f"{_party(context).name}："),
        *body,
        *_closing(context),
    ]
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


def _decision(context: DocumentContext, title: str, body: list[Block]) -> Layout:
    """A decision: heading, number, the party introduced in full, body, contact, seal and date."""
    blocks: list[Block] = [
        *_heading(context, title, number=context.document_number),
        *_party_paras(_party(context)),
        Space(2),
        *body,
        *_closing(context),
    ]
    return Layout(blocks=tuple(blocks), body_size=LETTER_SIZE)


def _remedies(context: DocumentContext, *, act: str, carried_out: bool) -> Para:
    """复议 and 诉讼 with their authority, court and periods. A refusal changes nothing the party
    holds: it has no 不停止执行 clause; a withdrawal or revocation does."""
    return decision_remedies_para(context, who=_party(context).pronoun, act=act, not_suspended=carried_out)


def _the_licence(context: DocumentContext) -> str:
    """本机关于2026年10月9日以《准予行政许可决定书》（乌市监许准〔2026〕3号）准予你单位的食品经营许可"""
    permit = _permit(context)
    number = f"（{permit.decision_number}）" if permit.decision_number else ""
    on = f"于{_date(permit.decided_on)}" if permit.decided_on else ""
    return f"本机关{on}以《准予行政许可决定书》{number}准予{_party(context).pronoun}的{_matter(permit)}"


# --- 受理、不予受理、补正 (第三十二条) --------------------------------------------------------------------


def acceptance_notice_layout(context: DocumentContext) -> Layout:
    permit = _permit(context)
    if permit.deemed_accepted:
        accepted = (
            f"{_application(context)}，本机关未在法定期限内一次告知需要补正的内容。根据{_law('第三十二条第一款第四项')}"
            f"的规定，该申请自收到申请材料之日（{_date(permit.received_on)}）起即为受理。"
        )
    else:
        accepted = (
            f"{_application(context)}，申请事项属于本机关职权范围，申请材料齐全、符合法定形式。根据"
            f"{_law('第三十二条第一款第五项')}的规定，本机关决定自{_date(permit.accepted_on)}起予以受理。"
        )
    days = _days(permit.decision_days)
    body = [
        Para(accepted),
        Para(
            f"本机关将自受理之日起{days}个工作日内，即最迟于{_date(permit.decision_due)}作出行政许可决定（依法需要听证、"
            f"招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计入上述期限，本机关将书面告知）。{days}个"
            f"工作日内不能作出决定的，经本机关负责人批准，可以延长{_days(permit.extension_days)}个工作日，"
            "并将延长期限的理由告知"
            f"{_party(context).pronoun}（{_law('第四十二条第一款、第四十五条')}）。"
        ),
    ]
    return _letter(context, "受理通知书", body)


def non_acceptance_layout(context: DocumentContext) -> Layout:
    permit = _permit(context)
    body = [
        Para(f"{_application(context)}，经审查，{clause_render(permit.reasons)}。"),
        Para(f"根据{_law('第三十二条第一款')}的规定，本机关决定不予受理。"),
        _remedies(context, act="本决定", carried_out=False),
    ]
    return _letter(context, "不予受理决定书", body)


def missing_items_layout(context: DocumentContext) -> Layout:
    permit = _permit(context)
    body = [
        Para(
            f"{_application(context)}，申请材料不齐全或者不符合法定形式。根据{_law('第三十二条第一款第四项')}的规定，"
            "现一次告知需要补正的全部内容如下："
        ),
        *_numbered(permit.missing_items),
        Para(
            f"请{_party(context).pronoun}按上述要求补正全部材料后重新提交。本机关自收到补正后齐全、符合法定形式的"
            "申请材料之日起予以受理；补正材料的时间不计入行政许可的审查期限。"
        ),
    ]
    return _letter(context, "补正材料通知书（一次性告知）", body)


# --- 延长审查期限 (第四十二条)、听证权利 (第四十七条) --------------------------------------------------------


def extension_notice_layout(context: DocumentContext) -> Layout:
    permit = _permit(context)
    body = [
        Para(
            f"本机关于{_date(permit.accepted_on)}受理的{_application(context)}，因{clause_render(permit.reasons)}，"
            f"不能在{_days(permit.decision_days)}个工作日内作出决定。"
        ),
        Para(
            f"经本机关负责人批准，根据{_law('第四十二条第一款')}的规定，审查期限延长{_days(permit.extension_days)}个"
            f"工作日，本机关将最迟于{_date(permit.extended_due)}作出行政许可决定。"
        ),
    ]
    return _letter(context, "延长审查期限告知书", body)


def exclusion_notice_layout(context: DocumentContext) -> Layout:
    """第四十五条: the time a hearing, test, inspection, appraisal or expert review takes is not
    counted in the licensing period, and the applicant is told so in writing."""
    permit = _permit(context)
    body = [
        Para(
            f"本机关于{_date(permit.accepted_on)}受理的{_application(context)}，依法需要{clause_render(permit.excluded_what)}。"
        ),
        Para(
            f"根据{_law('第四十五条')}的规定，自{_date(permit.excluded_start)}至{_date(permit.excluded_end)}"
            f"{clause_render(permit.excluded_what)}所需时间不计入作出行政许可决定的期限，特此告知。"
        ),
    ]
    return _letter(context, "不计入审查期限告知书", body)


def hearing_right_layout(context: DocumentContext) -> Layout:
    permit = _permit(context)
    unit = "个工作日" if permit.hearing_request_working else "日"
    body = [
        Para(
            f"本机关正在审查{_application(context)}。该行政许可事项直接涉及申请人与他人之间的重大利益关系，根据"
            f"{_law('第四十七条第一款')}的规定，申请人、利害关系人有权要求听证。"
        ),
        Para(
            f"要求听证的，请自被告知听证权利之日起{_days(permit.hearing_request_days)}{unit}内，即最迟于"
            f"{_date(permit.hearing_request_due)}向本机关提出听证申请；本机关将在收到申请之日起"
            f"{_days(permit.hearing_hold_days)}个工作日内组织听证，并于举行听证的{_days(permit.hearing_notice_days)}个"
            "工作日前通知听证的时间、地点（第四十八条）。申请人、利害关系人不承担组织听证的费用。"
            "逾期未提出听证申请的，视为放弃听证权利。"
        ),
    ]
    return _letter(context, "听证告知书", body)


# --- 准予、不予行政许可 (第三十八条) -----------------------------------------------------------------------


def _examined(context: DocumentContext) -> str:
    permit = _permit(context)
    accepted = f"本机关于{_date(permit.accepted_on)}受理" if permit.accepted_on else "本机关当场受理"
    return f"{_application(context)}，{accepted}。"


def grant_decision_layout(context: DocumentContext) -> Layout:
    permit = _permit(context)
    body: list[Block] = [
        Para(_examined(context)),
        Para(
            f"经审查，{_party(context).pronoun}的申请符合法定条件、标准。根据{_law('第三十八条第一款')}的规定，"
            "本机关决定准予行政许可。"
        ),
        _left("许可内容："),
        *_prose(permit.content),
    ]
    if permit.licence_name.strip():
        body.append(
            Para(
                f"本机关将自本决定作出之日起{_days(permit.delivery_days)}个工作日内向{_party(context).pronoun}颁发、送达"
                f"《{clause_render(permit.licence_name)}》（{_law('第四十四条')}）。"
            )
        )
    return _decision(context, "准予行政许可决定书", body)


def refusal_decision_layout(context: DocumentContext) -> Layout:
    permit = _permit(context)
    body = [
        Para(_examined(context)),
        Para(f"经审查，{clause_render(permit.reasons)}。"),
        Para(f"根据{_law('第三十八条第二款')}的规定，本机关决定不予行政许可。"),
        _remedies(context, act="本决定", carried_out=False),
    ]
    return _decision(context, "不予行政许可决定书", body)


# --- 变更、延续 (第四十九条、第五十条) ----------------------------------------------------------------------


def _applied(permit: PermitDetails, what: str) -> str:
    on = f"于{_date(permit.applied_on)}" if permit.applied_on else ""
    return f"被许可人{on}申请{what}"


def change_decision_layout(context: DocumentContext) -> Layout:
    permit = _permit(context)
    body = [
        Para(f"{_the_licence(context)}。{_applied(permit, '变更该行政许可')}。"),
        Para(f"经审查，变更申请符合法定条件、标准。根据{_law('第四十九条')}的规定，本机关决定准予变更，变更事项如下："),
        *_prose(permit.content),
    ]
    return _decision(context, "变更行政许可决定书", body)


def renewal_decision_layout(context: DocumentContext) -> Layout:
    permit = _permit(context)
    body = [
        Para(
            f"{_the_licence(context)}，有效期至{_date(permit.expires_on)}。{_applied(permit, '延续该行政许可的有效期')}。"
        ),
        Para(
            f"经审查，根据{_law('第五十条')}的规定，本机关决定准予延续，延续后的有效期至{_date(permit.renewed_until)}。"
        ),
    ]
    return _decision(context, "准予延续行政许可决定书", body)


def renewal_refusal_layout(context: DocumentContext) -> Layout:
    permit = _permit(context)
    body = [
        Para(
            f"{_the_licence(context)}，有效期至{_date(permit.expires_on)}。{_applied(permit, '延续该行政许可的有效期')}。"
        ),
        Para(f"经审查，{clause_render(permit.reasons)}。"),
        Para(
            f"根据{_law('第五十条、第三十八条第二款')}的规定，本机关决定不予延续。该行政许可有效期届满后，"
            f"{_party(context).pronoun}不得继续从事该许可事项。"
        ),
        _remedies(context, act="本决定", carried_out=False),
    ]
    return _decision(context, "不予延续行政许可决定书", body)


# --- 撤回、撤销、注销 (第八条、第六十九条、第七十条) ----------------------------------------------------------


def _ending(context: DocumentContext, *, title: str, article: str, verb: str, after: str = "") -> Layout:
    permit = _permit(context)
    body: list[Block] = [
        Para(f"{_the_licence(context)}。"),
        Para(f"经查，存在“{clause_render(permit.ground)}”的情形。事实和证据如下："),
        *_prose(permit.facts),
        Para(f"根据{_law(article)}的规定，本机关决定{verb}该行政许可。{after}"),
        _remedies(context, act="本决定", carried_out=True),
    ]
    return _decision(context, title, body)


def withdrawal_decision_layout(context: DocumentContext) -> Layout:
    return _ending(context, title="撤回行政许可决定书", article="第八条第二款", verb="撤回",
                   after=f"因撤回行政许可给{_party(context).pronoun}造成财产损失的，本机关将依法给予补偿。")


def revocation_decision_layout(context: DocumentContext) -> Layout:
    # 第六十九条第四款: revoked under 第一款, the holder's damaged lawful rights are compensated; under
    # 第二款 (deceit, bribery) what the holder gained from the licence is not protected.
    pronoun = _party(context).pronoun
    if revocation_compensated(_permit(context).ground):
        consequence = (f"因撤销该行政许可致使{pronoun}的合法权益受到损害的，本机关将依照"
                       f"{_law('第六十九条第四款')}的规定依法给予赔偿。")
    else:
        consequence = f"依照{_law('第六十九条第四款')}的规定，{pronoun}基于该行政许可取得的利益不受保护。"
    return _ending(context, title="撤销行政许可决定书", article="第六十九条", verb="撤销",
                   after=f"本机关将依法办理该行政许可的注销手续。{consequence}")


def cancellation_decision_layout(context: DocumentContext) -> Layout:
    return _ending(context, title="注销行政许可决定书", article="第七十条", verb="注销")


__all__ = [
    "acceptance_notice_layout",
    "cancellation_decision_layout",
    "change_decision_layout",
    "exclusion_notice_layout",
    "extension_notice_layout",
    "grant_decision_layout",
    "hearing_right_layout",
    "missing_items_layout",
    "non_acceptance_layout",
    "refusal_decision_layout",
    "renewal_decision_layout",
    "renewal_refusal_layout",
    "revocation_decision_layout",
    "withdrawal_decision_layout",
]
