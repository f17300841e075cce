"""事后公开 of compulsory decisions (行政强制), the Django side: `cases` emits `CompulsoryDecided` and
publication drafts, publishes, updates, withdraws and takes down the decision with a ledger entry
each time. The rules are `procedure.publication_coercion` (国办发〔2018〕118号: every enforcement
decision published within 20 working days with the agency, the party, the category and the
conclusion; taken down when revoked; personal information hidden, an account never published).

Cases are driven through `case_action_perform` with the builders of the case tests. Dates (2026):
a seizure taken Mon 03-02 (its 30 days end Wed 04-01) is due for publication on Mon 03-30, the
20th working day after it; 清明 (04-04 to 04-06) moves the due day of a decision of Fri 03-13 to
Mon 04-13.
"""

import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from sanxiang.cases.events import CASE_EVENTS, CompulsoryDecided
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_create
from sanxiang.evidence import services as evidence
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.publication import leaks
from sanxiang.procedure.violations import Refused
from sanxiang.publication import apps as publication_apps
from sanxiang.publication.compulsory import compulsory_drafts_refresh
from sanxiang.publication.models import DraftStatus, Publication, PublicationDraft, PublicationStatus
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.publication.services import (
    publication_approve,
    publication_correct,
    publication_decision_change,
    publications_expire,
)
from sanxiang.registry import services as registry
from tests.cases.support import World, world_make
from tests.cases.test_enforcement_cases import execution_data, own_case, substitute_data
from tests.evidence.conftest import mp4_bytes
from tests.factories import id_number

pytestmark = pytest.mark.django_db

D, T = dt.date, dt.datetime
GUIDELINE = "国办发〔2018〕118号"
APPROVED_AT, TAKEN_AT = T(2026, 3, 2, 9, 0), T(2026, 3, 2, 10, 0)
TAKEN_ON = TAKEN_AT.date()
DUE = D(2026, 3, 30)
PUBLISHED_ON = D(2026, 3, 9)
CONCLUSION = "扣押纯牛奶（250毫升×24盒）12箱；酸奶3箱；期限30日，自2026年3月2日起，至2026年4月1日止"
ACCOUNT = "6228480000000001"
WITNESS = "王小明"

PROPOSAL = {
    "reason": "当事人仓库存放超过保质期的纯牛奶，可能流入市场危害人体健康",
    "bases": ["《中华人民共和国食品安全法》第一百一十条第四项"],
    "place": "乌审旗嘎鲁图镇团结路12号当事人仓库",
    "items": ["纯牛奶，250毫升×24盒，12箱", "酸奶，3箱"],
    "storage_place": "本局涉案物品仓库",
    "storage_method": "异地扣押",
}


# --- builders (as in tests/cases/test_coercion_cases.py) ---------------------------------------------


def measure_case(w: World, *, kind: str = "seizure", party=None, title: str = "涉嫌经营超过保质期的食品案") -> Case:
    return case_create(
        actor=None, agency=w.agency, title=title, procedure="freeze" if kind == "freeze" else "seal_seizure",
        party=party or w.company, officers=[w.zhang, w.li], enforcement_field="市场监管", on=TAKEN_ON,
        options={} if kind == "freeze" else {"measure_kind": kind},
    )


def perform(case: Case, action: str, day: dt.date, actor, /, **data) -> Case:
    from sanxiang.cases.services import case_action_perform

    return case_action_perform(actor=actor, case=case, action=action, data=data, on=day)


def on_spot(w: World, **changes) -> dict:
    return {
        "taken_at": TAKEN_AT,
        "ended_at": TAKEN_AT + dt.timedelta(hours=1),
        "officer_ids": [str(w.zhang.pk), str(w.li.pk)],
        "certificates_shown": True,
        "party_notified": True,
        "party_present": True,
        "present_person": "巴特尔（法定代表人）",
        "told_reasons_and_basis": True,
        "told_rights_and_remedies": True,
        "party_heard": True,
        "statement": "当事人称系工作人员疏忽，未及时下架。",
        "findings": "当事人仓库存放超过保质期的纯牛奶12箱、酸奶3箱，执法人员依法予以扣押并贴封条。",
        "recorder": "李四",
        "officers_signed": True,
        "party_signed": True,
        "related_to_case": True,
        "no_daily_necessities": True,
        "not_already_sealed": True,
        "handed_over": True,
    } | changes


