"""Reads of the supervision desk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sanxiang.accounts.models import User
from sanxiang.procedure.supervision.rules import SupervisorSnapshot
from sanxiang.registry.models import SupervisionCertificate


def supervisor_snapshots(*, users: Iterable[User], on: dt.date) -> list[SupervisorSnapshot]:
    """Each user as the pair rule sees them on `on`: the supervision certificate that lets them act
    that day if they hold one, else their latest (whose problem the rule then names). One query for
    the certificates of all of them."""
    users = list(users)
    supervisor_ids = [u.supervisor_id for u in users if u.supervisor_id]
    by_supervisor: dict[int, list[SupervisionCertificate]] = {}
    for certificate in SupervisionCertificate.objects.filter(supervisor_id__in=supervisor_ids).order_by("-valid_to", "-id"):
        by_supervisor.setdefault(certificate.supervisor_id, []).append(certificate)
    snapshots = []
    for user in users:
        certificates = by_supervisor.get(user.supervisor_id, []) if user.supervisor_id else []
        usable = [c for c in certificates if c.status == "valid" and c.valid_from <= on <= c.valid_to]
        chosen = (usable or certificates or [None])[0]
        snapshots.append(
            SupervisorSnapshot(
                user_id=user.pk,
                name=str(user),
                certificate_number=chosen.number if chosen else None,
                certificate_status=chosen.status if chosen else "valid",
                valid_from=chosen.valid_from if chosen else None,
                valid_to=chosen.valid_to if chosen else None,
            )
        )
    return snapshots
