"""Review findings on corrections (更正), 撤销立案, confirmations and the kept forms: a record is
corrected only in its own step's states (a 笔录 while the case is 调查取证, a payment until 执行完毕);
only an officer of the case or the head corrects, under the case family's lock and the ledger
batch; the reason's refusal stands beside its box; a step that finishes the case asks for
confirmation and a lead is declined, not withdrawn; a refused form keeps only its own fields, at
most 64 KB."""

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.cases import selectors, services
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_record_correct
from sanxiang.cases.views import FAILED_STEP_KEY
from sanxiang.ledger.services import _BATCH_ATTR
from sanxiang.procedure.catalog import procedure_spec
from sanxiang.procedure.penalty.procedures import WITHDRAWABLE
from sanxiang.procedure.penalty.steps import step_get
from sanxiang.procedure.steps import record_correction_problems
from tests.cases.support import (
    OPEN,
    OPENED,
    D,
    csrf_client,
    csrf_post,
    end_investigation_data,
    inquiry,
    lead_make,
    officer_with_certificate,
    perform,
    refusal,
    to_decided,
    to_investigating,
    world_make,
)
from tests.factories import user_make

pytestmark = pytest.mark.django_db

DAY = D(2026, 3, 10)


@pytest.fixture
def w():
    return world_make()





def record_html(html: str, record_id: int) -> str:
    return html.split(f'data-testid="record-{record_id}"')[1].split("</details>\n  \n")[0]


def with_inquiry(w) -> tuple[Case, dict]:
    case = to_investigating(w)
    case = perform(case, "record_inquiry", DAY, w.officer, **inquiry(w, DAY))
    return case, case.details["step_values"][-1]


def corrected_place(w) -> dict:
    return {**inquiry(w, DAY), "place": "当事人经营场所"}


# --- H1: a 笔录 is corrected only while the case is 调查取证 ----------------------------------------------


def test_a_record_is_not_corrected_after_the_investigation_ended_and_the_refusal_says_the_lawful_path(w):
    """第五十五条 (questioning is recorded) and 第五十七条 (after the investigation ends the head decides
    on its results): once the 调查终结报告 is made, a correction of the 询问笔录 would redo neither it
    nor what follows. Refused, with the state it may be corrected in and the path left (补充调查, a
    new 笔录 before the decision); while 调查取证 the same correction is accepted."""
    case, record = with_inquiry(w)
    # Allowed path: while the case is 调查取证, the selector and the service agree.
    assert selectors.record_correctable(case=case, record=record)
    case = case_record_correct(actor=w.officer, case=case, record_id=record["id"], data=corrected_place(w),
                               reason="询问地点记错")
    record = case.details["step_values"][-1]
    assert record["values"]["place"] == "当事人经营场所"

    case = perform(case, "end_investigation", D(2026, 3, 16), w.officer, **end_investigation_data())
    assert case.state == "investigation_ended"
    assert not selectors.record_correctable(case=case, record=record)
    found = refusal(lambda: case_record_correct(actor=w.officer, case=case, record_id=record["id"],
                                                data={**corrected_place(w), "recorder": "张三"}, reason="记录人写错"))
    assert [v.code for v in found] == ["case.correction_state"]
    [block] = found
    assert "调查取证" in block.message and "补充调查" in block.message and "另行制作笔录" in block.message
    assert "第五十七条" in block.legal_basis and not block.is_law  # a platform rule citing the articles
    assert block.basis_display.startswith("平台规则")
    # Nothing changed: no correction kept, no entry.
    assert Case.objects.get(pk=case.pk).details["step_values"][-1]["values"]["recorder"] == "李四"

    # The page offers no correction form any more.
    client = Client()
    client.force_login(w.officer)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "更正此记录" not in record_html(html, record["id"])


def test_a_record_the_decision_relied_on_is_not_corrected_after_the_decision(w):
    case = to_decided(w)
    record = next(r for r in case.details["step_values"] if r["action"] == "record_inquiry")
    found = refusal(lambda: case_record_correct(actor=w.officer, case=case, record_id=record["id"],
                                                data={**record["values"], "place": "别处"}, reason="记错"))
    assert [v.code for v in found] == ["case.correction_state"]
    assert "第五十七条" in found[0].legal_basis and not found[0].is_law


def test_the_procedure_decides_when_a_record_is_corrected_in_the_steps_own_states():
    """Pure: the 询问笔录 and 现场检查笔录 in 调查取证 only; the payment in record_payment's states."""
    spec = procedure_spec("ordinary")
    for action in ("record_inquiry", "record_inspection"):
        step = step_get("ordinary", action)
        assert step.states == ("investigating",)
        assert record_correction_problems(step, state="investigating", state_label=spec.state_label) == []
        for state in ("investigation_ended", "notified", "decided", "served", "closed"):
            [v] = record_correction_problems(step, state=state, state_label=spec.state_label)
            assert v.code == "case.correction_state" and "补充调查" in v.message
    payment = step_get("ordinary", "record_payment")
    for state in payment.states:
        assert record_correction_problems(payment, state=state, state_label=spec.state_label) == []
    for state in ("executed", "closed", "archived"):
        [v] = record_correction_problems(payment, state=state, state_label=spec.state_label)
        assert spec.state_label(state) in v.message and "送达" in v.message


