"""Who may read the access log. Kept beside the log rather than in accounts.permissions so that
the rule and the scoping selector are read together."""

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.permissions import user_reads_all_agencies


def user_can_read_access_log(user: User) -> bool:
    """Supervisors and system administrators read the whole county's log; an agency head reads
    the log of their own agency's objects (who looked at its cases, evidence and registers)."""
    if not user.is_authenticated:
        return False
    if user_reads_all_agencies(user):
        return True
    return user.role == Role.AGENCY_HEAD and user.agency_id is not None
