"""The demo's year of supervision (issue 14 acceptance): matters from every source in every state,
instruments in every state, a public 通报, complaints from every channel in every public state, and
filings, produced through the services and loaded once. One load of the demo for all of it (the
demo county takes tens of seconds to load; CI's budget)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from sanxiang.demo.evaluation import demo_evaluation_training_load
from sanxiang.demo.evaluation_campaigns import demo_evaluation_campaign_load
from sanxiang.demo.evaluation_closing import demo_closing_year, demo_evaluation_closing_load
from sanxiang.demo.evaluation_reports import demo_evaluation_reports_load
from sanxiang.demo.supervision import demo_supervision_load
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verification import ledger_verify
from sanxiang.procedure.supervision.instruments import InstrumentKind, InstrumentState
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.publication.models import PublicComplaint, PublicSupervisionNotice
from sanxiang.registry.models import SupervisionCertificate
from sanxiang.supervision.models import Complaint, Filing, Instrument, Matter, ReadGrant
from tests.shared_demo import demo_county_shared

TODAY = timezone.localdate() - dt.timedelta(days=1)
pytestmark = pytest.mark.shared_demo(day=TODAY)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with demo_county_shared(day=TODAY, blocker=django_db_blocker):
        count = demo_supervision_load(today=TODAY)
        again = demo_supervision_load(today=TODAY)
        # The assessment work (issue 15), as `sanxiang demo` loads it after the supervision.
        demo_evaluation_training_load(today=TODAY)
        demo_evaluation_reports_load(today=TODAY)
        demo_evaluation_closing_load(today=TODAY)
        # 案卷评查活动 (issue 16, item 4), as `sanxiang demo` loads it last.
        drawn = demo_evaluation_campaign_load(today=TODAY)
        assert demo_evaluation_campaign_load(today=TODAY) == drawn
        report = ledger_verify()  # here, beside the files the load stored (each test has its own folder)
        yield count, again, report


@pytest.mark.django_db
def test_the_year_is_loaded_once_and_the_ledger_verifies(loaded):
    count, again, report = loaded
    # (The monthly reports loaded after it may open a matter on a report not submitted.)
    assert Matter.objects.count() >= count > 10 and again == count
    assert Entry.objects.filter(kind__startswith="supervision.").count() > count
    assert report.ok, sorted({f.message for f in report.findings})[:5]


@pytest.mark.django_db
def test_matters_come_from_every_source_and_stand_in_every_state(loaded):
    # Every source, the platform's alerts too (the demo's major decision made without legal review).
    assert set(MatterSource) == set(Matter.objects.values_list("source", flat=True))
    assert Matter.objects.filter(source=MatterSource.PLATFORM_ALERT, alert_key__startswith="unreviewed_major:").exists()
    states = set(Matter.objects.values_list("state", flat=True))
    assert states == {"received", "accepted", "merged", "transferred", "closed", "concluded"}
    assert Matter.objects.filter(listed=True).exists() and Matter.objects.filter(escalated=True).exists()
    assert ReadGrant.objects.exists()
    assert SupervisionCertificate.objects.filter(valid_to__lt=timezone.localdate()).count() == 1


@pytest.mark.django_db
def test_the_demo_supervisors_have_the_printed_second_factor(loaded):
    """The jiandu-* supervisors, like the demo's other supervisor, hold a confirmed authenticator with
    the known secret, and `sanxiang demo` prints each of them with it (no enrolment at first login)."""
    from sanxiang.accounts import totp
    from sanxiang.accounts.models import Role, User
    from sanxiang.demo.county import DEMO_TOTP_SECRETS
    from sanxiang.demo.supervision_matters import demo_supervisor_accounts
    from sanxiang.web.management.commands.demo import account_table

    accounts = demo_supervisor_accounts()
    assert [a.username for a in accounts] == ["jiandu-wang", "jiandu-zhao", "jiandu-sun", "jiandu-qian"]
    secret = DEMO_TOTP_SECRETS[Role.SUPERVISOR]
    for account in accounts:
        user = User.objects.get(username=account.username)
        assert user.requires_totp and user.totp_confirmed and user.totp_secret == account.totp_secret == secret
        assert totp.totp_match(secret, totp.totp_code(secret)) is not None
    lines = account_table(accounts)
    assert any("jiandu-qian" in line and "监督检查证已过期" in line and secret in line for line in lines)


@pytest.mark.django_db
def test_instruments_in_their_states_and_a_public_notice(loaded):
    states = {InstrumentState(s) for s in Instrument.objects.values_list("state", flat=True)}
    assert states == set(InstrumentState)  # every state, from proposed to withdrawn
    assert set(Instrument.objects.values_list("kind", flat=True)) == set(InstrumentKind)
    assert PublicSupervisionNotice.objects.exists()
    assert Filing.objects.exists()


@pytest.mark.django_db
def test_complaints_from_every_channel_in_every_public_state_without_gaps(loaded):
    assert Complaint.objects.count() == 10
    assert Complaint.objects.filter(matter__isnull=False).count() == PublicComplaint.objects.count() == 10
    statuses = set(PublicComplaint.objects.values_list("status_label", flat=True))
    assert statuses == {"已收到", "已受理", "不予受理", "已办结"}
    assert set(Complaint.objects.values_list("channel", flat=True)) == {"portal", "hotline_12345", "enterprise"}
    for year in set(Complaint.objects.values_list("year", flat=True)):
        numbers = sorted(Complaint.objects.filter(year=year).values_list("sequence", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))  # no gap in the year
    assert PublicComplaint.objects.filter(reason__contains="第三十三条").exists()


@pytest.mark.django_db
def test_every_agency_of_the_demo_numbers_its_cases_with_its_own_prefix(loaded):
    """Case numbers are unique across agencies: no two agencies of the demo share a prefix (the four
    综合行政执法 bodies of a banner once shared 乌综执, and the second one's first case was a 500)."""
    from collections import Counter

    from sanxiang.cases.services import agency_abbreviation
    from sanxiang.registry.models import Agency

    prefixes = Counter(agency_abbreviation(a) for a in Agency.objects.all())
    assert [p for p, n in prefixes.items() if n > 1] == []
def test_the_published_plan_and_an_evaluation_round(loaded):
    """Item 5: the year's plan, approved by a second supervisor and published, its 重点监督 item
    carried out by matters (one concluded); one 执法质效评议 whose standards, process and results are
    on the portal, every agency scored by two supervisors, one 单项否决 at the lowest grade."""
    from sanxiang.publication.models import PublicSupervisionEvaluation, PublicSupervisionPlan
    from sanxiang.supervision.models import Evaluation, EvaluationScore, Plan, PlanItemMatter

    plan = Plan.objects.get()
    assert plan.state == "published" and plan.approved_by_id != plan.drafted_by_id
    assert set(plan.items.values_list("kind", flat=True)) == {"focused", "routine", "case_file_review", "evaluation",
                                                              "training"}
    links = PlanItemMatter.objects.filter(item__plan=plan).select_related("matter")
    assert len(links) == 2 and {link.matter.state for link in links} == {"received", "concluded"}
    public_plan = PublicSupervisionPlan.objects.get(source_id=plan.pk)
    assert public_plan.year == plan.year and len(public_plan.items) == 5
    evaluation = Evaluation.objects.get()
    assert evaluation.state == "published" and evaluation.plan_item.plan_id == plan.pk
    scores = EvaluationScore.objects.filter(evaluation=evaluation)
    assert scores.count() == evaluation.agencies.count() == 4
    assert all(s.supervisors.count() == 2 for s in scores)
    assert scores.filter(vetoed=True, grade="不合格", total=0).count() == 1
    public = PublicSupervisionEvaluation.objects.get(source_id=evaluation.pk)
    assert public.full_marks == "100" and public.results_published_on == evaluation.results_published_on
    assert [r["agency"] for r in public.results] == [s.agency.name for s in scores.order_by("-total", "agency__name")]
    assert sorted(r["grade"] for r in public.results) == sorted(scores.values_list("grade", flat=True))
def test_the_indicators_of_the_demo_year_each_open_a_list_of_their_length(loaded):
    """Issue 15: on records made through the services, every indicator of every agency of the
    county (and the total) equals the length of the list behind it, and the main ones count."""
    from sanxiang.accounts.models import Role, User
    from sanxiang.evaluation.indicators import indicator_records, indicator_table, period_range

    supervisor = User.objects.filter(role=Role.SUPERVISOR, agency__is_judicial_bureau=True).first()
    period = period_range(TODAY - dt.timedelta(days=365), TODAY)
    table = indicator_table(viewer=supervisor, period=period, today=TODAY)
    assert len(table.agencies) > 1
    for indicator in table.indicators:
        for agency_id in [None, *(a.pk for a in table.agencies)]:
            figure = table.totals[indicator.code] if agency_id is None else table.figures[indicator.code][agency_id]
            for side, number in (("numerator", figure.numerator), ("denominator", figure.denominator)):
                listing = indicator_records(viewer=supervisor, indicator=indicator, side=side, period=period,
                                            agency_id=agency_id, limit=100_000, today=TODAY)
                assert listing.count == number == len(listing.rows), (indicator.code, agency_id, side)
            assert figure.numerator <= figure.denominator
    counted = {code for code, total in table.totals.items() if total.denominator}
    assert {"publication_timely", "legal_review_rate", "filing_timely", "certificate_rate",
            "deadlines_overdue"} <= counted, table.totals


@pytest.mark.django_db
def test_the_assessment_year_training_documents_and_monthly_reports(loaded):
    """Issue 15's demo: training sessions with attendance, system documents (accepted, public, returned)
    and a year of monthly reports in several states, loaded once through the services."""
    from sanxiang.evaluation.models import MonthlyReport, SystemDocument, TrainingAttendance, TrainingSession
    from sanxiang.publication.models import PublicSystemDocument

    assert TrainingSession.objects.count() >= 10 and TrainingAttendance.objects.count() > 100
    assert {"accepted", "returned"} <= set(SystemDocument.objects.values_list("state", flat=True))
    assert PublicSystemDocument.objects.exists()
    months = set(MonthlyReport.objects.values_list("year", "month"))
    assert len(months) >= 11
    # Received by the bureau; last month's still with the agencies early in the month (their drafts).
    assert {"received", "draft"} <= set(MonthlyReport.objects.values_list("state", flat=True))
    assert Entry.objects.filter(kind__startswith="evaluation.").count() > MonthlyReport.objects.count()
    # Loading again adds nothing.
    before = (TrainingSession.objects.count(), MonthlyReport.objects.count(), SystemDocument.objects.count())
    demo_evaluation_training_load(today=TODAY)
    demo_evaluation_reports_load(today=TODAY)
    assert (TrainingSession.objects.count(), MonthlyReport.objects.count(), SystemDocument.objects.count()) == before


@pytest.mark.django_db
def test_the_closing_year_summaries_one_acceptance_round_and_the_work_report(loaded):
    """Issue 15 item 7's demo: every agency's summary received (one late, one returned first), one
    acceptance round closed with a result for every agency (one fails, each deduction explained),
    and the county's work report sent to the government with figures that open their records."""
    from sanxiang.evaluation.closing_figures import figure_url
    from sanxiang.evaluation.closing_selectors import closing_figure_rows
    from sanxiang.evaluation.models import AcceptanceRound, AnnualSummary, SummaryStep, WorkReport

    year = demo_closing_year(TODAY)
    summaries = AnnualSummary.objects.filter(year=year)
    assert summaries.count() >= 5 and set(summaries.values_list("state", flat=True)) == {"received"}
    assert summaries.filter(first_submitted_on__gt=F("due_on")).count() == 1
    assert SummaryStep.objects.filter(summary__year=year, action="return").count() == 1
    round_ = AcceptanceRound.objects.get(year=year)
    checks = list(round_.checks.all())
    assert round_.closed and len(checks) == summaries.count()
    assert {c.result for c in checks} == {"passed", "failed"}
    for check in checks:  # every deduction has its findings
        assert all(check.findings.get(code) for code, score in check.scores.items()
                   if Decimal(score) < Decimal(round_.max_scores[code])), check.agency_id
    report = WorkReport.objects.get(year=year)
    assert report.submitted_on == dt.date(year, 11, 28) and report.round == round_
    figures = {f["key"]: f for f in report.figures}
    assert figures["acceptance.failed"]["value"] == str(sum(c.result == "failed" for c in checks))
    assert figures["summaries.late"]["value"] == "1"
    supervisor = round_.bureau.users.filter(role="supervisor").order_by("username").first()
    for key in ("acceptance.failed", "summaries.late", "reports.missing"):
        rows = closing_figure_rows(viewer=supervisor, key=key, year=year, agency_id=None)
        assert len(rows) == figures[key]["count"], key
    assert all(figure_url(key=f["key"], year=year) for f in report.figures)
    # Loading again adds nothing.
    assert demo_evaluation_closing_load(today=TODAY) == len(checks)
    assert AcceptanceRound.objects.count() == 1 and WorkReport.objects.count() == 1


@pytest.mark.django_db
def test_a_completed_evaluation_campaign_with_published_results(loaded):
    # Issue 16 item 4's demo: drawn from the main agency's closed files with the committed seed (the
    # public inputs repeat the draw), every file drawn scored by two evaluators of other agencies, one
    # re-graded by the 司法局, results published (on the portal too) and counted in 案卷评查合格率.
    from sanxiang.evaluation.models import CampaignAssignment, EvaluationCampaign
    from sanxiang.publication.models import PublicEvaluationCampaign
    from sanxiang_verify.draw import draw_run

    campaign = EvaluationCampaign.objects.get()
    sampled = list(campaign.files.filter(sampled=True).order_by("draw_position"))
    assert campaign.state == "published" and len(sampled) == campaign.sample_count >= 2
    assert all(f.final_grade and f.published_on and f.self_total is not None for f in sampled)
    assert sum(f.regrade_required for f in sampled) == 1
    repeated = draw_run(campaign.draw_inputs)
    assert repeated["seed_matches_commitment"] and repeated["groups"][0]["selected"] == [f.case_number for f in sampled]
    assignments = CampaignAssignment.objects.filter(file__campaign=campaign).select_related("file")
    assert assignments.count() == 2 * len(sampled)
    assert all(a.evaluator_agency_id != a.file.agency_id for a in assignments)
    public = PublicEvaluationCampaign.objects.get(source_id=campaign.pk)
    assert [r["file"] for r in public.results] == [f.case_number for f in sampled]
