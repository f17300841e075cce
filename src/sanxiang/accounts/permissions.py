"""Who may read and change what. Every internal page and query goes through these, so that
agency scoping is decided in one place.

- Agency roles (officer, reviewer, agency head, agency administrator) see their own agency only.
- Supervisors of the judicial bureau read every agency of their county (`user_county_region`) and
  change nothing of theirs; another county's objects are absent to them (404). A case's own records
  (its page, documents, evidence, case-file export) they read only under a read grant (调阅案卷) of a
  supervision matter that names the case (`user_can_read_case`).
- System administrators administer everything (they also have Django's admin).
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.hooks import Slot
from sanxiang.registry.models import Agency

# One definition for every app; the registry, below accounts, asks its questions through slots.
from sanxiang.registry.permissions import permission_require as permission_require


def user_reads_all_agencies(user: User) -> bool:
    return user.is_authenticated and user.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN)


def user_county_region(user: User) -> str | None:
    """The county whose agencies a supervisor reads: their judicial bureau's region (行政区划代码).
    None for everyone else (a system administrator reads every county, an agency's user their
    agency). A supervisor never sees another county's data (系统权限规则)."""
    if not (user.is_authenticated and user.role == Role.SUPERVISOR):
        return None
    if user.agency_id is None:
        return ""  # a supervisor of no bureau reads no county
    return user.agency.region_code


def county_lookup(user: User, field: str = "agency") -> dict[str, str]:
    """The filter that keeps a reader across agencies to their county (`{}` for who reads all):
    `rows.filter(**county_lookup(user, "case__agency"))`; `field=""` for the agencies themselves."""
    region = user_county_region(user)
    return {} if region is None else {f"{field}__region_code" if field else "region_code": region}


def user_can_read_agency(user: User, agency_id: int) -> bool:
    if not user.is_authenticated:
        return False
    if user_reads_all_agencies(user):
        region = user_county_region(user)
        return region is None or Agency.objects.filter(pk=agency_id, region_code=region).exists()
    return user.role in AGENCY_ROLES and user.agency_id == agency_id


def user_can_register_agencies(user: User) -> bool:
    """Confirming enforcement bodies (执法主体资格确认) is the judicial bureau's work."""
    return user.is_authenticated and user.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN)


def user_can_maintain_calendar(user: User) -> bool:
    """Entering the State Council's holiday schedule of a year: the judicial bureau's supervisors
    and system administrators (系统权限规则)."""
    return user_reads_all_agencies(user)


# The Django permissions that apps below accounts in the layers ask through `user.has_perm`, since
# they may not import the rules here, and the rule that answers each (`backends.RolePermissionBackend`).
DJANGO_PERMISSION_RULES = {
    "calendar.change_holidayyear": user_can_maintain_calendar,
}


def user_can_edit_agency(user: User, agency_id: int) -> bool:
    return user_can_register_agencies(user) or (
        user.is_authenticated and user.role == Role.AGENCY_ADMIN and user.agency_id == agency_id
    )


def user_can_manage_staff(user: User, agency_id: int) -> bool:
    """Officers, certificates and the matter catalogue of an agency."""
    if not user.is_authenticated:
        return False
    if user.role == Role.SYSTEM_ADMIN:
        return True
    return user.role == Role.AGENCY_ADMIN and user.agency_id == agency_id


def user_can_manage_parties(user: User, agency_id: int) -> bool:
    return user.is_authenticated and user.role in AGENCY_ROLES and user.agency_id == agency_id


def user_sees_full_officer_id_number(user: User, agency_id: int) -> bool:
    """Only the officer's own agency administrator sees the full 身份证号."""
    return user.is_authenticated and user.role == Role.AGENCY_ADMIN and user.agency_id == agency_id


