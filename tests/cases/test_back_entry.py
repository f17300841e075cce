"""补录 (issue 19, item 3): a case handled on paper in March 2026 is entered step by step, each step
with the day it happened and a reason. The engine judges each step at that day, its deadlines run
from the days given, its documents carry them, and the ledger keeps both the day it happened and
the time it was entered. The limits are the platform's (`procedure.back_entry`, labelled 平台规则):
not in the future, not before the previous step, a reason.

Through the API with the CSRF checks on (a token, as another system sends it); the case page
marks the back-entered steps. No demo county: the case is built in the test (tests/cases/support).
"""

import datetime as dt
import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxiang.accounts.services import api_token_create
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.cases.selectors import case_actions
from sanxiang.cases.services import (
    case_action_perform,
    case_create,
    document_number_format,
    document_number_next,
)
from sanxiang.ledger.models import Entry
from sanxiang.procedure.back_entry import BACK_ENTRY_RULE, back_entry_problems, paper_numbers_problems
from sanxiang.procedure.violations import Refused
from tests.cases.support import (
    ACT,
    DISCOVERED,
    FIRST_DECISION_DAY,
    NOTICE_SERVED,
    OPEN,
    OPENED,
    PENALTY,
    D,
    csrf_client,
    end_investigation_data,
    inquiry,
    notice_data,
    world_make,
)

pytestmark = pytest.mark.django_db
REASON = "纸质案卷录入（2026年3月办理）"


def bearer(user) -> dict:
    _, token = api_token_create(actor=user, user=user, name="补录")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def jsonable(data: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}


def post(client: Client, url: str, body: dict, auth: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth)


def step(client, case_id: int, action: str, day: dt.date | None, auth: dict, data: dict | None = None,
         reason: str | None = REASON, numbers: dict | None = None):
    body: dict = {"data": jsonable(data or {})}
    if numbers is not None:
        body["document_numbers"] = numbers
    if day is not None:
        body["occurred_on"] = day.isoformat()
    if reason is not None:
        body["back_entry_reason"] = reason
    return post(client, f"/api/cases/{case_id}/actions/{action}", body, auth)


def violations(response) -> list[tuple[str, str, str | None]]:
    return [(v["code"], v["message"], v["field"]) for v in response.json()["violations"]]


def entries(case_id: int) -> int:
    return Entry.objects.filter(case_id=case_id).count()


