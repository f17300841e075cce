"""The demo county as loaded into the database through the services. It is loaded once for the
module (inside a transaction rolled back at the end), because every test reads the same data."""

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts import totp
from sanxiang.accounts.models import Role, User
from sanxiang.demo.county import DEMO_TOTP_SECRETS, demo_county_load
from sanxiang.demo.generator import DEMO_SEED, CountyGenerator
from sanxiang.procedure.identifiers import credit_code_validate, id_number_validate
from sanxiang.registry.models import Agency, AgencyKind, Certificate, Matter, MatterKind, Officer, Party
from sanxiang.registry.selectors import team_health_overview
from tests.shared_demo import demo_county_shared

TODAY = dt.date(2026, 6, 15)
pytestmark = pytest.mark.shared_demo(day=TODAY)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count() for model in (Agency, Officer, Certificate, Matter, Party, User)
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_county_shared(day=TODAY, blocker=django_db_blocker) as loaded:
        yield loaded.result


@pytest.fixture(autouse=True)
def _fast_hashers(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.mark.django_db
def test_loading_twice_adds_nothing_and_returns_the_same_accounts(demo):
    assert demo.created
    before = _counts()
    again = demo_county_load(today=TODAY + dt.timedelta(days=30))
    assert not again.created
    assert _counts() == before
    assert again.accounts == demo.accounts
    assert again.summary == demo.summary


@pytest.mark.django_db
def test_counts_are_those_of_a_banner(demo):
    counts = _counts()
    assert 28 <= counts["Agency"] <= 32
    assert 280 <= counts["Officer"] <= 320
    assert counts["Certificate"] >= 0.9 * counts["Officer"]
    assert 190 <= counts["Matter"] <= 220
    assert 30 <= counts["Party"] <= 60
    # The demo's accounts, one per role, the 应急管理局's head who runs its year of 双随机 (issue 17),
    # and the housing bureau's staff who handle its 征收 (they cannot log in).
    from sanxiang.demo.permits import HOUSING_ACCOUNTS

    assert counts["User"] == len(Role) + 1 + len(HOUSING_ACCOUNTS)
    assert not any(u.has_usable_password() for u in User.objects.filter(username__in=[n for n, _ in HOUSING_ACCOUNTS]))
    assert f"执法主体{counts['Agency']}个" in demo.summary and f"执法事项{counts['Matter']}项" in demo.summary
    kinds = set(Matter.objects.values_list("kind", flat=True))
    assert {MatterKind.PENALTY, MatterKind.PERMIT, MatterKind.COERCION, MatterKind.INSPECTION} <= kinds
    assert MatterKind.EXPROPRIATION in kinds
    assert not Agency.objects.filter(matters__isnull=True).exists()
    # Every demo officer is registered with a 内设机构.
    assert not Officer.objects.filter(department="").exists()


@pytest.mark.django_db
def test_every_identifier_passes_its_check(demo):
    for code in Agency.objects.values_list("credit_code", flat=True):
        assert credit_code_validate(code) == [], code
    for number in Officer.objects.values_list("id_number", flat=True):
        assert id_number_validate(number) == [], number
    for party in Party.objects.all():
        if party.credit_code:
            assert credit_code_validate(party.credit_code) == [], party.credit_code
        if party.id_number:
            assert id_number_validate(party.id_number) == [], party.id_number
    assert Party.objects.filter(kind="natural_person").exists()
    assert Party.objects.filter(kind="individual_business").exists()
    assert Party.objects.filter(kind="legal_person").exists()


@pytest.mark.django_db
def test_kinds_of_agencies(demo):
    judicial = Agency.objects.get(is_judicial_bureau=True)
    assert judicial.name == "乌审旗司法局"
    entrusted = Agency.objects.filter(kind=AgencyKind.ENTRUSTED_ORGANIZATION)
    assert entrusted.exists()
    assert all(a.entrusting_agency.kind == AgencyKind.ADMINISTRATIVE_ORGAN for a in entrusted)
    assert Agency.objects.filter(kind=AgencyKind.AUTHORIZED_ORGANIZATION).exists()
    assert Agency.objects.filter(
        name="乌审旗嘎鲁图镇人民政府", enforcement_fields__contains="综合行政执法"
    ).exists()


@pytest.mark.django_db
def test_team_health_finds_each_kind_of_problem(demo):
    supervisor = User.objects.get(role=Role.SUPERVISOR)
    findings = [f for health in team_health_overview(viewer=supervisor, on=TODAY) for f in health.findings]
    codes = {f.code for f in findings}
    assert codes >= {
        "officer.no_valid_certificate",
        "officer.staffing_type",
        "certificate.expiring",
        "agency.too_few_officers",
        "agency.reviewer_ratio_low",
    }
    # Some irregular staff still hold a certificate: the serious case.
    assert any(f.code == "officer.staffing_type" and f.severity == "danger" for f in findings)
    # Most agencies are healthy enough to work: problems are the exception.
    unhealthy = {h.agency.pk for h in team_health_overview(viewer=supervisor, on=TODAY) if h.danger_count}
    assert len(unhealthy) < Agency.objects.count()


@pytest.mark.django_db
def test_the_certificate_reminders_of_the_demo_county(demo):
    """Issue 15, item 9: the day's certificate reminders remind of each officer's latest valid
    certificate on a rung of the ladder (90 days before its end, or past it), to the agency's head
    and the county's 司法局; a renewed certificate's lapsed predecessor is not reminded of."""
    from sanxiang.evaluation.models import Reminder
    from sanxiang.evaluation.reminder_selectors import reminders_waiting
    from sanxiang.evaluation.reminder_services import certificate_reminders_refresh

    certificate_reminders_refresh(on=TODAY)
    reminded = set(Reminder.objects.values_list("subject_id", flat=True))
    latest = {}
    for c in Certificate.objects.filter(status="valid", officer__status="active").order_by("officer_id", "-valid_to", "-pk"):
        latest.setdefault(c.officer_id, c)
    expected = {c.pk for c in latest.values() if c.valid_to <= TODAY + dt.timedelta(days=90)}
    assert reminded == expected and expected
    assert any(c.valid_to < TODAY for c in latest.values() if c.pk in expected)  # overdue ones too
    assert any(c.valid_to >= TODAY for c in latest.values() if c.pk in expected)  # and expiring ones
    supervisor = User.objects.get(role=Role.SUPERVISOR)
    assert {r.subject_id for r in reminders_waiting(user=supervisor, limit=10_000)} == expected
    head = User.objects.get(username="head")  # the demo's head (the housing bureau's staff act for its 征收)
    assert {r.agency_id for r in reminders_waiting(user=head, limit=10_000)} <= {head.agency_id}


@pytest.mark.django_db
def test_every_account_logs_in_with_its_password(demo):
    assert [a.role for a in demo.accounts] == [r.value for r in Role]
    assert len({a.username for a in demo.accounts}) == len(demo.accounts)
    for account in demo.accounts:
        user = authenticate(username=account.username, password=account.password)
        assert user is not None, account.username
        assert user.role == account.role and user.is_active
        assert account.role_label == Role(account.role).label
        validate_password(account.password, user)  # the printed passwords meet the project's rules


@pytest.mark.django_db
def test_two_factor_roles_have_working_fixed_secrets(demo):
    for account in demo.accounts:
        user = User.objects.get(username=account.username)
        if user.requires_totp:
            assert account.totp_secret == DEMO_TOTP_SECRETS[account.role] == user.totp_secret
            assert user.totp_confirmed
            assert totp.totp_match(account.totp_secret, totp.totp_code(account.totp_secret)) is not None
        else:
            assert account.totp_secret == "" and not user.totp_confirmed


@pytest.mark.django_db
def test_accounts_belong_where_their_role_works(demo):
    printed = [account.username for account in demo.accounts]
    users = {u.role: u for u in User.objects.filter(username__in=printed).select_related("agency", "officer")}
    main = users[Role.AGENCY_ADMIN].agency
    assert main.name == "乌审旗市场监督管理局"
    assert users[Role.SUPERVISOR].agency.is_judicial_bureau
    assert users[Role.SYSTEM_ADMIN].agency is None and users[Role.SYSTEM_ADMIN].is_superuser
    for role in (Role.OFFICER, Role.REVIEWER, Role.AGENCY_HEAD):
        user = users[role]
        assert user.agency == main and user.officer.agency == main, role
        assert user.display_name == user.officer.name
        assert any(c.is_valid_on(TODAY) for c in user.officer.certificates.all()), role
    assert users[Role.REVIEWER].officer.is_legal_reviewer
    assert users[Role.REVIEWER].officer.has_legal_qualification
    assert users[Role.AGENCY_HEAD].officer.post == "局长"


@pytest.mark.django_db
def test_major_cases_stand_in_every_state_of_the_legal_review(demo):
    """Issue 5: the demo county shows a major case at each point of the review, each one reached
    through the engine (a refused step would have stopped the load)."""
    from sanxiang.cases.models import Case
    from sanxiang.cases.selectors import case_snapshot_build, guard_context
    from sanxiang.procedure.penalty.review import major_assessment, review_status

    context = guard_context(on=TODAY)
    states = set()
    for case in Case.objects.filter(procedure="ordinary").select_related("agency", "matter", "party"):
        snapshot = case_snapshot_build(case)
        if major_assessment(snapshot, context).is_major:
            states.add(review_status(snapshot, context).code)
            if case.state == "decided":
                assert review_status(snapshot, context).code == "agreed"
    assert {"not_submitted", "pending", "returned", "disagreed", "resolved", "agreed"} <= states


@pytest.mark.django_db
def test_the_main_agency_catalogue_of_major_decisions_is_on_the_portal(demo, client):
    main = Agency.objects.get(credit_code=CountyGenerator(seed=DEMO_SEED, today=TODAY).main_agency().credit_code)
    listing = client.get(reverse("catalogues:list")).content.decode()
    assert main.name in listing and reverse("catalogues:detail", args=[main.pk]) in listing
    page = client.get(reverse("catalogues:detail", args=[main.pk])).content.decode()
    assert f"{main.name}重大执法决定法制审核目录清单" in page and "第1版" in page


@pytest.mark.django_db
def test_demo_matters_have_benchmarks_published_with_their_dates(demo):
    """裁量基准 for the demo matters (version 1 from 2025-01-01), each inside its statute, and the
    portal's copy of them (the public read model)."""
    from sanxiang.procedure.discretion import benchmark_problems
    from sanxiang.publication.models import PublicAgency
    from sanxiang.registry.models import DiscretionBenchmark

    rows = list(DiscretionBenchmark.objects.select_related("matter"))
    assert {row.matter.name for row in rows} == {
        "对生产经营超过保质期的食品、食品添加剂的行政处罚",
        "对食品经营者进货时未查验许可证和相关证明文件、未按规定建立并遵守进货查验记录制度的行政处罚",
        "对未经设立登记从事经营活动的行政处罚",
    }
    for row in rows:
        assert row.version == "1" and row.effective_from == dt.date(2025, 1, 1)
        assert benchmark_problems(row.as_benchmark()) == []
    published = [m for agency in PublicAgency.objects.all() for m in agency.matters if m.get("benchmarks")]
    assert len(published) == len(rows)
    assert all(m["benchmarks"][0]["effective_from"] == "2025-01-01" for m in published)


@pytest.mark.django_db
def test_three_demo_files_scored_by_hand_match_the_automatic_score(demo):
    """案卷评查 (issue 16): the automatic items of three demo files, scored by hand on the demo day from
    the files' records, against the platform's default standard (100 points; manual items unscored,
    counted at full points). Every demo file that reached 结案 or 归档 passes every veto item."""
    from decimal import Decimal

    from sanxiang.cases.models import Case
    from sanxiang.evaluation.casefile_selectors import case_file_score

    by_hand = {
        # Archived: every automatic item met but 证据收集规范 (−1: the photo of the goods has no 采集地点).
        "乌市监立〔2026〕20号": ({"content.evidence": Decimal("1")}, Decimal("99"), "优秀"),
        # Hearing held: the photo and the hearing's body-camera video both lack a 采集地点 (−1 each).
        "乌市监立〔2026〕9号": ({"content.evidence": Decimal("2")}, Decimal("98"), "优秀"),
        # Decided, not served by 2026-05-29 (7 working days after the decision, 第六十一条): 送达 −3; the photo −1.
        "乌市监立〔2026〕10号": ({"content.evidence": Decimal("1"), "content.service": Decimal("3")}, Decimal("96"), "优秀"),
    }
    for number, (lost, total, grade) in by_hand.items():
        scored = case_file_score(Case.objects.select_related("agency", "party").get(number=number), on=TODAY)
        assert (scored.score.lost, scored.score.total, scored.score.grade, scored.score.failed_vetoes) == (
            lost, total, grade, ()), number
    closed = Case.objects.filter(procedure="ordinary", state__in=("closed", "archived")).select_related("agency", "party")
    assert closed.count() >= 2
    assert all(not case_file_score(case, on=TODAY).vetoed for case in closed)


@pytest.mark.django_db
def test_a_year_of_random_inspections_with_public_notices_repeatable_draws_and_penalty_cases(demo):
    """Issue 17's demo: a year of 双随机一公开 (《优化营商环境条例》第五十四条) of two bodies, the market
    bureau and the 应急管理局, back from TODAY: each list of items public, each year's plan approved,
    filed and published in January before its first draw, a batch a quarter with the seed's hash
    published before the draw and the draw repeated from its published inputs alone
    (sanxiang_verify.draw, what anyone runs); visits after each draw, their results published within
    the period; violations opened penalty cases of the enterprise dated the day of the visit, one
    rectification was followed up, the 应急管理局 joined one visit (综合查一次); nothing is dated after
    TODAY."""
    import json

    from sanxiang.evidence.models import EvidenceRecord
    from sanxiang.inspection.frequency_selectors import counted_inspections, inspection_frequency
    from sanxiang.inspection.inspection_selectors import inspection_evidence_step
    from sanxiang.inspection.models import Inspection, InspectionItem, InspectionPlan, RandomInspection
    from sanxiang.publication.models import PublicInspectionNotice, PublicInspectionResult
    from sanxiang_verify.draw import draw_run

    def local(moment):
        return timezone.localtime(moment).date()

    main = Agency.objects.get(credit_code=CountyGenerator(seed=DEMO_SEED, today=TODAY).main_agency().credit_code)
    emergency = Agency.objects.get(name="乌审旗应急管理局")
    for agency in (main, emergency):
        items = InspectionItem.objects.filter(agency=agency)
        assert items.count() >= 2 and not items.filter(is_published=False).exists()
        plans = list(InspectionPlan.objects.filter(agency=agency).order_by("year"))
        tasks = list(RandomInspection.objects.filter(plan__agency=agency).order_by("draw_on"))
        assert {p.year for p in plans} == {t.draw_on.year for t in tasks}
        for plan in plans:
            assert plan.state == "published" and local(plan.published_at).month == 1
            assert local(max(i.published_at for i in items)) <= local(plan.approved_at)
            assert plan.approved_at < plan.filed_at < plan.published_at
            assert local(plan.filed_at) <= plan.filing_due_on
            notice = PublicInspectionNotice.objects.get(key=f"plan:{plan.pk}")
            assert notice.kind == "plan" and notice.published_at == plan.published_at
        # A batch a quarter: at least three draws on distinct days over six months and more.
        draws = [t.draw_on for t in tasks]
        assert len(set(draws)) == len(draws) >= 3 and (draws[-1] - draws[0]).days >= 180
        for task in tasks:
            plan = next(p for p in plans if p.year == task.draw_on.year)
            assert task.state == "drawn" and plan.published_at < task.committed_at < task.drawn_at
            assert local(task.committed_at) < task.draw_on == local(task.drawn_at) < TODAY
            notice = PublicInspectionNotice.objects.get(key=f"task:{task.pk}")
            # The task notice was published with the seed's hash before the draw, the seed at it.
            assert notice.kind == "task" and notice.published_at == task.committed_at < notice.updated_at
            assert notice.seed == task.seed and notice.seed_commitment == task.seed_commitment
            repeated = draw_run(json.loads(notice.public_inputs))
            assert repeated["seed_matches_commitment"] is True
            teams = {g["name"].removeprefix("officers:"): g["selected"] for g in repeated["groups"]
                     if g["name"].startswith("officers:")}
            assert teams == {t["target"]: t["officers"] for t in task.result["teams"]}
            drawn = Inspection.objects.filter(random_inspection=task)
            assert set(teams) == set(drawn.values_list("target__credit_code", flat=True))
            for inspection in drawn.exclude(started_on=None):
                assert task.draw_on < inspection.started_on <= task.period_to
        # Visits done, results told on the spot, published (结果公告) within the period or still in it.
        closed = Inspection.objects.filter(agency=agency, source="random", state="closed")
        assert closed.count() >= 8 and not closed.filter(counts_in_statistics=False).exists()
        for inspection in closed:
            assert inspection.result_sent_on == inspection.started_on == inspection.finished_on < TODAY
            assert (inspection.published_on is None and inspection.publish_due >= TODAY) or (
                inspection.result_sent_on < inspection.published_on <= min(inspection.publish_due, TODAY))
        published = closed.exclude(published_on=None)
        assert published.count() >= closed.count() - 3
        assert PublicInspectionResult.objects.filter(source_id__in=published.values("pk")).count() == published.count()
        # The year counts in the statistics: inspections with a specific object and a complete record.
        for year in {d.year for d in draws}:
            [row] = inspection_frequency(agencies=[agency], year=year)
            counted = counted_inspections(year=year).filter(agency=agency)
            assert row.enterprises == counted.values("target").distinct().count() > 0

    # Violations opened penalty cases (案源登记) of the enterprise, on the day of the visit.
    cases = list(Inspection.objects.exclude(penalty_case=None).select_related("penalty_case__party", "target"))
    assert len(cases) >= 2 and {i.agency_id for i in cases} == {main.pk, emergency.pk}
    for inspection in cases:
        assert inspection.result_outcome == "violation" and inspection.counts_in_statistics
        assert inspection.penalty_case.party.credit_code == inspection.target.credit_code
        assert inspection.penalty_case.agency_id == inspection.agency_id
        assert inspection.penalty_case.facts["discovered_on"] == inspection.started_on.isoformat()
    # A rectification, and its follow-up (整改复查) carried out after the period given.
    follow_up = Inspection.objects.get(source="follow_up")
    rectified = follow_up.follow_up_of
    assert rectified.result_outcome == "rectify" and follow_up.target_id == rectified.target_id
    due = dt.date.fromisoformat(rectified.facts["result"]["rectification_due"])
    assert follow_up.state == "closed" and due < follow_up.started_on < TODAY
    # 综合查一次: the 应急管理局 joined one of the market bureau's visits, one record for both.
    joint = Inspection.objects.get(joint_agencies=emergency)
    assert joint.agency == main and joint.state == "closed"
    assert {i.agency_id for i in joint.items.all()} == {main.pk, emergency.pk}
    assert {o.agency_id for o in joint.officers.all()} == {main.pk, emergency.pk}
    # Each visit has its photo, taken that day.
    for inspection in Inspection.objects.exclude(started_on=None):
        photos = EvidenceRecord.objects.filter(step=inspection_evidence_step(inspection))
        assert [local(p.captured_at) for p in photos] == [inspection.started_on]
    # Nothing after TODAY.
    days = [d for i in Inspection.objects.all() for d in (i.started_on, i.finished_on, i.result_sent_on, i.published_on)
            if d is not None]
    moments = [m for p in InspectionPlan.objects.all() for m in (p.approved_at, p.filed_at, p.published_at)]
    moments += [m for t in RandomInspection.objects.all() for m in (t.committed_at, t.drawn_at)]
    moments += [m for n in PublicInspectionNotice.objects.all() for m in (n.published_at, n.updated_at)]
    assert max(days) <= TODAY and max(local(m) for m in moments) <= TODAY
    # Today's work is left to the officers: the last batch's visits from today on.
    assert Inspection.objects.filter(source="random", state="approved", planned_to__gte=TODAY).exists()


@pytest.mark.django_db
def test_the_supervisor_and_the_public_see_the_year_of_random_inspections(demo, client):
    """The 司法局's pages of 行政检查 list both bodies with their plans, the draws of the year and the
    counted inspections; the portal lists the plan and task notices newest first, each task with its
    commitment, seed and result, and the results published (结果公告)."""
    from sanxiang.inspection.models import InspectionPlan, RandomInspection
    from sanxiang.publication.models import PublicInspectionNotice, PublicInspectionResult

    main, emergency = Agency.objects.get(name="乌审旗市场监督管理局"), Agency.objects.get(name="乌审旗应急管理局")
    client.force_login(User.objects.get(username="supervisor"))
    home = client.get(reverse("inspection:home")).content.decode()
    assert main.name in home and emergency.name in home and "待备案的检查计划" not in home
    for agency in (main, emergency):
        page = client.get(reverse("inspection:agency", args=[agency.pk])).content.decode()
        for plan in InspectionPlan.objects.filter(agency=agency):
            assert plan.title in page
            detail = client.get(reverse("inspection:plan", args=[plan.pk])).content.decode()
            assert f"{plan.filing_reference}），{timezone.localtime(plan.filed_at):%Y-%m-%d}" in detail
            for task in plan.random_inspections.all():
                assert f"{task.draw_on:%Y-%m-%d}" in detail
                draw = client.get(reverse("inspection:draw", args=[task.pk]))
                assert draw.status_code == 200 and task.seed in draw.content.decode()
    years = sorted({t.draw_on.year for t in RandomInspection.objects.all()})
    frequency = client.get(reverse("inspection:frequency"), {"year": years[-1]}).content.decode()
    assert f'data-testid="frequency-{main.pk}-1"' in frequency and f'data-testid="frequency-{emergency.pk}-1"' in frequency

    client.logout()
    listed = client.get(reverse("portal:random_inspection_list")).content.decode()
    notices = list(PublicInspectionNotice.objects.order_by("-published_at", "-pk")[:20])
    positions = [listed.index(reverse("portal:random_inspection_detail", args=[n.pk])) for n in notices]
    assert positions == sorted(positions) and {n.kind for n in notices} == {"plan", "task"}
    task = PublicInspectionNotice.objects.filter(kind="task").order_by("published_at").first()
    detail = client.get(reverse("portal:random_inspection_detail", args=[task.pk])).content.decode()
    assert task.seed_commitment in detail and task.seed in detail and task.drawn[0]["credit_code"] in detail
    assert f"{timezone.localtime(task.published_at):%Y年%-m月%-d日}" in detail
    results = client.get(reverse("portal:inspection_result_list")).content.decode()
    latest = PublicInspectionResult.objects.order_by("-published_on", "-source_id").first()
    assert latest.target_name in results and PublicInspectionResult.objects.count() >= 16
