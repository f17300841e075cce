import datetime as dt

from ninja import Schema


class ViolationOut(Schema):
    code: str
    message: str
    legal_basis: str
    field: str | None = None


class ErrorBody(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorBody
    violations: list[ViolationOut]


class AgencyOut(Schema):
    id: int
    name: str
    credit_code: str
    kind: str
    entrusting_agency_id: int | None
    region_code: str
    parent_government: str
    enforcement_fields: str
    status: str


class CertificateOut(Schema):
    number: str
    enforcement_fields: str
    valid_from: dt.date
    valid_to: dt.date
    status: str
    valid_today: bool


class OfficerOut(Schema):
    id: int
    agency_id: int
    name: str
    post: str
    id_number: str
    staffing_type: str
    is_legal_reviewer: bool
    status: str
    certificates: list[CertificateOut]


class LegalBasisOut(Schema):
    law: str
    article: str = ""


class MatterOut(Schema):
    id: int
    agency_id: int
    code: str
    name: str
    kind: str
    enforcement_field: str
    legal_bases: list[LegalBasisOut]
    is_active: bool
