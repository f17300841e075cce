"""Writes of the supervision desk. Each service changes its rows and appends its ledger entry in one
transaction (see sanxiang.ledger.services)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sanxiang.accounts.models import User
from sanxiang.procedure.supervision.rules import supervisors_violations
from sanxiang.procedure.violations import Violation
from sanxiang.supervision.selectors import supervisor_snapshots


def supervisors_check(
    *, users: Iterable[User], on: dt.date, recused_user_ids: frozenset[int] = frozenset()
) -> list[Violation]:
    """Every reason why these users may not act together as supervisors on `on` (none when they
    may): the pair rule and each one's supervision certificate, and recusal from the matter."""
    return supervisors_violations(
        supervisors=supervisor_snapshots(users=users, on=on), on=on, recused_user_ids=recused_user_ids
    )
