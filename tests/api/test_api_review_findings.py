"""Issue 19, the review of the new API modules: a public search page read as the portal reads it
(its cost by the page, not by the rows found), the review list filtered in SQL, every answer that
shows a draft's or a case's contents recorded in the access log as its page's reading is, the 403
of a read grant documented, and If-Match on the publication drafts' writes (no lost correction)."""

import itertools
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.cases.models import Case
from sanxiang.publication.models import DraftStatus, Publication, PublicationDraft
from tests.api.query_bounds import queries_of
from tests.api.support import bearer
from tests.api.test_publication_api import public_agency_make, publication_make
from tests.cases.support import to_decided, world_make
from tests.factories import agency_make, officer_make, user_make
from tests.review.support import MAJOR, D, case_with_facts, opinion, request
from tests.supervision.support import read_grant_give

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


def post(client, url: str, body: dict, headers: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


# --- 1. a public search page: read as the portal reads it --------------------------------------------


def test_a_public_search_is_read_a_page_at_a_time_with_its_count(client, monkeypatch):
    """The search that reads every row found before the page (`publications_search`) is not used:
    the page comes from `publications_search_page`, its cursor signed as every list's."""

    def refused(*args, **kwargs):
        raise AssertionError("publications_search reads every row found before the page")

    monkeypatch.setattr("sanxiang.portal.decisions.publications_search", refused)
    agency = public_agency_make()
    shown = [publication_make(agency=agency, content=f"广告罚款{n}元。") for n in range(5)]
    publication_make(agency=agency, content="警告。")  # not found
    expected = [p.pk for p in sorted(shown, key=lambda p: (p.decided_on, p.pk), reverse=True)]
    seen, url, counts = [], "/api/public/decisions?q=广告&limit=2", []
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, answer.content
        seen += [i["id"] for i in answer.json()["items"]]
        counts.append((answer.json()["count"], answer.json()["count_estimated"]))
        url = answer.json()["next"]
    assert seen == expected and counts[0] == (5, False)
    assert client.get("/api/public/decisions").json()["count"] is None  # a plain list has no count
    forged = client.get("/api/public/decisions?q=广告&cursor=20260301-5")
    assert forged.status_code == 422 and forged.json()["violations"][0]["field"] == "cursor"


def test_a_search_page_costs_the_same_queries_at_10_and_200_publications(client):
    agency = public_agency_make()
    first = publication_make(agency=agency)
    day = first.decided_on

    def page_queries() -> int:
        return queries_of(client, "/api/public/decisions?q=违法行为&limit=5", {})

    for _ in range(9):
        publication_make(agency=agency, decided_on=day)
    page_queries()
    at_10 = page_queries()
    for _ in range(190):
        publication_make(agency=agency, decided_on=day)
    assert Publication.objects.count() == 200
    assert page_queries() == at_10


# --- 2. the review list filtered in SQL --------------------------------------------------------------


def test_the_review_list_filters_in_sql_whatever_the_cases_in_scope(client):
    agency = agency_make()
    zhao = officer_make(agency=agency, is_legal_reviewer=True, has_legal_qualification=True)
    reviewer = user_make(role=Role.REVIEWER, agency=agency, officer=zhao)
    answered = case_with_facts(agency, state="notified", decision=MAJOR, review_requests=(request(1, D(2026, 3, 2), zhao),),
                               review_opinions=(opinion(1, D(2026, 3, 5), zhao, "agree"),))
    pending = case_with_facts(agency, state="notified", decision=MAJOR,
                              review_requests=(request(1, D(2026, 3, 2), zhao), request(2, D(2026, 3, 20), zhao)),
                              review_opinions=(opinion(1, D(2026, 3, 4), zhao, "resubmit"),))
    token = bearer(reviewer)
    urls = ("/api/reviews?status=answered", "/api/reviews?status=pending&since=2026-03-10",
            "/api/reviews?until=2026-03-02&limit=5")
    client.get("/api/reviews", **token)  # the token's first use is recorded once
    before = [queries_of(client, url, token) for url in urls]
    # 1,200 more reviewed cases in scope, all answered, sent on 2026-03-02.
    template = Case.objects.get(pk=answered.pk)
    Case.objects.bulk_create([replace_pk(template, number=f"乌审旗批量〔2026〕{n}号") for n in range(1200)], batch_size=300)
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(url, **token)
        assert answer.status_code == 200, answer.content
        # No list of every case's id is sent with a query: each takes a handful of parameters.
        assert max(len(q["sql"]) for q in captured.captured_queries) < 5000
    assert [queries_of(client, url, token) for url in urls] == before
    assert [i["case_id"] for i in client.get("/api/reviews?status=pending", **token).json()["items"]] == [pending.pk]
    assert [i["case_id"] for i in client.get("/api/reviews?since=2026-03-20", **token).json()["items"]] == [pending.pk]
    assert len(client.get("/api/reviews?status=answered&limit=200", **token).json()["items"]) == 200


def replace_pk(case: Case, **fields) -> Case:
    clone = Case.objects.get(pk=case.pk)
    clone.pk = None
    for name, value in fields.items():
        setattr(clone, name, value)
    return clone


# --- 3, 4. every answer with a draft's or a case's contents is an access recorded --------------------


def access_count(**filters) -> int:
    return AccessLogEntry.objects.filter(action="view", **filters).count()


def test_a_drafts_write_answer_is_a_reading_recorded(client):
    w = world_make()
    draft = PublicationDraft.objects.get(case=to_decided(w))
    url = f"/api/publication/drafts/{draft.pk}"
    head = bearer(w.head)
    before = access_count(object_kind="publication_draft", object_id=str(draft.pk))
    approved = post(client, f"{url}/approve", {}, head)
    assert approved.status_code == 200 and approved.json()["fields"]  # the original text is in the answer
    assert access_count(object_kind="publication_draft", object_id=str(draft.pk)) == before + 1
    post(client, f"{url}/correct", {"texts": {"facts": "当事人陈列销售过期纯牛奶12箱。"}, "reason": "数量漏写"}, head)
    assert access_count(object_kind="publication_draft", object_id=str(draft.pk)) == before + 2
    post(client, f"{url}/withdraw", {"kind": "revoked", "changed_on": "2026-04-02", "statement": "原处罚决定被撤销。"}, head)
    assert access_count(object_kind="publication_draft", object_id=str(draft.pk)) == before + 3
    # A refused write shows nothing and records nothing.
    assert post(client, f"{url}/approve", {}, head).status_code == 409
    assert access_count(object_kind="publication_draft", object_id=str(draft.pk)) == before + 3


def test_a_supervisor_reading_a_review_or_a_case_under_a_grant_is_recorded(client):
    agency = agency_make()
    zhao = officer_make(agency=agency, is_legal_reviewer=True, has_legal_qualification=True)
    case = case_with_facts(agency, state="notified", decision=MAJOR, review_requests=(request(1, D(2026, 3, 2), zhao),),
                           review_opinions=(opinion(1, D(2026, 3, 5), zhao, "agree"),))
    supervisor = user_make(role=Role.SUPERVISOR, agency=agency_make(is_judicial_bureau=True))
    token = bearer(supervisor)
    # Without a read grant: 403 (需经调阅), nothing recorded.
    for url in (f"/api/reviews/{case.pk}", f"/api/cases/{case.pk}"):
        refused = client.get(url, **token)
        assert refused.status_code == 403 and "调阅" in refused.json()["error"]["message"], url
    assert access_count(case_id=case.pk) == 0
    read_grant_give(case=case, user=supervisor)
    assert client.get(f"/api/reviews/{case.pk}", **token).status_code == 200
    assert access_count(case_id=case.pk, user=supervisor, object_kind="case") == 1
    assert client.get(f"/api/cases/{case.pk}", **token).status_code == 200
    assert access_count(case_id=case.pk, user=supervisor, object_kind="case") == 2


# --- 5. the 403 of a read grant is documented --------------------------------------------------------


def test_the_read_grant_refusal_is_documented(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/reviews/{case_id}", "/api/cases/{case_id}", "/api/cases/{case_id}/documents",
                 "/api/documents/{document_id}", "/api/documents/{document_id}/pdf", "/api/documents/{document_id}/docx",
                 "/api/cases/{case_id}/evidence", "/api/evidence/{record_id}", "/api/evidence/{record_id}/download"):
        assert "403" in paths[path]["get"]["responses"], path


# --- 6. If-Match on the drafts: two concurrent corrections do not both apply ---------------------------


def test_a_correction_on_a_draft_changed_since_it_was_read_is_412(client):
    w = world_make()
    draft = PublicationDraft.objects.get(case=to_decided(w))
    url = f"/api/publication/drafts/{draft.pk}"
    head = bearer(w.head)
    read = client.get(url, **head)
    etag = read["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    approved = post(client, f"{url}/approve", {}, head | {"HTTP_IF_MATCH": etag})
    assert approved.status_code == 200 and approved["ETag"] != etag
    # Two heads read the published draft, each corrects it: the second is refused, its text not applied.
    current = client.get(url, **head)["ETag"]
    first = post(client, f"{url}/correct", {"texts": {"facts": "甲的更正。"}, "reason": "更正"}, head | {"HTTP_IF_MATCH": current})
    assert first.status_code == 200
    second = post(client, f"{url}/correct", {"texts": {"facts": "乙的更正。"}, "reason": "更正"}, head | {"HTTP_IF_MATCH": current})
    assert second.status_code == 412
    assert second.json()["violations"][0] == {
        "code": "publication.changed", "field": "If-Match", "basis_kind": "platform",
        "legal_basis": "平台规则：防止覆盖他人的办理",
        "message": "本公示在您读取之后已有变动（如他人已发布、更正或撤回），请重新读取后再办理"}
    assert Publication.objects.get(pk=approved.json()["publication_id"]).facts == "甲的更正。"
    # A weak tag never matches; withdrawing on a stale tag is refused; the fresh tag (or none) goes through.
    stale = post(client, f"{url}/withdraw", {"kind": "revoked", "changed_on": "2026-04-02", "statement": "撤销。"},
                 head | {"HTTP_IF_MATCH": f"W/{first['ETag']}"})
    assert stale.status_code == 412 and PublicationDraft.objects.get(pk=draft.pk).status == DraftStatus.PUBLISHED
    done = post(client, f"{url}/withdraw", {"kind": "revoked", "changed_on": "2026-04-02", "statement": "撤销。"},
                head | {"HTTP_IF_MATCH": first["ETag"]})
    assert done.status_code == 200 and done.json()["status"] == DraftStatus.WITHDRAWN