def test_a_paper_case_of_march_2026_runs_to_its_decision_with_the_days_given():
    w = world_make()
    client = Client(enforce_csrf_checks=True)
    officer, head = bearer(w.officer), bearer(w.head)
    today = timezone.localdate()

    created = post(client, "/api/cases", {
        "title": "涉嫌经营超过保质期的食品案", "party_id": w.company.pk, "officer_ids": [w.zhang.pk, w.li.pk],
        "enforcement_field": "市场监管", "act_date": ACT.isoformat(), "discovered_on": DISCOVERED.isoformat(),
        "occurred_on": DISCOVERED.isoformat(), "back_entry_reason": REASON,
    }, officer)
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    # The case number is of the year the case was registered (2026), allocated as any other.
    assert "〔2026〕" in created.json()["number"]

    def ok(action, day, auth, data=None):
        response = step(client, case_id, action, day, auth, data)
        assert response.status_code == 200, (action, response.content)
        return response.json()

    ok("approve_opening", OPENED, head, {"approval": "agree", "opinion": "同意立案"})
    opened = ok("open", OPENED, officer, OPEN)
    # 第六十条: ninety days from 立案 — from the day given (03-06), not from the day it was entered.
    decision = next(d for d in opened["deadlines"] if d["code"] == "penalty.deadline.decision")
    assert decision["due"] == (OPENED + dt.timedelta(days=90)).isoformat() == "2026-06-04"

    # The limits, each with its message and its platform rule; nothing is written by a refusal.
    before = entries(case_id)
    future = step(client, case_id, "investigate", today + dt.timedelta(days=1), officer)
    assert future.status_code == 409
    assert ("case.back_entry.future",
            f"实际发生日期（{(today + dt.timedelta(days=1)).isoformat()}）晚于今天（{today.isoformat()}）：只能补录已经发生的步骤",
            "occurred_on") in violations(future)
    earlier = step(client, case_id, "investigate", D(2026, 3, 5), officer)
    assert earlier.status_code == 409
    assert violations(earlier) == [(
        "case.back_entry.before_previous",
        "实际发生日期（2026-03-05）早于本案上一步骤的日期（2026-03-06）：请按办案顺序从最早的步骤起逐步补录",
        "occurred_on",
    )]
    assert earlier.json()["violations"][0]["legal_basis"] == BACK_ENTRY_RULE
    assert earlier.json()["violations"][0]["basis_kind"] == "platform"
    unexplained = step(client, case_id, "investigate", D(2026, 3, 9), officer, reason="  ")
    assert unexplained.status_code == 409
    assert violations(unexplained) == [
        ("case.back_entry.reason_missing", "请写明补录的理由（如：纸质案卷录入）", "back_entry_reason")]
    # Every reason at once: a day in the future and no reason.
    both = step(client, case_id, "investigate", today + dt.timedelta(days=3), officer, reason="")
    assert {c for c, _, _ in violations(both)} == {"case.back_entry.future", "case.back_entry.reason_missing"}
    # A malformed day is bad input: 422 naming the field.
    malformed = post(client, f"/api/cases/{case_id}/actions/investigate",
                     {"data": {}, "occurred_on": "2026-02-30", "back_entry_reason": REASON}, officer)
    assert malformed.status_code == 422 and "occurred_on" in {v["field"] for v in malformed.json()["violations"]}
    assert entries(case_id) == before and Case.objects.get(pk=case_id).state == "opened"

    # The allowed path: the day it happened, with the reason.
    ok("investigate", D(2026, 3, 9), officer)
    ok("record_inquiry", D(2026, 3, 10), officer, inquiry(w, D(2026, 3, 10)))
    ok("end_investigation", D(2026, 3, 16), officer, end_investigation_data())
    ok("notify", NOTICE_SERVED, officer, notice_data(NOTICE_SERVED))
    ok("draft_decision", D(2026, 3, 23), officer, {"outcome": "penalty", **PENALTY})
    # The engine's verdict of that time: on 03-23 the party's five working days to state and
    # defend (served 03-17) still run (第四十四条、第四十五条); the law's refusal, not the platform's.
    early = step(client, case_id, "decide", D(2026, 3, 23), officer)
    assert early.status_code == 409
    assert [v["basis_kind"] for v in early.json()["violations"]] == ["law"] * len(early.json()["violations"])
    assert any("陈述" in m for _, m, _ in violations(early))
    # Entered today without a back-entry day, the decision is judged today: the ninety days from
    # 立案 ran out on 2026-06-04 (第六十条; the fixed days of this file lie before any day it runs).
    late = step(client, case_id, "decide", None, officer, reason=None)
    assert late.status_code == 409
    assert ("penalty.decision.period_expired",
            "应当自立案之日（2026-03-06）起九十日内作出决定，期限已于2026-06-04届满，且没有经批准的延长",
            "decision_due_extended_to") in violations(late)
    # The page shows the step blocked today, and offers it for back-entry at the day it happened.
    page = csrf_client(w.officer).get(reverse("cases:case_detail", args=[case_id])).content.decode()
    assert 'data-testid="action-decide" data-allowed="0"' in page and 'data-testid="back-enter-decide"' in page
    assert 'name="document_numbers.decision_document"' in page
    # What could be back-entered at a day, judged at that day (GET …/actions?occurred_on=).
    def at(day):
        listed = client.get(f"/api/cases/{case_id}/actions?occurred_on={day}", **officer)
        assert listed.status_code == 200, listed.content
        return {a["action"]: a for a in listed.json()}

    assert at("2026-03-25")["decide"]["allowed"] is True
    before_draft = {v["code"] for v in at("2026-03-20")["decide"]["violations"]}
    assert "case.back_entry.before_previous" in before_draft and "penalty.decision.period_expired" not in before_draft
    assert client.get(f"/api/cases/{case_id}/actions?occurred_on=2026-13-01", **officer).status_code == 422
    # The paper decision's own number (平台规则): not one the agency's documents already carry.
    notice_number = IssuedDocument.objects.get(case_id=case_id, kind="advance_notice").number
    taken = step(client, case_id, "decide", FIRST_DECISION_DAY, officer, numbers={"decision_document": notice_number})
    assert taken.status_code == 409
    assert violations(taken) == [("case.back_entry.number_taken", f"文号“{notice_number}”本机关已经用于其他文书",
                                  "document_numbers.decision_document")]
    paper = document_number_format(agency=w.agency, kind="decision_document", year=2026, sequence=7)
    actions = {a["action"]: a for a in client.get(f"/api/cases/{case_id}/actions", **officer).json()}
    assert {"kind": "decision_document", "title": "行政处罚决定书"} in actions["decide"]["numbered_documents"]
    response = step(client, case_id, "decide", FIRST_DECISION_DAY, officer, numbers={"decision_document": paper})
    assert response.status_code == 200, response.content
    decided = response.json()
    assert decided["state"] == "decided"
    # The counter moved past the paper number: the platform's next decision number is the 8th.
    with transaction.atomic():
        assert document_number_next(agency=w.agency, kind="decision_document", on=D(2026, 12, 1)) == paper.replace("7号", "8号")
        transaction.set_rollback(True)

    case = Case.objects.get(pk=case_id)
    assert case.facts["opened_on"] == "2026-03-06" and case.facts["decided_on"] == "2026-03-25"
    # The documents carry the days the steps happened.
    issued = {d.kind: d for d in IssuedDocument.objects.filter(case=case)}
    assert issued["decision_document"].issued_on == FIRST_DECISION_DAY
    assert issued["decision_document"].number == paper
    assert all(d.issued_on < today for d in issued.values())
    # The ledger: the day it happened (`on`, and in back_entry with the reason), the time it was
    # entered (the entry's own), and who entered it.
    entry = Entry.objects.get(case_id=case_id, subject=f"case:{case_id}:decide")
    payload = json.loads(bytes(entry.body))["payload"]
    assert payload["on"] == "2026-03-25"
    assert payload["back_entry"] == {"occurred_on": "2026-03-25", "reason": REASON}
    assert timezone.localdate(entry.created_at) == today and entry.actor_id == w.officer.pk
    opened_entry = Entry.objects.get(case_id=case_id, kind="case.opened")
    assert json.loads(bytes(opened_entry.body))["payload"]["back_entry"]["occurred_on"] == "2026-03-05"

    # The case page marks the back-entered steps with the time they were entered.
    page = csrf_client(w.officer).get(reverse("cases:case_detail", args=[case_id])).content.decode()
    assert page.count('<span class="badge warning">补录</span>') == Entry.objects.filter(
        case_id=case_id, kind__in=["case.opened", "case.step_done"]).count() == 9
    assert f'data-testid="back-entry-{entry.seq}"' in page
    assert f"录入于{timezone.localtime(entry.created_at):%Y-%m-%d %H:%M}，理由：{REASON}" in page


