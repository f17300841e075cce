"""行政强制措施 (查封、扣押、冻结) as cases: every rule of 《中华人民共和国行政强制法》第十七条至第三十三条
that the steps touch, through `case_action_perform` with the real services. Each legal test shows
the refusal (code, message, basis) and then the lawful path.

Dates: March 2026 has no public holiday. The head approves on Mon 03-02 at 09:00 and the goods are
seized at 10:00: the 30 calendar days (第二十五条第一款) end Wed 04-01. A freeze taken Thu 03-05 must
be handed to the party within 3 working days (第三十一条第一款, 第六十九条): Tue 03-10.
"""

import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from sanxiang.cases import events
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.cases.selectors import case_deadlines, case_snapshot_build, case_texts
from sanxiang.cases.services import case_action_perform, case_create
from sanxiang.documents import RELEASE_GROUNDS as DOCUMENT_RELEASE_GROUNDS
from sanxiang.evidence import services as evidence
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.coercion.texts import RELEASE_GROUNDS, Item
from sanxiang.procedure.violations import Refused
from sanxiang.registry import services as registry
from tests.cases.support import World, lead_make, officer_with_certificate, world_make
from tests.evidence.conftest import mp4_bytes, pdf_bytes
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db

D, T = dt.date, dt.datetime
LAW = "《中华人民共和国行政强制法》"
APPROVED_AT, TAKEN_AT = T(2026, 3, 2, 9, 0), T(2026, 3, 2, 10, 0)
TAKEN_ON = TAKEN_AT.date()
PERIOD_END = D(2026, 4, 1)
FREEZE_AT = T(2026, 3, 5, 10, 0)
BASIS = "《中华人民共和国食品安全法》第一百一十条第四项"

PROPOSAL = {
    "reason": "当事人仓库存放超过保质期的纯牛奶，可能流入市场危害人体健康",
    "bases": [BASIS],
    "place": "乌审旗嘎鲁图镇团结路12号当事人仓库",
    "items": ["纯牛奶，250毫升×24盒，12箱", "酸奶，3箱"],
    "storage_place": "本局涉案物品仓库",
    "storage_method": "异地扣押",
}
FREEZE_PROPOSAL = {
    "reason": "当事人拒不缴纳罚款并转移财产，需冻结其存款",
    "bases": ["《中华人民共和国税收征收管理法》第三十八条第一款第一项"],
    "accounts": ["中国农业银行乌审旗支行，乌审旗草原味道餐饮有限公司，6228480000000001，30000"],
}


# --- builders --------------------------------------------------------------------------------------


def measure_case(w: World, *, kind: str = "seizure", parent: Case | None = None, agency=None, officers=None,
                 party=None) -> Case:
    procedure = "freeze" if kind == "freeze" else "seal_seizure"
    return case_create(
        actor=None, agency=agency or w.agency, title="涉嫌经营超过保质期的食品案", procedure=procedure,
        party=party or w.company, officers=officers if officers is not None else [w.zhang, w.li],
        enforcement_field="市场监管", on=TAKEN_ON, options={} if kind == "freeze" else {"measure_kind": kind},
        parent=parent,
    )


def perform(case: Case, action: str, day: dt.date, actor, /, **data) -> Case:
    return case_action_perform(actor=actor, case=case, action=action, data=data, on=day)


def refusal(case: Case, action: str, day: dt.date, actor, /, **data) -> list:
    with pytest.raises(Refused) as refused:
        perform(case, action, day, actor, **data)
    return refused.value.violations


def by_code(violations, code: str):
    found = [v for v in violations if v.code == code]
    assert found, f"{code} not in {[v.code for v in violations]}"
    return found[0]


def codes(violations) -> list[str]:
    return [v.code for v in violations]


def on_spot(w: World, at: dt.datetime = TAKEN_AT, **changes) -> dict:
    """A lawful carrying-out on the spot, as the officer records it."""
    return {
        "taken_at": at,
        "ended_at": at + dt.timedelta(hours=1),
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


def freeze_data(w: World, **changes) -> dict:
    return {
        "taken_at": FREEZE_AT,
        "officer_ids": [str(w.zhang.pk), str(w.li.pk)],
        "place": "中国农业银行乌审旗支行营业部",
        "freeze_notice_bank": "中国农业银行乌审旗支行",
        "certificates_shown": True,
        "findings": "向金融机构送达协助冻结通知书，冻结当事人存款人民币30000元。",
        "recorder": "李四",
        "officers_signed": True,
    } | changes


def recording_upload(w: World, case: Case, step: str, *, data: bytes | None = None, kind: str = "video") -> None:
    """The body camera's whole-process recording, filed as evidence of the case for `step`."""
    meta = evidence.evidence_metadata_check(actor=w.officer, kind=kind, original_name="执法记录仪.mp4", case=case,
                                            step=step)
    evidence.evidence_ingest(actor=w.officer, source=io.BytesIO(data or mp4_bytes(seed=case.pk)), meta=meta)


def to_approved(w: World, case: Case) -> Case:
    case = perform(case, "coercion_propose", TAKEN_ON, w.officer, **PROPOSAL)
    return perform(case, "coercion_approve", TAKEN_ON, w.head, approved_at=APPROVED_AT, opinion="同意扣押")


def to_in_force(w: World, case: Case | None = None, **changes) -> Case:
    case = to_approved(w, case or measure_case(w))
    recording_upload(w, case, case_snapshot_build(case).kind)
    return perform(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w, **changes))


def to_frozen(w: World) -> Case:
    case = measure_case(w, kind="freeze")
    case = perform(case, "coercion_propose", FREEZE_AT.date(), w.officer, **FREEZE_PROPOSAL)
    case = perform(case, "coercion_approve", FREEZE_AT.date(), w.head, approved_at=FREEZE_AT - dt.timedelta(hours=1),
                   opinion="同意冻结")
    return perform(case, "coercion_take", FREEZE_AT.date(), w.officer, **freeze_data(w))


def deadline(case: Case, code: str, on: dt.date):
    return next(d for d in case_deadlines(case=case, on=on) if d.code == code)


@pytest.fixture
def w() -> World:
    return world_make()


# --- registration -----------------------------------------------------------------------------------


def test_a_measure_is_registered_with_its_kind_on_its_own_or_inside_a_penalty_case(w):
    alone = measure_case(w, kind="seal_up")
    assert (alone.procedure, alone.state, alone.parent_id) == ("seal_seizure", "proposed", None)
    assert case_snapshot_build(alone).kind == "seal_up"

    penalty = lead_make(w)
    inside = measure_case(w, kind="seizure", parent=penalty)
    snapshot = case_snapshot_build(inside)
    assert (snapshot.kind, snapshot.penalty_case_id, inside.parent_id) == ("seizure", penalty.pk, penalty.pk)
    frozen = measure_case(w, kind="freeze", parent=penalty)
    assert (frozen.procedure, case_snapshot_build(frozen).kind) == ("freeze", "freeze")


def test_registration_refuses_a_missing_kind_a_foreign_option_and_a_parent_it_may_not_belong_to(w):
    with pytest.raises(Refused) as missing:
        case_create(actor=None, agency=w.agency, title="案", procedure="seal_seizure", party=w.company, on=TAKEN_ON)
    assert [(v.code, v.message, v.field) for v in missing.value.violations] == [
        ("case.option.measure_kind", "请选择强制措施种类（查封、扣押）", "measure_kind")
    ]
    with pytest.raises(Refused) as foreign:
        case_create(actor=None, agency=w.agency, title="案", procedure="freeze", party=w.company, on=TAKEN_ON,
                    options={"measure_kind": "seizure"})
    assert codes(foreign.value.violations) == ["case.option.measure_kind"]

    other = agency_make(name="乌审旗农牧局")
    theirs = case_create(actor=None, agency=other, title="他案", on=TAKEN_ON)
    with pytest.raises(Refused) as parent:
        measure_case(w, parent=theirs)
    assert [(v.code, v.message) for v in parent.value.violations] == [("case.parent_agency", "所属案件不是本执法主体的案件")]
    # A measure belongs to a penalty case, not to another measure.
    with pytest.raises(Refused) as kind:
        measure_case(w, parent=measure_case(w))
    assert [(v.code, v.message) for v in kind.value.violations] == [("case.parent_kind", "查封、扣押只能属于行政处罚案件")]


