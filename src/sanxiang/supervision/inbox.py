"""The supervision desk's kinds of the inbox (issue 14, part C): what `web.inbox` shows a supervisor.
One query each, whatever the number of rows."""

from __future__ import annotations

from sanxiang.accounts.models import User
from sanxiang.supervision.filing_selectors import filings_awaiting
from sanxiang.supervision.models import Filing

FILING = "supervision_filing"
FILING_LABEL = "重大执法决定备案审查"


def filing_inbox_applies(user: User) -> bool:
    from sanxiang.supervision.filing_selectors import user_is_registered_supervisor

    return user_is_registered_supervisor(user)


def filing_inbox_rows(*, user: User) -> list[Filing]:
    """The filings waiting for the supervisor's bureau to examine them, the nearest deadline first."""
    return list(filings_awaiting(viewer=user))


def filing_inbox_count(*, user: User) -> int:
    return filings_awaiting(viewer=user).count()


# --- 执法协调 ------------------------------------------------------------------------------------------

COORDINATION = "supervision_coordination"
COORDINATION_LABEL = "执法协调"


def coordination_inbox_applies(user: User) -> bool:
    """Supervisors only: an agency's inbox is held to three queries (web.inbox); the requests
    whose materials the bureau asked for show on the agency's coordination list instead."""
    from sanxiang.supervision.filing_selectors import user_is_registered_supervisor

    return user_is_registered_supervisor(user)


def coordination_inbox_rows(*, user: User) -> list:
    """Requests waiting for the supervisor's bureau: to accept or to coordinate. One query."""
    from sanxiang.supervision.coordination_selectors import coordinations_waiting

    return list(coordinations_waiting(viewer=user))


def coordination_inbox_count(*, user: User) -> int:
    from sanxiang.supervision.coordination_selectors import coordinations_waiting

    return coordinations_waiting(viewer=user).count()
