"""Supervisors of a judicial bureau for the supervision tests: a bureau with supervisors (each a
registry person with a supervision certificate and an account), and an agency they supervise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import count

from sanxiang.accounts.models import Role, User
from sanxiang.registry import services
from sanxiang.registry.models import Agency
from tests.factories import PASSWORD, agency_make, id_number

_sequence = count(1)


def supervisor_user_make(
    *, bureau: Agency, valid_to: dt.date | None = None, valid_from: dt.date | None = None, certificate: bool = True,
    name: str = "",
) -> User:
    """A supervisor of the bureau with an account, and (unless `certificate=False`) a supervision
    certificate valid from a year ago to `valid_to` (four years ahead by default)."""
    from sanxiang.accounts.services import user_create

    n = next(_sequence)
    today = dt.date.today()
    supervisor = services.supervisor_create(
        actor=None, bureau=bureau, name=name or f"监督员{n}", id_number=id_number(serial=700 + n)
    )
    if certificate:
        services.supervision_certificate_save(
            actor=None,
            supervisor=supervisor,
            number=f"JD150626{n:06d}",
            issuing_authority="鄂尔多斯市人民政府",
            valid_from=valid_from or today - dt.timedelta(days=365),
            valid_to=valid_to or today + dt.timedelta(days=4 * 365),
        )
    return user_create(
        actor=None,
        username=f"supervisor-{n}",
        password=PASSWORD,
        role=Role.SUPERVISOR,
        agency=bureau,
        supervisor=supervisor,
        display_name=supervisor.name,
        validate=False,
    )


@dataclass
class Desk:
    bureau: Agency  # the county 司法局
    agency: Agency  # an enforcement agency it supervises
    first: User  # two supervisors with valid certificates
    second: User


def desk_make() -> Desk:
    bureau = agency_make(name=f"测试旗司法局{next(_sequence)}", is_judicial_bureau=True)
    agency = agency_make()
    return Desk(
        bureau=bureau,
        agency=agency,
        first=supervisor_user_make(bureau=bureau, name="王监督"),
        second=supervisor_user_make(bureau=bureau, name="赵监督"),
    )