# --- 第十八条第一项: the head's prior approval --------------------------------------------------------------


def test_a_measure_needs_the_heads_prior_approval(w):
    """第十八条第一项: 实施前须向行政机关负责人报告并经批准."""
    case = measure_case(w)
    recording_upload(w, case, "seizure")
    violations = refusal(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w))
    approval = by_code(violations, "coercion.approval.missing")
    assert approval.message == "实施扣押前须报经行政机关负责人批准，尚无负责人审批意见"
    assert approval.legal_basis == f"{LAW}第十八条第一项"
    assert by_code(violations, "coercion.wrong_state").message == (
        "案件当前处于“拟采取”，不能实施查封、扣押（只能在“已批准，待实施”时进行）"
    )

    # Only the head approves, and only a measure the officers have written up.
    role = refusal(case, "coercion_approve", TAKEN_ON, w.officer, approved_at=APPROVED_AT, opinion="同意")
    assert (role[0].code, role[0].message, role[0].legal_basis) == (
        "case.role", "“负责人批准”须由机关负责人办理", "本单位职责分工"
    )
    unwritten = by_code(refusal(case, "coercion_approve", TAKEN_ON, w.head, approved_at=APPROVED_AT, opinion="同意"),
                        "coercion.content.missing")
    assert unwritten.legal_basis == f"{LAW}第十八条第一项"

    case = to_approved(w, case)
    assert case.state == "approved"
    assert "approval_form" in case_snapshot_build(case).records
    assert case_texts(case).approval.text == "同意扣押"
    case = perform(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w))
    assert case.state == "in_force"


def test_a_measure_taken_before_the_approval_is_no_approved_measure(w):
    case = measure_case(w)
    case = perform(case, "coercion_propose", TAKEN_ON, w.officer, **PROPOSAL)
    case = perform(case, "coercion_approve", TAKEN_ON, w.head, approved_at=T(2026, 3, 2, 11, 0), opinion="同意")
    recording_upload(w, case, "seizure")
    late = by_code(refusal(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w)), "coercion.approval.after_taking")
    assert late.message == ("负责人于2026-03-02 11:00批准，晚于实施时间2026-03-02 10:00；未经事先批准当场实施的，"
                            "只能按紧急情况办理并在二十四小时内补办批准手续")
    assert late.legal_basis == f"{LAW}第十八条第一项；{LAW}第十九条"
    assert perform(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w, T(2026, 3, 2, 11, 30))).state == "in_force"


def test_the_head_may_decline_the_measure(w):
    case = perform(measure_case(w), "coercion_propose", TAKEN_ON, w.officer, **PROPOSAL)
    assert codes(refusal(case, "coercion_decline", TAKEN_ON, w.officer, reason="证据不足")) == ["case.role"]
    case = perform(case, "coercion_decline", TAKEN_ON, w.head, reason="现有证据不足以采取扣押")
    assert case.state == "not_taken" and case_texts(case).decline.text == "现有证据不足以采取扣押"


# --- 第十九条: an emergency measure, approved within 24 hours or released ------------------------------------


def emergency(w: World, case: Case | None = None) -> Case:
    case = case or measure_case(w)
    recording_upload(w, case, "seizure")
    data = PROPOSAL | on_spot(w) | {"emergency_reason": "当事人正在装车转移过期纯牛奶"}
    return perform(case, "coercion_take_emergency", TAKEN_ON, w.officer, **data)


def test_an_emergency_measure_needs_its_reason_and_the_approval_within_24_hours(w):
    """第十九条: 情况紧急，需要当场实施的，应当在二十四小时内向行政机关负责人报告，并补办批准手续."""
    case = measure_case(w)
    recording_upload(w, case, "seizure")
    no_reason = by_code(refusal(case, "coercion_take_emergency", TAKEN_ON, w.officer,
                                **(PROPOSAL | on_spot(w) | {"emergency_reason": " "})), "coercion.emergency.reason_missing")
    assert (no_reason.message, no_reason.legal_basis) == ("未经事先批准当场实施，须写明情况紧急的事由", f"{LAW}第十九条")

    case = emergency(w, case)
    assert case.state == "emergency_taken"
    due = deadline(case, "coercion.deadline.emergency_approval", TAKEN_ON)
    assert (due.due, due.state, due.basis) == (D(2026, 3, 3), "due_soon", f"{LAW}第十九条")
    assert "2026-03-03 10:00前" in due.label
    assert deadline(case, "coercion.deadline.emergency_approval", D(2026, 3, 4)).state == "overdue"

    decision = {"decided_at": T(2026, 3, 3, 11, 0), "reported_at": T(2026, 3, 2, 12, 0), "opinion": "同意"}
    late = by_code(refusal(case, "coercion_confirm_emergency", D(2026, 3, 3), w.head, **decision),
                   "coercion.emergency.approval_late")
    assert late.message == "补办批准的时间2026-03-03 11:00已超过二十四小时（应在2026-03-03 10:00前），应当立即解除"
    assert late.legal_basis == f"{LAW}第十九条"
    assert case_snapshot_build(Case.objects.get(pk=case.pk)).approval is None  # a refusal leaves nothing behind

    case = perform(case, "coercion_confirm_emergency", D(2026, 3, 2), w.head,
                   **(decision | {"decided_at": T(2026, 3, 2, 16, 0)}))
    assert case.state == "in_force"
    assert {"emergency_report", "measure_decision", "inventory", "on_site_record"} <= case_snapshot_build(case).records
    assert deadline(case, "coercion.deadline.emergency_approval", D(2026, 3, 4)).state == "met"


def test_an_emergency_measure_the_head_does_not_approve_is_released_at_once(w):
    """第十九条: 行政机关负责人认为不应当采取行政强制措施的，应当立即解除."""
    case = emergency(w)
    case = perform(case, "coercion_disapprove_emergency", D(2026, 3, 2), w.head,
                   decided_at=T(2026, 3, 2, 15, 0), opinion="不同意，证据不足")
    refused = by_code(refusal(case, "coercion_confirm_emergency", D(2026, 3, 2), w.head,
                              decided_at=T(2026, 3, 2, 15, 30), opinion="同意"), "coercion.emergency.approval_refused")
    assert refused.message == "行政机关负责人王局长认为不应当采取扣押，应当立即解除"
    case = perform(case, "coercion_release", D(2026, 3, 2), w.head, ground="other",
                   detail="负责人不同意紧急实施的扣押", returned=True)
    assert case.state == "released"
    release = IssuedDocument.objects.get(case=case, kind="release_decision")
    assert release.title == "解除扣押决定书" and release.number.endswith("〔2026〕1号")


# --- 第十七条、第十八条第二项: qualified officers, never an entrusted organisation -------------------------------


def test_fewer_than_two_qualified_officers_may_not_carry_out_a_measure(w):
    """第十七条第三款、第十八条第二项: 由两名以上行政执法人员实施."""
    case = to_approved(w, measure_case(w))
    recording_upload(w, case, "seizure")
    alone = by_code(refusal(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w, officer_ids=[str(w.zhang.pk)])),
                    "coercion.officers.too_few")
    assert alone.message == "行政强制措施须由不少于2名具备资格的行政执法人员实施，现为1名"
    assert alone.legal_basis.startswith(f"{LAW}第十七条第三款、第十八条第二项")
    assert perform(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w)).state == "in_force"


