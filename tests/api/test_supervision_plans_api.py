"""Issue 19: the 司法局's annual supervision work plan through the API, as its pages: drafted, items
added, approved by a second supervisor (not the drafter; a plan without items cannot be approved),
published on the portal, and a supervision matter opened from an item about one of its agencies.
Only the bureau's supervisors (a system administrator reads). Bearer token, CSRF checks on."""

import datetime as dt
import json

import pytest

from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.publication.models import PublicSupervisionPlan
from sanxiang.supervision.models import Matter, Plan, PlanItem
from tests.api.support import bearer
from tests.factories import agency_make, user_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year
URL = "/api/supervision/plans"


def post(client, url: str, auth: dict, body: dict | None = None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **auth)


def test_a_plan_is_drafted_filled_approved_by_a_second_supervisor_published_and_carried_out(client):
    desk = desk_make()
    first, second = bearer(desk.first), bearer(desk.second)
    drafted = post(client, URL, first, {"year": YEAR, "title": f"{YEAR}年度行政执法监督工作计划", "objectives": "全面监督"})
    assert drafted.status_code == 201, drafted.content
    plan = drafted.json()
    assert plan["status"] == "draft" and plan["items"] == [] and plan["publish_blockers"] == ["计划须经批准后才能公开"]
    url = f"{URL}/{plan['id']}"
    # A second plan for the same year: 422 on year.
    taken = post(client, URL, second, {"year": YEAR, "title": "又一份", "objectives": "目标"})
    assert taken.status_code == 422 and [v["field"] for v in taken.json()["violations"]] == ["year"]

    # Without items, the colleague's approval is refused (409, the reason).
    empty = post(client, f"{url}/approve", second)
    assert empty.status_code == 409 and [v["code"] for v in empty.json()["violations"]] == ["plan.empty"]
    item = {"kind": "focused", "subject": "行政处罚决定公示", "agency_ids": [desk.agency.pk], "months": [3, 9],
            "supervisor_ids": [desk.first.pk, desk.second.pk]}
    elsewhere = agency_make(name="外县局", region_code="150627")
    for bad, field in [({"agency_ids": [elsewhere.pk]}, "agency_ids"), ({"supervisor_ids": [desk.first.pk, 10**6]},
                       "supervisor_ids"), ({"months": [13]}, "months"), ({"subject": "  "}, "subject"),
                       ({"agency_ids": []}, "agencies")]:
        response = post(client, f"{url}/items", first, item | bad)
        assert response.status_code == 422, (bad, response.content)
        assert field in [v["field"] for v in response.json()["violations"]], (bad, response.json())
    assert not PlanItem.objects.exists()
    added = post(client, f"{url}/items", first, item)
    assert added.status_code == 201, added.content
    [row] = added.json()["items"]
    assert row["kind_label"] == "重点监督" and row["months"] == [3, 9] and row["agency_ids"] == [desk.agency.pk]

    # The drafter may not approve: 409 with the reason; the colleague may.
    own = post(client, f"{url}/approve", first)
    assert own.status_code == 409 and [v["code"] for v in own.json()["violations"]] == ["plan.same_person"]
    assert client.get(url, **first).json()["approve_blockers"] == ["须由起草人以外的本局监督人员审核批准"]
    approved = post(client, f"{url}/approve", second)
    assert approved.status_code == 200 and approved.json()["status"] == "approved", approved.content
    late = post(client, f"{url}/items", first, item)
    assert late.status_code == 409 and "plan.item_state" in [v["code"] for v in late.json()["violations"]]

    # A matter from the item: about an agency it does not name, 409; about its agency, opened (201).
    other = agency_make(name="本县另一局")
    matter_url = f"{url}/items/{row['id']}/matter"
    wrong = post(client, matter_url, first, {"agency_id": other.pk})
    assert wrong.status_code == 409 and [v["code"] for v in wrong.json()["violations"]] == ["plan.matter_agency"]
    assert post(client, matter_url, first, {"agency_id": elsewhere.pk}).status_code == 422
    opened = post(client, matter_url, first, {"agency_id": desk.agency.pk})
    assert opened.status_code == 201, opened.content
    matter = Matter.objects.get(pk=opened.json()["matter_id"])
    assert matter.agency == desk.agency and opened.json()["plan"]["items"][0]["matter_ids"] == [matter.pk]

    published = post(client, f"{url}/publish", first)
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert PublicSupervisionPlan.objects.count() == 1
    assert post(client, f"{url}/publish", first).status_code == 409
    assert Entry.objects.filter(kind=EventKind.SUPERVISION_PLAN_PUBLISHED).count() == 1

    # Who reads: another bureau's supervisor 404, an agency's head 403, a system administrator all.
    outsider = bearer(desk_make().first)
    assert client.get(url, **outsider).status_code == 404 and client.get(URL, **outsider).json()["items"] == []
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))
    assert client.get(URL, **head).status_code == 403 and client.get(url, **head).status_code == 403
    assert post(client, URL, head, {"year": YEAR, "title": "t", "objectives": "o"}).status_code == 403
    admin = bearer(user_make(role=Role.SYSTEM_ADMIN))
    assert [p["id"] for p in client.get(URL, **admin).json()["items"]] == [plan["id"]]


def test_plans_are_listed_with_the_list_conventions(client):
    desk = desk_make()
    first = bearer(desk.first)
    ids = [post(client, URL, first, {"year": year, "title": f"{year}年计划", "objectives": "目标"}).json()["id"]
           for year in (YEAR - 1, YEAR, YEAR + 1)]
    assert Plan.objects.count() == 3

    def listed(query: str = "") -> list[int]:
        url, seen = f"{URL}?limit=2{query}", []
        while url:
            page = client.get(url, **first).json()
            seen += [p["id"] for p in page["items"]]
            url = page["next"]
        return seen

    assert listed() == ids[::-1] and listed("&ordering=year") == ids
    assert listed(f"&year={YEAR}") == [ids[1]] and listed("&status=approved") == []
    for bad in ("status=done", "ordering=title", "year=1999"):
        response = client.get(f"{URL}?{bad}", **first)
        assert response.status_code == 422 and response.json()["violations"][0]["field"], bad


def test_the_plans_pdf_to_the_bureaus_supervisors_only(client, monkeypatch):
    desk = desk_make()
    first = bearer(desk.first)
    plan = post(client, URL, first, {"year": YEAR, "title": f"{YEAR}年度监督计划", "objectives": "全面监督"}).json()
    pdf = client.get(f"{URL}/{plan['id']}/pdf", **first)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]
    # As every other file the API serves: an attachment, never sniffed, sandboxed if a browser opens it.
    assert pdf["Content-Disposition"].startswith("attachment")
    assert (pdf["Content-Security-Policy"], pdf["X-Content-Type-Options"]) == ("sandbox", "nosniff")
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))
    assert client.get(f"{URL}/{plan['id']}/pdf", **head).status_code == 403
    assert client.get(f"{URL}/{plan['id']}/pdf", **bearer(desk_make().first)).status_code == 404
    # A character the PDF's font cannot print (none with the embedded font; the standard font's
    # UCS-2 cannot carry 𠮷): 409 naming it, as the page's message.
    from sanxiang.api import supervision_plans
    from sanxiang.documents.pdf import CharactersUnprintable

    def unprintable(context):
        raise CharactersUnprintable(["𠮷"])

    monkeypatch.setattr(supervision_plans, "plan_render_pdf", unprintable)
    refused = client.get(f"{URL}/{plan['id']}/pdf", **first)
    assert refused.status_code == 409 and "𠮷" in refused.json()["violations"][0]["message"]
