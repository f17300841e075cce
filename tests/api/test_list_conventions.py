"""The list conventions of the API (docs/api.md): `ordering` takes one documented key, `-` for
descending, the id the last tie-break, an unknown key a 422 on `ordering`; `since`/`until` bound the
list's main date inclusively, refused with 422 on `until` when before `since` and on either when out
of the platform's bounds; renamed filters keep their old names one release. CSRF checks on."""

import datetime as dt

import pytest
from django.utils import timezone
from ninja.errors import ValidationError

from sanxiang.accounts.models import Role
from sanxiang.api.pagination import date_range_check, order_resolve, paginate_rows
from sanxiang.cases.models import Case, CaseProjection
from sanxiang.cases.services import case_create
from sanxiang.supervision.services import matter_open
from tests.api.support import bearer
from tests.factories import agency_make, officer_make, user_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db

KEYS = {"name": ("name", "名称"), "id": ("id", "登记先后")}


def test_order_resolve_appends_the_primary_key_in_the_same_direction_and_refuses_an_unknown_key():
    # `pk`, not `id`: Django resolves it to the model's own primary key, whatever its name.
    assert order_resolve("name", keys=KEYS, default="id") == ("name", "pk")
    assert order_resolve("-name", keys=KEYS, default="id") == ("-name", "-pk")
    assert order_resolve("-id", keys=KEYS, default="id") == ("-pk",)
    assert order_resolve(None, keys=KEYS, default="-name") == ("-name", "-pk")
    for bad in ("title", "--name", "name-", ""):
        if bad == "":
            continue  # an empty value is the default
        with pytest.raises(ValidationError) as refused:
            order_resolve(bad, keys=KEYS, default="id")
        assert refused.value.errors[0]["loc"] == ("query", "ordering")


def test_date_range_check_names_the_field():
    date_range_check(dt.date(2026, 1, 1), dt.date(2026, 1, 1))  # one day: allowed
    for since, until, field in ((dt.date(2026, 2, 1), dt.date(2026, 1, 1), "until"),
                                (dt.date(1989, 12, 31), None, "since"), (None, dt.date(2100, 1, 1), "until")):
        with pytest.raises(ValidationError) as refused:
            date_range_check(since, until)
        assert refused.value.errors[0]["loc"] == ("query", field)


@pytest.fixture
def cases():
    agency, other = agency_make(name="乌审旗市场监督管理局"), agency_make(name="乌审旗交通运输局")
    made = [case_create(actor=None, agency=agency, title=f"案件{i}", procedure="ordinary") for i in range(7)]
    case_create(actor=None, agency=other, title="他机关案件", procedure="ordinary")
    # Registered on three days: 2 ten days ago, 3 five days ago, 2 today.
    now = timezone.now()
    Case.objects.filter(pk__in=[c.pk for c in made[:2]]).update(created_at=now - dt.timedelta(days=10))
    Case.objects.filter(pk__in=[c.pk for c in made[2:5]]).update(created_at=now - dt.timedelta(days=5))
    return agency, made, bearer(user_make(role=Role.OFFICER, agency=agency))


def walk(client, auth, url: str) -> list[int]:
    seen = []
    while url:
        response = client.get(url, **auth)
        assert response.status_code == 200, response.content
        seen += [item["id"] for item in response.json()["items"]]
        url = response.json()["next"]
    return seen


def test_cases_ordered_by_number_both_ways_in_pages_and_filtered_by_day(client, cases):
    agency, made, auth = cases
    by_number = list(Case.objects.filter(agency=agency).order_by("number", "id").values_list("pk", flat=True))
    assert walk(client, auth, "/api/cases?ordering=number&limit=3") == by_number
    assert walk(client, auth, "/api/cases?ordering=-number&limit=2") == by_number[::-1]
    today = timezone.localdate()
    five_days_ago = (today - dt.timedelta(days=5)).isoformat()
    middle = walk(client, auth, f"/api/cases?since={five_days_ago}&until={five_days_ago}")
    assert sorted(middle) == sorted(c.pk for c in made[2:5])
    assert sorted(walk(client, auth, f"/api/cases?since={five_days_ago}")) == sorted(c.pk for c in made[2:])
    assert sorted(walk(client, auth, f"/api/cases?until={five_days_ago}")) == sorted(c.pk for c in made[:5])


