"""Who may read and change the registers, plans and draws of inspection (platform rules)."""

from __future__ import annotations

from sanxiang.accounts.models import AGENCY_ROLES, Role, User
from sanxiang.accounts.permissions import user_can_read_agency

PERMISSION_BASIS = "平台规则：本平台权限设置"


def user_reads_inspection(user: User, agency_id: int) -> bool:
    """Agency roles of the agency, the county's supervisors, system administrators."""
    return user_can_read_agency(user, agency_id)


def user_keeps_registers(user: User, agency_id: int) -> bool:
    """The 抽查事项清单, the target register, declared relations and experts: the agency's head and
    administrator, and system administrators."""
    if not user.is_authenticated:
        return False
    return user.role == Role.SYSTEM_ADMIN or (
        user.role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN) and user.agency_id == agency_id
    )


def user_drafts_plans(user: User, agency_id: int) -> bool:
    """Plans are drafted by the agency (any of its roles) or a system administrator."""
    if not user.is_authenticated:
        return False
    return user.role == Role.SYSTEM_ADMIN or (user.role in AGENCY_ROLES and user.agency_id == agency_id)


def user_is_head_of(user: User, agency_id: int) -> bool:
    return user.is_authenticated and user.role == Role.AGENCY_HEAD and user.agency_id == agency_id


def user_records_filing(user: User, agency_id: int) -> bool:
    """The 司法局 records the 备案 of a plan of an agency of its county (or a system administrator)."""
    if not user.is_authenticated:
        return False
    return user.role == Role.SYSTEM_ADMIN or (user.role == Role.SUPERVISOR and user_can_read_agency(user, agency_id))


def user_runs_draws(user: User, agency_id: int) -> bool:
    """The agency's head and administrator run the 双随机 draws."""
    if not user.is_authenticated:
        return False
    return user.role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN) and user.agency_id == agency_id