# --- H2: a payment until 执行完毕 --------------------------------------------------------------------------


def test_a_payment_is_not_corrected_after_the_execution_is_complete(w):
    """第六十七条: the fine paid is what completes the execution; once 执行完毕 the registered payment
    is no longer corrected (the allowed path: corrected while 已送达, see the test beside)."""
    case = to_decided(w)
    case = perform(case, "serve", D(2026, 3, 26), w.officer, method="direct", served_on=D(2026, 3, 26),
                   place="当事人经营场所", signed_by="巴特尔")
    case = perform(case, "record_payment", D(2026, 3, 30), w.officer, paid_on=D(2026, 3, 30), amount_yuan="3000",
                   receipt="NO.001")
    record = case.details["step_values"][-1]
    assert selectors.record_correctable(case=case, record=record)
    case = perform(case, "complete_execution", D(2026, 3, 31), w.officer)
    assert case.state == "executed"
    assert not selectors.record_correctable(case=case, record=record)
    found = refusal(lambda: case_record_correct(
        actor=w.officer, case=case, record_id=record["id"],
        data={"paid_on": D(2026, 3, 30), "amount_yuan": "300", "receipt": "NO.001"}, reason="数额录错"))
    assert [v.code for v in found] == ["case.correction_state"]
    assert "执行完毕" in found[0].message
    assert [p["amount_fen"] for p in Case.objects.get(pk=case.pk).facts["payments"]] == [300000]


# --- M5: who corrects, under which locks ----------------------------------------------------------------


def test_only_an_officer_of_the_case_or_the_head_corrects_a_record(w):
    case, record = with_inquiry(w)
    outsider = user_make(role=Role.OFFICER, agency=w.agency, officer=officer_with_certificate(w.agency, "王五"))
    admin = user_make(role=Role.AGENCY_ADMIN, agency=w.agency)
    for user in (w.reviewer, admin, outsider):
        found = refusal(lambda user=user: case_record_correct(actor=user, case=case, record_id=record["id"],
                                                              data=corrected_place(w), reason="地点记错"))
        assert [v.code for v in found] == ["case.correction_actor"], user.role
        assert "承办的执法人员或者机关负责人" in found[0].message and not found[0].is_law
    assert Case.objects.get(pk=case.pk).details["step_values"][-1]["corrections"] == []
    # Their page offers no correction form; the case's officer's and the head's do.
    for user, offered in ((w.reviewer, False), (outsider, False), (w.colleague, True), (w.head, True)):
        client = Client()
        client.force_login(user)
        html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
        assert ("更正此记录" in record_html(html, record["id"])) is offered, user
    case = case_record_correct(actor=w.head, case=case, record_id=record["id"], data=corrected_place(w),
                               reason="地点记错")
    assert case.details["step_values"][-1]["corrections"][0]["reason"] == "地点记错"


def test_a_correction_locks_the_case_family_and_refreshes_the_projection_inside_the_ledger_batch(w, monkeypatch):
    case, record = with_inquiry(w)
    locked, in_batch = [], []
    lock = services._case_family_lock
    refresh = services.case_projection_refresh_related

    def lock_spy(case):
        locked.append(case.pk)
        return lock(case)

    def refresh_spy(*, case):
        in_batch.append(getattr(transaction.get_connection(), _BATCH_ATTR, None) is not None)
        return refresh(case=case)

    monkeypatch.setattr(services, "_case_family_lock", lock_spy)
    monkeypatch.setattr(services, "case_projection_refresh_related", refresh_spy)
    case_record_correct(actor=w.officer, case=case, record_id=record["id"], data=corrected_place(w), reason="地点记错")
    assert locked == [case.pk] and in_batch == [True]


# --- L5: the reason's refusal beside its box ---------------------------------------------------------------


def test_the_reasons_refusal_stands_beside_the_reason_box(w):
    case, record = with_inquiry(w)
    client = csrf_client(w.officer)
    url = reverse("cases:record_correct", args=[case.pk, record["id"]])
    form = {**inquiry(w, DAY), "exchanges": "问：姓名？\n答：巴特尔。", "on": "2026-03-10"}
    response = csrf_post(client, case, url, form)
    html = record_html(client.get(response["Location"]).content.decode(), record["id"])
    beside = html.split('data-testid="correction-reason-errors"')[1].split("</ul>")[0]
    assert "请写明更正的理由" in beside
    assert html.index('data-testid="correction-reason-errors"') < html.index('name="correction_reason"')
    assert f'aria-describedby="id_correct-{record["id"]}_correction_reason_error"' in html
    assert "请写明更正的理由" not in html.split('data-testid="correction-violations"')[1]