@pytest.mark.parametrize(("query", "field"), [
    ("ordering=title", "ordering"),
    ("ordering=--number", "ordering"),
    ("since=2026-03-01&until=2026-02-01", "until"),
    ("since=1989-12-31", "since"),
    ("until=2100-01-01", "until"),
    ("since=2026-02-30", "since"),
    ("status=no_such_state", "status"),
    ("agency=0", "agency"),
])
def test_a_bad_ordering_date_range_or_filter_is_a_422_naming_the_field(client, cases, query, field):
    *_, auth = cases
    response = client.get(f"/api/cases?{query}", **auth)
    assert response.status_code == 422, response.content
    assert [v["field"] for v in response.json()["violations"]] == [field]


def test_a_cursor_is_refused_under_another_ordering(client, cases):
    *_, auth = cases
    cursor = client.get("/api/cases?ordering=number&limit=2", **auth).json()["next_cursor"]
    assert client.get(f"/api/cases?ordering=number&cursor={cursor}", **auth).status_code == 200
    refused = client.get(f"/api/cases?ordering=-number&cursor={cursor}", **auth)
    assert refused.status_code == 422
    assert [v["field"] for v in refused.json()["violations"]] == ["cursor"]


def test_registry_lists_take_status_and_ordering(client):
    agency = agency_make(name="乌审旗市场监督管理局")
    a, b = officer_make(agency=agency, name="乙"), officer_make(agency=agency, name="甲")
    officer_make(agency=agency, name="丙", status="retired")
    auth = bearer(user_make(role=Role.AGENCY_ADMIN, agency=agency))
    active = client.get("/api/registry/officers?status=active&ordering=-id", **auth).json()["items"]
    assert [o["id"] for o in active] == [b.pk, a.pk]
    assert client.get("/api/registry/officers?status=gone", **auth).status_code == 422
    names = [x["name"] for x in client.get("/api/registry/agencies?ordering=-name", **auth).json()["items"]]
    assert names == sorted(names, reverse=True)


def test_supervision_matters_filter_by_status_and_received_on_and_keep_the_old_state_name(client):
    desk = desk_make()
    today = dt.date.today()
    old = matter_open(bureau=desk.bureau, agency=desk.agency, source="routine", subject="旧事项", summary="。",
                      received_on=today - dt.timedelta(days=30), actor=desk.first)
    new = matter_open(bureau=desk.bureau, agency=desk.agency, source="routine", subject="新事项", summary="。",
                      received_on=today, actor=desk.first)
    auth = bearer(desk.first)

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/supervision/matters?{query}", **auth)
        assert response.status_code == 200, response.content
        return [m["id"] for m in response.json()["items"]]

    assert ids("") == [new.pk, old.pk]
    assert ids("ordering=received_on") == [old.pk, new.pk]
    assert ids(f"since={(today - dt.timedelta(days=1)).isoformat()}") == [new.pk]
    assert ids(f"until={(today - dt.timedelta(days=1)).isoformat()}") == [old.pk]
    assert ids(f"status={new.state}") == [new.pk, old.pk]
    assert ids("status=concluded") == []
    assert ids("state=concluded") == []  # the first release's name, deprecated
    assert client.get("/api/supervision/matters?status=bogus", **auth).status_code == 422
    assert client.get("/api/supervision/matters?source=bogus", **auth).status_code == 422


