"""年度行政执法数据 on a small hand-built county (issue 15 item 8): the 行政处罚 table counts each
decision once under its heaviest kind, 罚没金额 in 万元 from the decisions (a confiscation without a
stated value adds nothing), an inspection only with a specific object and a complete record, the
county's row is the sum of its agencies' rows; the 行政执法情况说明 is submitted (every reason of a
refusal, a ledger entry per submission) and published with the figures through the public table,
where the portal reads it. The pages cost the same number of queries at two sizes."""

import datetime as dt
import itertools
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.cases.facts import facts_dump
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_create
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.annual_counting import NARRATIVE_SECTIONS, PENALTY_COLUMNS
from sanxiang.procedure.penalty.snapshot import DecisionDraft, InvestigativeAct, PenaltyTerms
from sanxiang.procedure.violations import Refused
from sanxiang.publication.annual import (
    annual_county_penalty_table,
    annual_narrative_submit,
    annual_report_generate,
    annual_report_publish,
)
from sanxiang.publication.models import AnnualNarrative, PublicAgency
from sanxiang.registry import services
from sanxiang.registry.models import Agency
from tests.factories import agency_make, id_number, user_make
from tests.querycount import queries_without_ledger_writes

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year - 1
D = dt.date
_serial = itertools.count(500)
NARRATIVE = {key: f"{label}：本年度已按要求落实。" for key, label in NARRATIVE_SECTIONS.items()}


def agency_with_penalty_power(name: str) -> Agency:
    agency = agency_make(name=name)
    for kind in ("penalty", "inspection"):
        services.matter_create(
            actor=None,
            agency=agency,
            code=f"S{next(_serial):05d}",
            name=f"{name}{kind}事项",
            kind=kind,
            legal_bases=[{"law": "《中华人民共和国行政处罚法》", "article": "第九条"}],
        )
    Agency.objects.filter(pk=agency.pk).update(created_at=timezone.now() - dt.timedelta(days=1200))
    agency.refresh_from_db()
    # (Where commits happen, the registry's own refresh may have made it already.)
    PublicAgency.objects.get_or_create(
        source_id=agency.pk,
        defaults={"name": agency.name, "kind": "行政机关", "refreshed_at": timezone.now()},
    )
    return agency


def decision(
    agency: Agency,
    on: dt.date,
    kinds: set[str],
    *,
    fine: int = 0,
    confiscation: int = 0,
    outcome: str = "penalty",
    acts: tuple = (),
    party: bool = True,
) -> Case:
    """A case decided on `on` with the penalty `kinds` (amounts in 元), as a step saves its facts."""
    party_row = (
        services.party_create(
            actor=None,
            agency=agency,
            kind="natural_person",
            name="张当事",
            id_type="resident_id_card",
            id_number=id_number(serial=next(_serial)),
            address="乌审旗嘎鲁图镇",
        )
        if party
        else None
    )
    case = case_create(actor=None, agency=agency, title="测试案件", party=party_row)
    facts = dict(case.facts)
    terms = PenaltyTerms(frozenset(kinds), fine_fen=fine * 100, confiscation_fen=confiscation * 100)
    facts["decision"] = facts_dump(
        DecisionDraft(
            outcome,
            terms if outcome == "penalty" else None,
            no_penalty_reason="minor_and_corrected" if outcome != "penalty" else None,
        )
    )
    facts["decided_on"] = on.isoformat()
    facts["investigative_acts"] = [facts_dump(a) for a in acts]
    case.facts = facts
    case.save(update_fields=["facts"])
    return case


def inspection(on: dt.date, *, record_made: bool = True) -> InvestigativeAct:
    return InvestigativeAct(
        kind="inspection", on=on, officer_ids=(1, 2), certificate_shown=True, record_made=record_made
    )


@pytest.fixture
def county():
    market = agency_with_penalty_power("乌审旗市场监督管理局")
    # Two penalty kinds in one decision: counted once, under 责令停产停业 (heavier than 罚款).
    decision(
        market, D(YEAR, 3, 1), {"fine", "suspend_business"}, fine=50_000, acts=(inspection(D(YEAR, 2, 20)),)
    )
    # 罚款 and 没收非法财物 without a stated value: under 没收, only the fine in 罚没金额.
    decision(market, D(YEAR, 4, 1), {"fine", "confiscate_property"}, fine=3_000)
    # 罚款 and 没收违法所得 of a stated value: both in 罚没金额.
    decision(market, D(YEAR, 5, 1), {"fine", "confiscate_gains"}, fine=1_000, confiscation=2_345)
    # 警告 with 其他: under the named kind.
    decision(
        market, D(YEAR, 6, 1), {"warning", "other"}, acts=(inspection(D(YEAR, 5, 30), record_made=False),)
    )
    decision(market, D(YEAR, 12, 31), {"revoke_permit", "fine"}, fine=100_000)
    # Not counted: the previous year, a 不予行政处罚, an inspection of a case without a party.
    decision(market, D(YEAR - 1, 12, 31), {"fine"}, fine=99_999)
    decision(market, D(YEAR, 7, 1), set(), outcome="no_penalty")
    decision(market, D(YEAR, 8, 1), {"fine"}, fine=200, party=False, acts=(inspection(D(YEAR, 7, 25)),))
    culture = agency_with_penalty_power("乌审旗文化和旅游局")
    decision(culture, D(YEAR, 9, 9), {"fine"}, fine=500)
    return {"market": market, "culture": culture}