def test_an_entrusted_organisation_may_not_take_a_measure(w):
    """第十七条第一款: 行政强制措施权不得委托."""
    organ = agency_make(name="乌审旗农牧局", parent_government="乌审旗人民政府")
    brigade = agency_make(name="乌审旗农牧业综合行政执法大队", kind="entrusted_organization", entrusting_agency=organ)
    a, b = officer_with_certificate(brigade, "赵某"), officer_with_certificate(brigade, "钱某")
    officer = user_make(role="officer", agency=brigade, officer=a)
    head = user_make(role="agency_head", agency=brigade, officer=officer_with_certificate(brigade, "孙队长"))
    party = registry.party_create(actor=None, agency=brigade, kind="legal_person", name="乌审旗某农资有限公司",
                                  credit_code=w.company.credit_code, address="乌审旗嘎鲁图镇")
    case = measure_case(w, agency=brigade, officers=[a, b], party=party)
    case = perform(case, "coercion_propose", TAKEN_ON, officer, **PROPOSAL)
    case = perform(case, "coercion_approve", TAKEN_ON, head, approved_at=APPROVED_AT, opinion="同意")
    meta = evidence.evidence_metadata_check(actor=officer, kind="video", original_name="a.mp4", case=case, step="seizure")
    evidence.evidence_ingest(actor=officer, source=io.BytesIO(mp4_bytes(seed=99)), meta=meta)
    data = on_spot(w, officer_ids=[str(a.pk), str(b.pk)])
    (entrusted,) = refusal(case, "coercion_take", TAKEN_ON, officer, **data)
    assert (entrusted.code, entrusted.message, entrusted.legal_basis) == (
        "coercion.agency.entrusted",
        "行政强制措施权不得委托，受委托组织不能实施查封、扣押、冻结",
        f"{LAW}第十七条第一款：行政强制措施权不得委托",
    )
    # The lawful path: the organ's own officers take it, in a case of the organ.
    assert to_in_force(w).state == "in_force"


# --- 第十八条第三项至第九项: on the spot ------------------------------------------------------------------


def test_every_on_the_spot_element_is_checked_and_an_absent_party_needs_a_witness(w):
    """第十八条: 出示执法身份证件；通知当事人到场；当场告知理由、依据和权利、救济途径；听取陈述和申辩；
    制作现场笔录，由当事人和行政执法人员签名或者盖章，拒绝的在笔录中注明；当事人不到场的，邀请见证人到场."""
    case = to_approved(w, measure_case(w))
    recording_upload(w, case, "seizure")
    missing = refusal(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(
        w, certificates_shown=False, party_notified=False, told_reasons_and_basis=False, told_rights_and_remedies=False,
        party_heard=False, officers_signed=False, party_signed=False))
    assert {v.code: v.legal_basis for v in missing if v.code.startswith("coercion.on_spot.")} == {
        "coercion.on_spot.certificates": f"{LAW}第十八条第三项",
        "coercion.on_spot.party_notified": f"{LAW}第十八条第四项",
        "coercion.on_spot.told_reasons": f"{LAW}第十八条第五项",
        "coercion.on_spot.told_remedies": f"{LAW}第十八条第五项",
        "coercion.on_spot.officers_signed": f"{LAW}第十八条第七项至第九项",
        "coercion.on_spot.party_heard": f"{LAW}第十八条第六项",
        "coercion.on_spot.party_signature": f"{LAW}第十八条第七项至第九项",
    }
    assert by_code(missing, "coercion.on_spot.party_signature").message == (
        "现场笔录须由当事人签名或者盖章；当事人拒绝的，须在笔录中注明"
    )
    absent = refusal(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w, party_present=False, party_signed=False))
    assert by_code(absent, "coercion.on_spot.witness").message == (
        "当事人不到场的，须邀请见证人到场，由见证人和行政执法人员在现场笔录上签名或者盖章"
    )
    # What the party said is part of the record when it attended (the document's own check).
    unheard = refusal(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w, statement=""))
    statement = by_code(unheard, "document.on_site_record.measure.on_site.statement.missing")
    assert (statement.message, statement.legal_basis) == (
        "现场笔录缺少当事人的陈述和申辩（或者当事人未陈述、申辩）", f"{LAW}第十八条第六项"
    )

    case = perform(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(
        w, party_present=False, party_signed=False, present_person="", statement="", witness="张某（村委会主任）",
        party_heard=False))
    assert case.state == "in_force"
    assert case_texts(case).on_site.witness == "张某（村委会主任）"


def test_a_party_refusing_to_sign_is_noted_in_the_record(w):
    case = to_in_force(w, party_signed=False, refusal_note="当事人拒绝在笔录上签名，执法人员当场注明并录像。")
    assert case_snapshot_build(case).on_spot.party_refusal_noted
    assert case_texts(case).on_site.refusal_note.startswith("当事人拒绝")


# --- 第二十三条: what may be sealed up or seized ---------------------------------------------------------


def test_the_officer_confirms_the_property_may_be_seized(w):
    """第二十三条: 限于涉案的场所、设施或者财物；不得查封、扣押生活必需品；不得重复查封."""
    case = to_approved(w, measure_case(w))
    recording_upload(w, case, "seizure")
    violations = refusal(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(
        w, related_to_case=False, no_daily_necessities=False, not_already_sealed=False))
    assert [(v.code, v.message, v.legal_basis) for v in violations] == [
        ("coercion.property.related", "须确认查封、扣押的场所、设施或者财物与违法行为有关", f"{LAW}第二十三条"),
        ("coercion.property.daily_necessities", "须确认未查封、扣押公民个人及其所扶养家属的生活必需品", f"{LAW}第二十三条"),
        ("coercion.property.already_sealed", "须确认有关财物未被其他国家机关依法查封（不得重复查封）", f"{LAW}第二十三条"),
    ]
    assert perform(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w)).state == "in_force"


# --- 第二十四条: the decision and the inventory handed over on the spot ----------------------------------------


def test_the_decision_and_inventory_are_handed_over_and_every_thing_has_its_quantity(w):
    """第二十四条: 当场交付查封、扣押决定书和清单；决定书载明财物的名称、数量等."""
    case = measure_case(w)
    line = by_code(refusal(case, "coercion_propose", TAKEN_ON, w.officer, **(PROPOSAL | {"items": ["纯牛奶若干"]})),
                   "coercion.items.quantity_missing")
    assert (line.message, line.legal_basis, line.field) == (
        "“纯牛奶若干”须写明名称和数量（名称，规格，数量和单位）", f"{LAW}第二十四条第二款", "items"
    )
    case = to_approved(w, case)
    recording_upload(w, case, "seizure")
    kept = by_code(refusal(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w, handed_over=False)),
                   "coercion.decision.not_handed_over")
    assert (kept.message, kept.legal_basis) == ("查封、扣押决定书和清单须当场交付当事人", f"{LAW}第二十四条第一款")
    assert IssuedDocument.objects.filter(case=case).count() == 0  # a refusal issues nothing, numbers nothing

    case = perform(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w))
    assert case_texts(case).content.items == (
        Item("纯牛奶", "250毫升×24盒", "12", "箱"), Item("酸奶", "", "3", "箱"),
    )
    assert case_snapshot_build(case).decision_elements == {
        "party", "reasons_basis_period", "items", "remedies", "agency_seal_date"
    }


def test_the_party_named_by_the_decision_comes_from_the_registry(w):
    """第二十四条第二款第一项: the decision names the party and its address. The step takes that
    element from the registry, and the decision's own check refuses when the registry lacks it."""
    case = to_approved(w, measure_case(w))
    unnamed = case_create(actor=None, agency=w.agency, title="涉嫌经营超过保质期的食品案", procedure="seal_seizure",
                          officers=[w.zhang, w.li], enforcement_field="市场监管", on=TAKEN_ON,
                          options={"measure_kind": "seizure"})
    unnamed = to_approved(w, unnamed)
    recording_upload(w, unnamed, "seizure")
    violations = refusal(unnamed, "coercion_take", TAKEN_ON, w.officer, **on_spot(w))
    party = by_code(violations, "document.measure_decision.party.name.missing")
    assert (party.message, party.legal_basis) == ("扣押决定书缺少当事人的姓名或者名称", f"{LAW}第二十四条第二款")
    recording_upload(w, case, "seizure")
    assert perform(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w)).state == "in_force"