def recording_upload(w: World, case: Case, step: str) -> None:
    meta = evidence.evidence_metadata_check(actor=w.officer, kind="video", original_name="执法记录仪.mp4", case=case,
                                            step=step)
    evidence.evidence_ingest(actor=w.officer, source=io.BytesIO(mp4_bytes(seed=case.pk)), meta=meta)


def seized(w: World, case: Case | None = None, *, proposal: dict | None = None, **changes) -> Case:
    """Proposed, approved by the head at 09:00 and taken at 10:00 on Mon 03-02, filmed."""
    case = case or measure_case(w)
    case = perform(case, "coercion_propose", TAKEN_ON, w.officer, **(proposal or PROPOSAL))
    case = perform(case, "coercion_approve", TAKEN_ON, w.head, approved_at=APPROVED_AT, opinion="同意扣押")
    recording_upload(w, case, "seizure")
    return perform(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w, **changes))


def emergency(w: World) -> Case:
    case = measure_case(w)
    recording_upload(w, case, "seizure")
    data = PROPOSAL | on_spot(w) | {"emergency_reason": "当事人正在装车转移过期纯牛奶"}
    return perform(case, "coercion_take_emergency", TAKEN_ON, w.officer, **data)


def frozen(w: World, *, party=None) -> Case:
    at = T(2026, 3, 5, 10, 0)
    case = measure_case(w, kind="freeze", party=party)
    holder = (party or w.company).name
    case = perform(case, "coercion_propose", at.date(), w.officer,
                   reason=f"当事人拒不缴纳罚款，并将款项转入账户{ACCOUNT}，需冻结其存款",
                   bases=["《中华人民共和国税收征收管理法》第三十八条第一款第一项"],
                   accounts=[f"中国农业银行乌审旗支行，{holder}，{ACCOUNT}，30000"])
    case = perform(case, "coercion_approve", at.date(), w.head, approved_at=at - dt.timedelta(hours=1), opinion="同意冻结")
    return perform(case, "coercion_take", at.date(), w.officer, taken_at=at, officer_ids=[str(w.zhang.pk), str(w.li.pk)],
                   place="中国农业银行乌审旗支行营业部", freeze_notice_bank="中国农业银行乌审旗支行", certificates_shown=True,
                   findings=f"向金融机构送达协助冻结通知书，冻结当事人账户{ACCOUNT}内存款人民币30000元。", recorder="李四",
                   officers_signed=True)


def person(w: World):
    """A natural person, with everything that must stay hidden."""
    return registry.party_create(
        actor=None, agency=w.agency, kind="natural_person", name="乌日娜", id_type="resident_id_card",
        id_number=id_number(birth=dt.date(1985, 7, 1)), address="乌审旗嘎鲁图镇团结路8号3单元201室", phone="13912345678",
    )


def draft_of(case: Case, decision: str = "measure") -> PublicationDraft:
    return PublicationDraft.objects.get(case=case, decision=decision)


def payloads(kind: str, case: Case) -> list[dict]:
    entries = Entry.objects.filter(kind=kind, case_id=case.pk).order_by("seq")
    return [json.loads(bytes(e.body))["payload"] for e in entries]


def published_text(publication: Publication) -> str:
    fields = ("number", "title", "party_name", "party_kind", "party_credit_code", "legal_representative",
              "violation_type", "facts", "basis", "kinds_label", "content", "licence", "withdrawal_statement",
              "search_text")
    return "\n".join(str(getattr(publication, f)) for f in fields)


@pytest.fixture
def w() -> World:
    world = world_make()
    public_registry_refresh(agency_id=world.agency.pk)
    return world


# --- the subscription -----------------------------------------------------------------------------------


def test_publication_subscribes_to_compulsory_decisions_inside_the_transaction():
    assert publication_apps._compulsory_decided in CASE_EVENTS.subscribers(CompulsoryDecided)
    subscription = next(s for s in CASE_EVENTS._subscriptions if s.handler is publication_apps._compulsory_decided)
    assert subscription.atomic is True