def test_the_penalty_table_of_one_agency_agrees_with_a_hand_count(county):
    report = annual_report_generate(agency=county["market"], year=YEAR)
    table = report["penalty_table"]
    assert table.columns == {
        "warning_criticism": 1,
        "fine": 1,
        "confiscation": 2,
        "suspend_downgrade": 0,
        "revoke": 1,
        "restrict_business": 0,
        "suspend_close": 1,
        "detention": 0,
        "other": 0,
    }
    assert table.total == 6 == report["counts"]["penalty"]
    # 50000 + 3000 + 1000 + 2345 + 100000 + 200 元 = 156545元 = 15.65万元 (15.6545).
    assert table.amount_fen == 15_654_500 and table.amount_wan == Decimal("15.65")
    # One inspection counts: the one without a complete record and the one without an object do not.
    assert report["counts"]["inspection"] == 1
    assert [line["label"] for line in report["penalty_lines"]] == list(PENALTY_COLUMNS.values())
    assert "统计口径" in report["penalty_basis"] and "具体检查对象" in report["inspection_basis"]
    # The stored acts agree with a computation from the cases' facts.
    assert annual_report_generate(agency=county["market"], year=YEAR, recompute=True) == report


def test_the_county_row_is_the_sum_of_its_agencies(county):
    lines, total = annual_county_penalty_table(agencies=[county["culture"], county["market"]], year=YEAR)
    assert [line.agency_name for line in lines] == ["乌审旗文化和旅游局", "乌审旗市场监督管理局"]
    assert lines[0].table.columns["fine"] == 1 and lines[0].table.amount_fen == 50_000
    assert total.total == 7 and total.columns["fine"] == 2 and total.amount_fen == 15_704_500
    assert total.amount_wan == Decimal("15.70")


def test_a_narrative_refused_reports_every_section_and_writes_nothing(county):
    head = user_make(role=Role.AGENCY_HEAD, agency=county["market"])
    with pytest.raises(Refused) as refused:
        annual_narrative_submit(
            actor=head, agency=county["market"], year=YEAR, sections={"basic": "已落实。", "team": "x" * 5001}
        )
    fields = {v.field for v in refused.value.violations}
    assert fields == set(NARRATIVE_SECTIONS) - {"basic"}
    assert any("不能超过5000字" in v.message for v in refused.value.violations)
    assert not AnnualNarrative.objects.exists()
    assert not Entry.objects.filter(kind=EventKind.ANNUAL_NARRATIVE_SUBMITTED).exists()
    with pytest.raises(PermissionDenied):
        annual_narrative_submit(
            actor=user_make(role=Role.OFFICER, agency=county["market"]),
            agency=county["market"],
            year=YEAR,
            sections=NARRATIVE,
        )


def test_the_narrative_is_ledgered_and_published_with_the_figures(county, client):
    market = county["market"]
    head = user_make(role=Role.AGENCY_HEAD, agency=market)
    annual_narrative_submit(actor=head, agency=market, year=YEAR, sections=NARRATIVE)
    annual_narrative_submit(
        actor=head, agency=market, year=YEAR, sections=NARRATIVE | {"basic": "修改后的基本情况。"}
    )
    entries = [
        json.loads(bytes(e.body))["payload"]
        for e in Entry.objects.filter(kind=EventKind.ANNUAL_NARRATIVE_SUBMITTED).order_by("seq")
    ]
    assert entries[0]["replaced"] is None and entries[1]["replaced"]["basic"] == NARRATIVE["basic"]
    assert entries[1]["sections"]["basic"] == "修改后的基本情况。"

    report = annual_report_publish(actor=head, agency=market, year=YEAR)
    assert report.penalty_rows["suspend_close"] == 1 and report.penalty_rows["total"] == 6
    assert report.penalty_rows["amount_fen"] == 15_654_500
    assert report.narrative["basic"] == "修改后的基本情况。"
    published = json.loads(bytes(Entry.objects.filter(kind=EventKind.ANNUAL_REPORT_PUBLISHED).get().body))[
        "payload"
    ]
    assert published["penalty_rows"] == report.penalty_rows and published["narrative"] == report.narrative

    annual_report_publish(actor=None, agency=county["culture"], year=YEAR)  # no narrative: figures only
    html = client.get(reverse("portal:annual_list"), {"year": YEAR}).content.decode()
    assert 'data-testid="annual-penalty-rows"' in html and "修改后的基本情况。" in html
    assert "罚没金额（万元）" in html and "15.65" in html and "15.70" in html  # the county's 合计 row
    assert html.count('data-testid="annual-narrative"') == 1


