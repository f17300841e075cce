"""行政强制执行 as cases, through `case_action_perform`: each rule of 行政强制法第三十四条至第五十八条
that a step touches is shown refused (code, message, article) and then the lawful path; the
documents are numbered and their PDF and DOCX digests are in the ledger; an unpaid penalty case
goes to the court through an enforcement case registered inside it.

Dates (2026, as the installed calendar knows them): 中秋 holidays 09-25 to 09-27, 国庆 10-01 to
10-07, adjusted working days Sun 09-20 and Sat 10-10.
- The penalty case of tests.cases.support is decided on 03-25 and served on 03-26: the fine of
  3000 yuan is due on 04-10; the surcharge runs from 04-11. 复议 ends 05-25, 诉讼 on 09-26: the court
  may be asked from 09-27 to 12-26 (第五十三条).
- A decision made outside the platform (decided 01-05, received 01-06, due 01-20): 诉讼 ends 07-06,
  so a demolition may take place from 07-07 (第四十四条).
"""

import datetime as dt
import io
import json
import random
import re
from decimal import Decimal

import pypdf
import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.cases.events import CASE_EVENTS, CompulsoryDecided
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.cases.selectors import case_actions, case_deadlines_checked, case_snapshot_build
from sanxiang.cases.services import case_create
from sanxiang.evidence import services as evidence
from sanxiang.evidence.storage import blob_store_get
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from tests.cases.support import D, lead_make, perform, to_decided, world_make
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db

LAW = "《中华人民共和国行政强制法》"
SERVED = D(2026, 3, 26)  # the penalty decision reached the party
REGISTERED = D(2026, 4, 20)
# The provision of a law that grants the agency its own power to execute (第十三条第一款).
POWER_BASIS = "《中华人民共和国城乡规划法》第六十八条"


@pytest.fixture
def w():
    return world_make()


def refusal(call, code: str):
    """The violation `code` among those `call` is refused with (and all of them)."""
    with pytest.raises(Refused) as refused:
        call()
    found = [v for v in refused.value.violations if v.code == code]
    assert found, f"expected {code}, got " + "; ".join(f"{v.code}: {v.message}" for v in refused.value.violations)
    return found[0], refused.value.violations


def codes(call) -> set[str]:
    with pytest.raises(Refused) as refused:
        call()
    return {v.code for v in refused.value.violations}