def test_the_pages_register_and_step_a_paper_case_at_its_days_with_csrf():
    w = world_make()
    officer = csrf_client(w.officer)
    form = officer.get(reverse("cases:case_create")).content.decode()
    assert 'data-testid="back-entry-registration"' in form and "补录（按实际发生日期）" in form
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    registration = {"csrfmiddlewaretoken": token, "procedure": "ordinary", "title": "涉嫌经营超过保质期的食品案",
                    "party_mode": "existing", "party": w.company.pk, "officers": [w.zhang.pk, w.li.pk],
                    "enforcement_field": "市场监管", "act_date": ACT.isoformat(), "discovered_on": DISCOVERED.isoformat(),
                    "occurred_on": DISCOVERED.isoformat()}
    # Without a reason: refused beside the reason's field, nothing registered.
    refused = officer.post(reverse("cases:case_create"), registration)
    assert refused.status_code == 400 and not Case.objects.exists()
    assert 'data-testid="errors-back_entry_reason"' in refused.content.decode()
    assert "请写明补录的理由（如：纸质案卷录入）" in refused.content.decode()
    officer.post(reverse("cases:case_create"), registration | {"back_entry_reason": REASON})
    case = Case.objects.get()
    opened = Entry.objects.get(case_id=case.pk, kind="case.opened")
    assert json.loads(bytes(opened.body))["payload"]["back_entry"] == {"occurred_on": "2026-03-05", "reason": REASON}
    assert "〔2026〕" in case.number

    client = csrf_client(w.head)
    url = reverse("cases:case_detail", args=[case.pk])
    html = client.get(url).content.decode()
    assert "补录（按实际发生日期）" in html and 'name="occurred_on"' in html and 'name="back_entry_reason"' in html
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    action = reverse("cases:case_action", args=[case.pk])
    form = {"action": "approve_opening", "approval": "agree", "opinion": "同意立案"}
    # Without the token: refused by the CSRF check, nothing done.
    assert client.post(action, {**form, "occurred_on": "2026-03-06", "back_entry_reason": REASON}).status_code == 403
    # Before the registration's day: refused, the reason shown beside the day's field.
    refused = client.post(action, {"csrfmiddlewaretoken": token, **form, "occurred_on": "2026-03-04",
                                   "back_entry_reason": REASON}, follow=True).content.decode()
    assert "早于本案上一步骤的日期（2026-03-05）" in refused
    assert Case.objects.get(pk=case.pk).facts.get("opening_approved_by_head") in (None, False)
    client.post(action, {"csrfmiddlewaretoken": token, **form, "occurred_on": "2026-03-06", "back_entry_reason": REASON})
    entry = Entry.objects.get(case_id=case.pk, subject=f"case:{case.pk}:approve_opening")
    assert json.loads(bytes(entry.body))["payload"]["back_entry"] == {"occurred_on": "2026-03-06", "reason": REASON}


