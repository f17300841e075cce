"""No dead ends (issue 13, item 5): an approval is answered 同意 or 不同意 and 不同意 leads on; a
checklist starts blank; a case opened by mistake is closed with its reason (撤销立案); a recorded
fact is corrected by an entry of its own; a step that cannot be undone asks for confirmation; a
refused form is not sent again on reload (post/redirect/get); the case page shows open only the
steps the user can take now."""

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases import selectors
from sanxiang.cases.forms import step_form_class
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.cases.services import case_record_correct
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.penalty.steps import step_get
from tests.cases.support import (
    OPEN,
    OPENED,
    PENALTY,
    D,
    csrf_client,
    csrf_post,
    end_investigation_data,
    inquiry,
    lead_make,
    notice_data,
    perform,
    refusal,
    review_data,
    to_decided,
    to_investigating,
    world_make,
)

pytestmark = pytest.mark.django_db

OPENING_ARTICLE = "《中华人民共和国行政处罚法》第五十四条"


@pytest.fixture
def w():
    return world_make()





def step_html(html: str, action: str) -> str:
    return html.split(f'data-testid="action-{action}"')[1].split('data-testid="action-')[0]


def ledger_steps(case: Case) -> list[dict]:
    rows = Entry.objects.filter(case_id=case.pk, kind=EventKind.STEP_DONE).order_by("seq").values_list("body", flat=True)
    return [json.loads(bytes(b))["payload"] for b in rows]


# --- 同意 / 不同意 ---------------------------------------------------------------------------------


def test_the_head_answers_the_opening_explicitly_and_a_refusal_sends_the_case_back(w):
    """第五十四条第二款: opening (and not opening) rests on the head's approval. 不同意 with its
    reason blocks 立案 with that message and leaves 不予立案 (or a new submission) open."""
    case = lead_make(w)
    # No answer: refused, beside the choice; the rule is the platform's (no approval presumed).
    found = refusal(lambda: perform(case, "approve_opening", OPENED, w.head, opinion="再说"))
    assert [(v.field, v.message, v.is_law) for v in found] == [("approval", "请选择“同意立案”或者“不同意立案”", False)]
    found = refusal(lambda: perform(case, "approve_opening", OPENED, w.head, approval="disagree", opinion=""))
    assert [v.message for v in found] == ["请填写不同意的理由"]

    case = perform(case, "approve_opening", OPENED, w.head, approval="disagree", opinion="证据不足，请补充现场检查情况")
    found = refusal(lambda: perform(case, "open", OPENED, w.officer, **OPEN))
    blocked = next(v for v in found if v.code == "penalty.opening.head_disagreed")
    assert blocked.message == "行政机关负责人不同意立案：可以补充材料后重新报请负责人审批，或者办理不予立案"
    assert OPENING_ARTICLE in blocked.legal_basis and blocked.is_law
    # The allowed paths: 不予立案 on the head's 不同意 …
    declined = perform(case, "decline", OPENED, w.officer, **{k: OPEN[k] for k in ("source", "summary", "handler_opinion", "violated")})
    assert declined.state == "not_opened"


def test_after_a_refusal_the_head_may_approve_a_supplemented_proposal(w):
    case = lead_make(w)
    case = perform(case, "approve_opening", OPENED, w.head, approval="disagree", opinion="请补充材料")
    case = perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")
    assert perform(case, "open", OPENED, w.officer, **OPEN).state == "opened"
    answers = [p["data"].get("approval") for p in ledger_steps(case) if p["action"] == "approve_opening"]
    assert answers == ["disagree", "agree"]


def test_approvals_and_checklists_start_blank_and_a_missing_item_is_an_error_beside_it():
    approve = step_get("ordinary", "approve_opening")
    form = step_form_class(approve, agency_officers=[], case_officers=[])()
    html = form.as_p()
    assert 'type="radio"' in html and "checked" not in html and "同意立案" in html and "不同意立案" in html

    review = step_get("ordinary", "record_review")
    form_class = step_form_class(review, agency_officers=[], case_officers=[])
    assert "checked" not in form_class().as_p()
    data = review_data()
    missing = next(k for k in data if k.startswith("check_"))
    del data[missing]
    form = form_class(data)
    assert not form.is_valid() and list(form.errors) == [missing]
    # A required choice of a select starts on 请选择, not on its first option.
    draft = step_form_class(step_get("ordinary", "draft_decision"), agency_officers=[], case_officers=[])()
    assert draft.fields["outcome"].choices[0] == ("", "请选择")