def test_a_failing_draft_rolls_the_measure_back(w, monkeypatch):
    from sanxiang.publication import compulsory

    def broken(**kwargs):
        raise RuntimeError("publication store unavailable")

    monkeypatch.setattr(compulsory, "compulsory_decision_record", broken)
    case = measure_case(w)
    with pytest.raises(RuntimeError):
        seized(w, case)
    case.refresh_from_db()
    assert case.state == "approved"  # the take did not happen
    assert not PublicationDraft.objects.filter(case=case).exists()


# --- 查封、扣押: drafted, due in 20 working days, approved, following the measure ------------------------------


def test_a_seizure_is_drafted_when_taken_and_due_in_20_working_days(w):
    case = measure_case(w)
    case = perform(case, "coercion_propose", TAKEN_ON, w.officer, **PROPOSAL)
    case = perform(case, "coercion_approve", TAKEN_ON, w.head, approved_at=APPROVED_AT, opinion="同意扣押")
    assert not PublicationDraft.objects.filter(case=case).exists()  # approved is not yet decided

    case = seized(w, measure_case(w))
    draft = draft_of(case)
    assert (draft.status, draft.decided_on, draft.due_on, draft.refusals) == (DraftStatus.DRAFT, TAKEN_ON, DUE, [])
    assert draft.public == {
        "number": "乌市监查扣决〔2026〕1号",
        "title": "涉嫌经营超过保质期的食品案",
        "party_name": "乌审旗草原味道餐饮有限公司",
        "party_kind": "法人及非法人组织",
        "party_credit_code": w.company.credit_code,
        "legal_representative": "巴特尔",
        "violation_type": "行政强制措施",
        "kinds_label": "扣押",
        "facts": PROPOSAL["reason"],
        "basis": PROPOSAL["bases"][0],
        "content": CONCLUSION,
    }
    (drafted,) = payloads(EventKind.PUBLICATION_DRAFTED, case)
    assert (drafted["decision"], drafted["action"], drafted["due_on"]) == ("measure", "coercion_take", "2026-03-30")
    assert drafted["basis"].startswith(GUIDELINE)


def test_the_head_approves_it_and_it_is_public_for_the_display_period(w):
    case = seized(w)
    publication = publication_approve(actor=w.head, draft=draft_of(case), on=PUBLISHED_ON)
    assert (publication.decision_kind, publication.kinds, publication.kinds_label) == ("measure", ["seizure"], "扣押")
    assert (publication.violation_type, publication.facts, publication.content) == ("行政强制措施", PROPOSAL["reason"],
                                                                                    CONCLUSION)
    assert (publication.fine_fen, publication.licence, publication.decided_on) == (0, "", TAKEN_ON)
    # The display period runs from the decision's day (publication.coercion.display_months: 12 months).
    assert publication.display_until == D(2027, 3, 1)
    assert publication.labels["content"] == "执法结论" and publication.is_compulsory
    (entry,) = payloads(EventKind.PUBLICATION, case)
    assert (entry["decision"], entry["late"], entry["display_until"]) == ("measure", False, "2027-03-01")
    assert draft_of(case).status == DraftStatus.PUBLISHED

    # Past the display period it is taken down, as a penalty is.
    assert publications_expire(on=D(2027, 3, 1)) == 0
    assert publications_expire(on=D(2027, 3, 2)) == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.EXPIRED and draft_of(case).status == DraftStatus.EXPIRED


def test_an_extension_before_publication_refreshes_the_draft(w):
    case = seized(w)
    perform(case, "coercion_extend", D(2026, 3, 25), w.head, days=20, reason="需委托检验机构对涉案食品批次进行溯源核查",
            notice_served_on=D(2026, 3, 25))
    draft = draft_of(case)
    assert draft.status == DraftStatus.DRAFT and draft.due_on == DUE  # the decision's day is still 03-02
    assert draft.public["content"] == (
        "扣押纯牛奶（250毫升×24盒）12箱；酸奶3箱；期限30日，自2026年3月2日起，经批准延长20日，至2026年4月21日止"
    )
    assert [p["action"] for p in payloads(EventKind.PUBLICATION_DRAFTED, case)] == ["coercion_take", "coercion_extend"]
    assert payloads(EventKind.PUBLICATION_DRAFTED, case)[-1]["refreshed"] is True


