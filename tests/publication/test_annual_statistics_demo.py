"""Acceptance of issue 15 item 8 on the demo county (the shared load of 2026-10-09): the annual
statistics of the market-regulation bureau agree with a hand count done here from the raw
records (the cases' decisions and inspections), including the demo's decision with two penalty
kinds (罚款 and 没收非法财物, counted once under 没收; its confiscated goods have no stated value, so
only the fine is in 罚没金额). The hand count uses its own table of the order from light to heavy,
not the procedure's."""

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest

from sanxiang.cases.facts import facts_field_load
from sanxiang.cases.models import Case
from sanxiang.exchange.formats import CASE_FORMAT, DECISION_FORMAT, YEAR_FORMAT
from sanxiang.exchange.services import exchange_files_build
from sanxiang.inspection.models import Inspection
from sanxiang.procedure.catalog import procedure_spec
from sanxiang.publication.annual import annual_county_penalty_table, annual_report_generate
from sanxiang.registry.models import Agency
from tests.shared_demo import demo_county_shared

TODAY = dt.date(2026, 10, 9)
pytestmark = pytest.mark.shared_demo(day=TODAY)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TWO_KINDS_CASE = "涉嫌销售不合格电线电缆案"

# The source's order, light to heavy, each kind with the column of the table it falls in.
HAND_ORDER = [
    ("warning", "warning_criticism"),
    ("public_criticism", "warning_criticism"),
    ("fine", "fine"),
    ("confiscate_gains", "confiscation"),
    ("confiscate_property", "confiscation"),
    ("suspend_permit", "suspend_downgrade"),
    ("downgrade_qualification", "suspend_downgrade"),
    ("restrict_business", "restrict_business"),
    ("suspend_business", "suspend_close"),
    ("close", "suspend_close"),
    ("restrict_practice", "suspend_close"),
    ("revoke_permit", "revoke"),
    ("detention", "detention"),
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_county_shared(day=TODAY, blocker=django_db_blocker) as loaded:
        yield loaded


def _load(case: Case, name: str):
    return facts_field_load(procedure_spec(case.procedure).snapshot_type, name, case.facts)


def _hand_column(kinds: frozenset[str]) -> str:
    named = [column for kind, column in HAND_ORDER if kind in kinds]
    return named[-1] if named else "other"


@pytest.mark.django_db
def test_the_bureaus_statistics_agree_with_a_hand_count(demo):
    two_kinds = Case.objects.get(title=TWO_KINDS_CASE, procedure="ordinary")
    agency = Agency.objects.get(pk=two_kinds.agency_id)
    year = _load(two_kinds, "decided_on").year

    columns: dict[str, int] = {}
    amount_fen = inspections = 0
    cases = Case.objects.filter(agency=agency, procedure__in=("ordinary", "summary")).order_by("pk")
    for case in cases:
        decision, decided_on = _load(case, "decision"), _load(case, "decided_on")
        if (
            decision is not None
            and decided_on is not None
            and decided_on.year == year
            and decision.outcome == "penalty"
        ):
            terms = decision.penalty
            column = _hand_column(terms.kinds)
            columns[column] = columns.get(column, 0) + 1
            amount_fen += terms.fine_fen if "fine" in terms.kinds else 0
            if terms.kinds & {"confiscate_gains", "confiscate_property"}:
                amount_fen += terms.confiscation_fen  # 0 where no value is stated
        for act in _load(case, "investigative_acts"):
            if (
                act.kind == "inspection"
                and act.on.year == year
                and act.record_made
                and case.party_id is not None
            ):
                inspections += 1

    # The decision with two kinds is there, and counts once under the heavier.
    terms = _load(two_kinds, "decision").penalty
    assert terms.kinds == {"fine", "confiscate_property"} and terms.confiscation_fen == 0
    assert _hand_column(terms.kinds) == "confiscation" and columns["confiscation"] >= 1
    assert sum(columns.values()) >= 5  # the demo decides several penalties in the year

    report = annual_report_generate(agency=agency, year=year)
    table = report["penalty_table"]
    assert {key: n for key, n in table.columns.items() if n} == columns
    assert table.total == sum(columns.values()) == report["counts"]["penalty"]
    assert table.amount_fen == amount_fen
    assert table.amount_wan == (Decimal(amount_fen) / 1_000_000).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    assert report["inspection"].in_cases == inspections >= 1  # the demo's 现场检查笔录
    # The register's inspections (issue 17, item 7): counted in the year of their result, with a
    # specific object and a complete record; a case's inspection of the same day as the one that
    # opened it is that inspection (counted once).
    register = Inspection.objects.filter(agency=agency, counts_in_statistics=True, result_sent_on__year=year)
    assert report["inspection"].in_register == register.count()
    assert report["counts"]["inspection"] == report["inspection"].total == (
        inspections + register.count() - report["inspection"].same_visit)

    # The county's row is the sum of every agency's, the bureau's among them.
    lines, total = annual_county_penalty_table(agencies=Agency.objects.order_by("name"), year=year)
    assert next(line.table for line in lines if line.agency_id == agency.pk) == table
    assert total.total == sum(line.table.total for line in lines)
    assert total.amount_fen == sum(line.table.amount_fen for line in lines)


@pytest.mark.django_db
def test_the_exchange_documents_validate_for_every_demo_case_and_every_year(demo):
    """Acceptance of issue 19 item 5: the exchange export validates against its JSON Schemas for
    every demo case and every year (exchange_files_build checks each document and raises naming
    every problem), and every case of the county is in some year's export."""
    registered = {moment.year for moment in Case.objects.values_list("created_at", flat=True)}
    years = range(min(registered), max(*registered, TODAY.year) + 1)
    exported: set[str] = set()
    decisions = with_figures = 0
    for year in years:
        files = exchange_files_build(year=year)
        exported |= {f.key for f in files if f.format == CASE_FORMAT}
        decisions += sum(f.format == DECISION_FORMAT for f in files)
        [year_file] = [f for f in files if f.format == YEAR_FORMAT]
        with_figures += json.loads(year_file.data)["county_penalty_table"]["total"] > 0
    assert exported == set(Case.objects.values_list("number", flat=True))
    assert decisions > 0 and with_figures > 0