def pdf_text(document: IssuedDocument) -> str:
    with blob_store_get().open(document.pdf.stored_file.sha256) as blob:
        reader = pypdf.PdfReader(io.BytesIO(blob.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def mp4_bytes(seed: int) -> bytes:
    """A body camera's MP4: an ftyp box, then media data."""
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return ftyp + random.Random(seed).randbytes(50_000)


def recording_upload(w, case: Case, step: str, *, seed: int = 1) -> None:
    """The whole-process recording of an on-site step, filed with the case under the step's name."""
    meta = evidence.evidence_metadata_check(actor=w.officer, kind="video", original_name=f"{step}.mp4", case=case,
                                            step=step)
    evidence.evidence_ingest(actor=w.officer, source=io.BytesIO(mp4_bytes(seed)), meta=meta)


def documents(case: Case) -> list[tuple[str, str]]:
    return list(IssuedDocument.objects.filter(case=case).order_by("pk").values_list("kind", "number"))


# --- builders -----------------------------------------------------------------------------------------


def penalty_served(w) -> Case:
    case = to_decided(w)
    return perform(case, "serve", SERVED, w.officer, method="direct", served_on=SERVED, place="当事人经营场所",
                   signed_by="巴特尔")


def enforcement_make(w, *, parent: Case | None = None, power: str = "none", on: dt.date = REGISTERED,
                     title: str = "申请强制执行罚款案") -> Case:
    return case_create(actor=w.officer, agency=w.agency, title=title, procedure="enforcement", party=w.company,
                       officers=[w.zhang, w.li], enforcement_field="市场监管", on=on,
                       options={"execution_power": power}, parent=parent)


def service(**changes) -> dict:
    return {"service_method": "direct", "direct_service_impossible": False, "place": "当事人经营场所",
            "signed_by": "巴特尔", "note": ""} | changes


def demand_data(served_on: dt.date, deadline: dt.date, **changes) -> dict:
    return {"served_on": served_on, "deadline": deadline, "method": "到指定的银行或者通过电子支付系统缴纳",
            "payment_method": "一次性缴纳", "surcharge_yuan": None, "statement_days": 3, **service()} | changes


def court_data(**changes) -> dict:
    return {
        "court": "乌审旗人民法院",
        "target": "罚款人民币叁仟元整",
        "party_opinion": "被申请人收到催告书后未提出陈述和申辩",
        "attachments": ["《行政处罚决定书》及送达回证", "《催告书》及送达回证", "被申请人的财产状况说明"],
        "surcharge_yuan": None,
    } | changes


def own_decision(obligation: str, **changes) -> dict:
    """A decision the agency made outside the platform (decided 01-05, received 01-06, due 01-20)."""
    data = {
        "source": "other",
        "obligation": obligation,
        "title": "责令限期拆除决定书",
        "number": "乌自然资责〔2026〕3号",
        "decided_on": D(2026, 1, 5),
        "received_on": D(2026, 1, 6),
        "performance_due": D(2026, 1, 20),
        "principal_yuan": None,
        "paid_yuan": None,
        "duty": "于2026年1月20日前自行拆除在基本农田上违法建设的彩钢房",
        "default": "逾期未拆除",
        "facts": "当事人未经批准占用基本农田建设彩钢房一处，面积约120平方米。",
        "money_kind": "",
        "surcharge_notified": False,
        "surcharge_from": None,
        "surcharge_daily_permille": None,
        "surcharge_basis": "",
    }
    if obligation == "act":
        data |= {"title": "责令限期清除决定书", "duty": "于2026年1月20日前清除堆放在河道管理范围内的砂石料",
                 "default": "逾期未清除"}
    if obligation == "payment":
        data |= {"title": "行政处罚决定书", "principal_yuan": Decimal("10000"), "duty": "缴纳罚款人民币壹万元整",
                 "default": "逾期未缴纳罚款", "money_kind": "fine", "surcharge_notified": True,
                 "surcharge_from": D(2026, 1, 21), "surcharge_daily_permille": 30}
    return data | changes


def own_case(w, obligation: str, *, power: str = "own") -> Case:
    """Registered on 02-02 and demanded on 03-02 (deadline 03-12)."""
    case = enforcement_make(w, power=power, on=D(2026, 2, 2), title="强制执行案")
    case = perform(case, "register_decision", D(2026, 2, 2), w.officer, **own_decision(obligation))
    return perform(case, "serve_demand", D(2026, 3, 2), w.officer,
                   **demand_data(D(2026, 3, 2), D(2026, 3, 12), method="自行履行决定确定的义务",
                                 payment_method="一次性缴纳" if obligation == "payment" else "", statement_days=None))


def execution_data(method: str = "demolition", **changes) -> dict:
    return {
        "method": method,
        "method_detail": "由本机关组织人员和机械拆除当事人违法建设的彩钢房",
        "starts_at": dt.datetime(2026, 7, 8, 9, 0),
        "reasons": "当事人逾期不拆除违法建设，经催告仍不履行。",
        "bases": ["《中华人民共和国土地管理法》第七十七条第一款"],
        "surcharge_yuan": None,
        "immediate": False,
        "immediate_reason": "",
        "power_basis": POWER_BASIS,
    } | changes


def plan(start: dt.datetime, end: dt.datetime, **changes) -> dict:
    return {"starts_at": start, "ends_at": end, "place": "乌审旗嘎鲁图镇某村基本农田", "emergency": False,
            "emergency_reason": "", "cuts_utilities": False, "record": "执法人员到场，组织拆除彩钢房一处，当事人在场。",
            "result": "已拆除"} | changes


def demolition_ready(w) -> Case:
    """A demolition decided on 03-13, served on 03-16, its 公告 published on 03-18 (deadline 04-20),
    and the demolition filmed: only the day and the hour remain to be lawful."""
    case = own_case(w, "demolition")
    case = perform(case, "decide_execution", D(2026, 3, 13), w.head, **execution_data())
    case = perform(case, "serve_execution_decision", D(2026, 3, 16), w.officer, served_on=D(2026, 3, 16), **service())
    case = perform(case, "publish_demolition_notice", D(2026, 3, 18), w.officer, published_on=D(2026, 3, 18),
                   deadline=D(2026, 4, 20), place="违法建设现场及村委会公告栏",
                   content="限当事人于2026年4月20日前自行拆除违法建设的彩钢房，逾期不拆除的，本机关将依法强制拆除。")
    recording_upload(w, case, "forced_demolition")
    return case


# --- registration -------------------------------------------------------------------------------------


def test_an_unpaid_penalty_case_gives_the_enforcement_case_its_fine_dates_and_surcharge(w):
    penalty = penalty_served(w)
    case = enforcement_make(w, parent=penalty)
    snapshot = case_snapshot_build(case)
    decision = snapshot.decision
    assert (decision.source, decision.obligation, decision.principal_fen, decision.paid_fen) == (
        "penalty.ordinary", "payment", 300_000, 0)
    assert (decision.decided_on, decision.received_on, decision.performance_due) == (D(2026, 3, 25), SERVED,
                                                                                       D(2026, 4, 10))
    assert decision.number == "乌市监罚决〔2026〕1号" and snapshot.penalty_case_id == penalty.pk
    # 行政处罚法第七十二条: 3% a day from the day after the last day to pay, told in the decision.
    assert snapshot.surcharge.from_day == D(2026, 4, 11) and snapshot.surcharge.daily_permille == 30
    assert snapshot.surcharge.notified and not snapshot.execution_power and case.parent_id == penalty.pk


def test_an_unpaid_on_the_spot_penalty_can_be_executed_too(w):
    summary = lead_make(w, procedure="summary", party=w.citizen, act_date=D(2026, 5, 12), discovered_on=D(2026, 5, 12))
    summary = perform(summary, "decide_on_spot", D(2026, 5, 12), w.officer, officer_ids=[str(w.zhang.pk), str(w.li.pk)],
                      certificate_shown=True, party_informed=True, statement_heard_or_waived=True,
                      occurred_at=dt.datetime(2026, 5, 12, 10, 0), place="嘎鲁图镇团结路", facts="占道经营",
                      penalty_kinds=["fine"], fine_yuan="150", penalty_bases=["《某某条例》第十条"])
    summary = perform(summary, "hand_over", D(2026, 5, 12), w.officer, handed_over_on=D(2026, 5, 12),
                      signed_or_refusal_noted=True)
    case = case_create(actor=w.officer, agency=w.agency, title="申请强制执行当场罚款案", procedure="enforcement",
                       party=w.citizen, officers=[w.zhang, w.li], on=D(2026, 6, 10),
                       options={"execution_power": "none"}, parent=summary)
    decision = case_snapshot_build(case).decision
    assert (decision.source, decision.principal_fen, decision.received_on, decision.performance_due) == (
        "penalty.summary", 15_000, D(2026, 5, 12), D(2026, 5, 27))
    case = perform(case, "serve_demand", D(2026, 6, 10), w.officer,
                   **demand_data(D(2026, 6, 10), D(2026, 6, 22), place="当事人住所", signed_by="刘某"))
    text = pdf_text(IssuedDocument.objects.get(case=case, kind="demand"))
    assert "《当场处罚决定书》（乌市监当罚〔2026〕1号）" in text and "人民币壹佰伍拾元整" in text and "你逾期" in text


def test_registration_refuses_a_penalty_case_with_nothing_to_execute_and_asks_for_the_execution_power(w):
    decided = to_decided(w)  # decided, not yet served: the party has received nothing to perform
    violation, _ = refusal(lambda: enforcement_make(w, parent=decided), "enforcement.parent.nothing_to_execute")
    assert violation.message == "所属行政处罚案件没有已送达当事人的罚款决定，不能据以申请或者实施强制执行"
    assert violation.legal_basis == f"{LAW}第三十四条" and violation.field == "parent"
    violation, _ = refusal(
        lambda: case_create(actor=w.officer, agency=w.agency, title="强制执行案", procedure="enforcement",
                            party=w.company, officers=[w.zhang, w.li], on=D(2026, 4, 20)),
        "case.option.execution_power",
    )
    assert "行政强制执行权" in violation.message
    assert Case.objects.filter(procedure="enforcement").count() == 0
    # The lawful path: once served, the penalty case can be executed.
    served = perform(decided, "serve", SERVED, w.officer, method="direct", served_on=SERVED, place="经营场所")
    assert enforcement_make(w, parent=served).state == "pending"


def test_a_decision_made_outside_the_platform_is_registered_before_the_demand(w):
    case = enforcement_make(w, power="own", on=D(2026, 2, 2), title="强制拆除违法建设案")
    deadlines, problems = case_deadlines_checked(case=case, on=D(2026, 2, 2))
    assert deadlines == [] and [p.code for p in problems] == ["enforcement.deadline.decision_unregistered"]
    listed = {v.action: v for v in case_actions(case=case, viewer=w.officer, on=D(2026, 3, 2))}
    assert not listed["serve_demand"].allowed and listed["register_decision"].allowed
    assert [v.code for v in listed["serve_demand"].violations] == ["enforcement.decision.unregistered"]
    violation, _ = refusal(
        lambda: perform(case, "serve_demand", D(2026, 3, 2), w.officer, **demand_data(D(2026, 3, 2), D(2026, 3, 12))),
        "enforcement.decision.unregistered",
    )
    assert violation.message.startswith("尚未登记据以执行的行政决定") and violation.basis_kind == "platform"
    assert IssuedDocument.objects.filter(case=case).count() == 0

    bad, _ = refusal(lambda: perform(case, "register_decision", D(2026, 2, 2), w.officer,
                                     **own_decision("demolition", received_on=D(2026, 1, 4))),
                     "enforcement.form.received_before_decided")
    assert bad.field == "received_on"
    case = perform(case, "register_decision", D(2026, 2, 2), w.officer, **own_decision("demolition"))
    snapshot = case_snapshot_build(case)
    assert (snapshot.decision.obligation, snapshot.decision.number, snapshot.decision.performance_due) == (
        "demolition", "乌自然资责〔2026〕3号", D(2026, 1, 20))
    case = perform(case, "serve_demand", D(2026, 3, 2), w.officer,
                   **demand_data(D(2026, 3, 2), D(2026, 3, 12), method="自行拆除", payment_method=""))
    assert case.state == "demanded"
    demand = IssuedDocument.objects.get(case=case, kind="demand")
    text = pdf_text(demand)
    for expected in ("责令限期拆除决定书", "乌自然资责〔2026〕3号", "自行拆除", "2026年3月12日", "陈述和申辩",
                     "作出强制执行决定"):
        assert expected in text, expected


def test_a_case_executing_a_penalty_case_cannot_register_another_decision(w):
    case = enforcement_make(w, parent=penalty_served(w))
    violation, _ = refusal(lambda: perform(case, "register_decision", D(2026, 4, 20), w.officer,
                                           **own_decision("payment")),
                           "enforcement.decision.from_penalty_case")
    assert "已从该案件载入" in violation.message


def test_a_registered_decision_is_corrected_only_while_nothing_rests_on_it(w):
    """A registration may be corrected (the ledger keeps both), until a payment or a 复议/诉讼 is
    recorded on it: then it is refused, so what was paid is never silently reset."""
    case = enforcement_make(w, power="own", on=D(2026, 2, 2), title="强制执行罚款案")
    case = perform(case, "register_decision", D(2026, 2, 2), w.officer, **own_decision("payment", number="错号"))
    case = perform(case, "register_decision", D(2026, 2, 2), w.officer, **own_decision("payment"))
    assert case_snapshot_build(case).decision.number == "乌自然资责〔2026〕3号"
    case = perform(case, "record_payment", D(2026, 2, 3), w.officer, paid_on=D(2026, 2, 3),
                   amount_yuan=Decimal("4000"), proof="123")
    again, _ = refusal(lambda: perform(case, "register_decision", D(2026, 2, 4), w.officer,
                                       **own_decision("payment", principal_yuan=Decimal("20000"))),
                       "enforcement.decision.already_registered")
    assert again.message == "据以执行的行政决定已经登记，且已据此登记了当事人的缴纳或者履行，不能重新登记"
    assert again.basis_kind == "platform" and again.field == "number"
    decision = case_snapshot_build(case).decision
    assert (decision.principal_fen, decision.paid_fen) == (1_000_000, 400_000)
    registrations = Entry.objects.filter(case_id=case.pk, kind=EventKind.STEP_DONE,
                                         subject=f"case:{case.pk}:register_decision")
    assert registrations.count() == 2


def test_the_surcharge_registered_runs_after_the_period_at_a_lawful_rate(w):
    """第四十五条第一款: a surcharge only on a party 逾期不履行, at the rate the law sets: 3% a day on
    a fine (行政处罚法第七十二条第一款第一项), never more; any other rate names its provision."""
    case = enforcement_make(w, power="own", on=D(2026, 2, 2), title="强制执行罚款案")
    bad = own_decision("payment", surcharge_from=D(2025, 1, 1), surcharge_daily_permille=1000)
    with pytest.raises(Refused) as refused:
        perform(case, "register_decision", D(2026, 2, 2), w.officer, **bad)
    by_code = {v.code: v for v in refused.value.violations}
    early = by_code["enforcement.surcharge.from_within_period"]
    assert early.message.startswith("加处罚款或者滞纳金自2025-01-01起算，早于行政决定确定的履行期限（2026-01-20）届满")
    assert (early.legal_basis, early.field) == (f"{LAW}第四十五条第一款", "surcharge_from")
    rate = by_code["enforcement.surcharge.rate_above_law"]
    assert rate.message == "到期不缴纳罚款的，每日按罚款数额的3%加处罚款，不能按每日100%加处"
    assert (rate.legal_basis, rate.field) == ("《中华人民共和国行政处罚法》第七十二条第一款第一项", "surcharge_daily_permille")
    kind, _ = refusal(lambda: perform(case, "register_decision", D(2026, 2, 2), w.officer,
                                      **own_decision("payment", money_kind="")), "enforcement.form.money_kind_missing")
    assert kind.field == "money_kind"
    fee = own_decision("payment", money_kind="other", surcharge_daily_permille=5, title="行政事业性收费决定书")
    unfounded, _ = refusal(lambda: perform(case, "register_decision", D(2026, 2, 2), w.officer, **fee),
                           "enforcement.surcharge.rate_basis_missing")
    assert unfounded.field == "surcharge_basis" and unfounded.legal_basis == f"{LAW}第四十五条第一款"
    assert case_snapshot_build(case).decision.registered is False  # nothing of the refused forms kept
    # The lawful paths: a fine at the law's rate (left empty: the law's), another money duty with its provision.
    fine = perform(case, "register_decision", D(2026, 2, 2), w.officer,
                   **own_decision("payment", surcharge_from=None, surcharge_daily_permille=None))
    surcharge = case_snapshot_build(fine).surcharge
    assert (surcharge.from_day, surcharge.daily_permille) == (D(2026, 1, 21), 30)
    other = enforcement_make(w, power="own", on=D(2026, 2, 2), title="强制执行收费案")
    other = perform(other, "register_decision", D(2026, 2, 2), w.officer,
                    **fee | {"surcharge_basis": "《某某法》第二十条"})
    assert case_snapshot_build(other).surcharge.basis == "《某某法》第二十条"


# --- 催告 (第三十四条、第三十五条、第三十八条) ----------------------------------------------------


def test_no_demand_before_the_decision_period_has_run(w):
    case = enforcement_make(w, parent=penalty_served(w), on=D(2026, 3, 30))
    deadlines, _ = case_deadlines_checked(case=case, on=D(2026, 4, 8))
    assert ("enforcement.deadline.performance_due", D(2026, 4, 10), "due_soon") in [
        (d.code, d.due, d.state) for d in deadlines]
    violation, _ = refusal(
        lambda: perform(case, "serve_demand", D(2026, 4, 10), w.officer, **demand_data(D(2026, 4, 10), D(2026, 4, 20))),
        "enforcement.obligation.period_running",
    )
    assert violation.message == "行政决定确定的履行期限至2026-04-10届满，期满当事人仍不履行的才能强制执行"
    assert violation.legal_basis == f"{LAW}第三十四条"
    assert perform(case, "serve_demand", D(2026, 4, 13), w.officer,
                   **demand_data(D(2026, 4, 13), D(2026, 4, 23))).state == "demanded"


def test_the_demand_states_the_deadline_amount_and_rights_and_is_served_directly(w):
    case = enforcement_make(w, parent=penalty_served(w))
    day = D(2026, 5, 11)
    not_direct, violations = refusal(
        lambda: perform(case, "serve_demand", day, w.officer,
                        **demand_data(day, day, payment_method="", service_method="post")),
        "enforcement.demand.not_direct",
    )
    assert not_direct.message.startswith("催告书应当直接送达当事人；邮寄送达只能在当事人拒绝接收或者无法直接送达时采用")
    assert not_direct.legal_basis == f"{LAW}第三十八条；《中华人民共和国民事诉讼法》"
    by_code = {v.code: v for v in violations}
    assert by_code["enforcement.demand.elements_missing"].message == "催告书缺少“涉及金钱给付的，明确的金额和给付方式”"
    assert by_code["enforcement.demand.elements_missing"].legal_basis == f"{LAW}第三十五条"
    assert by_code["enforcement.demand.deadline_not_after_service"].legal_basis == f"{LAW}第三十五条第一项"
    assert documents(case) == []  # nothing issued, no number used

    case = perform(case, "serve_demand", day, w.officer, **demand_data(day, D(2026, 5, 21)))
    assert case.state == "demanded"
    assert documents(case) == [("demand", "乌市监催告〔2026〕1号"), ("service_receipt", "")]
    demand = IssuedDocument.objects.select_related("pdf__stored_file", "docx__stored_file").get(case=case, kind="demand")
    entry = Entry.objects.get(seq=demand.ledger_seq)
    body = bytes(entry.body).decode()
    assert entry.kind == EventKind.DOCUMENT_ISSUED and entry.case_id == case.pk
    assert demand.pdf.stored_file.sha256 in body and demand.docx.stored_file.sha256 in body
    assert demand.docx.stored_file.size > 0
    text = pdf_text(demand)
    for expected in ("乌市监催告〔2026〕1号", "乌市监罚决〔2026〕1号", "2026年5月21日", "人民币叁仟元整", "一次性缴纳",
                     "陈述和申辩", "三个工作日", "申请人民法院强制执行", w.company.name):
        assert expected in text, expected
    receipt = IssuedDocument.objects.get(case=case, kind="service_receipt")
    assert receipt.record_kind == "demand_service_receipt" and "乌市监催告〔2026〕1号" in pdf_text(receipt)
    # The numbers run on: the agency's next demand is 2号.
    other = enforcement_make(w, parent=penalty_served(w), title="申请强制执行罚款案（二）")
    other = perform(other, "serve_demand", day, w.officer, **demand_data(day, D(2026, 5, 21)))
    assert IssuedDocument.objects.get(case=other, kind="demand").number == "乌市监催告〔2026〕2号"


def test_the_surcharge_claimed_never_exceeds_the_principal(w):
    case = enforcement_make(w, parent=penalty_served(w))
    day = D(2026, 9, 21)  # 3% a day from 04-11: long capped at the fine
    violation, _ = refusal(
        lambda: perform(case, "serve_demand", day, w.officer,
                        **demand_data(day, D(2026, 9, 30), surcharge_yuan=Decimal("3000.01"))),
        "enforcement.surcharge.above_principal",
    )
    assert violation.message == "加处罚款或者滞纳金3000.01元超出金钱给付义务的数额3000元"
    assert violation.legal_basis == f"{LAW}第四十五条第二款"
    case = perform(case, "serve_demand", day, w.officer,
                   **demand_data(day, D(2026, 9, 30), surcharge_yuan=Decimal("3000")))
    assert case_snapshot_build(case).surcharge.claimed_fen == 300_000
    text = pdf_text(IssuedDocument.objects.get(case=case, kind="demand"))
    assert "人民币陆仟元整" in text and "加处罚款或者滞纳金人民币叁仟元整" in text


# --- 陈述、申辩 (第三十六条) and the execution decision (第三十七条) -----------------------------------


def test_no_execution_decision_without_a_served_demand_and_its_deadline(w):
    case = enforcement_make(w, power="own", on=D(2026, 2, 2), title="强制拆除违法建设案")
    case = perform(case, "register_decision", D(2026, 2, 2), w.officer, **own_decision("demolition"))
    not_served, _ = refusal(lambda: perform(case, "decide_execution", D(2026, 3, 2), w.head, **execution_data()),
                            "enforcement.demand.not_served")
    assert not_served.message == "作出强制执行决定、代履行或者申请人民法院强制执行前，须先书面催告当事人并送达催告书"
    assert not_served.legal_basis == f"{LAW}第三十五条、第五十四条"

    case = perform(case, "serve_demand", D(2026, 3, 2), w.officer,
                   **demand_data(D(2026, 3, 2), D(2026, 3, 12), method="自行拆除", payment_method=""))
    running, _ = refusal(lambda: perform(case, "decide_execution", D(2026, 3, 12), w.head, **execution_data()),
                         "enforcement.demand.deadline_running")
    assert running.message == "催告书确定的履行期限至2026-03-12届满，期满当事人仍不履行的才能作出强制执行决定"
    assert running.legal_basis == f"{LAW}第三十七条第一款"
    no_evidence, _ = refusal(
        lambda: perform(case, "decide_execution", D(2026, 3, 12), w.head, **execution_data(immediate=True)),
        "enforcement.immediate.no_evidence",
    )
    assert no_evidence.legal_basis == f"{LAW}第三十七条第三款"
    role, _ = refusal(lambda: perform(case, "decide_execution", D(2026, 3, 13), w.officer, **execution_data()),
                      "case.role")
    assert role.message == "“作出强制执行决定”须由机关负责人办理"

    # The party states its case: recorded and re-examined, and the decision says so.
    case = perform(case, "record_statement", D(2026, 3, 10), w.officer, submitted_on=D(2026, 3, 9),
                   summary="当事人称彩钢房用于存放农机具，请求暂缓拆除。",
                   reexamination="经复核，当事人所述不影响违法事实的认定，不予采纳。", adopted=False)
    snapshot = case_snapshot_build(case)
    assert snapshot.statements[0].reexamined_on == D(2026, 3, 10)
    assert {"statement_record", "reexamination_record"} <= snapshot.records
    case = perform(case, "decide_execution", D(2026, 3, 13), w.head, **execution_data())
    assert case.state == "decided"
    decision = IssuedDocument.objects.get(case=case, kind="execution_decision")
    assert decision.number == "乌市监强执决〔2026〕1号"
    text = pdf_text(decision)
    for expected in ("强制拆除", "2026年7月8日", "经本机关复核", "乌市监催告〔2026〕1号", "《中华人民共和国土地管理法》",
                     "乌审旗人民政府", "乌审旗人民法院"):
        assert expected in text, expected


# --- 实施 (第四十三条、第四十四条) --------------------------------------------------------------


def test_a_demolition_waits_for_its_public_notice_and_the_challenge_periods(w):
    case = own_case(w, "demolition")
    case = perform(case, "decide_execution", D(2026, 3, 13), w.head, **execution_data())
    case = perform(case, "serve_execution_decision", D(2026, 3, 16), w.officer, served_on=D(2026, 3, 16), **service())
    assert case.state == "decision_served"
    day = D(2026, 4, 15)
    attempt = plan(dt.datetime(2026, 4, 15, 9), dt.datetime(2026, 4, 15, 11))
    no_notice, violations = refusal(lambda: perform(case, "execute", day, w.officer, **attempt),
                                    "enforcement.demolition.no_notice")
    assert no_notice.message == "强制拆除违法的建筑物、构筑物、设施，须先予以公告，限期当事人自行拆除"
    assert no_notice.legal_basis == f"{LAW}第四十四条"
    filmed = next(v for v in violations if v.code == "enforcement.audio_video.forced_demolition")
    # The recording rule is the local 音像记录事项清单, cited as such, never as a statute.
    assert "音像记录事项清单" in filmed.legal_basis and LAW not in filmed.legal_basis

    case = perform(case, "publish_demolition_notice", D(2026, 3, 18), w.officer, published_on=D(2026, 3, 18),
                   deadline=D(2026, 4, 20), place="违法建设现场", content="限期自行拆除。")
    recording_upload(w, case, "forced_demolition")
    found = codes(lambda: perform(case, "execute", day, w.officer, **attempt))
    assert found == {"enforcement.demolition.notice_deadline_running", "enforcement.demolition.challenge_period_running"}
    periods, _ = refusal(lambda: perform(case, "execute", D(2026, 7, 6), w.officer,
                                         **plan(dt.datetime(2026, 7, 6, 9), dt.datetime(2026, 7, 6, 11))),
                         "enforcement.demolition.challenge_period_running")
    assert periods.message == ("申请行政复议、提起行政诉讼的法定期限至2026-07-06届满，期满当事人不申请的才能强制拆除"
                               "（强制拆除于2026-07-06开始）")
    assert periods.legal_basis.startswith(f"{LAW}第四十四条；")
    deadlines, _ = case_deadlines_checked(case=case, on=D(2026, 7, 6))
    demolition = next(d for d in deadlines if d.code == "enforcement.deadline.demolition")
    assert demolition.label.startswith("最早可于2026-07-07起") and demolition.due == D(2026, 7, 7)

    case = perform(case, "execute", D(2026, 7, 8), w.officer, **plan(dt.datetime(2026, 7, 8, 9),
                                                                     dt.datetime(2026, 7, 8, 11)))
    assert case.state == "executed"
    assert "execution_record" in case_snapshot_build(case).records
    case = perform(case, "close", D(2026, 7, 9), w.head, summary="违法建设已于2026年7月8日强制拆除。", head_opinion="同意结案")
    assert case.state == "closed"


def test_a_challenge_pending_stops_the_demolition(w):
    case = demolition_ready(w)
    case = perform(case, "record_challenge", D(2026, 3, 20), w.officer, kind="litigation", started_on=D(2026, 3, 20),
                   ended_on=None, body="乌审旗人民法院")
    day = D(2026, 7, 8)
    challenged, _ = refusal(lambda: perform(case, "execute", day, w.officer, **plan(dt.datetime(2026, 7, 8, 9),
                                                                                   dt.datetime(2026, 7, 8, 11))),
                            "enforcement.demolition.challenged")
    assert challenged.message == "当事人已申请行政复议或者提起行政诉讼，尚未终结，不能强制拆除（强制拆除于2026-07-08开始）"
    case = perform(case, "record_challenge", day, w.officer, kind="litigation", started_on=D(2026, 3, 20),
                   ended_on=D(2026, 7, 1), body="乌审旗人民法院")
    assert perform(case, "execute", day, w.officer, **plan(dt.datetime(2026, 7, 8, 9),
                                                           dt.datetime(2026, 7, 8, 11))).state == "executed"


def test_no_execution_at_night_or_on_a_holiday_unless_an_emergency(w):
    case = demolition_ready(w)
    night = plan(dt.datetime(2026, 7, 8, 21, 0), dt.datetime(2026, 7, 8, 23, 30))
    at_night, _ = refusal(lambda: perform(case, "execute", D(2026, 7, 8), w.officer, **night),
                          "enforcement.plan.at_night")
    assert at_night.message == "不得在夜间（22:00至次日06:00）实施强制执行，情况紧急的除外（须记录紧急情况）"
    assert at_night.legal_basis.startswith(f"{LAW}第四十三条第一款")
    holiday = plan(dt.datetime(2026, 10, 2, 9), dt.datetime(2026, 10, 2, 11))
    on_holiday, _ = refusal(lambda: perform(case, "execute", D(2026, 10, 2), w.officer, **holiday),
                            "enforcement.plan.on_holiday")
    assert on_holiday.message == "不得在法定节假日实施强制执行，情况紧急的除外（须记录紧急情况）：2026-10-02（国庆节）"
    assert on_holiday.legal_basis == f"{LAW}第四十三条第一款"
    utilities, _ = refusal(
        lambda: perform(case, "execute", D(2026, 7, 8), w.officer,
                        **plan(dt.datetime(2026, 7, 8, 9), dt.datetime(2026, 7, 8, 11), cuts_utilities=True)),
        "enforcement.plan.utilities_cut",
    )
    assert utilities.legal_basis == f"{LAW}第四十三条第二款"
    # Calling it an emergency is not enough: the emergency is recorded.
    unexplained = codes(lambda: perform(case, "execute", D(2026, 7, 8), w.officer, **night | {"emergency": True}))
    assert "enforcement.plan.emergency_reason_missing" in unexplained
    case = perform(case, "execute", D(2026, 7, 8), w.officer,
                   **night | {"emergency": True, "emergency_reason": "暴雨将至，违法建设已有倒塌危险，危及相邻住户安全"})
    assert case.state == "executed"
    assert case_snapshot_build(case).plan.emergency_reason.startswith("暴雨将至")


def test_a_demolition_entered_afterwards_is_judged_on_the_day_it_took_place(w):
    """第四十四条、第三十八条: an execution recorded on 07-08 that took place on 03-20, before the
    公告's deadline (04-20) and within the litigation period (07-06), is refused although both have
    run by the day it is entered; one that took place before the decision was served (03-16) too."""
    case = demolition_ready(w)  # decision served 03-16
    then = plan(dt.datetime(2026, 3, 20, 9), dt.datetime(2026, 3, 20, 11))
    found = codes(lambda: perform(case, "execute", D(2026, 7, 8), w.officer, **then))
    assert {"enforcement.demolition.notice_deadline_running", "enforcement.demolition.challenge_period_running"} <= found
    notice, _ = refusal(lambda: perform(case, "execute", D(2026, 7, 8), w.officer, **then),
                        "enforcement.demolition.notice_deadline_running")
    assert notice.message == "公告限期当事人自行拆除的期限至2026-04-20届满，期满后才能强制拆除（强制拆除于2026-03-20开始）"
    assert notice.legal_basis == f"{LAW}第四十四条"
    before, _ = refusal(lambda: perform(case, "execute", D(2026, 7, 8), w.officer,
                                        **plan(dt.datetime(2026, 3, 13, 9), dt.datetime(2026, 3, 13, 11))),
                        "enforcement.plan.before_decision_served")
    assert before.message == "强制执行于2026-03-13开始，早于强制执行决定书送达当事人的日期（2026-03-16）"
    assert (before.legal_basis, before.field) == (f"{LAW}第三十七条、第三十八条", "plan.starts_at")
    assert case_snapshot_build(case).plan is None
    # The lawful path: the demolition of 07-08, entered the next day.
    case = perform(case, "execute", D(2026, 7, 9), w.officer, **plan(dt.datetime(2026, 7, 8, 9),
                                                                     dt.datetime(2026, 7, 8, 11)))
    assert case.state == "executed" and case_snapshot_build(case).plan.starts_at == dt.datetime(2026, 7, 8, 9)


def test_a_substitute_performance_entered_afterwards_waits_for_its_decision_s_service(w):
    """第五十一条第一款第一项: the 代履行 decision is served (03-16) before the 代履行 takes place."""
    case = substitute_decided(w, demand_on=D(2026, 3, 10))
    recording_upload(w, case, "substitute_performance", seed=7)
    early = performed(starts_at=dt.datetime(2026, 3, 13, 9), ends_at=dt.datetime(2026, 3, 13, 16))
    v, _ = refusal(lambda: perform(case, "perform_substitute", D(2026, 3, 25), w.officer, **early),
                   "enforcement.substitute.before_decision_served")
    assert v.message == "代履行于2026-03-13开始，早于代履行决定书送达当事人的日期（2026-03-16）"
    assert v.legal_basis == f"{LAW}第五十一条第一款第一项"
    assert perform(case, "perform_substitute", D(2026, 3, 25), w.officer, **performed()).state == "executed"


def test_an_entrusted_organisation_neither_decides_nor_carries_out_an_execution(w):
    """第十三条、第七十条: execution belongs to the agency a law names (or an organisation a law or
    an administrative regulation authorises); an entrusted organisation applies to neither."""
    w.agency.kind = "entrusted_organization"
    w.agency.entrusting_agency = agency_make(name="乌审旗自然资源局")
    w.agency.save()
    case = own_case(w, "demolition", power="own")
    entrusted, _ = refusal(lambda: perform(case, "decide_execution", D(2026, 3, 13), w.head, **execution_data()),
                           "enforcement.agency.entrusted")
    assert entrusted.message.startswith("受委托组织不能实施行政强制执行")
    assert entrusted.legal_basis == f"{LAW}第十三条、第七十条"
    substitute = own_case(w, "act", power="own")
    assert "enforcement.agency.entrusted" in codes(
        lambda: perform(substitute, "decide_substitute", D(2026, 3, 13), w.head, **substitute_data()))
    assert IssuedDocument.objects.filter(case__in=[case, substitute]).exclude(kind__in=["demand", "service_receipt"]).count() == 0
    # The lawful path: the organ itself (an administrative organ) decides.
    w.agency.kind, w.agency.entrusting_agency = "administrative_organ", None
    w.agency.save()
    assert perform(case, "decide_execution", D(2026, 3, 13), w.head, **execution_data()).state == "decided"


def test_the_agency_s_own_power_is_claimed_with_the_law_that_grants_it_and_recorded(w):
    """第十三条第一款: 行政强制执行由法律设定. The head who decides to execute names the provision of
    the law granting the power; a regulation's is refused. It is kept in the facts and, a citation
    naming nobody, in clear in the ledger."""
    case = own_case(w, "demolition", power="own")
    missing, _ = refusal(lambda: perform(case, "decide_execution", D(2026, 3, 13), w.head,
                                         **execution_data(power_basis="")), "enforcement.power.basis_missing")
    assert (missing.legal_basis, missing.field) == (f"{LAW}第十三条第一款", "execution_power_basis")
    regulation = "《内蒙古自治区城乡规划条例》第六十条"
    not_law, _ = refusal(lambda: perform(case, "decide_execution", D(2026, 3, 13), w.head,
                                         **execution_data(power_basis=regulation)), "enforcement.power.basis_not_law")
    assert not_law.message.startswith(f"“{regulation}”不是法律的条款")
    # The page does not count the provision against the step: the form supplies it.
    listed = {v.action: v for v in case_actions(case=case, viewer=w.head, on=D(2026, 3, 13))}["decide_execution"]
    assert "enforcement.power.basis_missing" not in {v.code for v in listed.violations}
    case = perform(case, "decide_execution", D(2026, 3, 13), w.head, **execution_data())
    assert case_snapshot_build(case).execution_power_basis == POWER_BASIS
    entry = Entry.objects.get(case_id=case.pk, kind=EventKind.STEP_DONE, subject=f"case:{case.pk}:decide_execution")
    assert json.loads(bytes(entry.body))["payload"]["data"]["power_basis"] == POWER_BASIS


@pytest.mark.parametrize("role", [Role.AGENCY_ADMIN, Role.REVIEWER])
def test_the_agency_s_administrator_and_reviewer_take_no_operational_step(w, role):
    """本单位职责分工 (a platform rule): serving, recording and carrying out an execution are the
    officers' and the head's; the administrator and the legal reviewer only read."""
    other = user_make(role=role, agency=w.agency)
    case = enforcement_make(w, parent=penalty_served(w))
    violation, _ = refusal(lambda: perform(case, "serve_demand", D(2026, 5, 11), other,
                                           **demand_data(D(2026, 5, 11), D(2026, 5, 21))), "case.role")
    assert violation.message == "“送达催告书”须由机关负责人、执法人员办理"
    assert violation.basis_kind == "platform"
    demolition = demolition_ready(w)
    assert "case.role" in codes(lambda: perform(demolition, "execute", D(2026, 7, 8), other,
                                                **plan(dt.datetime(2026, 7, 8, 9), dt.datetime(2026, 7, 8, 11))))
    assert perform(case, "serve_demand", D(2026, 5, 11), w.head,
                   **demand_data(D(2026, 5, 11), D(2026, 5, 21))).state == "demanded"


def test_the_emergency_is_kept_in_the_case_and_its_digest_in_the_ledger(w):
    """The emergency may name the people endangered: the ledger keeps its digest, the case its text."""
    case = demolition_ready(w)
    reason = "暴雨将至，违法建设已有倒塌危险，危及相邻住户张某一家安全"
    case = perform(case, "execute", D(2026, 7, 8), w.officer,
                   **plan(dt.datetime(2026, 7, 8, 21), dt.datetime(2026, 7, 8, 23), emergency=True, emergency_reason=reason))
    entry = Entry.objects.get(case_id=case.pk, kind=EventKind.STEP_DONE, subject=f"case:{case.pk}:execute")
    body = bytes(entry.body).decode()
    assert "张某" not in body and "emergency_reason_sha256" in json.loads(body)["payload"]["data"]
    assert case_snapshot_build(case).plan.emergency_reason == reason


def test_the_page_offers_the_execution_only_when_it_is_lawful(w):
    """What the case page and the API list: the form of a step fills its own records and plan, so
    only what the form cannot change blocks it (the 公告's deadline, the challenge periods)."""
    case = demolition_ready(w)
    early = {v.action: v for v in case_actions(case=case, viewer=w.officer, on=D(2026, 4, 15))}["execute"]
    assert not early.allowed
    assert {v.code for v in early.violations} == {"enforcement.demolition.notice_deadline_running",
                                                  "enforcement.demolition.challenge_period_running"}
    ready = {v.action: v for v in case_actions(case=case, viewer=w.officer, on=D(2026, 7, 8))}["execute"]
    assert ready.allowed and ready.violations == ()
    assert [f.name for f in ready.fields][:2] == ["starts_at", "ends_at"]


def test_the_execution_and_substitute_decisions_are_announced_to_the_apps_above(w):
    heard: list[CompulsoryDecided] = []
    CASE_EVENTS.subscribe(CompulsoryDecided, heard.append, atomic=True)
    try:
        demolition = own_case(w, "demolition")
        perform(demolition, "decide_execution", D(2026, 3, 13), w.head, **execution_data())
        substitute = own_case(w, "act")
        perform(substitute, "decide_substitute", D(2026, 3, 13), w.head, **substitute_data())
    finally:
        CASE_EVENTS.unsubscribe(CompulsoryDecided, heard.append)
    assert [(e.procedure, e.action, e.case.pk, e.on) for e in heard] == [
        ("enforcement", "decide_execution", demolition.pk, D(2026, 3, 13)),
        ("enforcement", "decide_substitute", substitute.pk, D(2026, 3, 13)),
    ]
    assert heard[0].snapshot.execution_decision.method == "demolition"
    assert heard[1].snapshot.substitute.decided_on == D(2026, 3, 13)


# --- 执行协议 (第四十二条) ---------------------------------------------------------------------------


def test_an_agreement_reduces_the_surcharge_only_for_remedial_measures(w):
    case = own_case(w, "payment")  # 10000 yuan, 3% a day from 01-21: capped at 10000 by 03-05
    terms = {"signed_on": D(2026, 3, 5), "content": "当事人于2026年4月30日前分两期缴清罚款",
             "surcharge_waived_yuan": Decimal("5000"), "remedial_measures_taken": False, "remedial_measures": ""}
    no_remedy, _ = refusal(lambda: perform(case, "sign_agreement", D(2026, 3, 5), w.head, **terms),
                           "enforcement.agreement.waiver_without_remedy")
    assert no_remedy.message == "当事人采取补救措施的，才可以减免加处的罚款或者滞纳金"
    assert no_remedy.legal_basis == f"{LAW}第四十二条第一款"
    too_much, _ = refusal(
        lambda: perform(case, "sign_agreement", D(2026, 3, 5), w.head,
                        **terms | {"surcharge_waived_yuan": Decimal("12000"), "remedial_measures_taken": True}),
        "enforcement.agreement.waiver_above_surcharge",
    )
    assert too_much.message.startswith("减免的12000元多于加处的罚款或者滞纳金10000元")
    case = perform(case, "sign_agreement", D(2026, 3, 5), w.head,
                   **terms | {"remedial_measures_taken": True, "remedial_measures": "当事人已停止违法行为并整改"})
    assert case.state == "agreement"
    assert case_snapshot_build(case).agreement.surcharge_waived_fen == 500_000
    case = perform(case, "resume_execution", D(2026, 5, 6), w.head, broken_on=D(2026, 5, 1), note="逾期未缴纳第二期")
    assert case.state == "demanded"


# --- 代履行 (第五十条、第五十一条) -----------------------------------------------------------------


def substitute_data(**changes) -> dict:
    return {
        "harm_grounds": True,
        "reasons": "当事人逾期不清除堆放的砂石料，汛期将至，将危害河道行洪和交通安全。",
        "bases": ["《中华人民共和国行政强制法》第五十条", "《中华人民共和国水法》第六十五条第一款"],
        "method": "使用挖掘机、自卸车清运砂石料并平整河道",
        "starts_at": dt.datetime(2026, 3, 25, 9, 0),
        "ends_at": dt.datetime(2026, 3, 25, 17, 0),
        "target": "堆放在河道管理范围内的砂石料约300立方米",
        "cost_estimate_yuan": Decimal("18500"),
        "performer": "乌审旗安澜水利工程有限公司（与本案无利害关系）",
    } | changes


def substitute_decided(w, *, demand_on: dt.date) -> Case:
    case = own_case(w, "act")
    case = perform(case, "decide_substitute", D(2026, 3, 13), w.head, **substitute_data())
    case = perform(case, "serve_substitute_decision", D(2026, 3, 16), w.officer, served_on=D(2026, 3, 16), **service())
    return perform(case, "serve_substitute_demand", demand_on, w.officer, served_on=demand_on, note="当面催告")


def performed(**changes) -> dict:
    return plan(dt.datetime(2026, 3, 25, 9), dt.datetime(2026, 3, 25, 16), place="无定河河道",
                record="代履行人清运砂石料约300立方米，本机关执法人员到场监督。", supervised_on_site=True, signed_by_all=True,
                cost_yuan=Decimal("17800")) | changes


def test_substitute_performance_needs_a_harm_ground_its_decision_served_and_a_demand_three_working_days_before(w):
    case = own_case(w, "act")
    no_harm, _ = refusal(
        lambda: perform(case, "decide_substitute", D(2026, 3, 13), w.head, **substitute_data(harm_grounds=False)),
        "enforcement.substitute.no_harm_ground",
    )
    assert no_harm.message == "代履行须以不履行的后果已经或者将危害交通安全、造成环境污染或者破坏自然资源为前提"
    assert no_harm.legal_basis == f"{LAW}第五十条"

    late = substitute_decided(w, demand_on=D(2026, 3, 23))  # Mon; the 代履行 is on Wed 03-25
    assert late.state == "substitute_decided"
    assert IssuedDocument.objects.get(case=late, kind="substitute_decision").number == "乌市监代履〔2026〕1号"
    text = pdf_text(IssuedDocument.objects.get(case=late, kind="substitute_decision"))
    for expected in ("乌审旗安澜水利工程有限公司", "人民币壹万捌仟伍佰元整", "2026年3月25日", "乌市监催告〔2026〕"):
        assert expected in text, expected
    assert IssuedDocument.objects.get(case=late, kind="service_receipt", record_kind="substitute_service_receipt")
    too_late, violations = refusal(
        lambda: perform(late, "perform_substitute", D(2026, 3, 25), w.officer,
                        **performed(supervised_on_site=False, signed_by_all=False)),
        "enforcement.substitute.demand_too_late",
    )
    assert too_late.message == "代履行的催告于2026-03-23送达，距代履行不足三个工作日（最迟应于2026-03-19送达）"
    assert too_late.legal_basis.startswith(f"{LAW}第五十一条第一款第二项")
    found = {v.code for v in violations}
    assert {"enforcement.substitute.not_supervised", "enforcement.substitute.not_signed",
            "enforcement.audio_video.substitute_performance"} <= found

    case = substitute_decided(w, demand_on=D(2026, 3, 19))
    recording_upload(w, case, "substitute_performance", seed=7)
    case = perform(case, "perform_substitute", D(2026, 3, 25), w.officer, **performed())
    assert case.state == "executed"
    assert {"substitute_demand", "substitute_record", "audio_video_substitute_performance"} <= case_snapshot_build(
        case).records


# --- 申请人民法院强制执行 (第五十三条、第五十四条) ----------------------------------------------------


def test_the_court_is_asked_only_ten_working_days_after_the_demand_and_within_the_window(w):
    case = enforcement_make(w, parent=penalty_served(w))
    early = perform(case, "serve_demand", D(2026, 5, 11), w.officer, **demand_data(D(2026, 5, 11), D(2026, 5, 21)))
    running, _ = refusal(lambda: perform(early, "apply_to_court", D(2026, 6, 1), w.head, **court_data()),
                         "enforcement.court.challenge_period_running")
    assert running.message == "申请行政复议、提起行政诉讼的法定期限尚未届满，2026-09-27起才能申请人民法院强制执行"
    closed, _ = refusal(lambda: perform(early, "apply_to_court", D(2026, 12, 28), w.head, **court_data()),
                        "enforcement.court.window_closed")
    assert closed.message == "申请人民法院强制执行的三个月期限已于2026-12-26届满"
    assert closed.legal_basis.endswith(f"{LAW}第五十三条")

    late = enforcement_make(w, parent=penalty_served(w), title="申请强制执行罚款案（二）")
    late = perform(late, "serve_demand", D(2026, 9, 21), w.officer, **demand_data(D(2026, 9, 21), D(2026, 9, 30)))
    too_recent, _ = refusal(lambda: perform(late, "apply_to_court", D(2026, 10, 12), w.head, **court_data()),
                            "enforcement.court.demand_too_recent")
    assert too_recent.message == "催告书于2026-09-21送达，十个工作日后（2026-10-13起）当事人仍未履行的，才能申请人民法院强制执行"
    assert too_recent.legal_basis.startswith(f"{LAW}第五十四条")
    role, _ = refusal(lambda: perform(late, "apply_to_court", D(2026, 10, 13), w.officer, **court_data()), "case.role")
    assert role.message == "“申请人民法院强制执行”须由机关负责人办理"
    late = perform(late, "apply_to_court", D(2026, 10, 13), w.head, **court_data())
    assert late.state == "court_applied"
    application = IssuedDocument.objects.get(case=late, kind="court_application")
    assert application.number == "乌市监强执申〔2026〕1号"
    assert Entry.objects.get(seq=application.ledger_seq).kind == EventKind.DOCUMENT_ISSUED


def test_an_agency_with_the_power_executes_itself_and_does_not_go_to_the_court(w):
    case = own_case(w, "demolition")
    violation, _ = refusal(lambda: perform(case, "apply_to_court", D(2026, 9, 28), w.head, **court_data()),
                           "enforcement.court.agency_has_power")
    assert violation.legal_basis == f"{LAW}第十三条、第五十三条"


def test_payments_then_performance_close_the_case(w):
    """A decision registered by hand: its payments are recorded here, then the performance."""
    case = own_case(w, "payment")  # 10000 yuan
    case = perform(case, "record_payment", D(2026, 3, 5), w.officer, paid_on=D(2026, 3, 5),
                   amount_yuan=Decimal("4000"), proof="NO.001")
    assert case_snapshot_build(case).decision.paid_fen == 400_000
    too_much, _ = refusal(lambda: perform(case, "record_payment", D(2026, 3, 6), w.officer, paid_on=D(2026, 3, 6),
                                          amount_yuan=Decimal("6000.01"), proof="NO.002"),
                          "enforcement.payment.above_principal")
    assert too_much.field == "amount_yuan"
    not_yet, _ = refusal(lambda: perform(case, "record_performance", D(2026, 3, 6), w.officer,
                                         performed_on=D(2026, 3, 6), paid_yuan=None, proof="NO.002"),
                         "enforcement.performance.not_recorded")
    assert not_yet.legal_basis == f"{LAW}第三十四条"
    case = perform(case, "record_performance", D(2026, 3, 9), w.officer, performed_on=D(2026, 3, 9),
                   paid_yuan=Decimal("6000"), proof="NO.002")
    assert case.state == "performed"
    case = perform(case, "close", D(2026, 3, 10), w.head, summary="当事人已缴清罚款。", head_opinion="同意结案")
    assert case.state == "closed"


def penalty_payment(w, penalty: Case, on: dt.date, yuan: str) -> Case:
    return perform(penalty, "record_payment", on, w.officer, paid_on=on, amount_yuan=Decimal(yuan), receipt=f"R{on:%m%d}")


def test_an_enforcement_case_follows_the_payments_of_its_penalty_case(w):
    """第三十四条: only a duty still unperformed is enforced. A fine paid in the penalty case after
    the enforcement case was registered is seen there at once: it is not demanded again; part of
    it paid, the demand asks for the rest. Payments of a fine are recorded once, in the penalty case."""
    penalty = penalty_served(w)
    case = enforcement_make(w, parent=penalty)
    penalty = penalty_payment(w, penalty, D(2026, 4, 21), "1000")
    assert case_snapshot_build(case).decision.paid_fen == 100_000
    here, _ = refusal(lambda: perform(case, "record_payment", D(2026, 4, 22), w.officer, paid_on=D(2026, 4, 22),
                                      amount_yuan=Decimal("2000"), proof="NO.002"),
                      "enforcement.payment.in_penalty_case")
    assert here.message == "本案执行所属行政处罚案件的罚款，当事人的缴纳请在该行政处罚案件中登记（本案随之更新）"
    assert (here.basis_kind, here.field) == ("platform", "amount_yuan")

    other = enforcement_make(w, parent=penalty_served(w), title="申请强制执行罚款案（二）")
    demanded = perform(case, "serve_demand", D(2026, 5, 11), w.officer, **demand_data(D(2026, 5, 11), D(2026, 5, 21)))
    text = pdf_text(IssuedDocument.objects.get(case=demanded, kind="demand"))
    # 3000 less the 1000 paid in the penalty case.
    assert "逾期仅缴纳人民币壹仟元整，尚有人民币贰仟元整未缴纳" in text and "应缴金额：人民币贰仟元整" in text

    # Paid in full in the penalty case: the other enforcement case demands nothing.
    other_penalty = Case.objects.get(pk=other.parent_id)
    penalty_payment(w, other_penalty, D(2026, 4, 25), "3000")
    performed, _ = refusal(lambda: perform(other, "serve_demand", D(2026, 5, 11), w.officer,
                                           **demand_data(D(2026, 5, 11), D(2026, 5, 21))),
                           "enforcement.obligation.performed")
    assert performed.message == "当事人已经履行行政决定确定的义务，不能强制执行"
    assert performed.legal_basis == f"{LAW}第三十四条"
    assert documents(other) == []
    # The lawful path: the performance is recorded (no amount: the penalty case has it), and closed.
    other = perform(other, "record_performance", D(2026, 5, 11), w.officer, performed_on=D(2026, 4, 25),
                    paid_yuan=None, proof="R0425")
    assert other.state == "performed"
    assert perform(other, "close", D(2026, 5, 12), w.head, summary="当事人已在处罚案件中缴清罚款。",
                   head_opinion="同意结案").state == "closed"


def test_an_enforcement_case_follows_the_challenges_of_its_penalty_case(w):
    """第五十三条: no court application while a 复议 or 诉讼 recorded in the penalty case is pending."""
    penalty = penalty_served(w)
    case = enforcement_make(w, parent=penalty)
    case = perform(case, "serve_demand", D(2026, 9, 21), w.officer, **demand_data(D(2026, 9, 21), D(2026, 9, 30)))
    penalty = perform(penalty, "record_challenge", D(2026, 9, 22), w.officer, kind="litigation",
                      started_on=D(2026, 9, 22), ended_on=None)
    pending, _ = refusal(lambda: perform(case, "apply_to_court", D(2026, 10, 13), w.head, **court_data()),
                         "enforcement.court.challenge_pending")
    assert pending.legal_basis == f"{LAW}第五十三条"
    perform(penalty, "record_challenge", D(2026, 10, 12), w.officer, kind="litigation", started_on=D(2026, 9, 22),
            ended_on=D(2026, 10, 12), result="upheld")
    assert perform(case, "apply_to_court", D(2026, 10, 13), w.head, **court_data()).state == "court_applied"


# --- end to end -----------------------------------------------------------------------------------------


def test_an_unpaid_ordinary_penalty_goes_to_the_court_through_an_enforcement_case(w, client):
    penalty = penalty_served(w)
    assert penalty.state == "served"
    case = enforcement_make(w, parent=penalty, on=D(2026, 4, 20))
    assert (case.state, case.parent_id) == ("pending", penalty.pk)

    case = perform(case, "serve_demand", D(2026, 9, 21), w.officer,
                   **demand_data(D(2026, 9, 21), D(2026, 9, 30), surcharge_yuan=Decimal("3000")))
    case = perform(case, "record_statement", D(2026, 9, 24), w.officer, submitted_on=D(2026, 9, 23),
                   summary="当事人称经营困难，请求减免加处罚款。", reexamination="经复核，当事人的理由不属于法定减免情形。",
                   adopted=False)
    deadlines, problems = case_deadlines_checked(case=case, on=D(2026, 10, 9))
    assert problems == []
    by_code = {d.code: d for d in deadlines}
    assert by_code["enforcement.deadline.demand"].state == "met"
    court = by_code["enforcement.deadline.court_application"]
    assert (court.due, court.state) == (D(2026, 12, 26), "running")
    assert "最早可于2026-10-13起" in court.label

    case = perform(case, "apply_to_court", D(2026, 10, 13), w.head,
                   **court_data(target="罚款人民币叁仟元整及加处罚款人民币叁仟元整"))
    application = IssuedDocument.objects.get(case=case, kind="court_application")
    text = pdf_text(application)
    for expected in ("强制执行申请书", "乌审旗人民法院", "乌市监罚决〔2026〕1号", "乌市监催告〔2026〕1号", "王局长",
                     "被申请人收到催告书后未提出陈述和申辩", "2026年10月13日"):
        assert expected in text, expected
    case = perform(case, "record_court_ruling", D(2026, 10, 30), w.officer, ruling="granted", ruled_on=D(2026, 10, 28),
                   ruling_number="（2026）蒙0626行审12号", note="")
    assert case.state == "court_ruled"
    case = perform(case, "close", D(2026, 11, 20), w.head, summary="人民法院裁定准予执行，已移交执行。", head_opinion="同意结案")
    assert case.state == "closed"
    assert [k for k, _ in documents(case)] == ["demand", "service_receipt", "court_application"]
    assert documents(case)[0][1] == "乌市监催告〔2026〕1号"
    steps = [bytes(e.body).decode() for e in Entry.objects.filter(case_id=case.pk, kind=EventKind.STEP_DONE)]
    assert len(steps) == 5

    client.force_login(w.officer)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "申请人民法院强制执行" in html and "乌市监强执申〔2026〕1号" in html


# --- the case page --------------------------------------------------------------------------------------

CODE = re.compile(r"\b(?:enforcement\.[a-z_.]+|[a-z]+_[a-z_]+)\b")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_case_page_shows_the_steps_in_chinese_in_every_state(w, client):
    client.force_login(w.officer)
    case = enforcement_make(w, parent=penalty_served(w))
    pages = []
    for step in (None, "serve_demand", "apply_to_court"):
        if step == "serve_demand":
            case = perform(case, step, D(2026, 9, 21), w.officer, **demand_data(D(2026, 9, 21), D(2026, 9, 30)))
        elif step == "apply_to_court":
            case = perform(case, step, D(2026, 10, 13), w.head, **court_data())
        response = client.get(reverse("cases:case_detail", args=[case.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        text = visible_text(html)
        assert CODE.findall(text) == [], CODE.findall(text)
        pages.append(html)
    pending, demanded, applied = pages
    assert "逾期未履行（待催告）" in pending and "送达催告书" in pending and "强制执行" in pending
    assert "已催告" in demanded and "记录并复核陈述、申辩" in demanded and "乌市监催告〔2026〕1号" in demanded
    assert "已申请人民法院强制执行" in applied and "登记人民法院裁定" in applied
    assert 'data-testid="action-serve_demand"' in pending