def test_a_release_after_publication_updates_the_public_conclusion_with_a_ledger_entry(w):
    case = seized(w)
    publication = publication_approve(actor=w.head, draft=draft_of(case), on=PUBLISHED_ON)
    perform(case, "coercion_release", D(2026, 3, 10), w.head, ground="no_violation", returned=True)
    publication.refresh_from_db()
    assert publication.content == f"{CONCLUSION}；已于2026年3月10日解除"
    assert publication.status == PublicationStatus.PUBLISHED and "解除" in publication.search_text
    (corrected,) = payloads(EventKind.PUBLICATION_CORRECTED, case)
    assert (corrected["automatic"], corrected["action"], corrected["fields"]) == (True, "coercion_release", ["content"])
    assert corrected["corrected_on"] == "2026-03-10"


def test_a_conclusion_a_person_edited_is_not_overwritten_but_offered_for_correction(w, client):
    case = seized(w)
    edited = "扣押纯牛奶、酸奶一批；期限30日，自2026年3月2日起，至2026年4月1日止"
    publication = publication_approve(actor=w.head, draft=draft_of(case), edits={"content": edited}, on=PUBLISHED_ON)
    perform(case, "coercion_release", D(2026, 3, 10), w.head, ground="no_violation", returned=True)
    publication.refresh_from_db()
    draft = draft_of(case)
    assert publication.content == edited  # the person's wording stays until a person changes it
    assert draft.facts["update_pending"] == f"{CONCLUSION}；已于2026年3月10日解除"
    assert not payloads(EventKind.PUBLICATION_CORRECTED, case)
    assert payloads(EventKind.PUBLICATION_DRAFTED, case)[-1]["update_pending"] is True

    client.force_login(w.head)
    html = client.get(reverse("publication:draft_detail", args=[draft.pk])).content.decode()
    assert 'data-testid="update-pending"' in html and "已于2026年3月10日解除" in html

    publication_correct(actor=w.head, draft=draft, edits={"content": "扣押纯牛奶、酸奶一批；已于2026年3月10日解除"},
                        reason="措施已解除", on=D(2026, 3, 11))
    publication.refresh_from_db()
    assert publication.content == "扣押纯牛奶、酸奶一批；已于2026年3月10日解除"
    assert draft_of(case).facts["update_pending"] == ""
    (corrected,) = payloads(EventKind.PUBLICATION_CORRECTED, case)
    assert corrected["fields"] == ["content"] and "automatic" not in corrected


# --- personal information: natural persons, third parties, accounts ------------------------------------------


def test_nothing_identifying_a_natural_person_is_published(w):
    """个人信息保护法第二十五条; 浙江省行政处罚结果信息网上公开暂行办法第七条: the party's identifiers,
    address and phone and every third party's name are hidden; a natural person's name stays."""
    citizen = person(w)
    proposal = PROPOSAL | {
        "reason": f"当事人乌日娜（公民身份号码{citizen.id_number}，电话13912345678）在其住所"
                  "乌审旗嘎鲁图镇团结路8号3单元201室存放过期纯牛奶，证人王小明在场",
    }
    case = seized(w, measure_case(w, party=citizen), proposal=proposal, party_present=False, present_person="",
                  statement="", witness=f"{WITNESS}（村委会主任）", party_signed=False)
    draft = draft_of(case)
    assert draft.public["party_kind"] == "自然人" and draft.public["party_name"] == "乌日娜"
    assert draft.public["party_credit_code"] == "" and draft.public["legal_representative"] == ""
    secret = [citizen.id_number, "13912345678", citizen.address, WITNESS]
    assert leaks("\n".join(draft.public.values()), secret) == []
    assert citizen.id_number in draft.original["facts"]  # the original stays internal, side by side
    kinds = {r["kind"] for r in draft.redactions}
    assert {"id_number", "phone", "address", "third_party"} <= kinds

    publication = publication_approve(actor=w.head, draft=draft, on=PUBLISHED_ON)
    assert leaks(published_text(publication), secret) == []


def test_an_edit_that_reveals_what_the_rules_hid_is_hidden_again(w):
    citizen = person(w)
    case = seized(w, measure_case(w, party=citizen))
    publication = publication_approve(
        actor=w.head, draft=draft_of(case), on=PUBLISHED_ON,
        edits={"facts": f"当事人电话13912345678，身份证号{citizen.id_number}，住{citizen.address}"},
    )
    assert leaks(publication.facts, [citizen.id_number, "13912345678", citizen.address]) == []