# --- M7: the steps that finish a case ask first; a lead is declined ----------------------------------------


@pytest.mark.parametrize(("action", "finishes"), [("withdraw_case", "已撤销立案"), ("decline", "不予立案"),
                                                  ("archive", "已归档")])
def test_a_step_that_finishes_the_case_is_irreversible(w, action, finishes):
    """A step that moves the case to a final state is not taken without confirmation; a step that
    does not (开始调查取证) needs none."""
    case = lead_make(w)
    spec = procedure_spec("ordinary")
    consequences = selectors.step_consequences(case=case, step=spec.step(action))
    assert consequences.irreversible
    assert consequences.finishes == finishes
    assert any("此后不能再办理" in e for e in consequences.effects)
    assert not selectors.step_consequences(case=case, step=spec.step("investigate")).irreversible


def test_withdrawing_a_case_asks_for_confirmation_first(w):
    case = to_investigating(w)
    client = csrf_client(w.head)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    step = html.split('data-testid="action-withdraw_case"')[1].split('data-testid="action-')[0]
    assert "办理后不能撤销" in step and "已撤销立案" in step
    url = reverse("cases:case_action", args=[case.pk])
    data = {"action": "withdraw_case", "kind": "duplicate", "reason": "与另一案件重复立案"}
    response = csrf_post(client, case, url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已撤销立案" in page.split('data-testid="confirm-finishes"')[1] and "不能撤销" in page
    assert Case.objects.get(pk=case.pk).state == "investigating"
    response = csrf_post(client, case, url, {**data, "confirmed": "1"})
    assert response.status_code == 302 and Case.objects.get(pk=case.pk).state == "withdrawn"


def test_a_lead_is_declined_not_withdrawn(w):
    """第五十四条: a lead the agency does not open takes 不予立案 (with the head's approval); 撤销立案
    is for a case opened by mistake. The block names the state; the allowed path is 不予立案."""
    assert "lead" not in WITHDRAWABLE
    case = lead_make(w)
    found = refusal(lambda: perform(case, "withdraw_case", OPENED, w.head, kind="mistaken", reason="不应立案"))
    assert found[0].code == "penalty.ordinary.wrong_state" and "不能撤销立案" in found[0].message
    decline = procedure_spec("ordinary").engine.transition("decline")
    assert decline.sources == ("lead",) and "第五十四条" in decline.legal_basis
    case = perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意不予立案")
    case = perform(case, "decline", OPENED, w.officer, **{k: OPEN[k] for k in ("source", "summary", "handler_opinion",
                                                                              "violated")})
    assert case.state == "not_opened"


# --- M9: what a refused form keeps ---------------------------------------------------------------------------


def test_a_refused_form_keeps_only_its_own_fields(w):
    case = to_investigating(w)
    client = csrf_client(w.officer)
    url = reverse("cases:case_action", args=[case.pk])
    csrf_post(client, case, url, {"action": "record_inquiry", "place": "本局询问室", "device_time": "",
                                  "evidence_draft": "", "someone_elses": "x" * 1000, "password": "secret"})
    kept = client.session[FAILED_STEP_KEY]
    own = {f.name for f in step_get("ordinary", "record_inquiry").fields}
    assert set(kept["data"]) <= own | {"action", "device_time", "evidence_draft"}
    assert kept["data"]["place"] == ["本局询问室"] and "someone_elses" not in kept["data"]


def test_a_refused_form_over_64_kb_is_not_kept_but_the_page_says_so(w):
    case = to_investigating(w)
    client = csrf_client(w.officer)
    url = reverse("cases:case_action", args=[case.pk])
    response = csrf_post(client, case, url, {"action": "record_inquiry", "place": "本局询问室",
                                             "exchanges": "问：" + "很" * 30_000})
    kept = client.session[FAILED_STEP_KEY]
    assert kept["data"] is None and len(json.dumps(kept, ensure_ascii=False).encode()) < 1024
    assert [v["message"] for v in kept["violations"]] == ["表单内容过大，未能保留，请重新填写"]
    html = client.get(response["Location"]).content.decode()
    step = html.split('data-testid="action-record_inquiry"')[1].split('data-testid="action-')[0]
    assert "表单内容过大，未能保留，请重新填写" in step and "很很很" not in step
    # Just under the limit, the form is kept as it was.
    csrf_post(client, case, url, {"action": "record_inquiry", "place": "本局询问室", "exchanges": "问：" + "很" * 20_000})
    assert client.session[FAILED_STEP_KEY]["data"]["exchanges"] == ["问：" + "很" * 20_000]
