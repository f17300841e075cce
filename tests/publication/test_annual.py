"""年度行政执法数据: counted from cases (penalty decisions and inspections of the year, 0 for the
powers held but not used or not recorded, None for powers not held), published by the agency's
head or administrator with a ledger entry, re-published in place, and the alert for reports
missing after 31 January."""

import datetime as dt
import itertools
import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sanxiang.accounts.models import Role
from sanxiang.cases.facts import facts_dump
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_create
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.penalty.snapshot import (
    DecisionDraft,
    EvidencePreservation,
    InvestigativeAct,
    PenaltyTerms,
)
from sanxiang.procedure.violations import Refused
from sanxiang.publication.annual import (
    annual_report_generate,
    annual_report_publish,
    annual_reports_missing,
)
from sanxiang.publication.models import AnnualReport, PublicAgency
from sanxiang.registry import services
from sanxiang.registry.models import Agency, AgencyStatus
from tests.factories import agency_make, id_number, user_make

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
YEAR = TODAY.year - 1  # the last finished year: the only kind that can be published
LONG_AGO = timezone.now() - dt.timedelta(days=3 * 366)
_serial = itertools.count(1)


def agency_with_powers(name: str, kinds: list[str]) -> Agency:
    agency = agency_make(name=name)
    for kind in kinds:
        services.matter_create(
            actor=None, agency=agency, code=f"M{next(_serial):05d}", name=f"{name}{kind}事项", kind=kind,
            legal_bases=[{"law": "《中华人民共和国行政处罚法》", "article": "第九条"}],
        )
    # Registered well before the year counted, as the agencies of a county are.
    Agency.objects.filter(pk=agency.pk).update(created_at=LONG_AGO)
    agency.refresh_from_db()
    return agency


def act(kind: str, on: dt.date) -> dict:
    return facts_dump(InvestigativeAct(kind=kind, on=on, officer_ids=(1, 2), certificate_shown=True))


def party_for(agency: Agency):
    """The case's party: the specific object its inspections are of (an inspection without one
    does not count, procedure.annual_counting.inspection_counts)."""
    return services.party_create(
        actor=None, agency=agency, kind="natural_person", name="刘当事", id_type="resident_id_card",
        id_number=id_number(serial=next(_serial)), address="乌审旗嘎鲁图镇幸福小区3号楼",
    )


def case_with(agency: Agency, *, procedure: str = "ordinary", decided_on: dt.date | None = None,
              outcome: str = "penalty", acts: tuple = (), preservations: tuple = (), party: bool = True) -> Case:
    case = case_create(actor=None, agency=agency, title="测试案件", procedure=procedure,
                       party=party_for(agency) if party else None)
    facts = dict(case.facts)
    if decided_on is not None:
        terms = PenaltyTerms(frozenset({"fine"}), fine_fen=100_000) if outcome == "penalty" else None
        facts["decision"] = facts_dump(DecisionDraft(outcome, terms, no_penalty_reason="minor_and_corrected" if outcome == "no_penalty" else None))
        facts["decided_on"] = decided_on.isoformat()
    facts["investigative_acts"] = list(acts)
    facts["preservations"] = [facts_dump(EvidencePreservation(on=d, approved_by_head=True)) for d in preservations]
    case.facts = facts
    case.save(update_fields=["facts"])  # as a step saves it: the annual acts are stored with it
    return case


def public_agency_for(agency: Agency) -> PublicAgency:
    return PublicAgency.objects.create(source_id=agency.pk, name=agency.name, kind="行政机关", refreshed_at=timezone.now())


@pytest.fixture
def bureau():
    """A market-regulation bureau with penalty, inspection and coercion powers and a year of cases."""
    agency = agency_with_powers("乌审旗市场监督管理局", ["penalty", "inspection", "coercion", "other"])
    D = dt.date
    case_with(agency, decided_on=D(YEAR, 1, 1), acts=(act("inspection", D(YEAR, 1, 1)), act("inquiry", D(YEAR, 1, 2))),
              preservations=(D(YEAR, 1, 3),))
    case_with(agency, procedure="summary", decided_on=D(YEAR, 12, 31))
    case_with(agency, decided_on=D(YEAR, 6, 1), outcome="no_penalty", acts=(act("inspection", D(YEAR, 5, 20)),))
    case_with(agency, decided_on=D(YEAR, 7, 1), outcome="transfer")
    case_with(agency, decided_on=D(YEAR - 1, 12, 31), acts=(act("inspection", D(YEAR - 1, 12, 30)),))
    case_with(agency, acts=(act("inspection", D(YEAR + 1, 1, 1)),))  # the next year's inspection
    case_with(agency)  # a lead with nothing done yet
    return agency


