"""Issue 19 item 1: the 检查计划 and the 双随机抽查任务 read through the API by whom the registers'
pages show them to: the agency's roles their agency's, the county's supervisors every agency's of
their county; another agency or county sees none. The lists' conventions (filters, ordering, 422)."""

import datetime as dt

import pytest

from sanxiang.accounts.models import Role
from sanxiang.inspection import draw_services
from tests.api.support import bearer
from tests.factories import agency_make, user_make
from tests.inspection.support import TODAY, world_make

pytestmark = pytest.mark.django_db


def test_plans_and_draws_are_listed_to_the_agency_and_the_county_and_to_no_one_else(client):
    world = world_make()
    task = draw_services.draw_create(actor=world["head"], plan=world["plan"], title="第一批食品经营者抽查",
                                     items=[world["item"]], period_from=dt.date(TODAY.year, 1, 1),
                                     period_to=dt.date(TODAY.year, 12, 31), draw_on=TODAY)
    for reader in (world["head"], world["supervisor"]):
        headers = bearer(reader)
        plans = client.get("/api/inspection-plans", **headers).json()["items"]
        assert [p["id"] for p in plans] == [world["plan"].pk], reader.role
        assert plans[0]["status"] == "published" and plans[0]["status_label"]
        draws = client.get(f"/api/inspection-draws?plan={world['plan'].pk}", **headers).json()["items"]
        assert [d["id"] for d in draws] == [task.pk] and draws[0]["agency_id"] == world["agency"].pk
    head = bearer(world["head"])
    assert client.get("/api/inspection-plans?status=draft", **head).json()["items"] == []
    assert client.get(f"/api/inspection-draws?since={(TODAY + dt.timedelta(days=1)).isoformat()}",
                      **head).json()["items"] == []
    for stranger in (user_make(role=Role.AGENCY_HEAD, agency=agency_make(name="乌审旗交通运输局")),
                     user_make(role=Role.SUPERVISOR, agency=agency_make(is_judicial_bureau=True, region_code="150627"))):
        headers = bearer(stranger)
        assert client.get("/api/inspection-plans", **headers).json()["items"] == [], stranger.role
        assert client.get("/api/inspection-draws", **headers).json()["items"] == [], stranger.role


@pytest.mark.parametrize(("path", "query", "field"), [
    ("inspection-plans", "status=done", "status"), ("inspection-plans", "ordering=year", "ordering"),
    ("inspection-draws", "since=2026-02-30", "since"), ("inspection-draws", "plan=0", "plan"),
])
def test_bad_parameters_are_422_naming_the_field(client, path, query, field):
    answer = client.get(f"/api/{path}?{query}", **bearer(user_make(role=Role.AGENCY_HEAD, agency=agency_make())))
    assert answer.status_code == 422
    assert field in [v["field"] for v in answer.json()["violations"]]