def test_a_back_entered_record_is_corrected_as_checked_at_the_day_it_happened():
    """A 询问笔录 back-entered at 03-10 cannot be corrected to an inquiry of 03-12 (after the day the
    record was made: 第五十五条, the step's own check), though 03-12 is long past today; the place
    can be corrected."""
    from sanxiang.cases.services import case_record_correct

    w = world_make()
    case = case_create(actor=w.officer, agency=w.agency, title="涉嫌经营超过保质期的食品案", party=w.company,
                       officers=[w.zhang, w.li], enforcement_field="市场监管", act_date=ACT, discovered_on=DISCOVERED,
                       occurred_on=DISCOVERED, back_entry_reason=REASON)
    for actor, action, day, data in ((w.head, "approve_opening", OPENED, {"approval": "agree", "opinion": "同意"}),
                                     (w.officer, "open", OPENED, OPEN), (w.officer, "investigate", D(2026, 3, 9), {}),
                                     (w.officer, "record_inquiry", D(2026, 3, 10), inquiry(w, D(2026, 3, 10)))):
        case = case_action_perform(actor=actor, case=case, action=action, data=data, occurred_on=day,
                                   back_entry_reason=REASON)
    record = next(r for r in case.details["step_values"] if r["action"] == "record_inquiry")
    assert record["on"] == "2026-03-10" and record["back_entry"] is True
    with pytest.raises(Refused) as refused:
        case_record_correct(actor=w.officer, case=case, record_id=record["id"], reason="日期录错",
                            data=inquiry(w, D(2026, 3, 12)))
    assert [(v.code, v.message) for v in refused.value.violations] == [("case.act_in_future",
                                                                    "更正后的询问的日期晚于实际发生日期（2026-03-10）")]
    case = case_record_correct(actor=w.officer, case=case, record_id=record["id"], reason="地点录错",
                               data=inquiry(w, D(2026, 3, 10), place="本局第二询问室"))
    corrected = next(r for r in case.details["step_values"] if r["id"] == record["id"])
    assert corrected["values"]["place"] == "本局第二询问室"


# --- the rule itself, and a property -----------------------------------------------------------------


def test_the_rule_reports_every_reason_and_nothing_when_there_is_no_back_entry():
    today = D(2026, 12, 4)
    assert back_entry_problems(occurred_on=None, reason="", recorded_on=today, previous_on=D(2026, 3, 1)) == []
    assert back_entry_problems(occurred_on=D(2026, 3, 1), reason="纸质", recorded_on=today, previous_on=D(2026, 3, 1)) == []
    codes = [v.code for v in back_entry_problems(occurred_on=D(2027, 1, 1), reason="", recorded_on=today,
                                                 previous_on=D(2027, 2, 1))]
    assert codes == ["case.back_entry.future", "case.back_entry.before_previous", "case.back_entry.reason_missing"]
    assert [v.code for v in back_entry_problems(occurred_on=None, reason="纸质", recorded_on=today, previous_on=None)] == [
        "case.back_entry.day_missing"]
    numbered = {"decision_document": "行政处罚决定书"}
    assert paper_numbers_problems(given={"decision_document": "乌市监罚决〔2026〕7号"}, numbered=numbered,
                                  back_entered=True, taken=frozenset()) == []
    assert [(v.code, v.field) for v in paper_numbers_problems(
        given={"decision_document": "A1", "advance_notice": "A2"}, numbered=numbered, back_entered=False,
        taken=frozenset({"A1"}))] == [("case.back_entry.numbers_without_day", "occurred_on"),
                                     ("case.back_entry.number_taken", "document_numbers.decision_document"),
                                     ("case.back_entry.number_kind", "document_numbers.advance_notice")]
    assert all(v.legal_basis.startswith("平台规则") and not v.is_law
               for v in back_entry_problems(occurred_on=D(2027, 1, 1), reason="", recorded_on=today, previous_on=None))


@given(occurred=st.one_of(st.none(), st.dates(D(2020, 1, 1), D(2030, 12, 31))),
       previous=st.one_of(st.none(), st.dates(D(2020, 1, 1), D(2030, 12, 31))),
       recorded=st.dates(D(2024, 1, 1), D(2028, 12, 31)),
       reason=st.sampled_from(["", "  ", "纸质案卷录入", "理" * 501]))