def test_an_emergency_measure_without_quantities_has_an_incomplete_decision(w):
    case = measure_case(w)
    recording_upload(w, case, "seizure")
    data = PROPOSAL | on_spot(w) | {"emergency_reason": "当事人正在转移", "items": ["纯牛奶若干"]}
    violations = refusal(case, "coercion_take_emergency", TAKEN_ON, w.officer, **data)
    assert by_code(violations, "coercion.decision.elements_missing").message == (
        "查封、扣押决定书缺少法定内容：“查封、扣押场所、设施或者财物的名称、数量等”"
    )
    assert by_code(violations, "coercion.items.quantity_missing").field == "items"


# --- 音像记录事项清单 (118号): no seizure without its recording --------------------------------------------------


def test_no_seizure_without_its_whole_process_recording(w):
    """The 音像记录事项清单 made under 国办发〔2018〕118号 lists 查封、扣押: the refusal cites the list,
    not a statute."""
    case = to_approved(w, measure_case(w))
    (missing,) = refusal(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w))
    assert (missing.code, missing.message, missing.field) == (
        "coercion.audio_video.missing.seizure", "“扣押”列入音像记录事项清单，须关联全程音像记录文件后才能办理", "records"
    )
    assert "118号" in missing.legal_basis and "音像记录事项清单" in missing.legal_basis
    assert "行政强制法" not in missing.legal_basis

    # A document filed for the step, or a recording of another step, is no recording of the seizure.
    recording_upload(w, case, "seizure", data=pdf_bytes(seed=7), kind="document")
    recording_upload(w, case, "seal_up", data=mp4_bytes(seed=8))
    assert codes(refusal(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w))) == [
        "coercion.audio_video.missing.seizure"
    ]
    recording_upload(w, case, "seizure")
    case = perform(case, "coercion_take", TAKEN_ON, w.officer, **on_spot(w))
    assert case.state == "in_force" and "audio_video_seizure" in case_snapshot_build(case).records


def test_a_seal_up_names_its_own_recording_and_documents(w):
    case = to_in_force(w, measure_case(w, kind="seal_up"))
    assert "audio_video_seal_up" in case_snapshot_build(case).records
    titles = set(IssuedDocument.objects.filter(case=case).values_list("title", flat=True))
    assert titles == {"查封决定书", "查封财物清单", "现场笔录"}


# --- documents: numbers, files, ledger ---------------------------------------------------------------------


def test_taking_a_measure_issues_its_numbered_documents_in_pdf_and_docx_with_the_ledger(w):
    case = to_in_force(w)
    documents = {d.kind: d for d in IssuedDocument.objects.filter(case=case)}
    assert set(documents) == {"on_site_record", "measure_decision", "inventory"}
    number = documents["measure_decision"].number
    assert number == "乌市监查扣决〔2026〕1号"
    assert documents["measure_decision"].title == "扣押决定书"
    assert documents["inventory"].number == "" and documents["on_site_record"].number == ""
    for document in documents.values():
        assert document.issued_on == TAKEN_ON and document.action == "coercion_take"
        entry = json.loads(bytes(Entry.objects.get(seq=document.ledger_seq).body))
        assert entry["kind"] == EventKind.DOCUMENT_ISSUED
        assert entry["payload"]["pdf_sha256"] == document.pdf.stored_file.sha256
        assert entry["payload"]["docx_sha256"] == document.docx.stored_file.sha256
        assert document.pdf.stored_file.content_type == "application/pdf"
    step = Entry.objects.get(case_id=case.pk, kind=EventKind.STEP_DONE, subject=f"case:{case.pk}:coercion_take")
    payload = json.loads(bytes(step.body))["payload"]
    assert (payload["state_from"], payload["state_to"]) == ("approved", "in_force")
    assert {d["number"] for d in payload["documents"]} == {number, ""}
    # The on-spot facts are recorded in clear, the free text by its digest.
    assert payload["data"]["party_present"] is True and "findings_sha256" in payload["data"]
    # The next decision of the agency takes the next number; later documents cite the decision.
    second = to_in_force(w)
    assert IssuedDocument.objects.get(case=second, kind="measure_decision").number == "乌市监查扣决〔2026〕2号"
    assert case_texts(case).decision_number == number


def test_taking_a_measure_tells_the_apps_above_and_a_mere_approval_does_not(w):
    seen: list = []

    def handler(event):
        seen.append((event.procedure, event.action, event.snapshot.state))

    events.CASE_EVENTS.subscribe(events.CompulsoryDecided, handler, atomic=True)
    try:
        case = to_in_force(w)
        assert seen == [("seal_seizure", "coercion_take", "in_force")]
        perform(case, "coercion_release", D(2026, 3, 10), w.head, ground="no_violation", returned=True)
        assert seen[-1] == ("seal_seizure", "coercion_release", "released")
    finally:
        events.CASE_EVENTS.unsubscribe(events.CompulsoryDecided, handler)


# --- 第二十五条: the period, the extension, the examinations ------------------------------------------------------


def test_the_period_is_extended_once_by_the_head_within_30_days_before_it_ends_with_a_notice(w):
    """第二十五条第一款: 情况复杂的，经行政机关负责人批准，可以延长，但是延长期限不得超过三十日；延长决定应当
    及时书面告知当事人，并说明理由."""
    case = to_in_force(w)
    assert deadline(case, "coercion.deadline.period", D(2026, 3, 20)).due == PERIOD_END
    extension = {"days": 20, "reason": "需委托检验机构对涉案食品批次进行溯源核查", "notice_served_on": D(2026, 3, 25)}

    role = refusal(case, "coercion_extend", D(2026, 3, 25), w.officer, **extension)
    assert codes(role) == [
        "case.role", "coercion.record_missing.extension_approval", "coercion.extension.head_approval_missing"
    ]
    assert by_code(role, "coercion.extension.head_approval_missing").legal_basis == f"{LAW}第二十五条第一款"
    too_long = by_code(refusal(case, "coercion_extend", D(2026, 3, 25), w.head, **(extension | {"days": 31})),
                       "coercion.extension.too_long")
    assert too_long.message == "延长期限须为1至30日（不得超过30日），现为31日"
    assert too_long.legal_basis == f"{LAW}第二十五条第一款"
    unreasoned = refusal(case, "coercion_extend", D(2026, 3, 25), w.head, **(extension | {"reason": " "}))
    assert by_code(unreasoned, "coercion.extension.reason_missing").message == "只有情况复杂的才可以延长，须写明理由"
    after = by_code(refusal(case, "coercion_extend", D(2026, 4, 2), w.head, **(extension | {"notice_served_on": D(2026, 4, 2)})),
                    "coercion.period.expired")
    assert after.message == "扣押期限已于2026-04-01届满，不能再延长，只能作出解除决定"

    case = perform(case, "coercion_extend", D(2026, 3, 25), w.head, **extension)
    assert case.state == "extended"
    assert deadline(case, "coercion.deadline.period", D(2026, 3, 26)).due == D(2026, 4, 21)
    notice = IssuedDocument.objects.get(case=case, kind="extension_notice")
    assert (notice.title, notice.number) == ("延长扣押期限通知书", "乌市监延期〔2026〕1号")
    assert {"extension_approval", "extension_notice"} <= case_snapshot_build(case).records

    again = refusal(case, "coercion_extend", D(2026, 4, 10), w.head, **(extension | {"notice_served_on": D(2026, 4, 10)}))
    assert by_code(again, "coercion.wrong_state").message == (
        "案件当前处于“已延长期限”，不能延长期限（只能在“实施中”时进行）"
    )
    assert by_code(again, "coercion.wrong_state").legal_basis == f"{LAW}第二十五条第一款"