def test_a_freezes_account_is_never_published(w):
    """冻结: the amount of an organisation is published, its account never (浙江办法第七条第二项)."""
    case = frozen(w)
    draft = draft_of(case)
    assert draft.public["content"] == "冻结存款、汇款30000元；期限30日，自2026年3月5日起，至2026年4月7日止"
    assert ACCOUNT in draft.original["facts"]
    publication = publication_approve(actor=w.head, draft=draft, on=PUBLISHED_ON)
    assert ACCOUNT not in published_text(publication) and publication.kinds_label == "冻结"
    assert any(r["kind"] == "bank_account" for r in draft_of(case).redactions)


def test_a_natural_persons_frozen_amount_is_not_published_either(w):
    """publication.coercion.freeze_amount_published_for_natural_persons (个人信息保护法第二十八条): no."""
    citizen = person(w)
    draft = draft_of(frozen(w, party=citizen))
    assert draft.public["content"].startswith("冻结存款、汇款；期限30日")
    assert ACCOUNT not in "\n".join(draft.public.values()) and "30000" not in draft.public["content"]


# --- 第十九条: an emergency measure waits for the head's approval -------------------------------------------


def test_an_emergency_measure_is_held_until_the_head_approves_it(w):
    case = emergency(w)
    draft = draft_of(case)
    assert draft.status == DraftStatus.HELD and draft.due_on == DUE
    (held,) = draft.refusals
    assert held["code"] == "publication.coercion.awaiting_approval"
    assert held["message"] == "情况紧急当场实施的扣押尚待补办批准手续，补办批准后再公开"
    assert held["legal_basis"].startswith("系统规则")  # a platform rule, not law
    with pytest.raises(Refused) as refused:
        publication_approve(actor=w.head, draft=draft, on=PUBLISHED_ON)
    assert {v.code for v in refused.value.violations} == {"publication.not_a_draft",
                                                          "publication.coercion.awaiting_approval"}
    assert not Publication.objects.exists()

    # The head approves within 24 hours: the confirmation is a deciding step, so the draft goes
    # to the desk at once (the daily tick then has nothing left to hand over).
    case = perform(case, "coercion_confirm_emergency", TAKEN_ON, w.head, decided_at=T(2026, 3, 2, 16, 0),
                   reported_at=T(2026, 3, 2, 12, 0), opinion="同意")
    draft = draft_of(case)
    assert (draft.status, draft.refusals, draft.due_on) == (DraftStatus.DRAFT, [], DUE)
    assert compulsory_drafts_refresh(on=D(2026, 3, 4)) == 0
    publication = publication_approve(actor=w.head, draft=draft, on=PUBLISHED_ON)
    assert publication.content == CONCLUSION


def test_a_held_draft_is_handed_over_by_the_daily_tick_when_no_step_announced_it(w):
    """A held draft whose measure was confirmed without the event reaching publication (an older
    confirmation) is handed to the desk by the daily tick."""
    case = emergency(w)
    case = perform(case, "coercion_confirm_emergency", TAKEN_ON, w.head, decided_at=T(2026, 3, 2, 16, 0),
                   reported_at=T(2026, 3, 2, 12, 0), opinion="同意")
    draft = draft_of(case)
    PublicationDraft.objects.filter(pk=draft.pk).update(status=DraftStatus.HELD,
                                                       facts={**draft.facts, "stage": "awaiting_approval"})
    assert compulsory_drafts_refresh(on=D(2026, 3, 3)) == 1
    assert draft_of(case).status == DraftStatus.DRAFT