def test_the_rule_refuses_exactly_what_an_independent_oracle_refuses(occurred, previous, recorded, reason):
    """Every reason, each once, and nothing else: a day after the day of entry, a day before the
    previous step, no (or too long a) reason; a day alone is never a back-entry without a reason,
    a reason alone never without a day."""
    expected = set()
    if occurred is None:
        if reason.strip():
            expected.add("case.back_entry.day_missing")
    else:
        if (occurred - recorded).days > 0:
            expected.add("case.back_entry.future")
        if previous is not None and (previous - occurred).days > 0:
            expected.add("case.back_entry.before_previous")
        if not reason.strip():
            expected.add("case.back_entry.reason_missing")
        elif len(reason) > 500:
            expected.add("case.back_entry.reason_long")
    found = [v.code for v in back_entry_problems(occurred_on=occurred, reason=reason, recorded_on=recorded,
                                                  previous_on=previous)]
    assert sorted(found) == sorted(expected)
    # An accepted back-entry is never dated after the day of entry nor before its predecessor.
    if occurred is not None and not found:
        assert occurred <= recorded and (previous is None or previous <= occurred)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(offsets=st.lists(st.integers(min_value=-20, max_value=400), min_size=1, max_size=5),
       reasons=st.lists(st.sampled_from(["纸质案卷录入", "", " "]), min_size=5, max_size=5))
def test_random_back_entry_days_never_date_a_step_before_its_predecessor(offsets, reasons):
    """Record steps (询问笔录, which the ordinary procedure allows any number of times while
    investigating) back-entered on random days from 2026-03-01 (some after today, some before
    the step before, some without a reason): whatever is accepted, the steps' days in the ledger
    never go backwards and never pass the day they were entered; whatever is refused leaves no
    entry."""
    with transaction.atomic():
        _random_back_entries(offsets, reasons)
        transaction.set_rollback(True)


def _random_back_entries(offsets: list[int], reasons: list[str]) -> None:
    w = world_make()
    today = timezone.localdate()
    case = case_create(actor=w.officer, agency=w.agency, title="涉嫌经营超过保质期的食品案", party=w.company,
                       officers=[w.zhang, w.li], enforcement_field="市场监管", act_date=ACT, discovered_on=DISCOVERED,
                       occurred_on=DISCOVERED, back_entry_reason=REASON)
    case = case_action_perform(actor=w.head, case=case, action="approve_opening", data={"approval": "agree", "opinion": "同意"},
                               occurred_on=OPENED, back_entry_reason=REASON)
    case = case_action_perform(actor=w.officer, case=case, action="open", data=OPEN, occurred_on=OPENED,
                               back_entry_reason=REASON)
    case = case_action_perform(actor=w.officer, case=case, action="investigate", data={}, occurred_on=D(2026, 3, 9),
                               back_entry_reason=REASON)
    for offset, reason in zip(offsets, reasons, strict=False):
        day = D(2026, 3, 1) + dt.timedelta(days=offset)
        count = Entry.objects.filter(case_id=case.pk).count()
        try:
            case = case_action_perform(actor=w.officer, case=case, action="record_inquiry", data=inquiry(w, day),
                                       occurred_on=day, back_entry_reason=reason)
        except Refused:
            assert Entry.objects.filter(case_id=case.pk).count() == count
    days = [json.loads(bytes(body))["payload"]["on"]
            for body in Entry.objects.filter(case_id=case.pk, kind="case.step_done").order_by("seq").values_list("body", flat=True)]
    assert days == sorted(days) and days[-1] <= today.isoformat()


# --- the legal review's findings (补录 of a live case, paper numbers, the portal's day) -------------------

ACCEPTED = D(2026, 10, 6)
GRANT = {"content": "准予从事预包装食品销售", "licence_name": "食品经营许可证"}


def _licence(w, *, paper: bool) -> Case:
    """A licence application accepted on 2026-10-06: registered that day on the platform (live),
    or registered by back-entry (a paper case) and accepted by back-entry."""
    from tests.cases.support import lead_make

    if not paper:
        case = lead_make(w, procedure="permit", title="食品经营许可申请", act_date=ACCEPTED, discovered_on=ACCEPTED)
        for action, data in (("permit_materials", {"materials_complete": True}), ("permit_accept", {})):
            case = case_action_perform(actor=w.officer, case=case, action=action, data=data, on=ACCEPTED)
        return case
    case = case_create(actor=w.officer, agency=w.agency, title="食品经营许可申请", procedure="permit", party=w.company,
                       officers=[w.zhang, w.li], enforcement_field="市场监管", act_date=ACCEPTED, discovered_on=ACCEPTED,
                       occurred_on=ACCEPTED, back_entry_reason=REASON)
    for action, data in (("permit_materials", {"materials_complete": True}), ("permit_accept", {})):
        case = case_action_perform(actor=w.officer, case=case, action=action, data=data, occurred_on=ACCEPTED,
                                   back_entry_reason=REASON)
    return case


