"""Who may publish in an agency's name (谁执法谁公示): its head or administrator, or a system
administrator. One rule for decisions, documents and annual data."""

from sanxiang.accounts.models import Role, User

PUBLISHERS = (Role.AGENCY_HEAD, Role.AGENCY_ADMIN)


def user_can_publish(user: User, agency_id: int) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.SYSTEM_ADMIN:
        return True
    return user.role in PUBLISHERS and user.agency_id == agency_id
