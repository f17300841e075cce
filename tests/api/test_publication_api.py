"""Issue 19 item 1: 事后公开 through the API. The drafts to whom the 公示审核 pages show them, the
head's approval, correction and withdrawal through publication's services (with their refusals),
and the public records as the portal shows them, without a token."""

import datetime as dt
import itertools
import json

import pytest
from django.utils import timezone

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.publication.models import (
    DraftStatus,
    PublicAgency,
    Publication,
    PublicationDraft,
    PublicationStatus,
)
from sanxiang.publication.search import SEARCH_FIELDS, search_text_build
from tests.api.query_bounds import queries_of
from tests.api.support import bearer
from tests.cases.support import LAW, lead_make, to_decided, world_make
from tests.factories import user_make

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


def post(client, url: str, body: dict, headers: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def w():
    return world_make()


def test_drafts_are_listed_and_read_as_the_pages_show_them(client, w):
    case = to_decided(w)
    draft = PublicationDraft.objects.get(case=case)
    head = bearer(w.head)
    page = client.get("/api/publication/drafts", **head)
    assert page.status_code == 200
    [item] = page.json()["items"]
    assert (item["id"], item["case_id"], item["status"], item["status_label"]) == (draft.pk, case.pk, "draft", "待审核")
    assert item["due_on"] == draft.due_on.isoformat() and "fields" not in item  # the list carries no texts
    one = client.get(f"/api/publication/drafts/{draft.pk}", **head).json()
    fields = {f["name"]: f for f in one["fields"]}
    assert fields["party_name"]["public"] == w.company.name and fields["facts"]["editable"] is True
    assert fields["party_name"]["editable"] is False
    assert one["can_publish"] is True and {c["value"] for c in one["change_kinds"]} >= {"revoked"}
    # The reading is in the access log, as the page's.
    assert AccessLogEntry.objects.filter(object_kind="publication_draft", object_id=str(draft.pk)).exists()
    assert client.get(f"/api/publication/drafts/{draft.pk}", **bearer(w.officer)).json()["can_publish"] is False

    # Another agency sees nothing of it; a supervisor lists it but reads its texts only under a read grant.
    other = world_make()
    assert client.get("/api/publication/drafts", **bearer(other.head)).json()["items"] == []
    assert client.get(f"/api/publication/drafts/{draft.pk}", **bearer(other.head)).status_code == 404
    assert [i["id"] for i in client.get("/api/publication/drafts", **bearer(w.supervisor)).json()["items"]] == [draft.pk]
    assert client.get(f"/api/publication/drafts/{draft.pk}", **bearer(w.supervisor)).status_code in (403, 404)


def test_the_draft_list_filters_and_walks_its_pages(client, w):
    first = to_decided(w)
    second = to_decided(w, lead_make(w, title="涉嫌销售过期饮料案"))
    head = bearer(w.head)
    PublicationDraft.objects.filter(case=first).update(decided_on=dt.date(2026, 3, 20))
    ids = [PublicationDraft.objects.get(case=c).pk for c in (second, first)]  # newest decision first
    seen, url = [], "/api/publication/drafts?limit=1"
    while url:
        body = client.get(url, **head).json()
        seen += [i["id"] for i in body["items"]]
        url = body["next"]
    assert seen == ids
    assert queries_of(client, "/api/publication/drafts?limit=1", head) == queries_of(client, "/api/publication/drafts", head)
    assert [i["id"] for i in client.get("/api/publication/drafts?until=2026-03-20", **head).json()["items"]] == [ids[1]]
    assert [i["id"] for i in client.get("/api/publication/drafts?since=2026-03-21", **head).json()["items"]] == [ids[0]]
    assert client.get("/api/publication/drafts?status=published", **head).json()["items"] == []
    assert client.get(f"/api/publication/drafts?agency={w.agency.pk + 1000}", **head).json()["items"] == []
    for query, field in (("status=approved", "status"), ("since=2026-04-02&until=2026-04-01", "until"),
                         ("agency=0", "agency"), ("cursor=forged", "cursor"), ("since=2026-13-01", "since")):
        answer = client.get(f"/api/publication/drafts?{query}", **head)
        assert answer.status_code == 422, query
        assert [v["field"] for v in answer.json()["violations"]] == [field], query


def test_the_head_approves_corrects_and_withdraws_through_the_services(client, w):
    """国办发〔2018〕118号 and 行政处罚法第四十八条: the head publishes; a decision revoked is withdrawn
    with a public statement of the reason."""
    case = to_decided(w)
    draft = PublicationDraft.objects.get(case=case)
    url = f"/api/publication/drafts/{draft.pk}"
    # Only the head or the administrator publishes: an officer is refused, nothing is published.
    refused = post(client, f"{url}/approve", {}, bearer(w.officer))
    assert refused.status_code == 403 and "只有本机关负责人或者管理员" in refused.json()["error"]["message"]
    assert not Publication.objects.exists()
    # A text the draft's kind has not: 422 naming it, nothing written.
    unknown = post(client, f"{url}/approve", {"texts": {"number": "x"}}, bearer(w.head))
    assert unknown.status_code == 422 and unknown.json()["violations"][0]["field"] == "texts.number"

    head = bearer(w.head)
    approved = post(client, f"{url}/approve", {"texts": {"facts": "当事人陈列销售超过保质期的纯牛奶。"}}, head)
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "published" and approved.json()["publication_id"]
    assert approved["Cache-Control"] == "no-store"  # the decision's own text: kept by no cache
    publication = Publication.objects.get(pk=approved.json()["publication_id"])
    assert publication.facts == "当事人陈列销售超过保质期的纯牛奶。"
    assert Entry.objects.filter(kind=EventKind.PUBLICATION, case_id=case.pk).count() == 1
    # Published once: a second approval is refused with the reason.
    again = post(client, f"{url}/approve", {}, head)
    assert again.status_code == 409 and again.json()["violations"][0]["code"] == "publication.not_a_draft"

    # A correction needs its reason (422 on the field); with it, the public text changes and the ledger says so.
    assert post(client, f"{url}/correct", {"texts": {"facts": "更正"}, "reason": " "}, head).status_code == 422
    corrected = post(client, f"{url}/correct", {"texts": {"facts": "当事人陈列销售过期纯牛奶12箱。"}, "reason": "数量漏写"}, head)
    assert corrected.status_code == 200
    publication.refresh_from_db()
    assert publication.facts == "当事人陈列销售过期纯牛奶12箱。"
    assert Entry.objects.filter(kind=EventKind.PUBLICATION_CORRECTED, case_id=case.pk).count() == 1

    # Withdrawal: without a statement refused with 409 and the article; an unknown kind 422.
    assert post(client, f"{url}/withdraw", {"kind": "lost", "changed_on": "2026-04-02", "statement": "x"},
                head).status_code == 422
    empty = post(client, f"{url}/withdraw", {"kind": "revoked", "changed_on": "2026-04-02", "statement": ""}, head)
    assert empty.status_code == 409
    assert any(v["legal_basis"] == f"{LAW}第四十八条第二款" for v in empty.json()["violations"])
    withdrawn = post(client, f"{url}/withdraw",
                     {"kind": "revoked", "changed_on": "2026-04-02", "statement": "经行政复议，原处罚决定被撤销。"}, head)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == DraftStatus.WITHDRAWN
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WITHDRAWN and publication.content == ""
    assert Entry.objects.filter(kind=EventKind.WITHDRAWAL, case_id=case.pk).count() == 1


def public_agency_make() -> PublicAgency:
    n = next(_serial)
    return PublicAgency.objects.create(source_id=900_000 + n, name=f"乌审旗执法机关{n}", kind="行政机关",
                                       refreshed_at=timezone.now())


def publication_make(*, agency: PublicAgency, **fields) -> Publication:
    n = next(_serial)
    today = timezone.localdate()
    values = {
        "agency_name": agency.name, "number": f"乌审旗市监处罚〔2026〕{n}号", "title": f"案件{n}",
        "party_name": f"某某商贸有限公司{n}", "party_kind": "法人及非法人组织", "party_credit_code": "91150626MA0N000000",
        "violation_type": "其他", "facts": "经查，当事人存在违法行为。", "basis": "《中华人民共和国行政处罚法》",
        "kinds": ["fine"], "kinds_label": "罚款", "content": "罚款2000元。", "fine_fen": 200000,
        "decided_on": today - dt.timedelta(days=n), "published_on": today, "display_until": today + dt.timedelta(days=365),
    } | fields
    values["search_text"] = search_text_build(texts=[values[f] for f in SEARCH_FIELDS])
    return Publication.objects.create(agency=agency, **values)


def test_the_public_records_are_what_the_portal_shows_without_a_token(client):
    agency, other = public_agency_make(), public_agency_make()
    shown = publication_make(agency=agency, content="罚款3000元。")
    withdrawn = publication_make(agency=agency, status=PublicationStatus.WITHDRAWN, withdrawn_on=timezone.localdate(),
                                 withdrawal_statement="该决定已被撤销，依法撤回公示。", party_kind="法人及非法人组织")
    publication_make(agency=agency, display_until=timezone.localdate() - dt.timedelta(days=1))  # past its period: gone
    elsewhere = publication_make(agency=other, kinds=["warning"], kinds_label="警告")
    page = client.get("/api/public/decisions")
    assert page.status_code == 200
    assert [i["id"] for i in page.json()["items"]] == [shown.pk, withdrawn.pk, elsewhere.pk]
    one = client.get(f"/api/public/decisions/{shown.pk}").json()
    assert (one["content"], one["fine_fen"], one["agency_id"]) == ("罚款3000元。", 200000, agency.source_id)
    # Withdrawn: the number, names, dates and the statement; nothing of the content.
    gone = client.get(f"/api/public/decisions/{withdrawn.pk}").json()
    assert gone["withdrawal_statement"] == "该决定已被撤销，依法撤回公示。"
    assert (gone["facts"], gone["content"], gone["kinds_label"], gone["party_kind"], gone["fine_fen"]) == ("", "", "", "", 0)
    assert client.get(f"/api/public/decisions/{shown.pk + 100}").status_code == 404
    # Filters: the agency (the registry's id), the kind, the days, a search (published ones only).
    assert [i["id"] for i in client.get(f"/api/public/decisions?agency={other.source_id}").json()["items"]] == [elsewhere.pk]
    assert [i["id"] for i in client.get("/api/public/decisions?kind=warning").json()["items"]] == [elsewhere.pk]
    day = shown.decided_on.isoformat()
    assert [i["id"] for i in client.get(f"/api/public/decisions?since={day}&until={day}").json()["items"]] == [shown.pk]
    assert [i["id"] for i in client.get("/api/public/decisions?q=3000").json()["items"]] == [shown.pk]
    seen, url = [], "/api/public/decisions?limit=2"
    while url:
        body = client.get(url).json()
        seen += [i["id"] for i in body["items"]]
        url = body["next"]
    assert seen == [shown.pk, withdrawn.pk, elsewhere.pk]
    assert queries_of(client, "/api/public/decisions?limit=1", {}) == queries_of(client, "/api/public/decisions", {})
    for query, field in (("kind=bribe", "kind"), ("since=2026-05-02&until=2026-05-01", "until"), ("q=" + "字" * 201, "q")):
        answer = client.get(f"/api/public/decisions?{query}")
        assert answer.status_code == 422 and answer.json()["violations"][0]["field"] == field, query


def test_a_supervisor_of_another_county_role_cannot_publish(client, w):
    """A publisher is the agency's head or administrator: another agency's head is refused (404: not disclosed)."""
    draft = PublicationDraft.objects.get(case=to_decided(w))
    stranger = user_make(role=Role.AGENCY_HEAD, agency=world_make().agency)
    assert post(client, f"/api/publication/drafts/{draft.pk}/approve", {}, bearer(stranger)).status_code == 404
    assert PublicationDraft.objects.get(pk=draft.pk).status == DraftStatus.DRAFT