@pytest.mark.parametrize(("query", "field"), [
    ("since=2026-01-01", "until"),
    ("since=2026-03-01&until=2026-01-01", "until"),
    ("since=2026-01-01&until=2026-02-01&start=2026-01-01&end=2026-02-01", "since"),
])
def test_indicators_take_since_and_until_and_refuse_a_bad_range(client, query, field):
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="乌审旗市场监督管理局")))
    response = client.get(f"/api/indicators?{query}", **head)
    assert response.status_code == 422, response.content
    assert [v["field"] for v in response.json()["violations"]] == [field]


def test_indicators_since_until_and_the_old_start_end_give_the_same_period(client):
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="乌审旗市场监督管理局")))
    new = client.get("/api/indicators?since=2026-01-01&until=2026-02-15", **head)
    old = client.get("/api/indicators?start=2026-01-01&end=2026-02-15", **head)
    assert new.status_code == old.status_code == 200, new.content
    assert (new.json()["period_start"], new.json()["period_end"]) == ("2026-01-01", "2026-02-15")
    assert new.json() == old.json()


def test_deliveries_filter_by_subscription_and_keep_the_old_subscription_id_name(client):
    agency = agency_make(name="乌审旗市场监督管理局")
    admin = bearer(user_make(role=Role.AGENCY_ADMIN, agency=agency))
    for query in ("subscription=1", "subscription_id=1", "status=failed", "ordering=id"):
        response = client.get(f"/api/outbox/deliveries?{query}", **admin)
        assert response.status_code == 200, (query, response.content)
        assert response.json()["items"] == []
    for query, field in (("subscription=0", "subscription"), ("status=lost", "status"), ("ordering=-status", "ordering")):
        response = client.get(f"/api/outbox/deliveries?{query}", **admin)
        assert response.status_code == 422 and [v["field"] for v in response.json()["violations"]] == [field]


def test_public_decisions_take_ordering_and_a_search_keeps_newest_first(client):
    """The public list orders by 公示日期 when asked (ids in pages, the id the tie-break); a search's
    pages come newest decision first only (the dated index), so another ordering with `q` is a 422."""
    from tests.api.test_publication_api import public_agency_make, publication_make

    agency = public_agency_make()
    today = timezone.localdate()
    rows = [publication_make(agency=agency, content=f"广告罚款{n}元。", published_on=today - dt.timedelta(days=n))
            for n in range(4)]
    by_published = [p.pk for p in sorted(rows, key=lambda p: (p.published_on, p.pk))]
    assert walk(client, {}, f"/api/public/decisions?agency={agency.source_id}&ordering=published_on&limit=3") == by_published
    assert walk(client, {}, f"/api/public/decisions?agency={agency.source_id}&ordering=-published_on&limit=2") == (
        by_published[::-1])
    assert client.get("/api/public/decisions?q=广告&ordering=-decided_on").status_code == 200
    refused = client.get("/api/public/decisions?q=广告&ordering=published_on")
    assert refused.status_code == 422 and refused.json()["violations"][0]["field"] == "ordering"
    unknown = client.get("/api/public/decisions?ordering=party_name")
    assert unknown.status_code == 422 and unknown.json()["violations"][0]["field"] == "ordering"


def test_a_model_whose_primary_key_is_not_id_is_paged_in_its_order(cases):
    # A case's projection has the case as its primary key (no `id`): the order ended with `id`
    # before, and the first page was a FieldError.
    keys = {"roles_next": ("roles_next", "下一步办理角色"), "id": ("id", "案件")}
    CaseProjection.objects.filter(case__in=cases[1][:3]).update(roles_next=",agency_head,")
    for ordering in ("roles_next", "-roles_next", "id", "-id"):
        order = order_resolve(ordering, keys=keys, default="id")
        seen, cursor = [], None
        while True:
            page = paginate_rows(CaseProjection.objects.all(), order=order, limit=3, cursor=cursor,
                                 path="/api/x", query={}, item=lambda row: row.case_id)
            seen += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        expected = list(CaseProjection.objects.order_by(*order).values_list("case_id", flat=True))
        assert seen == expected and len(seen) == Case.objects.count() == 8
