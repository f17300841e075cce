"""The inbox (待办): what waits for each role appears when it should and goes when the step is done,
through the services, on the lawful path of an ordinary penalty case (行政处罚法第三十六条至第六十七条):

- 立案审批 waits for the head (第五十四条第二款: 立案须经行政机关负责人批准) until approved;
- 法制审核 waits for the reviewer the request is assigned to (第五十八条) until the opinion is given;
- 集体讨论 waits for the head once the review agreed to a major decision (第五十七条第二款) until held;
- 公示审核 waits for whoever approves publication (head, agency administrator) until published;
- a deadline near or past waits for the case's officers until met;
- a fine not paid by its day (第六十七条、第七十二条) waits for the case's officers and the head until paid.
"""

import datetime as dt
from dataclasses import replace

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.inbox.selectors import KIND_LABELS
from sanxiang.publication.models import DraftStatus, PublicationDraft
from sanxiang.publication.services import publication_approve
from sanxiang.web.inbox import inbox_build, inbox_count
from tests.cases.support import (
    FIRST_DECISION_DAY,
    NOTICE_SERVED,
    OPEN,
    OPENED,
    D,
    discussion_data,
    end_investigation_data,
    inquiry,
    lead_make,
    notice_data,
    perform,
    review_data,
    submit_data,
    to_notified,
    world_make,
)
from tests.factories import officer_make, user_make

pytestmark = pytest.mark.django_db
REVIEW_DAY = D(2026, 3, 26)


@pytest.fixture
def w():
    world = world_make()
    world.admin = user_make(role=Role.AGENCY_ADMIN, agency=world.agency)
    world.stranger = user_make(role=Role.OFFICER, agency=world.agency, officer=officer_make(agency=world.agency))
    return world


def waiting(user, on: dt.date) -> dict[str, list[str]]:
    """kind → the numbers of the cases its items name."""
    inbox = inbox_build(user=user, on=on)
    assert inbox_count(user=user, on=on) == inbox.total  # the navigation's count is the inbox's
    return {g.kind: [i.number for i in g.items] for g in inbox.groups}


def mitigated_draft(case, w, day):
    """减轻处罚 below the discretion standard: a major decision under the default catalogue."""
    return perform(case, "draft_decision", day, w.officer, outcome="penalty", discretion="mitigated",
                   reasoning="当事人主动消除违法后果，依法减轻处罚。", penalty_kinds=["fine"], fine_yuan="3000",
                   penalty_bases=["《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"])


def test_each_step_waits_in_the_inbox_of_the_role_that_takes_it_until_it_is_taken(w):
    # 立案审批: the head's, nobody else's.
    case = lead_make(w)
    on = D(2026, 3, 5)
    assert waiting(w.head, on)["opening"] == [case.number]
    assert "opening" not in waiting(w.officer, on) and "opening" not in waiting(w.reviewer, on)
    item = inbox_build(user=w.head, on=on).group("opening").items[0]
    assert (item.what, item.since_label, item.url) == ("负责人审批立案", "登记于", reverse("cases:case_detail", args=[case.pk]))
    case = perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")
    assert waiting(w.head, OPENED)["opening"] == []

    # 法制审核: the request's reviewer has it, with its due day; the head's discussion waits for it.
    case = perform(case, "open", OPENED, w.officer, **OPEN)
    case = perform(case, "investigate", D(2026, 3, 9), w.officer)
    case = perform(case, "record_inquiry", D(2026, 3, 10), w.officer, **inquiry(w, D(2026, 3, 10)))
    case = perform(case, "end_investigation", D(2026, 3, 16), w.officer, **end_investigation_data())
    case = perform(case, "notify", NOTICE_SERVED, w.officer, **notice_data(NOTICE_SERVED))
    case = mitigated_draft(case, w, FIRST_DECISION_DAY)
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    assert waiting(w.reviewer, FIRST_DECISION_DAY)["review"] == [case.number]
    (item,) = inbox_build(user=w.reviewer, on=FIRST_DECISION_DAY).group("review").items
    assert (item.since, item.detail, item.overdue) == (FIRST_DECISION_DAY, "第1次送审", False)
    assert item.due is not None and item.due > FIRST_DECISION_DAY
    assert waiting(w.head, FIRST_DECISION_DAY)["discussion"] == []  # the review is pending
    assert "review" not in waiting(w.head, FIRST_DECISION_DAY)

    # The opinion given: off the reviewer's inbox, and the leaders' discussion waits for the head.
    case = perform(case, "record_review", REVIEW_DAY, w.reviewer, **review_data())
    assert waiting(w.reviewer, REVIEW_DAY)["review"] == []
    assert waiting(w.head, REVIEW_DAY)["discussion"] == [case.number]
    assert same_as_the_engine(w.head, REVIEW_DAY) == [case.number]
    (item,) = inbox_build(user=w.head, on=REVIEW_DAY).group("discussion").items
    assert (item.since, item.detail) == (REVIEW_DAY, "须集体讨论：属于重大执法决定")

    # 集体讨论 held: off the head's inbox. The decision makes a publication draft to approve.
    case = perform(case, "record_collective_discussion", REVIEW_DAY, w.head, **discussion_data(REVIEW_DAY))
    assert waiting(w.head, REVIEW_DAY)["discussion"] == []
    case = perform(case, "decide", REVIEW_DAY, w.officer)
    draft = PublicationDraft.objects.get(case=case)
    for user in (w.head, w.admin):
        assert waiting(user, REVIEW_DAY)["publication"] == [case.number]
    assert "publication" not in waiting(w.officer, REVIEW_DAY) and "publication" not in waiting(w.reviewer, REVIEW_DAY)
    (item,) = inbox_build(user=w.admin, on=REVIEW_DAY).group("publication").items
    assert (item.url, item.since, item.due) == (reverse("publication:draft_detail", args=[draft.pk]), REVIEW_DAY, draft.due_on)
    publication_approve(actor=w.head, draft=draft, on=REVIEW_DAY)
    assert PublicationDraft.objects.get(pk=draft.pk).status == DraftStatus.PUBLISHED
    assert waiting(w.admin, REVIEW_DAY)["publication"] == []


