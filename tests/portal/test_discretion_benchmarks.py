"""裁量基准 published on the portal's 事前 pages with their dates (《中华人民共和国行政处罚法》第三十四条),
read from the public read model only (the refresh copies them from the registry)."""

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.procedure.discretion import Band, Benchmark, Condition, Entry, NoPenaltyRule, RangeFine, Tier
from sanxiang.publication.models import PublicAgency
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.registry import services
from sanxiang.registry.discretion_services import discretion_benchmark_add
from tests.factories import agency_make

pytestmark = pytest.mark.django_db


def test_benchmarks_are_published_with_their_dates(client):
    agency = agency_make(name="乌审旗市场监督管理局")
    matter = services.matter_create(
        actor=None,
        agency=agency,
        code="SJ-CF-009",
        name="对经营超过保质期食品的处罚",
        kind="penalty",
        legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第一百二十四条"}],
    )
    plain = services.matter_create(
        actor=None,
        agency=agency,
        code="SJ-CF-010",
        name="对其他违法行为的处罚",
        kind="penalty",
        legal_bases=[{"law": "《某条例》", "article": "第三十条"}],
    )
    entry = Entry(
        "1",
        "经营超过保质期的食品",
        "《中华人民共和国食品安全法》第三十四条",
        "《中华人民共和国食品安全法》第一百二十四条",
        RangeFine(5000 * 100, 100000 * 100),
        (
            Tier("lighter", (Condition("及时改正", "及时改正"),), Band(5000 * 100, 20000 * 100)),
            Tier("ordinary"),
        ),
    )
    for version, start, end in (
        ("1", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2", dt.date(2026, 1, 1), None),
    ):
        discretion_benchmark_add(
            actor=None,
            matter=matter,
            benchmark=Benchmark(
                matter.code,
                version,
                start,
                end,
                "某局裁量基准",
                (entry,),
                (NoPenaltyRule("first_offence", "1", 24, (), (Condition("及时改正", "及时改正"),)),),
            ),
        )
    public_registry_refresh()
    row = PublicAgency.objects.get(name="乌审旗市场监督管理局")
    published = {m["code"]: m for m in row.matters}
    assert "benchmarks" not in published[plain.code]  # a matter without one is published as before
    versions = published[matter.code]["benchmarks"]
    assert [(v["version"], v["effective_from"], v["effective_to"]) for v in versions] == [
        ("2", "2026-01-01", ""),
        ("1", "2025-01-01", "2025-12-31"),
    ]
    page = client.get(reverse("portal:agency_detail", args=[row.pk])).content.decode()
    assert page.count('data-testid="benchmark"') == 2
    assert "第2版，2026-01-01起施行" in page and "第1版，2025-01-01起施行，2025-12-31失效" in page
    assert "5000元以上20000元以下" in page and "近24个月内首次违法；及时改正" in page
