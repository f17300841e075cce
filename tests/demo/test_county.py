"""The demo county as loaded into the database through the services. It is loaded once for the
module (inside a transaction rolled back at the end), because every test reads the same data."""

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse

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
    # One account a role, and the housing bureau's staff who handle its 征收 (they cannot log in).
    from sanxiang.demo.permits import HOUSING_ACCOUNTS

    assert counts["User"] == len(Role) + len(HOUSING_ACCOUNTS)
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
    """Issue 17's demo: the items list, the plan and both task notices public; each draw repeated
    from its published inputs alone (sanxiang_verify.draw, what anyone runs) gives the recorded
    teams; two violations opened penalty cases of the enterprise, one rectification has its
    follow-up; the 双随机 results carried out are public. 《优化营商环境条例》第五十四条."""
    import json

    from sanxiang.inspection.models import Inspection, InspectionItem, RandomInspection
    from sanxiang.publication.models import PublicInspectionNotice, PublicInspectionResult
    from sanxiang_verify.draw import draw_run

    main = Agency.objects.get(credit_code=CountyGenerator(seed=DEMO_SEED, today=TODAY).main_agency().credit_code)
    assert InspectionItem.objects.filter(agency=main, is_published=True).count() == 3
    assert PublicInspectionNotice.objects.filter(agency_source_id=main.pk, kind="plan", year=TODAY.year).count() == 1
    tasks = list(RandomInspection.objects.filter(plan__agency=main).order_by("pk"))
    assert [t.state for t in tasks] == ["drawn", "drawn"]
    for task in tasks:
        notice = PublicInspectionNotice.objects.get(key=f"task:{task.pk}")
        assert notice.seed == task.seed and notice.seed_commitment == task.seed_commitment
        repeated = draw_run(json.loads(notice.public_inputs))
        assert repeated["seed_matches_commitment"] is True
        teams = {g["name"].removeprefix("officers:"): g["selected"] for g in repeated["groups"]
                 if g["name"].startswith("officers:")}
        assert teams == {t["target"]: t["officers"] for t in task.result["teams"]}
        assert set(teams) == set(Inspection.objects.filter(random_inspection=task)
                                 .values_list("target__credit_code", flat=True))

    cases = list(Inspection.objects.filter(agency=main).exclude(penalty_case=None).select_related("penalty_case__party",
                                                                                                  "target"))
    assert len(cases) == 2
    for inspection in cases:
        assert inspection.result_outcome == "violation" and inspection.counts_in_statistics
        assert inspection.penalty_case.party.credit_code == inspection.target.credit_code
        assert inspection.penalty_case.agency_id == main.pk
    follow_up = Inspection.objects.get(agency=main, source="follow_up")
    assert follow_up.follow_up_of.result_outcome == "rectify" and follow_up.target_id == follow_up.follow_up_of.target_id
    carried = Inspection.objects.filter(agency=main, random_inspection__isnull=False, state="closed")
    assert carried.count() == 6
    assert PublicInspectionResult.objects.filter(source_id__in=carried.values("pk")).count() == 6
