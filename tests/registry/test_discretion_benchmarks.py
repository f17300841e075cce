"""裁量基准 stored as versions of a matter (《中华人民共和国行政处罚法》第三十四条), added through a
service that records each version in the ledger, and imported from Excel all-or-nothing with every
error by row and column."""

import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry as LedgerEntry
from sanxiang.procedure.discretion import REPEAT_FACT, Benchmark, propose
from sanxiang.procedure.violations import Refused
from sanxiang.registry import services
from sanxiang.registry.discretion_excel import (
    COLUMNS,
    EXAMPLE_ROWS,
    conditions_parse,
    discretion_import,
    discretion_template_build,
)
from sanxiang.registry.discretion_selectors import discretion_benchmark_in_force
from sanxiang.registry.discretion_services import discretion_benchmark_add
from sanxiang.registry.models import DiscretionBenchmark
from tests.factories import agency_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def matter():
    agency = agency_make()
    return services.matter_create(
        actor=None,
        agency=agency,
        code="SC-001",
        name="对未公示营业执照的处罚",
        kind="penalty",
        legal_bases=[{"law": "《某条例》", "article": "第三十条"}],
    )


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "裁量基准"
    sheet.append([header for _, header in COLUMNS])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_template_imports_and_the_version_is_ledgered(matter):
    template = load_workbook(io.BytesIO(discretion_template_build()))
    assert [c.value for c in template["裁量基准"][1]] == [header for _, header in COLUMNS]
    report = discretion_import(actor=None, file=workbook(EXAMPLE_ROWS))
    assert report.ok, report.errors
    assert report.versions == ["SC-001 第1版"]
    row = DiscretionBenchmark.objects.get()
    entry = LedgerEntry.objects.filter(kind=EventKind.DISCRETION_BENCHMARK_ADDED).get()
    payload = json.loads(bytes(entry.body))["payload"]
    assert payload["content_sha256"] == row.content_sha256 and payload["version"] == "1"
    benchmark = discretion_benchmark_in_force(matter=matter, on=dt.date(2025, 5, 1)).as_benchmark()
    [entry_] = benchmark.entries
    assert [t.level for t in entry_.tiers] == ["heavier", "lighter", "ordinary"]
    assert benchmark.no_penalty[0].kind == "first_offence" and benchmark.no_penalty[0].lookback_months == 12
    proposal = propose(benchmark, "1", {"及时改正": True, "危害后果轻微": True}, act_on=dt.date(2025, 5, 1))
    assert proposal.tier.level == "lighter" and proposal.suggested_fen == 200000
    assert discretion_benchmark_in_force(matter=matter, on=dt.date(2024, 12, 31)) is None


def test_import_is_all_or_nothing_with_errors_by_row_and_column(matter):
    rows = [list(r) for r in EXAMPLE_ROWS]
    rows[0][9] = "按比例"  # 罚款模式
    rows[1][16] = "特别从轻"  # 裁量阶次
    rows[2][18] = "三千"  # 阶次下限
    second = [
        "SC-404",
        "1",
        "2025-13-01",
        "",
        "x",
        "1",
        "a",
        "b",
        "c",
        "幅度",
        1,
        2,
        "",
        "",
        "",
        "",
        "一般处罚",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    report = discretion_import(actor=None, file=workbook([*rows, second]))
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(2, "罚款模式"), (3, "裁量阶次"), (4, "阶次下限（元）"), (6, "施行日期")}
    assert "“按比例”不是罚款模式" in next(e.message for e in report.errors if e.row == 2)
    assert DiscretionBenchmark.objects.count() == 0
    assert not LedgerEntry.objects.filter(kind=EventKind.DISCRETION_BENCHMARK_ADDED).exists()


def test_a_version_is_never_replaced_and_bands_stay_within_the_statute(matter):
    assert discretion_import(actor=None, file=workbook(EXAMPLE_ROWS)).ok
    rows = [list(r) for r in EXAMPLE_ROWS]
    rows[0][19] = 9000  # 从重 up to 9000 元 above the statutory 5000
    report = discretion_import(actor=None, file=workbook(rows))
    messages = [e.message for e in report.errors]
    assert any("已有第1版裁量基准" in m for m in messages)
    assert any("超出法定幅度" in m for m in messages)
    assert all(e.row == 2 for e in report.errors)
    assert DiscretionBenchmark.objects.count() == 1


def test_refused_version_writes_nothing(matter):
    with pytest.raises(Refused) as refused:
        discretion_benchmark_add(
            actor=None,
            matter=matter,
            benchmark=Benchmark("OTHER", "", dt.date(2025, 2, 1), dt.date(2025, 1, 1), ""),
        )
    assert {v.code for v in refused.value.violations} == {
        "discretion.dates",
        "discretion.empty",
        "discretion.matter",
        "discretion.version",
        "discretion.source",
    }
    assert DiscretionBenchmark.objects.count() == 0


def test_conditions_syntax():
    parsed = conditions_parse("及时改正；危害后果：否；违法所得<=5000元；同类违法次数≥1")
    assert [(c.fact, c.op, c.value, c.unit) for c in parsed] == [
        ("及时改正", "true", 0, ""),
        ("危害后果", "false", 0, ""),
        ("违法所得", "<=", 500000, "元"),
        (REPEAT_FACT, ">=", 1, ""),
    ]


def test_page_imports_shows_versions_and_costs_the_same_at_two_sizes(client, matter):
    from django.urls import reverse

    from tests.factories import user_make
    from tests.querycount import queries_without_ledger_writes

    url = reverse("registry:matter_discretion", args=[matter.pk])
    client.force_login(user_make(role="agency_admin", agency=matter.agency))
    bad = [list(r) for r in EXAMPLE_ROWS]
    bad[0][9] = "按比例"
    response = client.post(url, {"file": _upload(bad)})
    assert response.status_code == 422
    assert "第2行" in response.content.decode() and "“按比例”不是罚款模式" in response.content.decode()
    response = client.post(url, {"file": _upload(EXAMPLE_ROWS)})
    assert response.status_code == 200 and "导入成功" in response.content.decode()
    with queries_without_ledger_writes() as one:
        page = client.get(url).content.decode()
    assert "从轻处罚" in page and "及时改正；危害后果轻微" in page and "1000元以上3000元以下" in page
    assert "首违不罚" in page and "2025-01-01" in page
    second = [list(r) for r in EXAMPLE_ROWS]
    second[0][1] = "2"
    second[0][2] = "2026-01-01"
    assert client.post(url, {"file": _upload(second)}).status_code == 200
    with queries_without_ledger_writes() as two:
        client.get(url)
    assert one.count == two.count
    # An officer reads the page but cannot import.
    client.force_login(user_make(role="officer", agency=matter.agency))
    assert client.get(url).status_code == 200
    assert client.post(url, {"file": _upload(EXAMPLE_ROWS)}).status_code == 403


def _upload(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bench.xlsx", workbook(rows).getvalue())