def user_can_read_supervisors(user: User, bureau_id: int) -> bool:
    """The register of a judicial bureau's supervisors and their supervision certificates: the
    bureau's own supervisors and administrator, and system administrators; never another county's
    bureau, and never an enforcement agency (系统权限规则). Changing it is `user_can_manage_staff`
    of the bureau (its administrator)."""
    if not user.is_authenticated:
        return False
    if user.role == Role.SYSTEM_ADMIN:
        return True
    return user.role in (Role.SUPERVISOR, Role.AGENCY_ADMIN) and user.agency_id == bureau_id


def user_sees_full_party_id_number(user: User, agency_id: int) -> bool:
    """The agency that handles the party needs the full number for its documents."""
    return user.is_authenticated and user.role in AGENCY_ROLES and user.agency_id == agency_id


def user_can_administer_user(actor: User, target: User) -> bool:
    """Give a login, reset a password, list or revoke the tokens of someone else: a system
    administrator for anyone, an agency administrator for the agency roles of their own agency
    (系统权限规则). Never issue a token for them: `user_can_issue_token_for`."""
    if not actor.is_authenticated:
        return False
    if actor.role == Role.SYSTEM_ADMIN:
        return True
    return (
        actor.role == Role.AGENCY_ADMIN
        and actor.agency_id is not None
        and target.role in AGENCY_ROLES
        and target.agency_id == actor.agency_id
    )


def user_can_manage_tokens_of(actor: User, target: User) -> bool:
    """See and revoke the tokens of `target`: the user, and their administrator."""
    return actor.is_authenticated and (actor.pk == target.pk or user_can_administer_user(actor, target))


def user_can_issue_token_for(actor: User, target: User) -> bool:
    """Issue a bearer token that authenticates as `target`: the user only (系统安全规则). A token
    issued by an administrator for a legal reviewer or an agency head would let the administrator
    act as them, with nothing on the requests to tell the two apart; and one issued for a
    supervisor would pass without the supervisor's second factor."""
    return actor.is_authenticated and actor.pk == target.pk


# --- case records under a read grant (调阅案卷) -----------------------
# There is no general read-all of case files: a supervisor reads a case's records only while a read
# grant of a supervision matter they handle names that case. The supervision app, above the cases,
# installs the answers at ready(): the active grant (or None) of a user on a case, and the ids of the
# cases a user may read now.
case_read_grant: Slot[Callable[[User, int], Any]] = Slot("accounts: case_read_grant")
case_ids_granted: Slot[Callable[[User], list[int]]] = Slot("accounts: case_ids_granted")


class ReadGrantRequired(PermissionDenied):
    """A supervisor asked for a case's records without a read grant naming the case: the page
    explains how to call the case file up (需经调阅) instead of a bare refusal."""

    def __init__(self, *, case_id: int | None, agency_id: int | None) -> None:
        self.case_id, self.agency_id = case_id, agency_id
        super().__init__("需经调阅：监督人员查阅案卷，须在监督事项中采取“调阅案卷”措施")


def user_reads_cases_by_grant(user: User) -> bool:
    return user.is_authenticated and user.role == Role.SUPERVISOR


def user_can_read_case(user: User, *, agency_id: int, case_id: int | None) -> bool:
    """Whether the user may read this case's records (page, documents, evidence, export)."""
    if user_reads_cases_by_grant(user):
        return case_id is not None and case_read_grant(user, case_id) is not None
    return user_can_read_agency(user, agency_id)


def case_read_require(user: User, *, agency_id: int, case_id: int | None) -> None:
    """Http404 for who may not read the agency at all (its cases are not disclosed);
    ReadGrantRequired for a supervisor without an active read grant on the case."""
    if user_reads_cases_by_grant(user):
        if not user_can_read_agency(user, agency_id):
            raise Http404  # another county's case: answered as one that does not exist
        if case_id is None or case_read_grant(user, case_id) is None:
            raise ReadGrantRequired(case_id=case_id, agency_id=agency_id)
        return
    if not user_can_read_agency(user, agency_id):
        raise Http404
