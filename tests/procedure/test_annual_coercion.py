"""年度行政执法数据, the 行政强制 rows (legal_rules §1.1: the template writes 0 where the agency has
the power and took no such action): 查封、扣押、冻结, 本机关强制执行, 申请人民法院强制执行, 代履行,
counted from plain records made from the measure and enforcement snapshots."""

import datetime as dt
from dataclasses import replace

import pytest

from sanxiang.procedure.annual import (
    COERCION_ROWS,
    COERCION_ROWS_BASIS,
    CoercionAction,
    annual_coercion_counts,
    annual_coercion_gaps,
    annual_coercion_powers,
    annual_coercion_total,
    annual_counts,
    coercion_actions_of_enforcement,
    coercion_actions_of_measure,
)
from sanxiang.procedure.enforcement import CourtApplication, Substitute
from tests.procedure.coercion.builders import TAKEN_ON, in_force, proposed, step, taking
from tests.procedure.enforcement.support import executing, pending

D = dt.date
YEAR = 2026
ALL_POWERS = annual_coercion_powers(matter_kinds=["coercion"], measures=["seal_up", "seizure", "freeze"],
                                    execution_power=True)


def test_the_rows_in_order_and_their_basis():
    assert list(COERCION_ROWS.items()) == [
        ("seal_up", "查封"),
        ("seizure", "扣押"),
        ("freeze", "冻结"),
        ("execution", "本机关强制执行"),
        ("court_application", "申请人民法院强制执行"),
        ("substitute", "代履行"),
    ]
    assert "有职权但本年度未实施的填0" in COERCION_ROWS_BASIS and "系统规则" in COERCION_ROWS_BASIS


def test_zero_where_the_power_is_held_none_where_it_is_not():
    """The template's rule: 0 for a power held and not used, no figure ("—") for a power not held."""
    powers = annual_coercion_powers(matter_kinds=["penalty", "coercion"])
    actions = [CoercionAction("seizure", D(YEAR, 3, 2)), CoercionAction("seizure", D(YEAR, 7, 1)),
               CoercionAction("court_application", D(YEAR, 9, 1))]
    assert annual_coercion_counts(powers=powers, actions=actions, year=YEAR) == {
        "seal_up": 0,
        "seizure": 2,
        "freeze": None,  # 行政强制法第二十九条: only where a law gives it
        "execution": None,  # 第十三条: no execution power of its own
        "court_application": 1,
        "substitute": None,
    }


def test_the_powers_follow_the_catalogue_and_the_law():
    """行政强制法第十三条 (execution only where a law gives it, else the court, 第五十三条) and 第二十九条
    (冻结 only by the organs a law names)."""
    assert annual_coercion_powers(matter_kinds=["penalty", "inspection"], execution_power=True) == frozenset()
    assert annual_coercion_powers(matter_kinds=["coercion"]) == {"seal_up", "seizure", "court_application"}
    assert ALL_POWERS == set(COERCION_ROWS)
    no_substitute = annual_coercion_powers(matter_kinds=["coercion"], execution_power=True, substitute_power=False)
    assert "execution" in no_substitute and "substitute" not in no_substitute
    with pytest.raises(ValueError):
        annual_coercion_powers(matter_kinds=["coercion"], measures=["detention"])


def test_what_was_done_is_always_counted_and_the_gap_named():
    """A measure taken without the power in the catalogue: counted anyway, and named as a gap."""
    actions = [CoercionAction("freeze", D(YEAR, 5, 5))]
    powers = annual_coercion_powers(matter_kinds=["coercion"])
    assert annual_coercion_counts(powers=powers, actions=actions, year=YEAR)["freeze"] == 1
    assert annual_coercion_gaps(powers=powers, actions=actions, year=YEAR) == ["freeze"]
    assert annual_coercion_gaps(powers=ALL_POWERS, actions=actions, year=YEAR) == []


def test_only_the_years_acts_count():
    actions = [CoercionAction("seal_up", D(YEAR - 1, 12, 31)), CoercionAction("seal_up", D(YEAR, 1, 1)),
               CoercionAction("seal_up", D(YEAR, 12, 31)), CoercionAction("seal_up", D(YEAR + 1, 1, 1))]
    assert annual_coercion_counts(powers=ALL_POWERS, actions=actions, year=YEAR)["seal_up"] == 2
    assert annual_coercion_counts(powers=ALL_POWERS, actions=actions, year=YEAR - 1)["seal_up"] == 1


def test_the_category_figure_is_the_sum_of_its_rows_and_feeds_the_six_categories():
    rows = annual_coercion_counts(powers=ALL_POWERS, actions=[CoercionAction("seizure", D(YEAR, 3, 2)),
                                                              CoercionAction("substitute", D(YEAR, 6, 1))], year=YEAR)
    assert annual_coercion_total(rows) == 2
    nothing = annual_coercion_counts(powers=ALL_POWERS, actions=[], year=YEAR)
    assert annual_coercion_total(nothing) == 0  # the power is held: 0, not "—"
    no_power = annual_coercion_counts(powers=[], actions=[], year=YEAR)
    assert annual_coercion_total(no_power) is None and set(no_power.values()) == {None}
    figures = annual_counts(powers=["coercion", "penalty"], counted={"coercion": annual_coercion_total(rows) or 0})
    assert figures["coercion"] == 2 and figures["penalty"] == 0


def test_a_measure_counts_once_on_the_day_it_was_taken_and_only_if_taken():
    """Walked through the engine: a proposed or declined measure is no compulsory act; one taken
    counts on its day, also after its release."""
    assert coercion_actions_of_measure(proposed()) == ()
    declined = step(replace(proposed(), records=proposed().records), "coercion_decline", TAKEN_ON)
    assert declined.state == "not_taken" and coercion_actions_of_measure(declined) == ()
    assert coercion_actions_of_measure(taking()) == ()  # approved, the form filled in, not yet taken
    assert coercion_actions_of_measure(in_force("seal_up")) == (CoercionAction("seal_up", TAKEN_ON),)
    assert coercion_actions_of_measure(in_force("freeze")) == (CoercionAction("freeze", TAKEN_ON),)
    measure = in_force()
    released = step(replace(measure, records=measure.records | {"release_decision", "return_record"}),
                    "coercion_release", TAKEN_ON + dt.timedelta(days=5))
    assert coercion_actions_of_measure(released) == (CoercionAction("seizure", TAKEN_ON),)


def test_an_enforcement_case_counts_each_compulsory_act_on_its_own_day():
    assert coercion_actions_of_enforcement(pending()) == ()
    assert coercion_actions_of_enforcement(executing()) == (CoercionAction("execution", D(2026, 5, 20)),)
    court = replace(pending(), court=CourtApplication(applied_on=D(2026, 9, 10), court="乌审旗人民法院"))
    assert coercion_actions_of_enforcement(court) == (CoercionAction("court_application", D(2026, 9, 10)),)
    both = replace(court, substitute=Substitute(decided_on=D(2026, 11, 2)))
    assert coercion_actions_of_enforcement(both) == (
        CoercionAction("court_application", D(2026, 9, 10)), CoercionAction("substitute", D(2026, 11, 2)))


def test_bad_records_are_errors():
    with pytest.raises(ValueError):
        CoercionAction("detention", D(YEAR, 1, 1))
    with pytest.raises(ValueError):
        annual_coercion_counts(powers=["fines"], actions=[], year=YEAR)