def test_a_late_decision_of_a_live_case_cannot_be_back_entered_into_its_period_but_a_paper_case_can():
    """行政许可法第四十二条: twenty working days from 受理 (2026-10-06). Entered today the grant is
    refused as late; entered "as of" 2026-10-16 with a reason it was let through (the review's
    finding). Now refused with the platform's rule (a live case's steps are not back-entered),
    nothing written; a paper case (registered by back-entry) is back-entered as before, and its
    document says on its face when it was entered and when it happened."""
    from sanxiang.procedure.back_entry import BACK_ENTRY_ACTOR_RULE
    from tests.documents.reading import pdf_text

    w = world_make()
    live = _licence(w, paper=False)
    late = [v.code for v in refusal_of(lambda: case_action_perform(actor=w.head, case=live, action="permit_grant",
                                                                    data=GRANT))]
    assert "permit.decision.late" in late
    before = entries(live.pk)
    refused = refusal_of(lambda: case_action_perform(actor=w.head, case=live, action="permit_grant", data=GRANT,
                                                      occurred_on=D(2026, 10, 16), back_entry_reason="纸质案卷录入"))
    blocked = next(v for v in refused if v.code == "case.back_entry.live_case")
    assert blocked.message.startswith("本案是在平台上登记的案件，不是补录登记的纸质案件，不能补录步骤")
    assert blocked.legal_basis == BACK_ENTRY_ACTOR_RULE and not blocked.is_law and blocked.field == "occurred_on"
    assert entries(live.pk) == before and Case.objects.get(pk=live.pk).state == "accepted"
    assert not IssuedDocument.objects.filter(case=live, kind="permit_grant_decision").exists()
    # The list of what could be back-entered at a day says the same.
    listed = {a.action: a for a in case_actions(case=live, viewer=w.head, occurred_on=D(2026, 10, 16))}
    assert not listed["permit_grant"].allowed
    assert "case.back_entry.live_case" in {v.code for v in listed["permit_grant"].violations}

    # The allowed path: a paper case.
    paper = _licence(w, paper=True)
    paper = case_action_perform(actor=w.head, case=paper, action="permit_grant", data=GRANT,
                                occurred_on=D(2026, 10, 16), back_entry_reason=REASON)
    assert paper.state == "granted"
    grant = IssuedDocument.objects.get(case=paper, kind="permit_grant_decision")
    assert grant.issued_on == D(2026, 10, 16)
    today = timezone.localdate()
    from sanxiang.evidence.storage import blob_store_get

    with blob_store_get().open(grant.pdf.stored_file.sha256) as blob:
        text = pdf_text(blob.read()).replace("\n", "")
    assert (f"补录件：本文书系于{today.year}年{today.month}月{today.day}日补录（实际发生日期2026年10月16日）"
            in text)
    # A step taken the day it is entered carries no such line.
    accepted = IssuedDocument.objects.get(case=live, kind="permit_acceptance_notice")
    with blob_store_get().open(accepted.pdf.stored_file.sha256) as blob:
        assert "补录件" not in pdf_text(blob.read())


def refusal_of(thunk) -> list:
    with pytest.raises(Refused) as caught:
        thunk()
    return caught.value.violations