def test_the_staff_page_shows_the_table_and_takes_the_narrative(county, client):
    market = county["market"]
    client.force_login(user_make(role=Role.AGENCY_HEAD, agency=market))
    url = reverse("publication:annual")
    html = client.get(url, {"year": YEAR}).content.decode()
    assert 'data-testid="annual-penalty-suspend_close"><a href="#annual-penalty-records">1</a><' in html
    assert 'data-testid="annual-penalty-amount">15.65<' in html
    # The records behind the figures: each counted decision and inspection opens its case.
    assert "计入的行政处罚决定（6件）" in html and "计入的行政检查（1次）" in html
    counted = Case.objects.filter(agency=market, facts__decided_on__startswith=str(YEAR)).exclude(
        facts__decision__outcome="no_penalty"
    )
    assert counted.count() == 6
    for case in counted:
        assert f'href="{reverse("cases:case_detail", args=[case.pk])}"' in html
    assert "尚未提交情况说明" in html

    refused = client.post(url, {"action": "narrative", "year": YEAR, "basic": "已落实。"})
    assert refused.status_code == 400
    assert f"请填写“{NARRATIVE_SECTIONS['team']}”" in refused.content.decode()
    assert not AnnualNarrative.objects.exists()

    done = client.post(url, {"action": "narrative", "year": YEAR, **NARRATIVE})
    assert done.status_code == 302
    assert AnnualNarrative.objects.get(agency=market, year=YEAR).sections == NARRATIVE
    assert NARRATIVE["basic"] in client.get(url, {"year": YEAR}).content.decode()


def test_the_county_view_lists_each_agency_and_the_total(county, client):
    client.force_login(user_make(role=Role.SYSTEM_ADMIN))
    html = client.get(reverse("publication:annual"), {"year": YEAR}).content.decode()
    assert 'data-testid="annual-county-penalty"' in html and "全县合计" in html
    assert f"?agency={county['market'].pk}&amp;year={YEAR}" in html


def _queries(client, params) -> int:
    with queries_without_ledger_writes() as counted:
        assert client.get(reverse("publication:annual"), params).status_code == 200
    return counted.count


def test_the_pages_cost_the_same_at_two_sizes(county, client):
    admin = user_make(role=Role.SYSTEM_ADMIN)
    client.force_login(admin)
    market = county["market"]
    small = (_queries(client, {"year": YEAR}), _queries(client, {"year": YEAR, "agency": market.pk}))
    annual_report_publish(actor=None, agency=market, year=YEAR)
    with queries_without_ledger_writes() as portal_small:
        client.get(reverse("portal:annual_list"), {"year": YEAR})
    for n in range(6):
        decision(market, D(YEAR, 10, 1 + n), {"fine", "detention"}, fine=100)
        agency_with_penalty_power(f"乌审旗第{n}局")
    for agency in Agency.objects.exclude(pk=market.pk):
        annual_report_publish(actor=None, agency=agency, year=YEAR)
    annual_report_publish(actor=None, agency=market, year=YEAR)
    large = (_queries(client, {"year": YEAR}), _queries(client, {"year": YEAR, "agency": market.pk}))
    with queries_without_ledger_writes() as portal_large:
        html = client.get(reverse("portal:annual_list"), {"year": YEAR}).content.decode()
    assert small == large
    assert portal_small.count == portal_large.count
    assert html.count("乌审旗第") >= 6


def test_rows_stored_before_the_table_was_counted_are_rebuilt_after_migrate(county):
    from sanxiang.publication.annual import annual_projection_check, annual_projection_rebuild_if_empty
    from sanxiang.publication.models import AnnualAct

    assert annual_projection_rebuild_if_empty() is None  # nothing stale: nothing done
    AnnualAct.objects.filter(kind="penalty").update(penalty_column="", amount_fen=0)  # as migration 0014 leaves them
    assert len(annual_projection_check()) == AnnualAct.objects.filter(kind="penalty").values("case").count()
    assert annual_projection_rebuild_if_empty() == AnnualAct.objects.count()
    assert annual_projection_check() == []
    assert annual_report_generate(agency=county["market"], year=YEAR)["penalty_table"].amount_fen == 15_654_500
