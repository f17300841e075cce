"""Reads about users for the account pages."""

from django.db.models import Q, QuerySet

from sanxiang.accounts.models import AGENCY_ROLES, ApiToken, Role, User
from sanxiang.registry.models import Officer, OfficerStatus


def users_administered(*, viewer: User) -> QuerySet[User]:
    """The users whose login, password and tokens `viewer` administers."""
    users = User.objects.select_related("agency", "officer").order_by("agency__name", "username")
    if viewer.role == Role.SYSTEM_ADMIN:
        return users
    if viewer.role == Role.AGENCY_ADMIN and viewer.agency_id is not None:
        return users.filter(agency_id=viewer.agency_id, role__in=sorted(r.value for r in AGENCY_ROLES))
    return users.none()


def user_administered_get(*, viewer: User, user_id: int) -> User | None:
    """A user `viewer` administers, or None for a missing one and another agency's alike (the
    account pages answer 404 to both: no probing of which ids exist elsewhere)."""
    return users_administered(viewer=viewer).filter(pk=user_id).first()


def api_token_manageable_get(*, viewer: User, token_id: int) -> ApiToken | None:
    """A token of `viewer` or of a user they administer; None for a missing one and any other
    alike."""
    administered = users_administered(viewer=viewer).order_by().values("pk")
    return (
        ApiToken.objects.select_related("user")
        .filter(Q(user=viewer) | Q(user__in=administered), pk=token_id)
        .first()
    )


def officers_without_login(*, viewer: User) -> QuerySet[Officer]:
    officers = Officer.objects.filter(user__isnull=True, status=OfficerStatus.ACTIVE).select_related("agency")
    if viewer.role == Role.SYSTEM_ADMIN:
        return officers
    if viewer.role == Role.AGENCY_ADMIN and viewer.agency_id is not None:
        return officers.filter(agency_id=viewer.agency_id)
    return officers.none()


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def supervisor_accounts(*, supervisor_ids: list[int]) -> dict[int, User]:
    """The login of each supervisor of the registry that has one (one query)."""
    return {u.supervisor_id: u for u in User.objects.filter(supervisor_id__in=supervisor_ids)}


def bureau_user_get(*, bureau_id: int, user_id: int) -> User | None:
    """A user of the bureau, or None for a missing one and another agency's alike (a caller cannot
    tell them apart: no probing of other agencies' users)."""
    return User.objects.filter(pk=user_id, agency_id=bureau_id).first()


def supervisor_accounts_unlinked(*, bureau_id: int) -> QuerySet[User]:
    """The bureau's supervisor accounts not yet linked to a supervisor of the registry."""
    return User.objects.filter(role=Role.SUPERVISOR, agency_id=bureau_id, supervisor__isnull=True).order_by("username")