def test_examination_days_notified_in_writing_are_not_counted(w):
    """第二十五条第三款: 检测、检验、检疫或者技术鉴定的期间应当明确，并书面告知当事人，不计入查封、扣押期间."""
    case = to_in_force(w)
    examination = {"kind": "testing", "institution": "鄂尔多斯市食品检验检测中心", "start": D(2026, 3, 10),
                   "end": D(2026, 3, 19), "notified_on": D(2026, 3, 10)}
    late = by_code(refusal(case, "coercion_record_examination", D(2026, 4, 5), w.officer,
                           **(examination | {"start": D(2026, 4, 3), "end": D(2026, 4, 5)})),
                   "coercion.examination.after_period")
    assert late.legal_basis == f"{LAW}第二十五条第三款"
    case = perform(case, "coercion_record_examination", D(2026, 3, 10), w.officer, **examination)
    period = deadline(case, "coercion.deadline.period", D(2026, 3, 20))
    # 30 + 10 days from 03-02 is Sat 04-11: the last day moves past the rest days to Mon 04-13.
    assert period.due == D(2026, 4, 13)
    assert "第二十五条第三款（已书面告知的检测期间不计入，共10日，重叠的日期只计一次）" in period.basis
    assert "testing_notice" in case_snapshot_build(case).records


def test_an_expired_measure_is_overdue_and_may_only_be_released(w):
    """第二十八条第一款第四项: 查封、扣押期限已经届满的，行政机关应当及时作出解除决定."""
    case = to_in_force(w)
    assert deadline(case, "coercion.deadline.period", D(2026, 3, 30)).state == "due_soon"
    assert deadline(case, "coercion.deadline.period", D(2026, 4, 2)).state == "overdue"
    expired = by_code(refusal(case, "coercion_confiscate", D(2026, 4, 2), w.officer,
                              number="乌市监罚决〔2026〕9号", on=D(2026, 4, 2)), "coercion.period.expired")
    assert expired.message == "扣押期限已于2026-04-01届满，只能作出解除决定"
    assert "第二十八条第一款第四项" in expired.legal_basis
    assert codes(refusal(case, "coercion_destroy", D(2026, 4, 2), w.head, text="销毁", on=D(2026, 4, 2))) == [
        "coercion.period.expired"
    ]
    # The goods go back to the party, who signs for them (第二十八条第二款).
    unreturned = by_code(refusal(case, "coercion_release", D(2026, 4, 2), w.head, ground="expired"),
                         "coercion.record_missing.return_record")
    assert unreturned.legal_basis == f"{LAW}第二十八条第二款"
    case = perform(case, "coercion_release", D(2026, 4, 2), w.head, ground="expired", returned=True,
                   collection="当事人于2026年4月2日到本局涉案物品仓库领取")
    assert case.state == "released"
    assert deadline(case, "coercion.deadline.period", D(2026, 4, 3)).state == "met"
    release = IssuedDocument.objects.get(case=case, kind="release_decision")
    assert (release.title, release.number) == ("解除扣押决定书", "乌市监解强〔2026〕1号")


def test_a_measure_ends_by_confiscation_or_destruction_within_its_period(w):
    """第二十七条: 在查封、扣押期限内作出处理决定：没收、销毁或者解除."""
    case = perform(to_in_force(w), "coercion_confiscate", D(2026, 3, 20), w.officer,
                   number="乌市监罚决〔2026〕9号", on=D(2026, 3, 20), text="纯牛奶12箱、酸奶3箱")
    assert case.state == "confiscated" and case_snapshot_build(case).ended_on == D(2026, 3, 20)
    destroyed = perform(to_in_force(w), "coercion_destroy", D(2026, 3, 21), w.head,
                        text="依照食品安全法的规定，在市场监管人员监督下无害化销毁", on=D(2026, 3, 21))
    assert destroyed.state == "destroyed"
    assert "destruction_record" in case_snapshot_build(destroyed).records


# --- 第三十条至第三十三条: the freeze ---------------------------------------------------------------------------


def test_a_freeze_issues_its_decision_which_is_handed_over_within_three_working_days(w):
    """第三十一条第一款: 依照法律规定冻结存款、汇款的，应当在实施冻结之日起三日内向当事人交付冻结决定书."""
    case = measure_case(w, kind="freeze")
    bad = by_code(refusal(case, "coercion_propose", FREEZE_AT.date(), w.officer,
                          **(FREEZE_PROPOSAL | {"accounts": ["中国农业银行乌审旗支行，6228480000000001"]})),
                  "coercion.accounts.line")
    assert bad.legal_basis == f"{LAW}第三十一条第二款"
    case = to_frozen(w)
    assert case.state == "in_force"
    decision = IssuedDocument.objects.get(case=case, kind="freeze_decision")
    assert (decision.title, decision.number) == ("冻结决定书", "乌市监冻决〔2026〕1号")
    assert "freeze_notice" in case_snapshot_build(case).records

    delivery = deadline(case, "coercion.deadline.freeze_decision_delivery", D(2026, 3, 6))
    assert (delivery.due, delivery.state) == (D(2026, 3, 10), "running")
    assert delivery.basis.startswith(f"{LAW}第三十一条第一款、第六十九条")
    assert deadline(case, "coercion.deadline.freeze_decision_delivery", D(2026, 3, 11)).state == "overdue"

    # Handling the frozen deposits needs the decision's proof of delivery first.
    receipt = by_code(refusal(case, "coercion_handle", D(2026, 3, 11), w.head, text="划拨存款缴纳罚款",
                              on=D(2026, 3, 11)), "coercion.record_missing.freeze_decision_receipt")
    assert receipt.legal_basis == f"{LAW}第三十一条第一款"
    case = perform(case, "coercion_deliver_freeze_decision", D(2026, 3, 11), w.officer,
                   delivered_on=D(2026, 3, 11), method="direct", signed_by="巴特尔")
    late = deadline(case, "coercion.deadline.freeze_decision_delivery", D(2026, 3, 12))
    assert (late.state, late.completed_on, late.late) == ("met", D(2026, 3, 11), True)
    again = by_code(refusal(case, "coercion_deliver_freeze_decision", D(2026, 3, 12), w.officer,
                            delivered_on=D(2026, 3, 12), method="direct"), "coercion.freeze.already_delivered")
    assert again.message == "冻结决定书已于2026-03-11交付当事人"
    case = perform(case, "coercion_handle", D(2026, 3, 20), w.head, text="划拨存款缴纳罚款", on=D(2026, 3, 20))
    assert case.state == "handled"


def test_a_freeze_is_carried_out_by_qualified_officers_with_certificates_shown(w):
    """第三十条第一款: 冻结 follows 第十八条第一项、第二项、第三项、第七项."""
    case = measure_case(w, kind="freeze")
    case = perform(case, "coercion_propose", FREEZE_AT.date(), w.officer, **FREEZE_PROPOSAL)
    case = perform(case, "coercion_approve", FREEZE_AT.date(), w.head, approved_at=T(2026, 3, 5, 9), opinion="同意")
    violations = refusal(case, "coercion_take", FREEZE_AT.date(), w.officer,
                         **freeze_data(w, certificates_shown=False, officer_ids=[str(w.zhang.pk)]))
    assert by_code(violations, "coercion.on_spot.certificates").legal_basis.startswith(f"{LAW}第三十条第一款")
    assert by_code(violations, "coercion.officers.too_few")
    # No recording is listed for a freeze by default: none is asked for.
    assert not [v for v in violations if v.code.startswith("coercion.audio_video")]
    case = perform(case, "coercion_take", FREEZE_AT.date(), w.officer, **freeze_data(w))
    assert case.state == "in_force"
    case = perform(case, "coercion_release", D(2026, 3, 9), w.head, ground="no_violation")
    assert case.state == "released"
    assert IssuedDocument.objects.get(case=case, kind="release_decision").title == "解除冻结决定书"


