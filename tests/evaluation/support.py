"""A county for the tests of 制度文件 and 培训: its 司法局 with a supervisor, two agencies (each with
a head), and a second county whose bureau and agency must never see the first's."""

from __future__ import annotations

import io
from dataclasses import dataclass

from sanxiang.accounts.models import Role, User
from sanxiang.registry.models import Agency
from tests.factories import agency_make, user_make
from tests.supervision.support import supervisor_user_make

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class Upload(io.BytesIO):
    """An uploaded file as the services take it (bytes and a name)."""

    def __init__(self, content: bytes = PDF, name: str = "制度.pdf"):
        super().__init__(content)
        self.name = name
        self.size = len(content)


@dataclass
class County:
    bureau: Agency
    supervisor: User
    agency: Agency
    head: User
    other: Agency
    other_head: User


def county_make(*, region: str = "150626") -> County:
    bureau = agency_make(is_judicial_bureau=True, region_code=region)
    agency = agency_make(region_code=region)
    other = agency_make(region_code=region)
    return County(
        bureau=bureau, supervisor=supervisor_user_make(bureau=bureau), agency=agency,
        head=user_make(role=Role.AGENCY_HEAD, agency=agency), other=other,
        other_head=user_make(role=Role.AGENCY_HEAD, agency=other),
    )