def test_counts_from_cases(bureau):
    report = annual_report_generate(agency=bureau, year=YEAR)
    assert report["counts"] == {
        "permit": None,  # no such power
        "penalty": 2,  # ordinary and summary penalty decisions of the year; not 不予处罚, not transfers
        "coercion": 0,  # power held; 先行登记保存 is not 行政强制
        "levy": None,
        "requisition": None,
        "inspection": 2,  # on-site inspections of the year; questioning is not an inspection
    }
    assert report["due_on"] == dt.date(YEAR + 1, 1, 31)
    notes = "\n".join(report["notes"])
    assert "先行登记保存" in notes and "行政强制" in notes  # what is 0 because it is not recorded
    assert "行政许可" not in notes  # no permit power: nothing to explain
    assert [r["label"] for r in report["rows"]] == ["行政许可", "行政处罚", "行政强制", "行政征收", "行政征用", "行政检查"]


def test_zero_where_the_power_is_held_but_nothing_was_done():
    agency = agency_with_powers("乌审旗自然资源局", ["permit", "penalty", "expropriation", "requisition"])
    counts = annual_report_generate(agency=agency, year=YEAR)["counts"]
    assert counts == {"permit": 0, "penalty": 0, "coercion": None, "levy": 0, "requisition": 0, "inspection": None}


def test_an_agency_without_a_catalogue_is_told_so():
    agency = agency_with_powers("乌审旗新设局", [])
    report = annual_report_generate(agency=agency, year=YEAR)
    assert set(report["counts"].values()) == {None}
    assert any("尚未登记执法事项" in n for n in report["notes"])


def test_publish_needs_the_public_agency_row(bureau):
    with pytest.raises(Refused) as refused:
        annual_report_publish(actor=None, agency=bureau, year=YEAR)
    assert refused.value.violations[0].code == "annual_report.no_public_agency"
    assert "尚未在公示平台公开执法主体信息" in refused.value.violations[0].message
    assert not AnnualReport.objects.exists()
    assert not Entry.objects.filter(kind=EventKind.ANNUAL_REPORT_PUBLISHED).exists()


def test_publish_and_publish_again(bureau):
    public = public_agency_for(bureau)
    head = user_make(role=Role.AGENCY_HEAD, agency=bureau)
    report = annual_report_publish(actor=head, agency=bureau, year=YEAR)
    assert report.agency == public and report.year == YEAR and report.counts["penalty"] == 2
    assert report.counts["permit"] is None and report.counts["coercion"] == 0

    case_with(bureau, decided_on=dt.date(YEAR, 8, 8))  # a decision entered late
    again = annual_report_publish(actor=head, agency=bureau, year=YEAR)
    assert again.pk == report.pk and AnnualReport.objects.count() == 1
    assert again.counts["penalty"] == 3 and again.published_at >= report.published_at
    entries = list(Entry.objects.filter(kind=EventKind.ANNUAL_REPORT_PUBLISHED).order_by("seq"))
    assert len(entries) == 2
    first, second = (json.loads(bytes(e.body))["payload"] for e in entries)
    assert first["replaced"] is None and first["counts"]["penalty"] == 2
    assert second["replaced"]["penalty"] == 2 and second["counts"]["penalty"] == 3
    assert entries[1].agency_id == bureau.pk and entries[1].actor_id == head.pk
    assert second["due_on"] == f"{YEAR + 1}-01-31"


@pytest.mark.parametrize(
    ("role", "own", "allowed"),
    [
        (Role.AGENCY_HEAD, True, True),
        (Role.AGENCY_ADMIN, True, True),
        (Role.SYSTEM_ADMIN, False, True),
        (Role.OFFICER, True, False),
        (Role.REVIEWER, True, False),
        (Role.AGENCY_HEAD, False, False),
        (Role.SUPERVISOR, False, False),
    ],
)
def test_who_may_publish(bureau, role, own, allowed):
    public_agency_for(bureau)
    other = agency_make(name="他局")
    user = user_make(role=role, agency=bureau if own else (None if role == Role.SYSTEM_ADMIN else other))
    if allowed:
        annual_report_publish(actor=user, agency=bureau, year=YEAR)
        assert AnnualReport.objects.filter(year=YEAR).exists()
    else:
        with pytest.raises(PermissionDenied):
            annual_report_publish(actor=user, agency=bureau, year=YEAR)


def test_an_unfinished_year_cannot_be_published(bureau):
    public_agency_for(bureau)
    with pytest.raises(Refused) as refused:
        annual_report_publish(actor=None, agency=bureau, year=TODAY.year)
    assert refused.value.violations[0].code == "annual_report.year_not_over"


