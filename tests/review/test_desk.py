"""The review desk: a reviewer's own pending requests with their due dates, the head's view of
the whole agency, and what the reviewer answered lately."""

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.review.selectors import review_queue, review_recent
from tests.factories import agency_make, officer_make, user_make
from tests.review.support import MAJOR, D, case_with_facts, opinion, request

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    agency = agency_make(name="乌审旗应急管理局")
    zhao = officer_make(agency=agency, name="赵审核", is_legal_reviewer=True, has_legal_qualification=True)
    qian = officer_make(agency=agency, name="钱审核", is_legal_reviewer=True, has_legal_qualification=True)
    users = {
        "zhao": user_make(role=Role.REVIEWER, agency=agency, officer=zhao),
        "qian": user_make(role=Role.REVIEWER, agency=agency, officer=qian),
        "head": user_make(role=Role.AGENCY_HEAD, agency=agency),
        "officer": user_make(role=Role.OFFICER, agency=agency),
    }
    cases = {
        # Sent on Mon 03-16; five working days: due Mon 03-23.
        "zhao_pending": case_with_facts(agency, state="notified", number="A-1", decision=MAJOR,
                                        review_requests=(request(1, D(2026, 3, 16), zhao),)),
        "qian_pending": case_with_facts(agency, state="hearing_held", number="A-2", decision=MAJOR,
                                        review_requests=(request(1, D(2026, 3, 18), qian),)),
        # Answered by 赵 (补充材料), sent again to 钱: only 钱 has it now.
        "second_round": case_with_facts(
            agency, state="investigation_ended", number="A-3", decision=MAJOR,
            review_requests=(request(1, D(2026, 3, 2), zhao), request(2, D(2026, 3, 10), qian)),
            review_opinions=(opinion(1, D(2026, 3, 4), zhao, "resubmit"),),
        ),
        "answered": case_with_facts(agency, state="notified", number="A-4", decision=MAJOR,
                                    review_requests=(request(1, D(2026, 3, 2), zhao),),
                                    review_opinions=(opinion(1, D(2026, 3, 5), zhao, "agree"),)),
        "unassigned": case_with_facts(agency, state="notified", number="A-5", decision=MAJOR,
                                      review_requests=(request(1, D(2026, 3, 19), None),)),
        # Decided already: not on the desk even if the facts say otherwise.
        "decided": case_with_facts(agency, state="decided", number="A-6", decision=MAJOR,
                                   review_requests=(request(1, D(2026, 3, 16), zhao),)),
        "never_sent": case_with_facts(agency, state="notified", number="A-7", decision=MAJOR),
    }
    # Another agency's pending request: never on this desk, whoever it is assigned to.
    other = agency_make()
    other_reviewer = officer_make(agency=other, is_legal_reviewer=True)
    case_with_facts(other, state="notified", number="B-1", decision=MAJOR,
                    review_requests=(request(1, D(2026, 3, 16), other_reviewer),))
    return agency, users, cases, {"zhao": zhao, "qian": qian}


def numbers(items):
    return [i.case.number for i in items]


def test_a_reviewer_sees_only_the_pending_requests_assigned_to_them(desk):
    _, users, _, _ = desk
    assert numbers(review_queue(user=users["zhao"], on=D(2026, 3, 20))) == ["A-1"]
    assert numbers(review_queue(user=users["qian"], on=D(2026, 3, 20))) == ["A-3", "A-2"]


def test_due_dates_count_working_days_and_overdue_requests_are_flagged(desk):
    _, users, _, _ = desk
    (item,) = review_queue(user=users["zhao"], on=D(2026, 3, 23))
    assert (item.round, item.submitted_on, item.due.date) == (1, D(2026, 3, 16), D(2026, 3, 23))
    assert item.overdue is False
    (item,) = review_queue(user=users["zhao"], on=D(2026, 3, 24))
    assert item.overdue is True
    second = review_queue(user=users["qian"], on=D(2026, 3, 20))[0]
    assert (second.case.number, second.round, second.due.date) == ("A-3", 2, D(2026, 3, 17))


def test_the_head_sees_every_pending_request_of_the_agency_with_its_reviewer(desk):
    _, users, _, _ = desk
    queue = review_queue(user=users["head"], on=D(2026, 3, 20))
    assert [(i.case.number, i.reviewer_name) for i in queue] == [
        ("A-3", "钱审核"), ("A-1", "赵审核"), ("A-2", "钱审核"), ("A-5", ""),
    ]


def test_other_roles_have_no_desk(desk):
    _, users, _, _ = desk
    assert review_queue(user=users["officer"]) == []
    assert review_recent(user=users["officer"]) == []


def test_recently_reviewed_lists_the_reviewers_own_opinions(desk):
    _, users, _, _ = desk
    recent = review_recent(user=users["zhao"])
    assert [(i.case.number, i.opinion_label, i.given_on) for i in recent] == [
        ("A-4", "同意", D(2026, 3, 5)), ("A-3", "补充材料后重新提交", D(2026, 3, 4)),
    ]
    assert review_recent(user=users["qian"]) == []


def test_the_desk_page(client, desk):
    _, users, cases, _ = desk
    client.force_login(users["zhao"])
    page = client.get(reverse("review:desk")).content.decode()
    assert "A-1" in page and "A-2" not in page
    assert cases["zhao_pending"].get_absolute_url() in page
    assert 'data-testid="overdue"' in page  # 2026-03-23 is long past
    assert "我最近审核的案件" in page and "A-4" in page
    client.force_login(users["head"])
    page = client.get(reverse("review:desk")).content.decode()
    assert "钱审核" in page and "未分配" in page and "A-5" in page
    client.force_login(users["officer"])
    assert client.get(reverse("review:desk")).status_code == 403


def _plan(queryset) -> str:
    """SQLite's plan of a query as it is executed (its parameters bound, not written in)."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


def test_the_reviewed_cases_are_read_through_their_partial_index(desk):
    """Issue 12: 最近审核 reads the agency's cases with an opinion through the partial index
    `cases_case_reviewed`, not every case of the agency (at 45,000 cases: 0.2 ms against 118 ms
    on SQLite). SQLite cannot match a predicate whose JSON path is a bound parameter, as Django
    writes it: `cases_reviewed` writes it out."""
    from django.db import connection

    from sanxiang.cases.models import Case
    from sanxiang.cases.selectors import cases_reviewed

    agency, _, _, _ = desk
    found = cases_reviewed(Case.objects.filter(agency_id=agency.pk))
    assert set(found.values_list("number", flat=True)) == {"A-3", "A-4"}
    assert set(found.values_list("number", flat=True)) == set(
        Case.objects.filter(agency_id=agency.pk, facts__review_opinions__0__isnull=False).values_list("number", flat=True)
    )
    if connection.vendor != "sqlite":
        return
    assert "cases_case_reviewed" in _plan(found.order_by("-updated_at")[:200])
    # As Django writes the filter, the index cannot be used: the reason for the helper.
    plain = Case.objects.filter(agency_id=agency.pk, facts__review_opinions__0__isnull=False)
    assert "cases_case_reviewed" not in _plan(plain.order_by("-updated_at")[:200])