def test_a_freeze_extension_cites_its_own_article(w):
    case = to_frozen(w)
    violations = refusal(case, "coercion_extend", D(2026, 3, 20), w.head, days=40, reason="情况复杂",
                         notice_served_on=D(2026, 3, 20))
    too_long = by_code(violations, "coercion.extension.too_long")
    assert too_long.legal_basis == f"{LAW}第三十二条第一款"
    case = perform(case, "coercion_extend", D(2026, 3, 20), w.head, days=30, reason="情况复杂，需核实资金往来",
                   notice_served_on=D(2026, 3, 20))
    assert case.state == "extended"
    assert IssuedDocument.objects.get(case=case, kind="extension_notice").title == "延长冻结期限通知书"


# --- the catalogue and the pages ----------------------------------------------------------------------------


def test_the_release_grounds_are_the_documents_grounds():
    assert set(RELEASE_GROUNDS) == set(DOCUMENT_RELEASE_GROUNDS)


INTERNAL = ("coercion_", "in_force", "emergency_taken", "seal_seizure", "audio_video", "measure_decision",
            "decision_elements", "on_spot.")


def page(client, case: Case) -> str:
    response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html


def visible(html: str) -> str:
    """The page as read, without its markup (attribute values such as data-testid and the form's
    hidden action name are not shown)."""
    import re

    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_the_case_page_of_a_measure_shows_its_steps_deadlines_and_documents_in_chinese(client, w):
    client.force_login(w.officer)
    case = measure_case(w)
    html = page(client, case)
    text = visible(html)
    for label in ("拟采取", "查封、扣押", "填写行政强制措施审批表（拟采取的措施）", "负责人批准", "情况紧急，当场实施查封、扣押",
                  "“负责人批准”须由机关负责人办理"):
        assert label in text, label
    # Before its recording is filed, the emergency step shows why it is blocked.
    assert "“扣押”列入音像记录事项清单，须关联全程音像记录文件后才能办理" in text
    for code in INTERNAL:
        assert code not in text, code

    case = to_in_force(w, case)
    text = visible(page(client, case))
    for label in ("实施中", "扣押期限届满", "扣押决定书", "乌市监查扣决〔2026〕1号", "扣押财物清单", "现场笔录",
                  "延长查封、扣押期限", "解除查封、扣押", "音像记录（扣押）", "行政强制措施审批表"):
        assert label in text, label
    for code in INTERNAL:
        assert code not in text, code

    case = perform(case, "coercion_release", D(2026, 3, 10), w.head, ground="no_violation", returned=True)
    text = visible(page(client, case))
    assert "已解除" in text and "解除扣押决定书" in text
    for code in INTERNAL:
        assert code not in text, code


def test_the_head_performs_the_approval_through_the_page(client, w):
    case = perform(measure_case(w), "coercion_propose", TAKEN_ON, w.officer, **PROPOSAL)
    client.force_login(w.head)
    html = page(client, case)
    assert 'data-testid="action-coercion_approve" data-allowed="1"' in html
    response = client.post(reverse("cases:case_action", args=[case.pk]), {
        "action": "coercion_approve", "approved_at": "2026-03-02T09:00", "opinion": "同意扣押"})
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.state == "approved"
    assert case_snapshot_build(case).approval.decided_at == APPROVED_AT


# --- review findings: input that used to fail, dates that contradict each other, who decides ------------------

FREEZE_LINE = FREEZE_PROPOSAL["accounts"][0]
BANK_LINE = "中国农业银行乌审旗支行，乌审旗草原味道餐饮有限公司，6228480000000001，"


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "sNaN", "1e5000", "1e999999999", "1e30", "-5", "0", "0.001",
                                    "1000000000000"])
def test_a_freeze_amount_that_is_no_amount_of_yuan_is_refused_naming_its_line(w, amount):
    """第三十一条第二款: the 冻结决定书 states 冻结的账号和数额; an amount it cannot state is refused
    with the line it was written on, beside the lines that are right."""
    case = measure_case(w, kind="freeze")
    line = BANK_LINE + amount
    (bad,) = refusal(case, "coercion_propose", FREEZE_AT.date(), w.officer,
                     **(FREEZE_PROPOSAL | {"accounts": [FREEZE_LINE, line]}))
    assert (bad.code, bad.field, bad.legal_basis) == ("coercion.accounts.amount", "accounts", f"{LAW}第三十一条第二款")
    assert bad.message == f"“{line}”的冻结数额须为大于零的金额（元），最多十二位整数、两位小数，如30000或30000.50"
    assert case_texts(Case.objects.get(pk=case.pk)).content is None  # a refusal stores nothing

    case = perform(case, "coercion_propose", FREEZE_AT.date(), w.officer,
                   **(FREEZE_PROPOSAL | {"accounts": [FREEZE_LINE, BANK_LINE + "999999999999.99元"]}))
    assert [a.amount_fen for a in case_texts(case).content.accounts] == [3_000_000, 99_999_999_999_999]


def test_a_stored_amount_no_decision_can_print_refuses_the_freeze_instead_of_failing(client, w):
    """An amount stored before amounts were read strictly (“1e30” was taken): the take is refused
    with every reason, nothing is numbered, the page still shows; the head declines the measure."""
    case = perform(measure_case(w, kind="freeze"), "coercion_propose", FREEZE_AT.date(), w.officer, **FREEZE_PROPOSAL)
    details = case.details
    details["texts"]["content"]["accounts"][0]["amount_fen"] = 10**32
    Case.objects.filter(pk=case.pk).update(details=details)
    case = perform(case, "coercion_approve", FREEZE_AT.date(), w.head, approved_at=FREEZE_AT - dt.timedelta(hours=1),
                   opinion="同意冻结")
    violations = refusal(case, "coercion_take", FREEZE_AT.date(), w.officer, **freeze_data(w))
    amount = by_code(violations, "coercion.accounts.amount")
    assert amount.message == ("审批表所列账号6228480000000001的冻结数额不是可以写入冻结决定书的金额，不能据此实施冻结；"
                              "请由负责人作出不予实施的决定后重新报批")
    assert by_code(violations, "coercion.decision.elements_missing").message == "冻结决定书缺少法定内容：“冻结的账号和数额”"
    assert IssuedDocument.objects.filter(case=case).count() == 0
    client.force_login(w.officer)
    assert "冻结" in visible(page(client, case))
    assert perform(case, "coercion_decline", FREEZE_AT.date(), w.head, reason="冻结数额有误，重新报批").state == "not_taken"


def test_a_measure_dated_before_the_rule_on_officers_took_effect_is_refused_not_failed(w):
    """How many officers an act needs is read for its day (team.min_officers_who_may_act, in force
    from 2021-07-15): a measure dated before it is refused with that reason, never an error."""
    case = perform(measure_case(w), "coercion_propose", D(2021, 7, 13), w.officer, **PROPOSAL)
    case = perform(case, "coercion_approve", D(2021, 7, 14), w.head, approved_at=T(2021, 7, 14, 9), opinion="同意")
    recording_upload(w, case, "seizure")
    violations = refusal(case, "coercion_take", D(2021, 7, 14), w.officer, **on_spot(w, at=T(2021, 7, 14, 10)))
    missing = by_code(violations, "parameter.missing.team.min_officers_who_may_act")
    assert "2021-07-14" in missing.message and "最早自2021-07-15起施行" in missing.message
    assert IssuedDocument.objects.filter(case=case).count() == 0
    assert Case.objects.get(pk=case.pk).state == "approved"