def test_the_alert_starts_on_1_february(bureau):
    quiet = agency_with_powers("乌审旗文旅局", ["penalty"])
    public_agency_for(quiet)
    dissolved = agency_with_powers("已撤销的局", ["penalty"])
    Agency.objects.filter(pk=dissolved.pk).update(status=AgencyStatus.DISSOLVED)
    late_comer = agency_make(name="今年新设的局")  # did not exist in the year counted

    # Reports of YEAR are due on 31 January of YEAR + 1.
    assert annual_reports_missing(on=dt.date(YEAR + 1, 1, 31)) == []
    missing = annual_reports_missing(on=dt.date(YEAR + 1, 2, 1))
    names = {m.agency_name for m in missing}
    assert {bureau.name, quiet.name} <= names
    assert dissolved.name not in names
    if late_comer.created_at.date() > dt.date(YEAR, 12, 31):
        assert late_comer.name not in names
    by_name = {m.agency_name: m for m in missing}
    assert by_name[bureau.name].days_overdue == 1 and by_name[bureau.name].due_on == dt.date(YEAR + 1, 1, 31)
    assert by_name[bureau.name].has_public_agency is False and by_name[quiet.name].has_public_agency is True

    annual_report_publish(actor=None, agency=quiet, year=YEAR)
    assert quiet.name not in {m.agency_name for m in annual_reports_missing(on=dt.date(YEAR + 1, 2, 1))}
    # Later in the year the previous year's report is still missing.
    assert bureau.name in {m.agency_name for m in annual_reports_missing(on=dt.date(YEAR + 1, 11, 30))}


def test_the_alert_command(bureau):
    out = StringIO()
    call_command("annual_alerts", on=f"{YEAR + 1}-01-31", stdout=out)
    assert "尚未到期" in out.getvalue() and bureau.name not in out.getvalue()
    out = StringIO()
    call_command("annual_alerts", on=f"{YEAR + 1}-02-01", stdout=out)
    assert bureau.name in out.getvalue() and "逾期1天" in out.getvalue()
    with pytest.raises(SystemExit) as exited:
        call_command("annual_alerts", on=f"{YEAR + 1}-02-01", exit_code=True, stdout=StringIO())
    assert exited.value.code == 1


# --- the page -------------------------------------------------------------------------------------


def test_the_head_reviews_and_publishes_the_previous_year(client, bureau):
    public_agency_for(bureau)
    client.force_login(user_make(role=Role.AGENCY_HEAD, agency=bureau))
    page = client.get(reverse("publication:annual"))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="annual-report"' in html
    assert 'data-testid="annual-penalty">2<' in html and 'data-testid="annual-permit">—<' in html
    assert 'data-testid="annual-coercion">0<' in html and "核对无误，向社会公开" in html
    response = client.post(reverse("publication:annual"), {"year": YEAR})
    assert response.status_code == 302
    assert AnnualReport.objects.get(year=YEAR).counts["penalty"] == 2
    assert "重新发布" in client.get(reverse("publication:annual")).content.decode()


def test_an_officer_sees_the_figures_but_cannot_publish(client, bureau):
    public_agency_for(bureau)
    client.force_login(user_make(role=Role.OFFICER, agency=bureau))
    html = client.get(reverse("publication:annual")).content.decode()
    assert 'data-testid="annual-penalty">2<' in html and "向社会公开</button>" not in html
    assert client.post(reverse("publication:annual"), {"year": YEAR}).status_code == 403
    assert not AnnualReport.objects.exists()


def test_without_the_public_agency_the_page_says_why(client, bureau):
    client.force_login(user_make(role=Role.AGENCY_ADMIN, agency=bureau))
    assert "暂不能发布年度数据" in client.get(reverse("publication:annual")).content.decode()
    client.post(reverse("publication:annual"), {"year": YEAR})
    assert not AnnualReport.objects.exists()


