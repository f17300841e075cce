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


def read_grant_give(*, case, user: User, hours: int = 1):
    """A read grant (调阅案卷) on `case` for `user`, for the tests of other apps that need a
    supervisor to read a case: the rows the services make (tests/supervision covers the services,
    the pair rule and the certificates), written directly because those tests' supervisors are
    bare accounts without a registered supervision certificate."""
    from django.utils import timezone

    from sanxiang.supervision.models import Matter, MatterSupervisor, Measure, ReadGrant

    now = timezone.now()
    matter = Matter.objects.create(bureau_id=user.agency_id, agency_id=case.agency_id, number=f"测试监督{next(_sequence)}",
                                   source="routine", state="accepted", subject="调阅", received_on=now.date())
    MatterSupervisor.objects.create(matter=matter, user=user, assigned_on=now.date())
    measure = Measure.objects.create(matter=matter, kind="file_call", taken_on=now.date(), recorded_by=user)
    return ReadGrant.objects.create(matter=matter, measure=measure, case=case, starts_at=now,
                                    expires_at=now + dt.timedelta(hours=hours))
