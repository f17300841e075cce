"""Who may read and change the review catalogue, work the review desk and read the review
figures. Kept beside the app (as `access.permissions` is) so that each rule is read with the
selector that scopes by it; the agency scoping itself is `accounts.permissions`."""

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import user_can_read_agency, user_reads_all_agencies


def user_can_read_catalogue(user: User, agency_id: int) -> bool:
    """Every agency role of the agency, supervisors and system administrators."""
    return user_can_read_agency(user, agency_id)


def user_can_edit_catalogue(user: User, agency_id: int) -> bool:
    """The agency head (118号: the head is the first person responsible for the review system)
    or the agency administrator of that agency; system administrators for every agency."""
    if not user.is_authenticated:
        return False
    if user.role == Role.SYSTEM_ADMIN:
        return True
    return user.role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN) and user.agency_id == agency_id


def user_can_publish_catalogue(user: User, agency_id: int) -> bool:
    """Publishing puts the catalogue in force: the agency head, or a system administrator."""
    if not user.is_authenticated:
        return False
    if user.role == Role.SYSTEM_ADMIN:
        return True
    return user.role == Role.AGENCY_HEAD and user.agency_id == agency_id


def user_has_review_desk(user: User) -> bool:
    """Legal reviewers (their own queue) and agency heads (the agency's whole queue)."""
    return user.is_authenticated and user.role in (Role.REVIEWER, Role.AGENCY_HEAD) and user.agency_id is not None


def user_can_read_parameters(user: User) -> bool:
    """The unverified legal parameters are checked by the legal staff: legal reviewers, the
    judicial bureau's supervisors and system administrators (who change the parameter files)."""
    return user.is_authenticated and user.role in (Role.REVIEWER, Role.SUPERVISOR, Role.SYSTEM_ADMIN)


def user_can_read_review_supervision(user: User) -> bool:
    """Supervisors and system administrators for the county; an agency head for their agency."""
    if not user.is_authenticated:
        return False
    return user_reads_all_agencies(user) or (user.role == Role.AGENCY_HEAD and user.agency_id is not None)
