"""行政检查 in the annual data (issue 17, item 7): the inspections of the inspection register count
beside those recorded in cases.

The basis (procedure.annual_counting.INSPECTION_SOURCE, a published 统计口径, not an article of law):
"行政检查以有具体检查对象并有完整检查记录的计为1次，没有具体对象的巡查或者没有完整记录的检查不计入".
The platform's readings, labelled 待核实: a register inspection counts in the year its result was
sent; an inspection that opened a penalty case is one inspection with the case's inspection of the
same day. The page says how many were left out and why, and shows the enterprises inspected once,
twice, three times or more, the most inspected linking to the 检查频次 page. The annual page costs
the same number of queries at 3 and at 30 inspections. No demo county: hand-built rows, and the
engine's own steps where the flag is the engine's."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.cases.facts import facts_dump
from sanxiang.cases.models import Case
from sanxiang.inspection.inspection_services import inspection_act, inspection_photo_add
from sanxiang.inspection.models import Inspection, InspectionTarget
from sanxiang.procedure.annual_counting import (
    INSPECTION_LEFT_OUT,
    INSPECTION_REGISTER_SOURCE,
    INSPECTION_SAME_VISIT_RULE,
    INSPECTION_SOURCE,
    INSPECTION_YEAR_RULE,
    inspection_counted_year,
    inspection_left_out_reason,
    inspection_same_visit,
    inspection_total,
)
from sanxiang.procedure.penalty.snapshot import InvestigativeAct
from sanxiang.publication.annual import annual_inspection_lines, annual_report_generate
from tests.factories import credit_code, user_make
from tests.inspection.builders import closed, photo, world_make
from tests.publication.test_annual_statistics import agency_with_penalty_power, decision
from tests.querycount import queries_without_ledger_writes

pytestmark = pytest.mark.django_db
D = dt.date


# --- the rule (pure) ------------------------------------------------------------------------------


def test_the_rule_counts_an_inspection_with_an_object_and_a_complete_record_in_the_year_of_its_result():
    # The basis is the published 统计口径; the platform's readings say they are platform rules, 待核实.
    assert "具体检查对象" in INSPECTION_SOURCE and "完整检查记录" in INSPECTION_SOURCE
    for rule in (INSPECTION_YEAR_RULE, INSPECTION_SAME_VISIT_RULE):
        assert rule.startswith("平台规则") and "待核实" in rule
    assert INSPECTION_SOURCE in INSPECTION_REGISTER_SOURCE
    # Counted: in the year of the result (begun in December, told in January: the next year).
    assert inspection_counted_year(object_specified=True, record_complete=True, result_sent_on=D(2026, 1, 3)) == 2026
    # Not counted: no specific object (a patrol), no complete record, no result yet.
    assert inspection_counted_year(object_specified=False, record_complete=True, result_sent_on=D(2026, 1, 3)) is None
    assert inspection_counted_year(object_specified=True, record_complete=False, result_sent_on=D(2026, 1, 3)) is None
    assert inspection_counted_year(object_specified=True, record_complete=True, result_sent_on=None) is None
    # The reason a left-out one is given (the allowed path: complete the record, send the result).
    assert inspection_left_out_reason(result_sent_on=None, counted=False, cancelled=False) == "no_result"
    assert inspection_left_out_reason(result_sent_on=D(2026, 3, 1), counted=False, cancelled=False) == "incomplete"
    assert inspection_left_out_reason(result_sent_on=D(2026, 3, 1), counted=True, cancelled=False) is None
    assert inspection_left_out_reason(result_sent_on=None, counted=False, cancelled=True) is None
    assert set(INSPECTION_LEFT_OUT) == {"no_result", "incomplete"}


def test_a_visit_in_a_case_and_in_the_register_counts_once():
    assert inspection_same_visit(inspection_on=D(2026, 5, 1), case_act_on=D(2026, 5, 1))
    assert not inspection_same_visit(inspection_on=D(2026, 5, 1), case_act_on=D(2026, 5, 9))
    assert not inspection_same_visit(inspection_on=None, case_act_on=D(2026, 5, 1))
    assert inspection_total(in_cases=3, in_register=4, same_visit=1) == 6
    with pytest.raises(ValueError):
        inspection_total(in_cases=0, in_register=4, same_visit=1)  # a visit cannot be in a count it is not in


# --- the annual data ------------------------------------------------------------------------------


def test_an_inspection_closed_by_the_engine_counts_in_the_annual_data_with_its_frequency():
    world = world_make()
    closed(world)
    year = timezone.localdate().year
    report = annual_report_generate(agency=world.agency, year=year)
    line = report["inspection"]
    assert (line.in_cases, line.in_register, line.same_visit, line.total) == (0, 1, 0, 1)
    assert report["counts"]["inspection"] == 1
    assert [b["value"] for b in report["inspection_bands"]] == [1, 0, 0]
    assert report["inspection_top"] == [{"name": world.target.name, "times": 1, "band": 1}]
    assert not [n for n in report["notes"] if "未计入：" in n]
    # The old note ("random inspections are not yet recorded") is gone.
    assert not [n for n in report["notes"] if "尚未在本平台记录" in n]



def _row(agency, target, *, counts=True, sent=None, started=None, state="closed", case=None):
    """A register inspection as the engine leaves it (the flag is the engine's: the test above and
    tests/inspection/test_inspection_services.py)."""
    started = started or sent
    return Inspection.objects.create(
        agency=agency, target=target, source="random", planned_from=started, planned_to=started, started_on=started,
        result_sent_on=sent, finished_on=sent, counts_in_statistics=counts, state=state,
        result_outcome="pass" if sent else "", penalty_case=case)


def _target(agency, name):
    return InspectionTarget.objects.create(agency=agency, name=name, credit_code=credit_code(prefix="91150626"))


def test_left_out_inspections_are_named_with_their_reason_and_the_year_is_the_result_s():
    year = timezone.localdate().year - 1
    agency = agency_with_penalty_power("乌审旗应急管理局")
    target = _target(agency, "乌审旗某化工有限公司")
    _row(agency, target, sent=D(year, 3, 1))  # counted
    _row(agency, target, sent=D(year, 1, 5), started=D(year - 1, 12, 28))  # begun last year, told this year
    _row(agency, target, sent=D(year, 4, 1), counts=False)  # result sent, record incomplete
    _row(agency, target, started=D(year, 11, 1), counts=False, state="in_progress")  # no result yet
    _row(agency, target, started=D(year, 11, 2), counts=False, state="cancelled")  # did not take place
    _row(agency, target, sent=D(year + 1, 1, 4), started=D(year, 12, 30))  # counts next year
    report = annual_report_generate(agency=agency, year=year)
    line = report["inspection"]
    assert line.in_register == 2 and report["counts"]["inspection"] == 2
    assert line.left_out == {"incomplete": 1, "no_result": 1}
    assert f"行政检查模块登记的检查中有1次未计入：{INSPECTION_LEFT_OUT['incomplete']}。" in report["notes"]
    assert f"行政检查模块登记的检查中有1次未计入：{INSPECTION_LEFT_OUT['no_result']}。" in report["notes"]
    assert [b["value"] for b in report["inspection_bands"]] == [0, 1, 0]  # one enterprise, twice
    assert annual_report_generate(agency=agency, year=year + 1)["inspection"].in_register == 1


def test_an_inspection_that_opened_a_penalty_case_is_one_inspection():
    world = world_make()
    today = timezone.localdate()
    pk = world.inspection.pk
    # The builder's `closed` sends "pass"; here the checklist fails and a violation is sent.
    inspection_act(actor=world.head, inspection_id=pk, action="inspection_approve", data={"approval": "agree"})
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_start", data={})
    inspection_photo_add(actor=world.users[0], inspection_id=pk, source=photo(), original_name="a.png")
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_record", data={
        "officer_ids": [o.pk for o in world.officers], "certificates_shown": True,
        "checklist": world.checklist("fail"), "enterprise_signed": True, "on": today})
    inspection = inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_send_result",
                                data={"outcome": "violation", "findings": "超范围经营", "sent_on": today})
    inspection.refresh_from_db()
    assert inspection.counts_in_statistics and inspection.penalty_case_id is not None
    case = Case.objects.get(pk=inspection.penalty_case_id)
    # The case records the visit's 现场检查笔录 again (same day), then a second inspection later.
    later = today + dt.timedelta(days=1) if today.month < 12 or today.day < 31 else today - dt.timedelta(days=1)
    acts = [InvestigativeAct(kind="inspection", on=day, officer_ids=tuple(o.pk for o in world.officers),
                             certificate_shown=True, record_made=True) for day in (today, later)]
    case.facts = {**case.facts, "investigative_acts": [facts_dump(a) for a in acts]}
    case.save(update_fields=["facts"])
    report = annual_report_generate(agency=world.agency, year=today.year)
    line = report["inspection"]
    assert (line.in_cases, line.in_register, line.same_visit) == (2, 1, 1)
    assert report["counts"]["inspection"] == line.total == 2  # the visit once, the later inspection once
    # Recomputed from the cases' facts: the same figure.
    assert annual_report_generate(agency=world.agency, year=today.year, recompute=True)["counts"]["inspection"] == 2


# --- bounded queries -------------------------------------------------------------------------------


def _inspections(agency, n, year, first):
    for k in range(first, first + n):
        target = _target(agency, f"乌审旗第{k % 7}商贸有限公司{k}")
        case = decision(agency, D(year, 6, 1), {"fine"}, fine=100,
                        acts=(InvestigativeAct(kind="inspection", on=D(year, 5, 20), officer_ids=(1, 2),
                                               certificate_shown=True, record_made=True),)) if k % 3 == 0 else None
        _row(agency, target, sent=D(year, 5, 20), case=case)
        _row(agency, target, sent=D(year, 6, 20 + k % 5))
        _row(agency, target, sent=D(year, 7, 1), counts=False)


def _queries(client, params) -> int:
    with queries_without_ledger_writes() as counted:
        assert client.get(reverse("publication:annual"), params).status_code == 200
    return counted.count


def test_the_annual_pages_cost_the_same_at_3_and_30_inspections(client):
    year = timezone.localdate().year - 1
    agency = agency_with_penalty_power("乌审旗市场监督管理局")
    other = agency_with_penalty_power("乌审旗农牧局")
    client.force_login(user_make(role=Role.SYSTEM_ADMIN))
    _inspections(agency, 1, year, 0)  # 3 register inspections
    small = (_queries(client, {"year": year}), _queries(client, {"year": year, "agency": agency.pk}))
    _inspections(agency, 9, year, 1)  # 30
    _inspections(other, 4, year, 10)
    large = (_queries(client, {"year": year}), _queries(client, {"year": year, "agency": agency.pk}))
    assert small == large
    lines = {line.agency_id: line for line in annual_inspection_lines(agencies=[agency, other], year=year)}
    # 10 enterprises twice each (20 counted) and 4 cases opened from an inspection of the same day.
    assert (lines[agency.pk].in_register, lines[agency.pk].in_cases, lines[agency.pk].same_visit) == (20, 4, 4)
    assert lines[agency.pk].total == 20 and lines[agency.pk].bands == {1: 0, 2: 10, 3: 0}
    assert lines[agency.pk].left_out == {"incomplete": 10, "no_result": 0}
    html = client.get(reverse("publication:annual"), {"year": year}).content.decode()
    assert f'data-testid="annual-county-inspection-{agency.pk}">20<' in html
    link = f"{reverse('inspection:frequency')}?year={year}&amp;agency={agency.pk}&amp;times=2#records"
    assert link in html
    # The agency's page: the figure, its parts, the left-out ones with their reason, the frequency
    # and the most inspected enterprises, each opening the 检查频次 page.
    html = client.get(reverse("publication:annual"), {"year": year, "agency": agency.pk}).content.decode()
    assert 'data-testid="annual-inspection-total">20<' in html
    assert 'data-testid="annual-inspection-same-visit">4<' in html
    assert f'data-testid="annual-inspection-left-out-incomplete">{INSPECTION_LEFT_OUT["incomplete"]}：10<' in html
    assert f'data-testid="annual-frequency-2"><a href="{link}">10</a>' in html
    top = html.split('data-testid="annual-inspection-top"')[1].split("</ol>")[0]
    assert top.count(link) == 10 and "乌审旗第0商贸有限公司0" in top
