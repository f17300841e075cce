"""A minimal inspection world for part B's tests: one agency, its head, two officers with users,
one enterprise, one item, one inspection planned for today. No demo county. This module holds no
tests."""

import datetime as dt
import io
from dataclasses import dataclass

from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.inspection.models import Inspection, InspectionItem, InspectionSource, InspectionTarget
from sanxiang.registry.models import Agency, Officer
from tests.evidence.test_evidence_capture import png_bytes
from tests.factories import agency_make, credit_code, officer_make, user_make


@dataclass
class World:
    agency: Agency
    head: User
    officers: tuple[Officer, Officer]
    users: tuple[User, User]
    target: InspectionTarget
    item: InspectionItem
    inspection: Inspection

    def checklist(self, finding: str = "pass") -> list[dict]:
        return [{"item_id": self.item.pk, "point": "食品经营许可证在有效期内", "finding": finding}]


def world_make(*, source: str = InspectionSource.RANDOM, officers: int = 2, on: dt.date | None = None) -> World:
    on = on or timezone.localdate()
    agency = agency_make()
    head = user_make(role=Role.AGENCY_HEAD, agency=agency)
    made = tuple(officer_make(agency=agency) for _ in range(2))
    users = tuple(user_make(role=Role.OFFICER, agency=agency, officer=o) for o in made)
    target = InspectionTarget.objects.create(agency=agency, name="乌审旗示例食品有限公司", credit_code=credit_code(),
                                             legal_representative="王某", address="嘎鲁图镇1号", sector="市场监管")
    item = InspectionItem.objects.create(agency=agency, code="SC-001", name="食品经营许可情况检查",
                                         legal_basis="《中华人民共和国食品安全法》", enforcement_field="市场监管")
    inspection = Inspection.objects.create(agency=agency, target=target, source=source, planned_from=on,
                                           planned_to=on + dt.timedelta(days=7))
    inspection.items.set([item])
    inspection.officers.set(made[:officers])
    return World(agency, head, made, users, target, item, inspection)


def photo() -> io.BytesIO:
    return io.BytesIO(png_bytes())


def closed(world: World, outcome: str = "pass", *, on: dt.date | None = None) -> Inspection:
    """The world's inspection approved, visited (a photo, the checklist), its result told on `on`
    (today by default; the world planned from that day)."""
    from sanxiang.cases.selectors import guard_context
    from sanxiang.inspection.inspection_services import inspection_act, inspection_photo_add

    on = on or timezone.localdate()
    context = guard_context(on=on)
    pk = world.inspection.pk
    inspection_act(actor=world.head, inspection_id=pk, action="inspection_approve", data={"approval": "agree"},
                   context=context)
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_start", data={}, context=context)
    inspection_photo_add(actor=world.users[0], inspection_id=pk, source=photo(), original_name="a.png")
    inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_record", data={
        "officer_ids": [o.pk for o in world.officers], "certificates_shown": True, "checklist": world.checklist(),
        "enterprise_signed": True, "on": on}, context=context)
    return inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_send_result",
                          data={"outcome": outcome, "sent_on": on}, context=context)
