"""Who may read and change the registry: the questions the registry asks, answered by `accounts`.

Users, their roles and the agency scoping are the accounts app's (it sits above the registry: a
user belongs to an agency). It installs its answers in these slots at ready(), so that the
registry's services, selectors and Excel import check the same rules as every other page without
importing the app above them. An empty slot raises ImproperlyConfigured: a missing rule never
lets a change through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.core.exceptions import PermissionDenied

from sanxiang.hooks import Slot


class Actor(Protocol):
    """Who reads or changes the registry (a user of the accounts app)."""

    is_authenticated: bool
    agency_id: int | None


UserCheck = Callable[[Actor], bool]
UserRegion = Callable[[Actor], "str | None"]
UserAgencyCheck = Callable[[Actor, int], bool]

user_reads_all_agencies: Slot[UserCheck] = Slot("registry: user_reads_all_agencies")
user_can_read_agency: Slot[UserAgencyCheck] = Slot("registry: user_can_read_agency")
user_can_register_agencies: Slot[UserCheck] = Slot("registry: user_can_register_agencies")
user_can_edit_agency: Slot[UserAgencyCheck] = Slot("registry: user_can_edit_agency")
user_can_manage_staff: Slot[UserAgencyCheck] = Slot("registry: user_can_manage_staff")
user_can_manage_parties: Slot[UserAgencyCheck] = Slot("registry: user_can_manage_parties")
user_sees_full_officer_id_number: Slot[UserAgencyCheck] = Slot("registry: user_sees_full_officer_id_number")
user_can_read_supervisors: Slot[UserAgencyCheck] = Slot("registry: user_can_read_supervisors")
# The county (行政区划代码) a reader across agencies is kept to: a supervisor's; None for who reads all.
user_county_region: Slot[UserRegion] = Slot("registry: user_county_region")

SLOTS = {
    slot.name.removeprefix("registry: "): slot
    for slot in (
        user_reads_all_agencies,
        user_can_read_agency,
        user_can_register_agencies,
        user_can_edit_agency,
        user_can_manage_staff,
        user_can_manage_parties,
        user_sees_full_officer_id_number,
        user_can_read_supervisors,
        user_county_region,
    )
}


def permission_require(allowed: bool, message: str = "您没有权限执行此操作") -> None:
    if not allowed:
        raise PermissionDenied(message)
