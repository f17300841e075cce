"""Helpers of part B's tests.

`matter_make_for_tests` creates a Matter row directly: part A's `matter_open` is not merged yet.
LEAD: swap it for `matter_open(...)` after the merge (one place)."""

from __future__ import annotations

import datetime as dt
from itertools import count

from sanxiang.accounts.models import Role
from sanxiang.supervision.models import Matter
from tests.factories import user_make
from tests.supervision.support import Desk, desk_make

_numbers = count(1)


def matter_make_for_tests(*, desk: Desk, subject: str = "未按期公示行政处罚决定", officer=None) -> Matter:
    """TEST ONLY, until part A's matter_open is merged."""
    return Matter.objects.create(
        bureau=desk.bureau, agency=desk.agency, officer=officer, number=f"JD-TEST-{next(_numbers):05d}",
        source="routine", state="accepted", subject=subject, summary="", received_on=dt.date.today(),
    )


def desk_with_matter():
    desk = desk_make()
    matter = matter_make_for_tests(desk=desk)
    agency_user = user_make(role=Role.AGENCY_HEAD, agency=desk.agency)
    return desk, matter, agency_user