def test_a_paper_number_of_another_series_or_year_is_refused_and_the_counter_skips_taken_numbers():
    """The review's finding: 受理通知书 back-entered with 乌市监许准〔2026〕1号 (the grant decisions'
    series) was accepted, and every later grant failed with a server error. Now refused (平台规则),
    with every reason; a number of the kind's own series must be of the day's year and at most
    999999; the counter skips a number a document already carries; a duplicate insert is refused."""
    from sanxiang.cases.services import _issued_document_create
    from sanxiang.procedure.back_entry import PAPER_NUMBER_RULE

    w = world_make()
    case = case_create(actor=w.officer, agency=w.agency, title="食品经营许可申请", procedure="permit", party=w.company,
                       officers=[w.zhang, w.li], enforcement_field="市场监管", act_date=ACCEPTED, discovered_on=ACCEPTED,
                       occurred_on=ACCEPTED, back_entry_reason=REASON)
    case = case_action_perform(actor=w.officer, case=case, action="permit_materials", data={"materials_complete": True},
                               occurred_on=ACCEPTED, back_entry_reason=REASON)
    grant_series = document_number_format(agency=w.agency, kind="permit_grant_decision", year=2026, sequence=1)
    own = document_number_format(agency=w.agency, kind="permit_acceptance_notice", year=2026, sequence=1)

    def accept(number: str) -> list:
        return [(v.code, v.message, v.field) for v in refusal_of(lambda: case_action_perform(
            actor=w.officer, case=case, action="permit_accept", data={}, occurred_on=ACCEPTED, back_entry_reason=REASON,
            document_numbers={"permit_acceptance_notice": number}))]

    field = "document_numbers.permit_acceptance_notice"
    assert accept(grant_series) == [("case.back_entry.number_other_series",
                                     f"文号“{grant_series}”是本机关另一种文书的编号，不能用于这份文书", field)]
    last_year = own.replace("〔2026〕", "〔2025〕")
    assert accept(last_year) == [("case.back_entry.number_year",
                                  f"文号“{last_year}”的年份与实际发生日期的年份（2026年）不一致", field)]
    huge = own.replace("1号", "1000000号")
    assert accept(huge) == [("case.back_entry.number_sequence", "文号的顺序号应在1至999999之间", field)]
    # Every reason at once: another series and another year.
    both = grant_series.replace("〔2026〕", "〔2025〕")
    assert {c for c, _, _ in accept(both)} == {"case.back_entry.number_other_series", "case.back_entry.number_year"}
    assert not IssuedDocument.objects.filter(case=case).exists()
    # A paper number of its own form is taken as before.
    case = case_action_perform(actor=w.officer, case=case, action="permit_accept", data={}, occurred_on=ACCEPTED,
                               back_entry_reason=REASON, document_numbers={"permit_acceptance_notice": own})
    assert IssuedDocument.objects.get(case=case, kind="permit_acceptance_notice").number == own

    # The counter skips numbers the agency's documents carry (one there by whatever way).
    notice = IssuedDocument.objects.get(case=case, kind="permit_acceptance_notice")
    for sequence in (1, 2):
        IssuedDocument.objects.create(
            case=case, agency=w.agency, kind="permit_grant_decision", title="准予行政许可决定书", record_kind="x",
            number=document_number_format(agency=w.agency, kind="permit_grant_decision", year=2026, sequence=sequence),
            action="permit_grant", issued_on=ACCEPTED, filename_stem="x", issued_by=w.officer)
    with transaction.atomic():
        assert document_number_next(agency=w.agency, kind="permit_grant_decision", on=D(2026, 10, 16)) == (
            grant_series.replace("1号", "3号"))
        transaction.set_rollback(True)
    # Two back-entries of one paper number at once: the later insert is refused, not a server error.
    with pytest.raises(Refused) as caught:
        _issued_document_create(case=case, agency=w.agency, kind="permit_acceptance_notice", title="受理通知书",
                                record_kind="x", number=own, action="permit_accept", issued_on=ACCEPTED,
                                filename_stem="x", issued_by=w.officer)
    assert [(v.code, v.legal_basis, v.field) for v in caught.value.violations] == [
        ("case.back_entry.number_taken", PAPER_NUMBER_RULE, field)]
    assert IssuedDocument.objects.filter(agency=w.agency, number=own).count() == 1 and notice.number == own


def test_the_rule_refuses_a_number_of_another_series_and_a_wrong_year_with_every_reason():
    series = {"permit_acceptance_notice": "乌市监许受", "permit_grant_decision": "乌市监许准"}
    numbered = {"permit_acceptance_notice": "受理通知书"}

    def codes(number, year=2026):
        return [v.code for v in paper_numbers_problems(given={"permit_acceptance_notice": number}, numbered=numbered,
                                                       back_entered=True, taken=frozenset(), series=series, year=year)]

    assert codes("乌市监许受〔2026〕12号") == []
    assert codes("乌市监许准〔2026〕1号") == ["case.back_entry.number_other_series"]
    assert codes("乌市监许受〔2027〕1号") == ["case.back_entry.number_year"]
    assert codes("乌市监许受〔2026〕0号") == ["case.back_entry.number_sequence"]
    assert codes("乌市监许受〔2026〕999999号") == []
    # A paper number of a form of its own (not the platform's) is taken as written, its year checked.
    assert codes("乌审旗市监（2026）第3号") == []
    assert codes("旧编号〔2024〕3号") == ["case.back_entry.number_year"]


