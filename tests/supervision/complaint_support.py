"""Helpers of the complaint tests (issue 14, part D): the desk with its agency on the public registry,
and a complaint through the portal's slot."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client

from sanxiang.public_events import ComplaintReceipt, ComplaintSubmission, complaint_submit
from sanxiang.publication.registry_sync import public_registry_refresh
from tests.supervision.support import Desk, desk_make

NAME = "钱多多"
PHONE = "13912345678"


def desk_public() -> Desk:
    desk = desk_make()
    public_registry_refresh(agency_id=desk.agency.pk)
    return desk


def valid_id_number() -> str:
    from tests.factories import id_number

    return id_number(serial=4242)


def submission(desk: Desk, **fields) -> ComplaintSubmission:
    defaults = {
        "agency_id": desk.agency.pk, "anonymous": False, "name": NAME, "phone": PHONE, "id_number": valid_id_number(),
        "happened_on": dt.date.today() - dt.timedelta(days=3),
        "description": "执法人员检查时未出示执法证件，并当场要求缴纳罚款现金。", "pending_remedy": "none",
    }
    return ComplaintSubmission(**(defaults | fields))


def complaint_file(desk: Desk, **fields) -> ComplaintReceipt:
    return complaint_submit(submission(desk, **fields))


def complaint_matter_move(desk: Desk, complaint, *, to: str, close_reason: str = "other") -> None:
    """Move the complaint's supervision matter to the state `to` through part A's services, as the
    pair of supervisors would on the desk: assign the pair, then accept (`accepted`), accept and
    conclude (`concluded`), or close without supervising it, with `close_reason` (`closed`). Each
    service publishes the complaint's public status in its own transaction."""
    from sanxiang.supervision import services

    matter = complaint.matter
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    if to == "closed":
        services.matter_close(matter=matter, reason=close_reason, actor=desk.first)
        return
    services.matter_accept(matter=matter, actor=desk.first)
    if to == "concluded":
        services.matter_conclude(matter=matter, outcome="已责令改正。", actor=desk.first)
    elif to != "accepted":
        raise ValueError(f"no path to {to}")


def form_token(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