def test_an_approval_cannot_precede_the_proposal_nor_an_approval_or_a_taking_lie_ahead(w):
    """第十八条第一项: 实施前须向行政机关负责人报告并经批准 — the officers report (the 审批表), then
    the head approves: an approval dated before the 审批表 was written is refused, and with it a
    measure backdated behind it. Nothing is approved or carried out tomorrow."""
    case = perform(measure_case(w), "coercion_propose", D(2026, 3, 10), w.officer, **PROPOSAL)
    early = by_code(refusal(case, "coercion_approve", D(2026, 3, 10), w.head, approved_at=T(2026, 3, 2, 9),
                            opinion="同意"), "coercion.approval.before_proposal")
    assert early.message == ("批准时间2026-03-02 09:00早于行政强制措施审批表的填写日期2026-03-10："
                             "须先报告负责人，负责人才能批准，请核对批准时间")
    assert (early.legal_basis, early.field) == (f"{LAW}第十八条第一项", "approved_at")
    ahead = by_code(refusal(case, "coercion_approve", D(2026, 3, 10), w.head, approved_at=T(2026, 3, 11, 9),
                            opinion="同意"), "coercion.form.future")
    assert (ahead.message, ahead.field) == ("批准时间晚于今天（2026-03-10），请核对", "approved_at")

    case = perform(case, "coercion_approve", D(2026, 3, 10), w.head, approved_at=T(2026, 3, 10, 9), opinion="同意")
    assert case_snapshot_build(case).approval.entered_on == D(2026, 3, 10)
    recording_upload(w, case, "seizure")
    backdated = refusal(case, "coercion_take", D(2026, 3, 10), w.officer, **on_spot(w, at=T(2026, 3, 2, 10)))
    assert "coercion.approval.after_taking" in codes(backdated)
    tomorrow = by_code(refusal(case, "coercion_take", D(2026, 3, 10), w.officer, **on_spot(w, at=T(2026, 3, 11, 10))),
                       "coercion.form.future")
    assert (tomorrow.message, tomorrow.field) == ("实施时间晚于今天（2026-03-10），请核对", "taken_at")
    assert perform(case, "coercion_take", D(2026, 3, 10), w.officer, **on_spot(w, at=T(2026, 3, 10, 10))).state == "in_force"


def test_an_emergency_approval_entered_after_its_24_hours_needs_the_reason_for_the_late_entry(w):
    """第十九条: the approval is completed within 24 hours of the emergency measure. The 24 hours are
    judged on the time typed; but a time typed eighteen days later cannot prove them by itself (a
    platform rule): such a late entry is refused without its reason, and once given, the entry day
    and the reason stay in the facts, the ledger and the deadline."""
    case = emergency(w)  # taken Mon 03-02 10:00: approval due by 03-03 10:00
    decision = {"decided_at": T(2026, 3, 2, 16, 0), "reported_at": T(2026, 3, 2, 12, 0), "opinion": "同意"}
    late = by_code(refusal(case, "coercion_confirm_emergency", D(2026, 3, 20), w.head, **decision),
                   "coercion.emergency.late_entry")
    assert late.message == ("紧急扣押的批准手续应在2026-03-03 10:00前补办，今天（2026-03-20）才录入："
                            "录入的批准时间不能证明已按时批准，须写明补录的原因（记入执法记录）")
    assert late.field == "late_entry_reason"
    assert late.legal_basis.startswith("平台规则") and late.legal_basis.endswith(f"（批准时限见{LAW}第十九条）")
    ahead = by_code(refusal(case, "coercion_confirm_emergency", D(2026, 3, 2), w.head,
                            **(decision | {"reported_at": T(2026, 3, 3, 8, 0)})), "coercion.form.future")
    assert ahead.field == "reported_at"

    reason = "负责人2日16时在纸质审批表上签批，因系统账号故障于20日补录"
    case = perform(case, "coercion_confirm_emergency", D(2026, 3, 20), w.head,
                   **(decision | {"late_entry_reason": reason}))
    assert case.state == "in_force"
    approval = case_snapshot_build(case).approval
    assert (approval.decided_at, approval.entered_on, approval.late_entry_reason) == (
        T(2026, 3, 2, 16, 0), D(2026, 3, 20), reason
    )
    step = Entry.objects.get(case_id=case.pk, kind=EventKind.STEP_DONE, subject=f"case:{case.pk}:coercion_confirm_emergency")
    payload = json.loads(bytes(step.body))["payload"]
    assert payload["data"]["late_entry_reason"] == reason  # supervisors read it in the ledger itself
    assert "opinion_sha256" in payload["data"] and "opinion" not in payload["data"]
    due = deadline(case, "coercion.deadline.emergency_approval", D(2026, 3, 21))
    assert (due.state, due.late) == ("met", False)
    assert due.label == "紧急扣押后补办负责人批准手续（2026-03-03 10:00前，2026-03-20补录）"


def test_examinations_are_counted_once_a_duplicate_is_refused_and_a_long_one_is_recorded_by_the_head(w):
    """第二十五条第三款: 检测、检验、检疫或者技术鉴定的期间应当明确，并书面告知当事人，不计入查封、扣押期间.
    Each day is kept out of the period once, whatever the examinations; an examination already
    recorded is not recorded again; and beyond 30 days in all (a platform rule, so that an open-ended
    examination does not replace the one extension of at most 30 days) the head records it."""
    case = to_in_force(w)
    testing = {"kind": "testing", "institution": "鄂尔多斯市食品检验检测中心", "start": D(2026, 3, 3),
               "end": D(2026, 3, 12), "notified_on": D(2026, 3, 3)}
    case = perform(case, "coercion_record_examination", D(2026, 3, 3), w.officer, **testing)
    again = by_code(refusal(case, "coercion_record_examination", D(2026, 3, 4), w.officer, **testing),
                    "coercion.examination.duplicate")
    assert (again.message, again.legal_basis) == ("检测期间2026-03-03至2026-03-12已经登记，不能重复登记", "数据校验")
    # A quarantine of the same batch over partly the same days adds only the days not yet kept out:
    # 03-03 to 03-17 in all, 15 days; 30 + 15 days from 03-02 is Thu 04-16.
    quarantine = testing | {"kind": "quarantine", "start": D(2026, 3, 8), "end": D(2026, 3, 17),
                            "notified_on": D(2026, 3, 8)}
    case = perform(case, "coercion_record_examination", D(2026, 3, 8), w.officer, **quarantine)
    assert deadline(case, "coercion.deadline.period", D(2026, 3, 20)).due == D(2026, 4, 16)

    appraisal = {"kind": "appraisal", "institution": "内蒙古自治区产品质量检验研究院", "start": D(2026, 3, 18),
                 "end": D(2026, 4, 8), "notified_on": D(2026, 3, 18)}
    long = by_code(refusal(case, "coercion_record_examination", D(2026, 3, 18), w.officer, **appraisal),
                   "coercion.examination.head_approval_required")
    assert long.message == "不计入扣押期限的检测、检验、检疫、技术鉴定期间合计37日，超过30日的，须由行政机关负责人批准并登记"
    assert long.legal_basis.startswith("平台规则") and long.is_law is False
    case = perform(case, "coercion_record_examination", D(2026, 3, 18), w.head, **appraisal)
    assert case_texts(case).examinations[-1].approved_by == "王局长"
    assert case_snapshot_build(case).examinations[-1].approved_by_head
    # 30 + 37 days from 03-02 is Fri 05-08.
    assert deadline(case, "coercion.deadline.period", D(2026, 3, 20)).due == D(2026, 5, 8)


DECISIONS = {"coercion_approve", "coercion_decline", "coercion_confirm_emergency", "coercion_disapprove_emergency",
             "coercion_extend", "coercion_release", "coercion_destroy", "coercion_handle"}