def test_a_fine_not_paid_by_its_day_waits_for_the_officers_and_the_head_until_paid(w):
    """第六十七条第三款: 十五日内缴纳罚款; unpaid, the agency acts (第七十二条)."""
    case = to_notified(w)
    case = perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty",
                   penalty_kinds=["fine"], fine_yuan="3000",
                   penalty_bases=["《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"])
    case = perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    served = D(2026, 3, 26)
    case = perform(case, "serve", served, w.officer, method="direct", served_on=served, place="当事人经营场所",
                   signed_by="巴特尔")
    before, late = D(2026, 4, 10), D(2026, 4, 20)
    assert all(waiting(u, before)["fine"] == [] for u in (w.officer, w.head))
    for user in (w.officer, w.colleague, w.head):
        assert waiting(user, late)["fine"] == [case.number]
    assert waiting(w.stranger, late)["fine"] == []  # not an officer of the case
    (item,) = inbox_build(user=w.head, on=late).group("fine").items
    assert item.what == "缴纳罚款" and item.overdue and item.since == item.due + dt.timedelta(days=1)
    assert item.due_note == f"已逾期{(late - item.due).days}日"
    perform(case, "record_payment", late, w.officer, paid_on=late, amount_yuan="3000", receipt="NO.123")
    assert all(waiting(u, late)["fine"] == [] for u in (w.officer, w.head))


def test_a_deadline_near_or_past_waits_for_the_case_officers_until_it_is_met(w):
    """The party's statement window (第四十五条、第六十二条) runs from the notice: the officers see it
    due soon; once the party waived it, it is met and leaves the inbox."""
    case = to_notified(w)  # the notice served on NOTICE_SERVED
    due_soon = NOTICE_SERVED + dt.timedelta(days=5)
    for user in (w.officer, w.colleague):
        labels = [i.what for i in inbox_build(user=user, on=due_soon).group("deadline").items]
        assert labels == ["当事人陈述、申辩期限届满"], labels
    assert waiting(w.stranger, due_soon)["deadline"] == []
    assert "deadline" in waiting(w.head, due_soon) and waiting(w.head, due_soon)["deadline"] == []  # not its officer
    (item,) = inbox_build(user=w.officer, on=due_soon).group("deadline").items
    assert (item.since_label, item.overdue, item.number) == ("提醒自", False, case.number)
    perform(case, "waive_statement", due_soon, w.officer, note="当事人书面放弃陈述、申辩")
    assert waiting(w.officer, due_soon)["deadline"] == []


def test_the_kinds_of_each_role(w):
    on = D(2026, 3, 5)
    # Supervision instruments (issue 14, part B): to answer for every agency role, to read for supervisors.
    instruments = ["supervision_instrument", "supervision_instrument_overdue"]
    # Reminders (issue 15, item 9: tests/evaluation/test_reminders.py) may wait for anyone.
    # Monthly reports (issue 15, item 4) wait for the agency's head and the bureau's supervisors.
    assert list(waiting(w.head, on)) == ["opening", "discussion", "publication", "deadline", "fine", *instruments,
                                         "monthly_reports", "reminder"]
    assert list(waiting(w.reviewer, on)) == ["review", "deadline", "fine", *instruments, "reminder"]
    assert list(waiting(w.officer, on)) == ["deadline", "fine", *instruments, "reminder"]
    assert list(waiting(w.admin, on)) == ["publication", *instruments, "reminder"]
    # Part D: complaints to triage; part A: the supervisors' matters (tests/supervision/test_desk_pages.py).
    # Part B: 通报 drafted by a colleague to approve.
    assert list(waiting(w.supervisor, on)) == ["complaint", "supervision_matters", *instruments, "supervision_notice",
                                               "monthly_reports", "reminder"]
    assert set(KIND_LABELS) == {"opening", "review", "discussion", "publication", "deadline", "fine", "complaint",
                                *instruments, "supervision_matters", "supervision_notice",
                                # issue 14, part C: a registered supervisor's (tests/supervision)
                                "supervision_filing", "supervision_coordination", "monthly_reports", "reminder"}