def test_a_back_entered_revocation_takes_the_publication_down_today_not_before_it_was_published():
    """The review's finding: a revocation back-entered at 2026-11-02 stamped the grant's
    publication (published today) as withdrawn on 2026-11-02, before it was published. The portal
    acts the day the step is recorded; the revocation keeps its own day (changed_on)."""
    from sanxiang.publication.models import PublicationDraft
    from sanxiang.publication.permit import permit_publication_approve

    w = world_make()
    today = timezone.localdate()
    case = _licence(w, paper=True)
    steps = ((w.head, "permit_grant", D(2026, 10, 16), GRANT),
             (w.officer, "permit_deliver", D(2026, 10, 20), {"delivered_on": D(2026, 10, 20), "expires_on": D(2031, 10, 19),
                                                             "licence_number": "JY11506260001234"}))
    for actor, action, day, data in steps:
        case = case_action_perform(actor=actor, case=case, action=action, data=data, occurred_on=day,
                                   back_entry_reason=REASON)
    draft = PublicationDraft.objects.get(case=case, decision="permit_grant")
    published = permit_publication_approve(actor=w.head, draft=draft)
    assert published.published_on == today
    case = case_action_perform(actor=w.head, case=case, action="permit_revoke", occurred_on=D(2026, 11, 2),
                               back_entry_reason=REASON,
                               data={"reason": "被许可人以欺骗、贿赂等不正当手段取得行政许可", "facts": "提交的租赁合同系伪造",
                                     "remedies": "可以申请行政复议或者提起行政诉讼"})
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.status == "withdrawn" and published.withdrawn_on == today >= published.published_on
    assert draft.withdrawal_due_on == today and draft.changed_on == D(2026, 11, 2)
    assert "2026年11月02日被依法撤销" in published.withdrawal_statement
    from sanxiang.ledger.events import EventKind

    entry = Entry.objects.filter(case_id=case.pk, kind=EventKind.WITHDRAWAL).latest("seq")
    payload = json.loads(bytes(entry.body))["payload"]
    assert payload["withdrawn_on"] == today.isoformat() and payload["changed_on"] == "2026-11-02"


def test_the_page_of_a_live_case_offers_no_back_entry():
    """The case page offers 补录 only in a paper case (platform rule, procedure.back_entry)."""
    w = world_make()
    live = _licence(w, paper=False)
    html = csrf_client(w.head).get(reverse("cases:case_detail", args=[live.pk])).content.decode()
    assert 'data-testid="action-permit_grant"' in html and 'data-testid="back-enter-permit_grant"' not in html
    assert 'name="occurred_on"' not in html
    paper = _licence(w, paper=True)
    html = csrf_client(w.head).get(reverse("cases:case_detail", args=[paper.pk])).content.decode()
    assert 'name="occurred_on"' in html


def test_a_back_entered_release_corrects_the_published_conclusion_today_keeping_the_release_day():
    """The review's finding for compulsory measures: the public conclusion followed a release
    back-entered at 2026-03-10 with corrected_on 2026-03-10, before the publication existed. The
    correction is the day it is recorded; the conclusion keeps the release's own day."""
    from sanxiang.ledger.events import EventKind
    from sanxiang.publication.services import publication_approve
    from tests.publication import test_compulsory_publication as cp

    w = world_make()
    today = timezone.localdate()
    case = case_create(actor=None, agency=w.agency, title="涉嫌经营超过保质期的食品案", procedure="seal_seizure",
                       party=w.company, officers=[w.zhang, w.li], enforcement_field="市场监管",
                       options={"measure_kind": "seizure"}, occurred_on=cp.TAKEN_ON, back_entry_reason=REASON)
    for actor, action, data in ((w.officer, "coercion_propose", cp.PROPOSAL),
                                (w.head, "coercion_approve", {"approved_at": cp.APPROVED_AT, "opinion": "同意扣押"}),
                                (w.officer, "coercion_take", cp.on_spot(w))):
        if action == "coercion_take":
            cp.recording_upload(w, case, "seizure")
        case = case_action_perform(actor=actor, case=case, action=action, data=data, occurred_on=cp.TAKEN_ON,
                                   back_entry_reason=REASON)
    publication = publication_approve(actor=w.head, draft=cp.draft_of(case))
    assert publication.published_on == today
    case_action_perform(actor=w.head, case=case, action="coercion_release", occurred_on=D(2026, 3, 10),
                        back_entry_reason=REASON, data={"ground": "no_violation", "returned": True})
    publication.refresh_from_db()
    assert publication.content == f"{cp.CONCLUSION}；已于2026年3月10日解除"
    (corrected,) = cp.payloads(EventKind.PUBLICATION_CORRECTED, case)
    assert corrected["corrected_on"] == today.isoformat() and corrected["action"] == "coercion_release"