def test_an_emergency_measure_the_head_refused_is_never_published(w):
    case = emergency(w)
    case = perform(case, "coercion_disapprove_emergency", TAKEN_ON, w.head, decided_at=T(2026, 3, 2, 15, 0),
                   opinion="不同意，证据不足")
    perform(case, "coercion_release", TAKEN_ON, w.head, ground="other", detail="负责人不同意紧急实施的扣押", returned=True)
    draft = draft_of(case)
    assert draft.status == DraftStatus.NOT_PUBLISHED
    (refusal,) = draft.refusals
    assert refusal["code"] == "publication.coercion.disapproved"
    assert refusal["message"] == "当场实施的扣押未获行政机关负责人批准，已经解除，不作为执法决定公开"
    assert compulsory_drafts_refresh(on=D(2026, 3, 3)) == 0
    with pytest.raises(Refused) as refused:
        publication_approve(actor=w.head, draft=draft, on=PUBLISHED_ON)
    assert "publication.coercion.disapproved" in {v.code for v in refused.value.violations}
    assert not Publication.objects.exists()
    assert payloads(EventKind.PUBLICATION_NOT_PUBLISHED, case)[-1]["refusals"][0]["code"] == (
        "publication.coercion.disapproved"
    )


# --- withdrawal -------------------------------------------------------------------------------------------


def test_a_measure_ordered_to_be_remade_is_withdrawn_with_a_public_statement(w):
    """118号: a decision revoked, held unlawful or to be remade is taken down."""
    citizen = person(w)
    case = seized(w, measure_case(w, party=citizen))
    publication = publication_approve(actor=w.head, draft=draft_of(case), on=PUBLISHED_ON)
    with pytest.raises(Refused) as refused:
        publication_decision_change(actor=w.head, draft=draft_of(case), kind="remade", changed_on=D(2026, 3, 20),
                                    statement=" ", on=D(2026, 3, 23))
    assert [(v.code, v.legal_basis) for v in refused.value.violations] == [("publication.statement_missing", GUIDELINE)]
    publication_decision_change(actor=w.head, draft=draft_of(case), kind="remade", changed_on=D(2026, 3, 20),
                                statement="复议机关责令重新作出，当事人电话13912345678", on=D(2026, 3, 23))
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WITHDRAWN and publication.content == publication.facts == ""
    assert publication.withdrawal_statement.startswith("本决定已于2026年3月20日被依法责令重新作出，原公开信息撤回。")
    assert "13912345678" not in publication.withdrawal_statement
    assert publication.party_name != "乌日娜" and publication.party_name.startswith("乌")  # masked
    (withdrawal,) = payloads(EventKind.WITHDRAWAL, case)
    assert (withdrawal["change"], withdrawal["due_on"], withdrawal["late"]) == ("remade", "2026-03-25", False)
    # Withdrawn: a later step no longer touches it.
    perform(case, "coercion_release", D(2026, 3, 24), w.head, ground="other", returned=True)
    publication.refresh_from_db()
    assert publication.content == "" and draft_of(case).status == DraftStatus.WITHDRAWN


def test_a_withdrawn_measure_on_a_natural_person_names_him_nowhere_public(w):
    """Review r3 F4, the compulsory side: the public title is the case's, which counties write with
    the party's name; once withdrawn, the name is masked there and in the notice, as in the party column."""
    case = seized(w, measure_case(w, party=person(w), title="乌日娜涉嫌经营超过保质期的食品案"))
    publication = publication_approve(actor=w.head, draft=draft_of(case), on=PUBLISHED_ON)
    assert publication.party_name == "乌日娜" and publication.title == "乌日娜涉嫌经营超过保质期的食品案"
    publication_decision_change(actor=w.head, draft=draft_of(case), kind="remade", changed_on=D(2026, 3, 20),
                                statement="复议机关责令乌日娜一案重新作出", on=D(2026, 3, 23))
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WITHDRAWN
    assert (publication.party_name, publication.title) == ("乌某某", "乌某某涉嫌经营超过保质期的食品案")
    assert "乌日娜" not in published_text(publication) + publication.withdrawal_statement
    assert "复议机关责令乌某某一案重新作出" in publication.withdrawal_statement
    assert Case.objects.get(pk=case.pk).title == "乌日娜涉嫌经营超过保质期的食品案"


# --- 行政强制执行: the execution and the 代履行 decision, each a publication of its own ----------------------------