def test_every_step_of_a_measure_names_who_takes_it_never_the_administrator_or_the_reviewer():
    """The agency's decisions on a measure are the head's; the steps the officers carry out are the
    officers' (and the head's): 本单位职责分工, a platform rule."""
    from sanxiang.procedure.catalog import procedure_spec
    from sanxiang.procedure.roles import HEAD, OPERATIONAL

    for key in ("seal_seizure", "freeze"):
        for step in procedure_spec(key).steps:
            assert step.roles == (HEAD if step.name in DECISIONS else OPERATIONAL), (key, step.name)


@pytest.mark.parametrize("role", ["agency_admin", "reviewer"])
def test_neither_the_administrator_nor_the_legal_reviewer_takes_a_step_of_a_measure(w, role):
    user = user_make(role=role, agency=w.agency)
    case = to_in_force(w)
    steps = {
        "coercion_release": {"ground": "no_violation", "returned": True},
        "coercion_confiscate": {"number": "乌市监罚决〔2026〕9号", "on": D(2026, 3, 10)},
        "coercion_destroy": {"text": "无害化销毁", "on": D(2026, 3, 10)},
        "coercion_extend": {"days": 10, "reason": "情况复杂", "notice_served_on": D(2026, 3, 10)},
        "coercion_record_examination": {"kind": "testing", "institution": "检测所", "start": D(2026, 3, 10),
                                        "end": D(2026, 3, 12), "notified_on": D(2026, 3, 10)},
    }
    for action, data in steps.items():
        violation = by_code(refusal(case, action, D(2026, 3, 10), user, **data), "case.role")
        assert violation.legal_basis == "本单位职责分工"
    assert Case.objects.get(pk=case.pk).state == "in_force"


def test_the_release_destruction_and_handling_are_the_heads_decisions(w):
    case = to_in_force(w)
    release = by_code(refusal(case, "coercion_release", D(2026, 3, 10), w.officer, ground="no_violation",
                              returned=True), "case.role")
    assert (release.message, release.legal_basis) == ("“解除查封、扣押”须由机关负责人办理", "本单位职责分工")
    destroy = by_code(refusal(case, "coercion_destroy", D(2026, 3, 10), w.officer, text="无害化销毁", on=D(2026, 3, 10)),
                      "case.role")
    assert destroy.message == "“依法销毁”须由机关负责人办理"
    frozen = to_frozen(w)
    assert by_code(refusal(frozen, "coercion_handle", D(2026, 3, 10), w.officer, text="划拨", on=D(2026, 3, 10)),
                   "case.role").message == "“作出处理决定”须由机关负责人办理"
    assert perform(case, "coercion_release", D(2026, 3, 10), w.head, ground="no_violation", returned=True).state == "released"


def test_confiscation_rests_on_a_penalty_decision_of_the_agency(w):
    """第二十七条: 对违法事实清楚、依法应当没收的非法财物予以没收 — by the agency's own 行政处罚决定书
    that confiscates them (行政处罚法 makes 没收非法财物 a penalty): its 文号 is one of the agency's
    penalty decisions, of the year decided, after the goods were seized."""
    case = to_in_force(w)  # 乌市监查扣决〔2026〕1号
    day = D(2026, 3, 20)

    def refused(number: str, on: dt.date = day) -> list:
        return refusal(case, "coercion_confiscate", day, w.officer, number=number, on=on)

    made_up = by_code(refused("随便"), "coercion.confiscate.not_a_penalty_decision")
    assert made_up.message == ("“随便”不是行政处罚决定书的文号：依法没收须依据本机关作出没收决定的行政处罚决定书"
                               "（如乌市监罚决〔2026〕1号）")
    assert (made_up.legal_basis, made_up.field) == (f"{LAW}第二十七条", "number")
    assert codes(refused("乌市监查扣决〔2026〕1号")) == ["coercion.confiscate.not_a_penalty_decision"]
    other = by_code(refused("乌旗农牧罚决〔2026〕3号"), "coercion.confiscate.other_agency")
    assert other.message == "“乌旗农牧罚决〔2026〕3号”不是本机关的行政处罚决定书文号（本机关的文号如乌市监罚决〔2026〕1号）"
    assert codes(refused("乌市监罚决〔2025〕3号")) == ["coercion.confiscate.number_year"]
    assert codes(refused("乌市监罚决〔2026〕3号", on=D(2026, 3, 1))) == ["coercion.confiscate.before_taking"]

    case = perform(case, "coercion_confiscate", day, w.officer, number="乌市监罚决〔2026〕9号", on=day)
    assert case.state == "confiscated" and case_texts(case).ending.number == "乌市监罚决〔2026〕9号"


def test_the_confiscation_reads_decision_numbers_as_the_documents_write_them():
    from sanxiang.documents import ALL_DOCUMENT_KINDS
    from sanxiang.procedure.coercion.steps import MEASURE_DECISION_WORD, PENALTY_DECISION_WORD

    assert ALL_DOCUMENT_KINDS["decision_document"].number_word == PENALTY_DECISION_WORD
    assert ALL_DOCUMENT_KINDS["measure_decision"].number_word == MEASURE_DECISION_WORD


def test_the_extension_notice_is_served_after_the_extension_is_decided_and_its_reason_kept_by_digest(w):
    """第二十五条第一款: 延长决定应当及时书面告知当事人，并说明理由 — the notice tells of a decision
    already made, so it is not served before it (nor before the measure). The reason describes the
    party's case: the ledger keeps its digest, the notice prints it."""
    case = to_in_force(w)
    extension = {"days": 20, "reason": "需委托检验机构对涉案食品批次进行溯源核查", "notice_served_on": D(2026, 3, 24)}
    early = by_code(refusal(case, "coercion_extend", D(2026, 3, 25), w.head, **extension),
                    "coercion.extension.notice_before_decision")
    assert early.message == "延长期限通知书的送达日期2026-03-24早于延长决定的日期2026-03-25：只能告知已经作出的延长决定"
    assert (early.legal_basis, early.field) == (f"{LAW}第二十五条第一款", "notice_served_on")
    before = refusal(case, "coercion_extend", D(2026, 3, 25), w.head, **(extension | {"notice_served_on": D(2026, 3, 1)}))
    assert {"coercion.extension.notice_before_decision", "coercion.form.notice_before_taking"} <= set(codes(before))

    case = perform(case, "coercion_extend", D(2026, 3, 25), w.head, **(extension | {"notice_served_on": D(2026, 3, 25)}))
    assert case.state == "extended"
    step = Entry.objects.get(case_id=case.pk, kind=EventKind.STEP_DONE, subject=f"case:{case.pk}:coercion_extend")
    data = json.loads(bytes(step.body))["payload"]["data"]
    assert "reason" not in data and "reason_sha256" in data and data["days"] == 20


def test_inside_a_penalty_case_only_that_cases_decision_confiscating_the_goods_confiscates_them(w):
    """第二十七条: 依法应当没收的，作出没收的处理决定. Inside a penalty case, the confiscation is that case's
    decision, and it must confiscate (没收非法财物); a number of another decision, or a decision
    imposing a fine only, is refused. The lawful path (a decision that confiscates) is the demo's
    涉嫌销售不合格电线电缆案 (tests/demo/test_demo_coercion.py, every state reached)."""
    penalty = lead_make(w)
    seizure = to_in_force(w, measure_case(w, parent=penalty))
    problems = refusal(seizure, "coercion_confiscate", D(2026, 3, 20), w.officer,
                       number="乌市监罚决〔2026〕9号", on=D(2026, 3, 20), text="纯牛奶12箱")
    found = by_code(problems, "coercion.confiscate.not_the_case_decision")
    assert found.message.endswith("（该案尚未作出决定）") and found.field == "number"
    assert "第二十七条" in found.legal_basis
    assert Case.objects.get(pk=seizure.pk).state == "in_force"