def test_the_opening_approval_through_the_page_with_csrf(w):
    case = lead_make(w)
    client = csrf_client(w.head)
    url = reverse("cases:case_action", args=[case.pk])
    response = csrf_post(client, case, url, {"action": "approve_opening", "opinion": "同意"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "这个字段是必填项" in step_html(html, "approve_opening")  # beside the choice
    assert Case.objects.get(pk=case.pk).facts.get("opening_head_decision", "") == ""
    response = csrf_post(client, case, url, {"action": "approve_opening", "approval": "agree", "opinion": "同意立案"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).facts["opening_head_decision"] == "agree"


# --- 撤销立案 ----------------------------------------------------------------------------------------


def test_a_case_opened_by_mistake_is_closed_by_the_head_with_its_reason_and_leaves_the_worklist(w):
    case = to_investigating(w)
    assert case in [r.case for r in selectors.officer_worklist(user=w.officer, on=D(2026, 3, 10))]
    # The officer may not; without the kind and the reason, the head may not either: every reason.
    found = refusal(lambda: perform(case, "withdraw_case", D(2026, 3, 10), w.officer, kind="duplicate", reason="重复"))
    assert [v.code for v in found] == ["case.role"]
    found = refusal(lambda: perform(case, "withdraw_case", D(2026, 3, 10), w.head, kind="", reason=""))
    assert [v.field for v in found] == ["kind", "reason"] and not any(v.is_law for v in found)
    assert all(v.basis_display.startswith("平台规则") for v in found)

    case = perform(case, "withdraw_case", D(2026, 3, 10), w.head, kind="duplicate", reason="与同一违法行为的另一案件重复立案")
    assert case.state == "withdrawn" and selectors.state_label(case) == "已撤销立案"
    entry = ledger_steps(case)[-1]
    assert entry["action"] == "withdraw_case" and entry["state_to"] == "withdrawn"
    assert entry["data"] == {"kind": "duplicate", "reason": "与同一违法行为的另一案件重复立案"}
    assert case not in [r.case for r in selectors.officer_worklist(user=w.officer, on=D(2026, 3, 10))]
    assert selectors.case_deadlines(case=case, on=D(2026, 3, 10)) == []
    html = Client()
    html.force_login(w.officer)
    page = html.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "已撤销立案" in page and "本案已办结" in page
    assert "重复立案：与同一违法行为的另一案件重复立案" in page.split('data-testid="withdrawal"')[1]


def test_a_decided_case_cannot_be_withdrawn(w):
    case = to_decided(w)
    found = refusal(lambda: perform(case, "withdraw_case", D(2026, 3, 26), w.head, kind="mistaken", reason="误立案"))
    assert found[0].code == "penalty.ordinary.wrong_state" and "不能撤销立案" in found[0].message


# --- corrections of recorded facts -------------------------------------------------------------------


def test_a_record_is_corrected_by_an_entry_that_keeps_the_original(w):
    case = to_investigating(w)
    case = perform(case, "record_inquiry", D(2026, 3, 10), w.officer, **inquiry(w, D(2026, 3, 10)))
    record = case.details["step_values"][-1]
    assert record["action"] == "record_inquiry" and record["values"]["place"] == "本局询问室"
    original = ledger_steps(case)[-1]
    step = step_get("ordinary", "record_inquiry")
    data = {**inquiry(w, D(2026, 3, 10)), "place": "当事人经营场所", "end_time": "10:50"}

    # Without a reason, or with nothing changed: refused, every reason at once.
    found = refusal(lambda: case_record_correct(actor=w.officer, case=case, record_id=record["id"],
                                                data=inquiry(w, D(2026, 3, 10)), reason=""))
    assert {v.code for v in found} == {"case.correction_reason", "case.correction_empty"}
    assert not any(v.is_law for v in found)

    case = case_record_correct(actor=w.officer, case=case, record_id=record["id"], data=data, reason="询问地点记错")
    kept = case.details["step_values"][-1]
    assert kept["values"]["place"] == "当事人经营场所" and kept["values"]["end_time"] == "10:50"
    [correction] = kept["corrections"]
    assert correction["reason"] == "询问地点记错" and correction["by"]
    assert correction["changes"]["place"] == {"label": "地点", "old": "本局询问室", "new": "当事人经营场所"}
    # The ledger keeps the original entry as it was and adds the correction: old → new (personal
    # text by its digest, as the original entry recorded it), who and why.
    entries = ledger_steps(case)
    assert entries[-2] == original
    entry = entries[-1]
    assert entry["action"] == "correct_record" and entry["data"]["reason"] == "询问地点记错"
    assert sorted(entry["data"]["fields"]) == ["end_time", "place"]
    assert entry["data"]["old"]["place_sha256"] == original["data"]["place_sha256"]
    assert entry["data"]["new"]["place_sha256"] != original["data"]["place_sha256"]
    # The facts and texts the later steps and documents read are the corrected ones.
    texts = selectors.case_texts(Case.objects.get(pk=case.pk))
    assert texts.inquiries[-1].place == "当事人经营场所" and texts.inquiries[-1].end == "10:50"
    assert len(texts.inquiries) == 1
    # The issued 询问笔录 is not rewritten.
    document = IssuedDocument.objects.get(case=case, kind="inquiry_record")
    assert kept["documents"] == [document.pk]
    assert step.label in entry["label"]


def test_the_case_page_shows_the_corrected_value_and_its_history(w):
    case = to_investigating(w)
    case = perform(case, "record_inquiry", D(2026, 3, 10), w.officer, **inquiry(w, D(2026, 3, 10)))
    record_id = case.details["step_values"][-1]["id"]
    client = csrf_client(w.officer)
    url = reverse("cases:record_correct", args=[case.pk, record_id])
    form = {**inquiry(w, D(2026, 3, 10)), "exchanges": "问：姓名？\n答：巴特尔。", "on": "2026-03-10"}
    # No reason: the refusal comes back beside the record's form, after a redirect.
    response = csrf_post(client, case, url, form)
    assert response.status_code == 302 and response["Location"].endswith(f"#record-{record_id}")
    html = client.get(response["Location"]).content.decode()
    assert "请写明更正的理由" in html.split(f'data-testid="record-{record_id}"')[1]
    response = csrf_post(client, case, url, {**form, "correction_reason": "询问内容录入有误"})
    assert response.status_code == 302
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    record = html.split(f'data-testid="record-{record_id}"')[1].split("</details>\n  \n")[0]
    assert "已更正" in record and "询问内容录入有误" in record and "答：巴特尔。" in record
    assert "→" in record  # old → new
    assert "据原记录已制作的文书未被改写" in record


# --- post/redirect/get, confirmation, the page -----------------------------------------------------------


def test_a_refused_form_is_not_sent_again_on_reload(w):
    case = to_investigating(w)
    client = csrf_client(w.officer)
    url = reverse("cases:case_action", args=[case.pk])
    steps_before = len(ledger_steps(case))
    day = timezone.localdate().isoformat()
    # One officer alone may not question (第四十二条): refused by the service, not by the form.
    data = {**inquiry(w, D(2026, 3, 10)), "on": day, "officer_ids": [str(w.zhang.pk)], "exchanges": "问：姓名？\n答：巴特尔。",
            "certificate_shown": "on"}
    response = csrf_post(client, case, url, {"action": "record_inquiry", **data})
    assert response.status_code == 302 and response["Location"].endswith("#step-record_inquiry")
    first = client.get(response["Location"]).content.decode()
    step = step_html(first, "record_inquiry")
    assert "未能办理" in step and "执法人员" in step
    # The form comes back as it was filled in, open.
    assert "答：巴特尔。" in step and "本局询问室" in step
    # Reloading is a GET of the case page: the refusal was shown once, nothing is sent again.
    again = client.get(response["Location"]).content.decode()
    assert "未能办理" not in again
    assert len(ledger_steps(case)) == steps_before and Case.objects.get(pk=case.pk).state == "investigating"


def _case_ready_to_decide(w) -> Case:
    """A case whose statement window has run, on days counted back from today."""
    calendar = working_day_calendar_current()
    today = timezone.localdate()
    notice_day = today - dt.timedelta(days=20)
    start = notice_day - dt.timedelta(days=12)
    case = lead_make(w, act_date=start - dt.timedelta(days=3), discovered_on=start)
    case = perform(case, "approve_opening", start, w.head, approval="agree", opinion="同意立案")
    case = perform(case, "open", start, w.officer, **OPEN)
    day = start + dt.timedelta(days=1)
    case = perform(case, "investigate", day, w.officer)
    case = perform(case, "record_inquiry", day, w.officer, **inquiry(w, day))
    case = perform(case, "end_investigation", day + dt.timedelta(days=1), w.officer, **end_investigation_data())
    case = perform(case, "notify", notice_day, w.officer, **notice_data(notice_day))
    draft_day = calendar.working_days_after(notice_day, 6).date
    return perform(case, "draft_decision", draft_day, w.officer, outcome="penalty", **PENALTY)


def test_a_decision_asks_for_confirmation_saying_what_will_happen(w):
    case = _case_ready_to_decide(w)
    client = csrf_client(w.officer)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "办理后不能撤销" in step_html(html, "decide")
    url = reverse("cases:case_action", args=[case.pk])
    before = len(ledger_steps(case))
    response = csrf_post(client, case, url, {"action": "decide"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "确认：作出决定" in page and "行政处罚决定书" in page and "当事人将收到" in page and "此操作不能撤销" in page
    assert len(ledger_steps(case)) == before and Case.objects.get(pk=case.pk).state == "notified"
    assert not IssuedDocument.objects.filter(case=case, kind="decision_document").exists()
    # 返回修改 goes back to the case page; 确认 performs it.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(url, {"csrfmiddlewaretoken": token, "action": "decide", "revise": "1"})
    assert response.status_code == 302 and Case.objects.get(pk=case.pk).state == "notified"
    response = client.post(url, {"csrfmiddlewaretoken": token, "action": "decide", "confirmed": "1"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == "decided"
    assert IssuedDocument.objects.filter(case=case, kind="decision_document").count() == 1


def test_a_confirmed_form_carries_its_values_through_the_confirmation(w):
    case = to_investigating(w)
    client = csrf_client(w.officer)
    url = reverse("cases:case_action", args=[case.pk])
    day = timezone.localdate().isoformat()
    response = csrf_post(client, case, url, {"action": "record_preservation", "approved_on": day,
                                             "items": "纯牛奶12箱\n进货单1张", "storage_place": "本局物证室"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "先行登记保存通知书" in page and "纯牛奶12箱" in page and "本局物证室" in page
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert hidden["items"] == "纯牛奶12箱\n进货单1张" and hidden["action"] == "record_preservation"
    # 返回修改: the form comes back filled in, open, without any refusal.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(url, {"csrfmiddlewaretoken": token, **hidden, "revise": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#step-record_preservation")
    step = step_html(client.get(response["Location"]).content.decode(), "record_preservation")
    assert "本局物证室" in step and "纯牛奶12箱" in step and "<details open>" in step and "未能办理" not in step
    assert not IssuedDocument.objects.filter(case=case, kind="preservation_notice").exists()


def test_the_case_page_opens_only_the_steps_the_user_can_take_now(w):
    case = lead_make(w)
    client = Client()
    client.force_login(w.head)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    now, others = html.split('data-testid="other-steps"')
    assert 'data-testid="action-approve_opening" data-allowed="1"' in now and 'data-allowed="0"' not in now
    # The blocked 立案 is folded under 其他步骤, with its reasons beside its (disabled) button.
    assert "其他步骤" in others and 'data-testid="action-open" data-allowed="0"' in others
    assert "尚无负责人审批意见" in step_html(others, "open")
    # The officer can take no step of a lead: told so, and every step folded with its reasons.
    client.force_login(w.officer)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    now, others = html.split('data-testid="other-steps"')
    assert "您现在没有可以办理的步骤" in now and 'data-allowed="1"' not in others
    assert "“负责人审批立案”须由机关负责人办理" in step_html(others, "approve_opening")


def test_publishing_a_decision_asks_for_confirmation_showing_the_public_texts(w):
    from sanxiang.publication.models import DraftStatus, PublicationDraft
    from sanxiang.publication.selectors import draft_fields

    case = to_decided(w)
    draft = PublicationDraft.objects.get(case=case)
    client = csrf_client(w.head)
    detail = reverse("publication:draft_detail", args=[draft.pk])
    html = client.get(detail).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    texts = {name: draft.public.get(name, "") for name in draft_fields(draft)[1]}
    url = reverse("publication:draft_approve", args=[draft.pk])
    response = client.post(url, {"csrfmiddlewaretoken": token, **texts})
    assert response.status_code == 200
    page = response.content.decode()
    assert "确认发布公示" in page and "立即在门户网站公开" in page and "不能撤销" in page
    assert texts["title"] and texts["title"] in page
    assert PublicationDraft.objects.get(pk=draft.pk).status == DraftStatus.DRAFT
    response = client.post(url, {"csrfmiddlewaretoken": token, **texts, "confirmed": "1"})
    assert response.status_code == 302
    assert PublicationDraft.objects.get(pk=draft.pk).status == DraftStatus.PUBLISHED


def test_the_case_page_costs_the_same_queries_whatever_the_number_of_records_and_corrections(w):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = to_investigating(w)
    day = D(2026, 3, 10)
    case = perform(case, "record_inquiry", day, w.officer, **inquiry(w, day))
    client = Client()
    client.force_login(w.officer)
    url = reverse("cases:case_detail", args=[case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(3):
        case = perform(case, "record_inquiry", day, w.officer, **inquiry(w, day, interviewee=f"证人{n}"))
    record_id = case.details["step_values"][0]["id"]
    case = case_record_correct(actor=w.officer, case=case, record_id=record_id,
                               data={**inquiry(w, day), "place": "现场"}, reason="地点记错")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count('data-testid="record-') == 4
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_a_correction_is_checked_as_the_record_was(w):
    """第四十二条: an act of investigation by at least two officers. A correction that leaves one
    officer is refused with that article; the record stays as it was; with two it is accepted."""
    case = to_investigating(w)
    day = D(2026, 3, 10)
    case = perform(case, "record_inquiry", day, w.officer, **inquiry(w, day))
    record_id = case.details["step_values"][-1]["id"]
    found = refusal(lambda: case_record_correct(actor=w.officer, case=case, record_id=record_id,
                                                data={**inquiry(w, day), "officer_ids": [str(w.zhang.pk)]},
                                                reason="只有张三在场"))
    assert found and all(v.is_law for v in found)
    assert any("第四十二条" in v.legal_basis for v in found)
    assert Case.objects.get(pk=case.pk).details["step_values"][-1]["corrections"] == []
    case = case_record_correct(actor=w.officer, case=case, record_id=record_id,
                               data={**inquiry(w, day), "recorder": "张三"}, reason="记录人写错")
    assert case.details["step_values"][-1]["values"]["recorder"] == "张三"


def test_a_payment_entered_after_the_decision_can_be_corrected(w):
    """The decision does not rest on a payment registered after it: correctable (platform rule),
    and the corrected amount is what the case's facts hold."""
    case = to_decided(w)
    case = perform(case, "serve", D(2026, 3, 26), w.officer, method="direct", served_on=D(2026, 3, 26),
                   place="当事人经营场所", signed_by="巴特尔")
    case = perform(case, "record_payment", D(2026, 3, 30), w.officer, paid_on=D(2026, 3, 30), amount_yuan="300",
                   receipt="NO.001")
    record = case.details["step_values"][-1]
    assert record["action"] == "record_payment" and record["before_decision"] is False
    case = case_record_correct(actor=w.officer, case=case, record_id=record["id"],
                               data={"paid_on": D(2026, 3, 30), "amount_yuan": "3000", "receipt": "NO.001"},
                               reason="数额少录一个零")
    assert [p["amount_fen"] for p in case.facts["payments"]] == [300000]