def test_an_enforcement_case_publishes_its_execution_and_its_substitute_decision(w):
    case = own_case(w, "act", power="own")
    case = perform(case, "decide_execution", D(2026, 3, 13), w.head, **execution_data(method="removal"))
    execution = draft_of(case, "execution")
    assert (execution.decided_on, execution.due_on, execution.status) == (D(2026, 3, 13), D(2026, 4, 13), DraftStatus.DRAFT)
    assert execution.public["number"] == "乌市监强执决〔2026〕1号"
    assert (execution.public["violation_type"], execution.public["kinds_label"]) == ("行政强制执行", "强制执行")
    assert execution.public["content"] == (
        "强制执行方式：排除妨碍、恢复原状；履行义务：于2026年1月20日前清除堆放在河道管理范围内的砂石料；"
        "所执行的决定：乌自然资责〔2026〕3号"
    )
    publication = publication_approve(actor=w.head, draft=execution, on=D(2026, 3, 16))
    assert publication.decision_kind == "execution" and publication.kinds == ["execution"]

    # The agreement is broken and the agency decides a 代履行 instead: a second decision, a second draft.
    case = perform(case, "sign_agreement", D(2026, 3, 14), w.head, signed_on=D(2026, 3, 14),
                   content="当事人于2026年3月20日前自行清除", surcharge_waived_yuan=None, remedial_measures_taken=False,
                   remedial_measures="")
    case = perform(case, "resume_execution", D(2026, 3, 23), w.head, broken_on=D(2026, 3, 21), note="逾期未清除")
    case = perform(case, "decide_substitute", D(2026, 3, 23), w.head, **substitute_data())
    substitute = draft_of(case, "substitute")
    assert substitute.public["number"] == "乌市监代履〔2026〕1号" and substitute.public["kinds_label"] == "代履行"
    assert substitute.public["content"].startswith("代履行；履行义务：于2026年1月20日前清除")
    assert PublicationDraft.objects.filter(case=case).count() == 2
    assert draft_of(case, "execution").status == DraftStatus.PUBLISHED  # untouched by the other decision
    assert publication_approve(actor=w.head, draft=substitute, on=D(2026, 3, 24)).decision_kind == "substitute"


def test_a_demolition_decision_is_published_under_its_own_number(w):
    case = own_case(w, "demolition", power="own")
    case = perform(case, "decide_execution", D(2026, 3, 13), w.head, **execution_data())
    draft = draft_of(case, "execution")
    assert draft.public["content"].startswith("强制执行方式：强制拆除；履行义务：于2026年1月20日前自行拆除")
    assert draft.public["facts"] == "当事人逾期不拆除违法建设，经催告仍不履行。"
    assert not PublicationDraft.objects.filter(case=case, decision="substitute").exists()


# --- the desk -----------------------------------------------------------------------------------------------


def test_the_desk_shows_a_compulsory_draft_under_its_own_labels_and_publishes_it(w, client):
    case = seized(w)
    draft = draft_of(case)
    client.force_login(w.head)
    listing = client.get(reverse("publication:drafts")).content.decode()
    assert "（行政强制措施决定）" in listing
    html = client.get(reverse("publication:draft_detail", args=[draft.pk])).content.decode()
    for label in ("执法类别", "决定种类", "理由", "执法结论"):
        assert label in html, label
    assert "处罚内容" not in html and "违法事实" not in html and "measure" not in html
    texts = {"title": draft.public["title"], "facts": draft.public["facts"],
             "basis": draft.public["basis"], "content": draft.public["content"]}
    # 发布公示 first shows what the public will read and asks for confirmation.
    response = client.post(reverse("publication:draft_approve", args=[draft.pk]), texts)
    assert response.status_code == 200 and "确认发布公示" in response.content.decode()
    assert draft_of(case).status == DraftStatus.DRAFT
    response = client.post(reverse("publication:draft_approve", args=[draft.pk]), {**texts, "confirmed": "1"})
    assert response.status_code == 302
    assert draft_of(case).status == DraftStatus.PUBLISHED
    assert Publication.objects.get(decision_kind="measure").content == CONCLUSION
    # Published: the withdrawal offers the grounds of 118号, 责令重新作出 among them.
    html = client.get(reverse("publication:draft_detail", args=[draft.pk])).content.decode()
    assert '<option value="remade">责令重新作出</option>' in html and "第四十八条" not in html


def test_the_tick_reports_an_overdue_compulsory_draft(w):
    from io import StringIO

    from django.core.management import call_command

    case = seized(w)
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("publication_tick", "--on", "2026-03-31", stdout=out)
    assert f"逾期未公示：{w.agency.name} {case.number}（应于2026-03-30前）" in out.getvalue()
