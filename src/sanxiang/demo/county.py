"""Loading the demo county (乌审旗) and its demo accounts, one per role.

Everything goes through the registry and account services with no actor, in one transaction,
so that the demo data is checked by the same rules as real data and every record has its
ledger entry. Loading again finds the demo county by the judicial bureau's credit code and adds
nothing.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.services import totp_device_install, user_create
from sanxiang.demo.discretion import demo_benchmarks_add
from sanxiang.demo.generator import DEMO_SEED, CountyGenerator
from sanxiang.ledger.events import EventKind, LedgerEvent
from sanxiang.ledger.services import entry_append
from sanxiang.registry.models import Agency, Certificate, Matter, Officer, Party
from sanxiang.registry.services import (
    agency_create,
    certificate_create,
    matter_create,
    officer_create,
    party_create,
)

# Published on purpose: these are demo credentials, printed by `sanxiang demo`, and the browser
# tests compute two-factor codes from these secrets. A real deployment never loads the demo.
DEMO_TOTP_SECRETS = {
    Role.SUPERVISOR: "SANXIANGDEMOSUPERVISORWUSHENQIAN",
    Role.SYSTEM_ADMIN: "SANXIANGDEMOSYSTEMADMINWUSHENQIA",
}


@dataclass(frozen=True)
class DemoAccount:
    role: str
    role_label: str
    username: str
    password: str
    totp_secret: str = ""


@dataclass(frozen=True)
class DemoLoadResult:
    created: bool
    summary: str
    accounts: list[DemoAccount]


@dataclass(frozen=True)
class _AccountPlan:
    role: str
    username: str
    password: str
    display_name: str = ""  # officers' accounts take the officer's name


ACCOUNT_PLANS = (
    _AccountPlan(Role.OFFICER, "officer", "Sanxiang-Officer-2026!"),
    _AccountPlan(Role.REVIEWER, "reviewer", "Sanxiang-Reviewer-2026!"),
    _AccountPlan(Role.AGENCY_HEAD, "head", "Sanxiang-Head-2026!"),
    _AccountPlan(Role.AGENCY_ADMIN, "admin", "Sanxiang-Admin-2026!", "市场监管局系统管理员"),
    _AccountPlan(Role.SUPERVISOR, "supervisor", "Sanxiang-Supervisor-2026!", "旗司法局执法监督员"),
    _AccountPlan(Role.SYSTEM_ADMIN, "sysadmin", "Sanxiang-Sysadmin-2026!", "平台系统管理员"),
)


def demo_accounts() -> list[DemoAccount]:
    with translation.override("zh-hans"):
        return [
            DemoAccount(
                role=str(plan.role),
                role_label=str(Role(plan.role).label),
                username=plan.username,
                password=plan.password,
                totp_secret=DEMO_TOTP_SECRETS.get(plan.role, ""),
            )
            for plan in ACCOUNT_PLANS
        ]


def demo_county_summary() -> str:
    return (
        f"执法主体{Agency.objects.count()}个、执法人员{Officer.objects.count()}名、"
        f"执法证{Certificate.objects.count()}本、执法事项{Matter.objects.count()}项、"
        f"当事人{Party.objects.count()}个"
    )


@transaction.atomic
def demo_county_load(*, today: dt.date | None = None) -> DemoLoadResult:
    """Load 乌审旗 unless it is there. `today` anchors certificate dates, so that some are
    expiring and some expired on the day the demo is loaded."""
    from sanxiang.publication.apps import registry_refresh_deferred

    # The public registry is refreshed once, after everything is loaded (_demo_publicity).
    with registry_refresh_deferred():
        return _demo_county_load(today=today)


def _demo_county_load(*, today: dt.date | None = None) -> DemoLoadResult:
    generator = CountyGenerator(seed=DEMO_SEED, today=today or timezone.localdate())
    # The agencies (and so this code) do not depend on the date: a demo loaded yesterday is found.
    if Agency.objects.filter(credit_code=generator.judicial_bureau().credit_code).exists():
        _demo_cases(generator)  # a county loaded before cases existed gets them; otherwise nothing
        return DemoLoadResult(created=False, summary=demo_county_summary(), accounts=demo_accounts())

    agencies: dict[str, Agency] = {}
    for spec in generator.agencies():
        entrusting = agencies[spec.entrusting_key] if spec.entrusting_key else None
        agencies[spec.key] = agency_create(actor=None, entrusting_agency=entrusting, **spec.fields())
    officers: dict[str, Officer] = {}
    for spec in generator.officers():
        officers[spec.key] = officer_create(actor=None, agency=agencies[spec.agency_key], **spec.fields())
    for spec in generator.certificates():
        certificate_create(actor=None, officer=officers[spec.officer_key], **spec.fields())
    matters = [
        matter_create(actor=None, agency=agencies[spec.agency_key], **spec.fields()) for spec in generator.matters()
    ]
    demo_benchmarks_add(matters=matters)
    for spec in generator.parties():
        party_create(actor=None, agency=agencies[spec.agency_key], **spec.fields())

    main = agencies[generator.main_agency().key]
    judicial_bureau = agencies[generator.judicial_bureau().key]
    by_role = {spec.demo_role: officers[spec.key] for spec in generator.officers() if spec.demo_role}
    agency_of_role = {Role.SUPERVISOR: judicial_bureau, Role.SYSTEM_ADMIN: None}
    for plan in ACCOUNT_PLANS:
        officer = by_role.get(plan.role)
        user = user_create(
            actor=None,
            username=plan.username,
            password=plan.password,
            role=plan.role,
            agency=agency_of_role.get(plan.role, main),
            officer=officer,
            display_name=officer.name if officer else plan.display_name,
        )
        if plan.role in DEMO_TOTP_SECRETS:
            user_totp_enable(user=user, secret=DEMO_TOTP_SECRETS[plan.role])
    _demo_cases(generator)
    return DemoLoadResult(created=True, summary=demo_county_summary(), accounts=demo_accounts())


def _demo_cases(generator: CountyGenerator) -> None:
    """The demo cases of the main agency (see `sanxiang.demo.cases`; its 查封、扣押、冻结 and 强制执行
    cases, some inside those penalty cases: `sanxiang.demo.coercion`), added once."""
    from sanxiang.demo.cases import demo_cases_load
    from sanxiang.demo.coercion import demo_coercion_load
    from sanxiang.demo.inspections import demo_inspections_load
    from sanxiang.demo.permit_import import demo_permit_imports_load
    from sanxiang.demo.permits import demo_permits_load

    main = Agency.objects.filter(credit_code=generator.main_agency().credit_code).first()
    users = {u.username: u for u in User.objects.filter(username__in=("officer", "head", "reviewer"), agency=main)}
    if main is None or len(users) != 3:
        return  # not the demo's own accounts: leave the county as it is
    if demo_cases_load(agency=main, users=users, today=generator.today):
        demo_coercion_load(agency=main, users=users, today=generator.today)
        _demo_publicity(main=main, head=users["head"], today=generator.today)
        # A year of 双随机一公开 (issue 17): two bodies' items, registers, plans, quarterly draws,
        # inspections, results and the penalty cases they opened.
        demo_inspections_load(today=generator.today)
    demo_permits_load(agency=main, users=users, today=generator.today)  # 许可、征收、奖励 (issue 18), once
    demo_permit_imports_load(agency=main, today=generator.today)  # decisions from the 政务服务 system, once


def _demo_publicity(*, main: Agency, head: User, today) -> None:
    """The public portal's content: every agency's 事前 publicity from the registry, the main
    agency's catalogue of major decisions (published by its head, as kept: the platform's
    defaults), and the decisions published as an agency head would, two working days after each
    was made; the most recent decision is left as a draft awaiting approval."""
    from sanxiang.calendar.selectors import working_day_calendar_current
    from sanxiang.publication.models import DraftStatus, PublicationDraft
    from sanxiang.publication.registry_sync import public_registry_refresh
    from sanxiang.publication.services import publication_approve, publications_expire
    from sanxiang.review.models import CataloguePublication
    from sanxiang.review.services import catalogue_publish

    public_registry_refresh()
    if not CataloguePublication.objects.filter(agency=main).exists():
        catalogue_publish(actor=head, agency=main)
    calendar = working_day_calendar_current()
    drafts = list(PublicationDraft.objects.filter(agency=main, status=DraftStatus.DRAFT).order_by("decided_on", "pk"))
    for draft in drafts[:-1]:
        on = min(calendar.working_days_after(draft.decided_on, 2).date, today)
        publication_approve(actor=head, draft=draft, on=on)
    publications_expire(on=today)


def user_totp_enable(*, user: User, secret: str) -> User:
    """Enrol a known secret as already confirmed, skipping the scan-and-confirm step of a real
    enrolment: the demo prints the secret, and a tester adds it to an authenticator by hand."""
    totp_device_install(user=user, secret_b32=secret)
    entry_append(
        event=LedgerEvent(
            EventKind.TOTP_ENABLED,
            {"username": user.username, "demo": True},
            user.agency_id,
            subject=f"user:{user.pk}",
        ),
        actor=None,
    )
    return user
