"""The roles that may take a step, as `procedure` names them. The accounts app stores the same
values (`accounts.models.Role`) and maps its users onto these; `procedure` needs no Django."""

from enum import StrEnum


class Role(StrEnum):
    OFFICER = "officer"
    REVIEWER = "reviewer"
    AGENCY_HEAD = "agency_head"
    AGENCY_ADMIN = "agency_admin"


ROLE_LABELS: dict[Role, str] = {
    Role.OFFICER: "执法人员",
    Role.REVIEWER: "法制审核人员",
    Role.AGENCY_HEAD: "机关负责人",
    Role.AGENCY_ADMIN: "单位管理员",
}

HEAD = frozenset({Role.AGENCY_HEAD})
REVIEWER = frozenset({Role.REVIEWER})
# The steps the officers carry out (a head may take them too); never the agency's administrator
# or its legal reviewer.
OPERATIONAL = frozenset({Role.OFFICER, Role.AGENCY_HEAD})