# --- the list's snapshot judges as the engine's --------------------------------------------------------


def same_as_the_engine(user, on: dt.date) -> list[str]:
    """The head's collective discussions as `case_queues` finds them from stored rows alone equal
    what the full snapshot of every case (officers, records, catalogue read afresh) says."""
    from sanxiang.cases.models import Case
    from sanxiang.cases.selectors import (
        case_records_present,
        case_snapshot_build,
        guard_context,
        penalty_snapshot_listed,
    )
    from sanxiang.procedure.penalty.steps import BEFORE_DECISION
    from sanxiang.review.selectors import _discussion_due, case_queues, review_catalogue_for_agency

    context = guard_context(on=on)
    expected = []
    for case in Case.objects.filter(agency_id=user.agency_id, procedure="ordinary", state__in=BEFORE_DECISION):
        full = case_snapshot_build(case)
        listed = penalty_snapshot_listed(case, records_filed=case_records_present(case),
                                         catalogue=review_catalogue_for_agency(agency_id=case.agency_id))
        assert listed == replace(full, officers=(), enforcement_cases_open=())
        if _discussion_due(full, context):
            expected.append(case.number)
    found = [w.case.number for w in case_queues(user=user, on=on).discussion]
    assert sorted(found) == sorted(expected)
    return found


def test_the_agency_catalogue_in_force_decides_which_discussions_wait(w):
    """第五十七条第二款 with the agency's published catalogue (118号): a fine above the catalogue's
    amount is a major decision, so the leaders discuss it once the review agreed; under the default
    catalogue the same fine is not, and no discussion waits."""
    from sanxiang.review.services import catalogue_publish, catalogue_update

    case = to_notified(w)
    case = perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty",
                   penalty_kinds=["fine"], fine_yuan="3000",
                   penalty_bases=["《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"])
    case = perform(case, "submit_review", FIRST_DECISION_DAY, w.officer, **submit_data())
    case = perform(case, "record_review", REVIEW_DAY, w.reviewer, **review_data())
    assert same_as_the_engine(w.head, REVIEW_DAY) == []
    catalogue_update(actor=w.head, agency=w.agency, fine_organization_fen=100_000)  # 1000 元
    catalogue_publish(actor=w.head, agency=w.agency)
    assert same_as_the_engine(w.head, REVIEW_DAY) == [case.number]
    case = perform(case, "record_collective_discussion", REVIEW_DAY, w.head, **discussion_data(REVIEW_DAY))
    assert same_as_the_engine(w.head, REVIEW_DAY) == []


def test_a_discussion_waits_only_on_a_draft_the_review_agreed_to(w):
    """第五十七条第二款: 情节复杂 cases are decided collectively; such a case is also reviewed
    (第五十八条第一款第三项), and the leaders discuss the draft the review agreed to (no draft, or no
    review yet: nothing waits for the head)."""
    from tests.review.support import MINOR, case_with_facts, opinion, request

    on = D(2026, 3, 20)
    reviewed = {"review_requests": (request(1, D(2026, 3, 16), w.reviewer_officer, draft=MINOR),),
                "review_opinions": (opinion(1, D(2026, 3, 18), w.reviewer_officer, draft=MINOR),)}
    no_draft = case_with_facts(w.agency, state="investigation_ended", complex_case=True)
    unreviewed = case_with_facts(w.agency, state="investigation_ended", complex_case=True, decision=MINOR)
    agreed = case_with_facts(w.agency, state="investigation_ended", complex_case=True, decision=MINOR, **reviewed)
    plain = case_with_facts(w.agency, state="investigation_ended", decision=MINOR)
    assert same_as_the_engine(w.head, on) == [agreed.number]
    (item,) = inbox_build(user=w.head, on=on).group("discussion").items
    assert (item.detail, item.since) == ("须集体讨论：情节复杂、属于重大执法决定", D(2026, 3, 18))
    assert not {no_draft.number, unreviewed.number, plain.number} & set(waiting(w.head, on)["discussion"])


def test_a_review_request_waits_for_its_reviewer_or_for_every_reviewer_while_assigned_to_nobody(w):
    """第五十八条: the review office answers within its period; the request's due day is shown and,
    once past, flagged."""
    from tests.review.support import MAJOR, case_with_facts, request

    qian = officer_make(agency=w.agency, name="钱审核", is_legal_reviewer=True, has_legal_qualification=True)
    other_reviewer = user_make(role=Role.REVIEWER, agency=w.agency, officer=qian)
    sent = D(2026, 3, 16)
    mine = case_with_facts(w.agency, state="notified", decision=MAJOR, review_requests=(request(1, sent, w.reviewer_officer),))
    nobodys = case_with_facts(w.agency, state="notified", decision=MAJOR, review_requests=(request(1, sent, None),))
    on = D(2026, 4, 20)
    assert waiting(w.reviewer, on)["review"] == [mine.number, nobodys.number]
    assert waiting(other_reviewer, on)["review"] == [nobodys.number]
    item = inbox_build(user=w.reviewer, on=on).group("review").items[0]
    assert item.overdue and item.due_note == f"已逾期{(on - item.due).days}日"
