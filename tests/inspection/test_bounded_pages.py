"""The inspection pages of part A cost the same number of queries whatever the size of the
register and of the draw (lists are paged, relations prefetched)."""

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.inspection import draw_services, register_services
from sanxiang.procedure.inspection.registers import TargetSnapshot
from tests.factories import credit_code, officer_make
from tests.inspection.support import TODAY, world_make
from tests.querycount import queries_without_ledger_writes

pytestmark = pytest.mark.django_db


def _grow(world, n: int) -> None:
    for _ in range(n):
        register_services.target_save(actor=None, agency=world["agency"], snapshot=TargetSnapshot(
            name=f"增补商户{credit_code()}", credit_code=credit_code(prefix="91150626"), risk_grade="high",
            credit_grade="D", sector="餐饮"))
    for _ in range(n // 4):
        officer_make(agency=world["agency"])


def _draw(world):
    task = draw_services.draw_create(actor=world["head"], plan=world["plan"], title=f"任务{TODAY}",
                                     items=[world["item"]], period_from=world["plan"].starts_on,
                                     period_to=world["plan"].ends_on, draw_on=TODAY)
    return draw_services.draw_run(actor=world["head"], task=draw_services.draw_commit(actor=world["head"], task=task))


def _counts(world, task) -> dict[str, int]:
    client = Client()
    client.force_login(world["head"])
    counts = {}
    pages = {
        "agency": reverse("inspection:agency", args=[world["agency"].pk]),
        "targets": reverse("inspection:targets", args=[world["agency"].pk]),
        "plan": reverse("inspection:plan", args=[world["plan"].pk]),
        "draw": reverse("inspection:draw", args=[task.pk]),
    }
    for name, url in pages.items():
        with queries_without_ledger_writes() as queries:
            assert client.get(url).status_code == 200
        counts[name] = queries.count
    client.force_login(world["supervisor"])
    with queries_without_ledger_writes() as queries:
        assert client.get(reverse("inspection:home")).status_code == 200
    counts["county"] = queries.count
    return counts


def test_pages_cost_the_same_with_a_small_and_a_large_register():
    small_world = world_make(targets=8, officers=4)
    small = _counts(small_world, _draw(small_world))
    large_world = world_make(targets=8, officers=4)
    _grow(large_world, 32)
    large_task = _draw(large_world)
    assert large_task.inspections.count() > 8
    assert _counts(large_world, large_task) == small
