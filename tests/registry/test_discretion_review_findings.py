"""Probes of the attacker review of the 裁量基准 import (procedure.discretion, registry.discretion_excel):
odd cells and odd files are reported by row and column, never raised; a benchmark whose tiers can
never apply, or whose 减轻 tier leaves the statute, is refused with every reason."""

import datetime as dt
import io
import zipfile

import pytest

from sanxiang.procedure.discretion import (
    STATUTORY_LIMITS_INCLUSIVE,
    Band,
    Benchmark,
    Condition,
    Entry,
    RangeFine,
    Tier,
    benchmark_problems,
    default_band,
)
from sanxiang.registry import services
from sanxiang.registry.discretion_excel import COLUMNS, EXAMPLE_ROWS, discretion_import
from sanxiang.registry.models import DiscretionBenchmark
from tests.factories import agency_make
from tests.registry.test_discretion_benchmarks import workbook

pytestmark = pytest.mark.django_db

COLUMN = {name: index for index, (name, _) in enumerate(COLUMNS)}
HEADER = dict(COLUMNS)


@pytest.fixture
def matter():
    return services.matter_create(
        actor=None,
        agency=agency_make(),
        code="SC-001",
        name="对未公示营业执照的处罚",
        kind="penalty",
        legal_bases=[{"law": "《某条例》", "article": "第三十条"}],
    )


def _rows(**cells) -> list[list]:
    rows = [list(row) for row in EXAMPLE_ROWS]
    for name, value in cells.items():
        rows[0][COLUMN[name]] = value
    return rows


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", "1e999999999", "1e30"])
def test_an_amount_that_is_no_finite_number_within_range_is_reported_by_row_and_column(matter, value):
    report = discretion_import(actor=None, file=workbook(_rows(min_yuan=value)))
    assert not report.ok and report.versions == []
    assert (2, HEADER["min_yuan"]) in {(e.row, e.column) for e in report.errors}
    assert DiscretionBenchmark.objects.count() == 0


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e999999999"])
def test_a_multiple_that_is_no_finite_number_is_reported(matter, value):
    rows = _rows(model="倍数", base_label="违法所得", min_multiple=value, max_multiple="5")
    report = discretion_import(actor=None, file=workbook(rows))
    assert not report.ok
    assert (2, HEADER["min_multiple"]) in {(e.row, e.column) for e in report.errors}


def test_a_condition_threshold_out_of_range_is_reported(matter):
    report = discretion_import(actor=None, file=workbook(_rows(conditions="违法所得<=" + "9" * 40 + "元")))
    assert not report.ok
    assert (2, HEADER["conditions"]) in {(e.row, e.column) for e in report.errors}


def test_a_lookback_written_in_other_digits_is_reported_not_raised(matter):
    rows = [list(row) for row in EXAMPLE_ROWS]
    rows[3][COLUMN["lookback_months"]] = "²"
    report = discretion_import(actor=None, file=workbook(rows))
    assert not report.ok
    assert (5, HEADER["lookback_months"]) in {(e.row, e.column) for e in report.errors}


def test_a_workbook_whose_sheet_cannot_be_read_is_reported_not_raised(matter):
    good = workbook(EXAMPLE_ROWS).getvalue()
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = content[: len(content) // 2]  # cut in the middle of the XML
            target.writestr(item, content)
    broken.seek(0)
    report = discretion_import(actor=None, file=broken)
    assert not report.ok and report.errors[0].row == 0
    assert "无法读取" in report.errors[0].message
    assert DiscretionBenchmark.objects.count() == 0


def test_a_file_with_the_header_alone_imports_nothing_and_says_so(matter):
    report = discretion_import(actor=None, file=workbook([]))
    assert not report.ok and report.versions == []
    assert "没有数据" in report.errors[0].message


# --- the benchmark's own defects --------------------------------------------------------------------

STATUTE = RangeFine(1000_00, 5000_00)
CORRECTED = Condition("及时改正", "及时改正")


def _benchmark(*tiers: Tier) -> Benchmark:
    return Benchmark(
        "SC-001",
        "1",
        dt.date(2025, 1, 1),
        None,
        "某基准",
        (Entry("1", "某违法行为", "甲", "乙", STATUTE, tiers),),
    )


def test_a_tier_listed_after_the_unconditional_one_can_never_apply_and_is_refused():
    problems = benchmark_problems(
        _benchmark(
            Tier("ordinary", (), Band(3000_00, 3000_00)),
            Tier("lighter", (CORRECTED,), Band(1000_00, 2000_00)),
        )
    )
    assert [p.code for p in problems] == ["discretion.unreachable"]
    assert "从轻处罚" in problems[0].message and "一般处罚" in problems[0].message
    # The allowed path: the unconditional tier last.
    assert (
        benchmark_problems(
            _benchmark(
                Tier("lighter", (CORRECTED,), Band(1000_00, 2000_00)),
                Tier("ordinary", (), Band(3000_00, 3000_00)),
            )
        )
        == []
    )


def test_a_reduced_tier_stays_below_the_statutory_maximum_and_its_default_is_below_the_minimum():
    # 减轻处罚 is below the statutory minimum: a band above the statutory maximum is refused.
    problems = benchmark_problems(
        _benchmark(
            Tier("reduced", (CORRECTED,), Band(0, 6000_00)), Tier("ordinary", (), Band(3000_00, 3000_00))
        )
    )
    assert [(p.code, p.legal_basis) for p in problems] == [
        ("discretion.outside_statute", STATUTORY_LIMITS_INCLUSIVE)
    ]
    # Without a band of its own, the proposed band of 减轻 is below the statutory minimum, not the statute's.
    band = default_band(STATUTE, "reduced", {})
    assert band.high_fen is not None and band.high_fen < STATUTE.min_fen and band.low_fen == 0
