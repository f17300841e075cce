"""Builders of valid registry data for tests, written through the services."""

import datetime as dt
import itertools

from sanxiang.accounts.models import User
from sanxiang.accounts.services import user_create
from sanxiang.procedure.identifiers import (
    credit_code_check_character,
    id_number_check_character,
    organization_code_check_character,
)
from sanxiang.registry import services
from sanxiang.registry.models import Agency, Certificate, Officer

_sequence = itertools.count(1)
PASSWORD = "Test-Password-2026!"


def credit_code(*, prefix: str = "11150626", serial: int | None = None) -> str:
    serial = next(_sequence) if serial is None else serial
    body = f"{serial:08d}"
    with_org = prefix + body + organization_code_check_character(body)
    return with_org + credit_code_check_character(with_org)


def id_number(*, birth: dt.date = dt.date(1985, 6, 15), serial: int | None = None, region: str = "150626") -> str:
    serial = (next(_sequence) if serial is None else serial) % 1000
    first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
    return first17 + id_number_check_character(first17)


def agency_make(**fields) -> Agency:
    n = next(_sequence)
    defaults = {
        "name": f"测试执法局{n}",
        "credit_code": credit_code(serial=n),
        "kind": "administrative_organ",
        "region_code": "150626",
        "parent_government": "乌审旗人民政府",
        "enforcement_fields": "市场监管",
    }
    return services.agency_create(actor=None, **(defaults | fields))


def officer_make(*, agency: Agency, certificate: bool = True, valid_to: dt.date | None = None, **fields) -> Officer:
    n = next(_sequence)
    defaults = {"name": f"执法员{n}", "id_number": id_number(serial=n), "staffing_type": "administrative"}
    officer = services.officer_create(actor=None, agency=agency, **(defaults | fields))
    if certificate:
        certificate_make(officer=officer, valid_to=valid_to)
    return officer


def certificate_make(*, officer: Officer, valid_to: dt.date | None = None, **fields) -> Certificate:
    today = dt.date.today()
    defaults = {
        "number": f"150626{next(_sequence):08d}",
        "issuing_authority": "鄂尔多斯市人民政府",
        "enforcement_fields": "市场监管",
        "valid_from": today - dt.timedelta(days=365),
        "valid_to": valid_to or today + dt.timedelta(days=4 * 365),
    }
    return services.certificate_create(actor=None, officer=officer, **(defaults | fields))


def user_make(*, role: str, agency: Agency | None = None, officer: Officer | None = None, username: str = "") -> User:
    return user_create(
        actor=None,
        username=username or f"{role}{next(_sequence)}",
        password=PASSWORD,
        role=role,
        agency=agency,
        officer=officer,
        validate=False,
    )