def test_supervisors_see_the_missing_reports(client, bureau):
    supervisor = user_make(role=Role.SUPERVISOR, agency=agency_make(name="乌审旗司法局", is_judicial_bureau=True))
    client.force_login(supervisor)
    html = client.get(reverse("publication:annual")).content.decode()
    assert 'data-testid="annual-missing"' in html
    if TODAY > dt.date(TODAY.year, 1, 31):
        assert bureau.name in html
    detail = client.get(reverse("publication:annual"), {"agency": bureau.pk, "year": YEAR}).content.decode()
    assert 'data-testid="annual-penalty">2<' in detail
    assert client.post(reverse("publication:annual"), {"agency": bureau.pk, "year": YEAR}).status_code == 403


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("publication:annual"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


ODD_YEARS = ["abc", "99999", "-1", str(YEAR - 5), str(YEAR + 1), "１２", "9" * 40, "２０２５", "<b>2025</b>"]


@pytest.mark.parametrize("year", ODD_YEARS)
def test_the_page_says_which_year_it_cannot_show_and_which_it_shows(client, bureau, year):
    # The API refuses these with 422; the page showed the latest year as if it had been asked.
    client.force_login(user_make(role=Role.AGENCY_HEAD, agency=bureau))
    page = client.get(reverse("publication:annual"), {"year": year})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="annual-choice-problems"' in html
    assert f"所选年度“{escape(year[:20])}" in html and "<b>2025" not in html
    assert f"可选{YEAR - 4}年至{YEAR}年" in html and f"下面显示{YEAR}年度的数据" in html
    assert f'<option value="{YEAR}" selected>' in html and 'data-testid="annual-report"' in html


def test_a_year_offered_or_none_asked_shows_no_problem(client, bureau):
    client.force_login(user_make(role=Role.AGENCY_HEAD, agency=bureau))
    for query in ({}, {"year": YEAR - 4}, {"year": ""}, {"agency": bureau.pk}):
        html = client.get(reverse("publication:annual"), query).content.decode()
        assert 'data-testid="annual-choice-problems"' not in html


@pytest.mark.parametrize("agency", ["999999", "abc", "-3", "elsewhere", "own"])
def test_an_agencys_user_is_told_they_see_their_own_agency(client, bureau, agency):
    elsewhere = agency_make(name="乙旗市场监督管理局", region_code="150627", parent_government="乙旗人民政府")
    asked = {"elsewhere": str(elsewhere.pk), "own": str(bureau.pk)}.get(agency, agency)
    client.force_login(user_make(role=Role.OFFICER, agency=bureau))
    html = client.get(reverse("publication:annual"), {"agency": asked}).content.decode()
    assert 'data-testid="annual-penalty">2<' in html
    if agency == "own":
        assert 'data-testid="annual-choice-problems"' not in html
    else:
        assert f"您只能查看本单位的年度数据，所选执法主体（编号“{asked}”）不能查看，下面显示{bureau.name}的数据" in html
        assert elsewhere.name not in html


@pytest.mark.parametrize("agency", ["999999", "abc", "0", "elsewhere"])
def test_a_supervisor_is_told_which_agency_cannot_be_shown(client, bureau, agency):
    elsewhere = agency_make(name="乙旗市场监督管理局", region_code="150627", parent_government="乙旗人民政府")
    asked = str(elsewhere.pk) if agency == "elsewhere" else agency
    client.force_login(user_make(role=Role.SUPERVISOR, agency=agency_make(name="乌审旗司法局", is_judicial_bureau=True)))
    page = client.get(reverse("publication:annual"), {"agency": asked, "year": YEAR})
    html = page.content.decode()
    assert page.status_code == 200
    assert f"所选执法主体（编号“{asked}”）不存在或不在您可查看的范围内，下面显示全县的数据" in html
    assert 'data-testid="annual-county-penalty"' in html and 'data-testid="annual-report"' not in html
    assert elsewhere.name not in html


def test_a_publication_for_a_year_the_page_cannot_show_writes_nothing(client, bureau):
    # Before, year=abc published the latest year instead.
    public_agency_for(bureau)
    client.force_login(user_make(role=Role.AGENCY_HEAD, agency=bureau))
    response = client.post(reverse("publication:annual"), {"year": "abc"})
    assert response.status_code == 400 and "未提交：请核对年度和执法主体后重新提交" in response.content.decode()
    narrative = client.post(reverse("publication:annual"), {"action": "narrative", "year": "99999", "basic": "写好的说明"})
    assert narrative.status_code == 400 and "写好的说明" in narrative.content.decode()
    assert not AnnualReport.objects.exists() and not Entry.objects.filter(kind=EventKind.ANNUAL_REPORT_PUBLISHED).exists()
    client.force_login(user_make(role=Role.OFFICER, agency=bureau))  # who may not publish: 403 first
    assert client.post(reverse("publication:annual"), {"year": "abc"}).status_code == 403


def test_the_records_page_says_which_year_it_cannot_show(client, bureau):
    client.force_login(user_make(role=Role.AGENCY_HEAD, agency=bureau))
    page = client.get(reverse("publication:annual_records"), {"year": "abc", "group": "penalty"})
    assert page.status_code == 200 and f"下面显示{YEAR}年度的数据" in page.content.decode()
    redirected = client.get(reverse("publication:annual_records"), {"year": "-1"}, follow=True)
    assert "所选年度“-1”无法查看" in redirected.content.decode()
