"""What waits for a supervisor from part D (issue 14): complaints and leads received and not yet
triaged. `web.inbox` shows them; one query each for the rows and the count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from sanxiang.accounts.models import User
from sanxiang.procedure.supervision.complaints import COMPLAINT_CHANNEL_LABELS, ComplaintChannel
from sanxiang.supervision.complaint_selectors import (
    complaints_waiting,
    complaints_waiting_count,
    user_reads_complaints,
)

COMPLAINT_KIND_LABEL = "待分办的投诉举报和线索"


@dataclass(frozen=True)
class ComplaintWaiting:
    what: str
    number: str
    title: str
    url: str
    since: dt.date


def complaint_inbox_applies(user: User) -> bool:
    return user_reads_complaints(user)


def complaint_inbox_rows(*, user: User, limit: int = 200) -> list[ComplaintWaiting]:
    return [
        ComplaintWaiting(
            what=f"分办{COMPLAINT_CHANNEL_LABELS[ComplaintChannel(c.channel)]}",
            number=c.receipt_number,
            title=c.agency.name,
            url=reverse("supervision:complaint_detail", args=[c.pk]),
            since=c.received_on,
        )
        for c in complaints_waiting(user=user, limit=limit)
    ]


def complaint_inbox_count(*, user: User) -> int:
    return complaints_waiting_count(user=user)
