"""Issue 19 item 1: 法制审核 through the API. The cases sent for legal review (行政处罚法第五十八条,
国办发〔2018〕118号), to whom their case page shows them, with where each review stands, and one
case's review as the case page's panel shows it. The reviewer's and the head's writes are the
case's steps (record_review, assign_reviewer, extend_review), as on the case page."""

import pytest

from sanxiang.accounts.models import Role
from tests.api.query_bounds import queries_of
from tests.api.support import bearer
from tests.factories import agency_make, officer_make, user_make
from tests.review.support import MAJOR, D, case_with_facts, opinion, request

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    agency = agency_make(name="乌审旗应急管理局")
    zhao = officer_make(agency=agency, name="赵审核", is_legal_reviewer=True, has_legal_qualification=True)
    qian = officer_make(agency=agency, name="钱审核", is_legal_reviewer=True, has_legal_qualification=True)
    reviewer = user_make(role=Role.REVIEWER, agency=agency, officer=zhao)
    pending = case_with_facts(agency, state="notified", number="A-1", decision=MAJOR,
                              review_requests=(request(1, D(2026, 3, 16), zhao),))
    # Sent back for more (补充材料) by 赵, sent again to 钱 and waiting.
    second = case_with_facts(agency, state="investigation_ended", number="A-2", decision=MAJOR,
                             review_requests=(request(1, D(2026, 3, 2), zhao), request(2, D(2026, 3, 10), qian)),
                             review_opinions=(opinion(1, D(2026, 3, 4), zhao, "resubmit"),))
    answered = case_with_facts(agency, state="notified", number="A-3", decision=MAJOR,
                               review_requests=(request(1, D(2026, 3, 2), zhao),),
                               review_opinions=(opinion(1, D(2026, 3, 5), zhao, "agree"),))
    never_sent = case_with_facts(agency, state="notified", number="A-4", decision=MAJOR)
    other = agency_make()
    case_with_facts(other, state="notified", number="B-1", decision=MAJOR,
                    review_requests=(request(1, D(2026, 3, 16), officer_make(agency=other, is_legal_reviewer=True)),))
    return {"agency": agency, "reviewer": reviewer, "pending": pending, "second": second, "answered": answered,
            "never_sent": never_sent, "zhao": zhao, "qian": qian}


def ids(answer) -> list[int]:
    return [i["case_id"] for i in answer.json()["items"]]


def test_the_reviews_of_the_agency_with_where_each_stands(client, desk):
    token = bearer(desk["reviewer"])
    answer = client.get("/api/reviews", **token)
    assert answer.status_code == 200
    # Every case sent for review, the last registered first; never sent and another agency's: absent.
    assert ids(answer) == [desk["answered"].pk, desk["second"].pk, desk["pending"].pk]
    rows = {i["case_id"]: i for i in answer.json()["items"]}
    assert (rows[desk["second"].pk]["status"], rows[desk["second"].pk]["round"]) == ("pending", 2)
    assert rows[desk["second"].pk]["reviewer_name"] == "钱审核" and rows[desk["second"].pk]["opinion"] == ""
    answered = rows[desk["answered"].pk]
    assert (answered["status"], answered["opinion"], answered["given_on"]) == ("answered", "agree", "2026-03-05")
    assert answered["status_label"] == "已出具审核意见" and answered["opinion_label"]

    assert ids(client.get("/api/reviews?status=pending", **token)) == [desk["second"].pk, desk["pending"].pk]
    assert ids(client.get("/api/reviews?status=answered", **token)) == [desk["answered"].pk]
    # The day of the latest submission, inclusive at both ends.
    assert ids(client.get("/api/reviews?since=2026-03-10&until=2026-03-16", **token)) == [desk["second"].pk, desk["pending"].pk]
    assert ids(client.get("/api/reviews?until=2026-03-02", **token)) == [desk["answered"].pk]
    assert ids(client.get(f"/api/reviews?agency={desk['agency'].pk + 1000}", **token)) == []
    seen, url = [], "/api/reviews?limit=1"
    while url:
        page = client.get(url, **token).json()
        seen += [i["case_id"] for i in page["items"]]
        url = page["next"]
    assert seen == [desk["answered"].pk, desk["second"].pk, desk["pending"].pk]
    assert queries_of(client, "/api/reviews?limit=1", token) == queries_of(client, "/api/reviews", token)
    for query, field in (("status=lost", "status"), ("since=2026-03-17&until=2026-03-16", "until"),
                         ("agency=-1", "agency"), ("cursor=x", "cursor")):
        bad = client.get(f"/api/reviews?{query}", **token)
        assert bad.status_code == 422 and bad.json()["violations"][0]["field"] == field, query

    # Another agency's reviewer sees none of them.
    stranger = user_make(role=Role.REVIEWER, agency=agency_make(), officer=None)
    assert ids(client.get("/api/reviews", **bearer(stranger))) == []


def test_one_cases_review_as_its_page_shows_it(client, desk):
    token = bearer(desk["reviewer"])
    answer = client.get(f"/api/reviews/{desk['second'].pk}", **token)
    assert answer.status_code == 200
    review = answer.json()
    assert review["status"] == "pending" and review["status_label"] == "审核中"
    # Revoking a permit is a major decision by the catalogue: the criterion says why, with its basis.
    assert review["major_criteria"] and all(c["basis"] for c in review["major_criteria"])
    [latest, earlier] = review["rounds"]  # the latest round first
    assert (latest["round"], latest["submitted_on"], latest["opinion"]) == (2, "2026-03-10", "")
    assert latest["due"] is not None
    assert (earlier["round"], earlier["opinion"], earlier["given_on"]) == (1, "resubmit", "2026-03-04")
    assert client.get(f"/api/reviews/{desk['never_sent'].pk}", **token).status_code == 404
    other = user_make(role=Role.AGENCY_HEAD, agency=agency_make())
    assert client.get(f"/api/reviews/{desk['second'].pk}", **bearer(other)).status_code == 404
