"""Issue 19: 法制审核目录 through the API. An agency's catalogue of the decisions that need legal review
(国办发〔2018〕118号), read by the agency's staff, supervisors and system administrators, changed by
its head or agency administrator, published (in force, public) by its head, as the pages do."""

import json

import pytest

from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.registry.models import Matter
from sanxiang.review.models import CataloguePublication
from tests.api.support import bearer
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db

URL = "/api/review-catalogues"


@pytest.fixture
def agencies():
    market, other = agency_make(name="乌审旗市场监督管理局"), agency_make(name="乌审旗交通运输局")
    return {
        "market": market, "other": other,
        "matter": Matter.objects.create(agency=market, code="M-CAT-1", name="无证经营的处罚", kind="penalty",
                                        legal_bases=[]),
        "foreign": Matter.objects.create(agency=other, code="M-CAT-2", name="超限运输的处罚", kind="penalty",
                                         legal_bases=[]),
        "head": user_make(role=Role.AGENCY_HEAD, agency=market),
        "admin": user_make(role=Role.AGENCY_ADMIN, agency=market),
        "officer": user_make(role=Role.OFFICER, agency=market),
    }


def send(client, method: str, url: str, auth: dict, body: dict | None = None):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json", **auth)


def test_the_catalogues_listed_and_read_by_whom_the_pages_show_them(client, agencies):
    market, other = agencies["market"].pk, agencies["other"].pk
    officer = bearer(agencies["officer"])
    answer = client.get(URL, **officer)
    assert answer.status_code == 200
    assert [i["agency_id"] for i in answer.json()["items"]] == [market]
    assert answer.json()["items"][0]["latest_version"] is None

    one = client.get(f"{URL}/{market}", **officer)
    assert one.status_code == 200
    body = one.json()
    # Never saved: the parameters' defaults, not yet published, the officer may neither change nor publish.
    assert body["saved"] is False and body["unpublished_changes"] is True and body["publications"] == []
    assert body["fine_natural_person_fen"] > 0 and body["content"]["agency_name"] == "乌审旗市场监督管理局"
    assert (body["can_edit"], body["can_publish"]) == (False, False)
    assert client.get(f"{URL}/{other}", **officer).status_code == 404
    assert client.get(f"{URL}/{market}", **bearer(agencies["head"])).json()["can_publish"] is True

    admin = bearer(user_make(role=Role.SYSTEM_ADMIN))
    listed = client.get(f"{URL}?ordering=-id&limit=1", **admin).json()
    assert listed["items"][0]["agency_id"] == other and listed["next"]
    assert client.get(f"{URL}/{other}", **admin).status_code == 200
    for query, field in (("ordering=lost", "ordering"), ("cursor=x", "cursor"), ("limit=0", "limit")):
        bad = client.get(f"{URL}?{query}", **admin)
        assert bad.status_code == 422 and bad.json()["violations"][0]["field"] == field, query


def test_the_catalogue_changed_and_published_as_the_pages_do(client, agencies):
    market = agencies["market"].pk
    url, head = f"{URL}/{market}", bearer(agencies["head"])
    changed = send(client, "patch", url, bearer(agencies["admin"]), {
        "kinds": ["revoke_permit", "suspend_business"], "fine_natural_person_fen": 500000,
        "amount_inclusive": True, "matter_ids": [agencies["matter"].pk], "explanation": "依据本局实际"})
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert [k["code"] for k in body["kinds"]] == ["revoke_permit", "suspend_business"]
    assert body["fine_natural_person_fen"] == 500000 and body["amount_inclusive"] is True and body["saved"] is True
    assert [m["code"] for m in body["matters"]] == ["M-CAT-1"] and body["explanation"] == "依据本局实际"
    assert body["content"]["thresholds"]["natural_person_text"].startswith("5000")
    assert Entry.objects.filter(kind=EventKind.REVIEW_CATALOGUE_UPDATED).count() == 1
    # A field left out keeps its value.
    kept = send(client, "patch", url, head, {"discretion_deviation": False}).json()
    assert kept["fine_natural_person_fen"] == 500000 and kept["discretion_deviation"] is False

    # Refused, nothing written: every field named.
    bad = send(client, "patch", url, head, {"fine_natural_person_fen": 0, "matter_ids": [agencies["foreign"].pk]})
    assert bad.status_code == 422
    assert {v["field"] for v in bad.json()["violations"]} == {"fine_natural_person_fen", "matter_ids"}
    for body_, field in (({"kinds": ["flogging"]}, "kinds"), ({"discussion_for": ["any"]}, "discussion_for"),
                         ({"fine_organization_fen": -1}, "fine_organization_fen")):
        refused = send(client, "patch", url, head, body_)
        assert refused.status_code == 422 and refused.json()["violations"][0]["field"].startswith(field), body_
    assert client.get(url, **head).json()["fine_natural_person_fen"] == 500000

    assert send(client, "patch", url, bearer(agencies["officer"]), {"amount_inclusive": False}).status_code == 403
    assert send(client, "patch", f"{URL}/{agencies['other'].pk}", head, {"amount_inclusive": False}).status_code == 404

    # Publishing: the head only; once, then 409 until changed again.
    publish = f"{url}/actions/publish"
    assert send(client, "post", publish, bearer(agencies["admin"])).status_code == 403
    assert send(client, "post", f"{URL}/{agencies['other'].pk}/actions/publish", head).status_code == 404
    auth = head | {"HTTP_IDEMPOTENCY_KEY": "5f1d2c3b-catalogue-1"}
    once, twice = (send(client, "post", publish, auth) for _ in range(2))
    assert once.status_code == twice.status_code == 200 and once.json() == twice.json()
    assert [p["version"] for p in once.json()["publications"]] == [1] and once.json()["unpublished_changes"] is False
    assert CataloguePublication.objects.filter(agency_id=market).count() == 1
    again = send(client, "post", publish, head)
    assert again.status_code == 409 and "没有修改" in again.json()["violations"][0]["message"]
    assert client.get(URL, **head).json()["items"][0]["latest_version"] == 1
