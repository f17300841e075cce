"""The registers: 抽查事项清单 (items, published), 检查对象名录 (targets, also by Excel import in
`register_excel`), declared relations (回避) and the expert pool. Each change appends its ledger
entry in the same transaction; a refusal writes nothing and reports every reason."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require
from sanxiang.inspection import events
from sanxiang.inspection.models import DeclaredRelation, InspectionExpert, InspectionItem, InspectionTarget
from sanxiang.inspection.register_permissions import user_keeps_registers
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.identifiers import credit_code_normalize
from sanxiang.procedure.inspection.registers import (
    CHECK_KINDS,
    ItemSnapshot,
    TargetSnapshot,
    item_validate,
    target_validate,
)
from sanxiang.procedure.violations import FORM_BASIS, Refused, Violation
from sanxiang.public_events import (
    InspectionItemsPublished,
    PublicInspectionItem,
    inspection_items_published_emit,
)
from sanxiang.registry.models import Agency, Officer

REGISTER_REFUSED = "只有本机关负责人、单位管理员或者系统管理员可以维护抽查事项清单和检查对象名录"
CHANGED_BASIS = "平台规则：防止覆盖他人的修改"


def register_version(row: InspectionItem | InspectionTarget) -> str:
    """The version of an item or a target that a page's form carries (a hidden field) from the
    read to the save: the instant of its last change, as the API's ETag counts it."""
    return str(int(row.updated_at.timestamp() * 1_000_000))


def _changed_since_read(current: InspectionItem | InspectionTarget, version: str | None, what: str) -> list[Violation]:
    """The refusal of a save made on an older version than `current`'s: the row as re-read under its
    lock (held until the end of the transaction, so that no change slips in between the comparison
    and the save, which applies the changes to this row, not to one loaded before the lock)."""
    if version is None or register_version(current) == version:
        return []
    return [Violation(f"inspection.{current._meta.model_name}.changed",
                      f"这一{what}在您打开之后已被他人修改，您的修改没有保存；请核对现在的内容后再保存", CHANGED_BASIS)]


@transaction.atomic
def item_save(
    *, actor: User | None, agency: Agency, code: str, name: str, legal_basis: str, check_kind: str,
    enforcement_field: str = "", offsite_first: bool = False, is_active: bool = True,
    item: InspectionItem | None = None, version: str | None = None,
) -> InspectionItem:
    """Create or change one item of the agency's list (not yet public: `items_publish`). `version`:
    the item's `register_version` when the change was read (a page's form); a change made since
    refuses the save (`inspection.inspectionitem.changed`) rather than overwrite it."""
    if actor is not None:
        permission_require(user_keeps_registers(actor, agency.pk), REGISTER_REFUSED)
    snapshot = ItemSnapshot(code.strip(), name.strip(), legal_basis.strip(), check_kind, enforcement_field.strip(),
                            offsite_first)
    violations = item_validate(snapshot)
    if item is not None:  # re-read under the lock: a publish or a save since the load is not undone
        item = InspectionItem.objects.select_for_update().get(pk=item.pk)
        violations += _changed_since_read(item, version, "抽查事项")
    clash = InspectionItem.objects.filter(agency=agency, code=snapshot.code)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if snapshot.code and clash.exists():
        violations.append(_item_code_taken(snapshot.code))
    if violations:
        raise Refused(violations)
    created = item is None
    withdrawn = item is not None and item.is_published and not is_active
    item = item or InspectionItem(agency=agency)
    item.code, item.name, item.legal_basis = snapshot.code, snapshot.name, snapshot.legal_basis
    item.check_kind, item.enforcement_field, item.offsite_first = check_kind, snapshot.enforcement_field, offsite_first
    item.is_active = is_active
    if withdrawn:
        item.is_published = False
    try:
        with transaction.atomic():  # a request that took the code since the check: the same refusal
            item.save()
    except IntegrityError:
        raise Refused([_item_code_taken(snapshot.code)]) from None
    entry_append(event=events.item_saved_event(item=item, created=created), actor=actor)
    if withdrawn:  # an item taken out of use leaves the public list at once
        _items_public_emit(agency_id=agency.pk, actor=actor)
    return item


def _item_code_taken(code: str) -> Violation:
    return Violation("inspection.item.code_taken", f"事项编码“{code}”已在清单中", FORM_BASIS, "code")


ITEM_FIELDS = ("code", "name", "legal_basis", "check_kind", "enforcement_field", "offsite_first", "is_active")


@transaction.atomic
def item_update(*, actor: User | None, item: InspectionItem, **changes) -> InspectionItem:
    """Change only the given fields of an item: the others are those of the row as it stands once
    locked, so that a change another user made meanwhile is kept (not reverted to what was read)."""
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    current = InspectionItem.objects.select_for_update().select_related("agency").get(pk=item.pk)
    values = {name: getattr(current, name) for name in ITEM_FIELDS} | changes
    return item_save(actor=actor, agency=current.agency, item=current, **values)


def items_public(*, agency_id: int) -> tuple[PublicInspectionItem, ...]:
    """The agency's published list as the public reads it (the 事前 columns of local practice)."""
    rows = (InspectionItem.objects.filter(agency_id=agency_id, is_published=True, is_active=True)
            .select_related("agency").order_by("code"))
    return tuple(
        PublicInspectionItem(seq=i, code=row.code, item=row.name, subject=row.agency.name, basis=row.legal_basis,
                             method=CHECK_KINDS.get(row.check_kind, ""),
                             content="先行非现场检查" if row.offsite_first else "")
        for i, row in enumerate(rows, start=1)
    )


@transaction.atomic
def items_publish(*, actor: User | None, agency: Agency, now: dt.datetime | None = None) -> int:
    """Publish the agency's active items (the 事前 随机抽查事项清单); items taken out of use leave it.
    `now`: when, for the demo's year (no page or API passes one)."""
    if actor is not None:
        permission_require(user_keeps_registers(actor, agency.pk), REGISTER_REFUSED)
    active = InspectionItem.objects.select_for_update().filter(agency=agency)
    if not active.filter(is_active=True).exists():
        raise Refused([Violation("inspection.items.empty", "抽查事项清单没有有效事项，无法公开", FORM_BASIS)])
    now = now or timezone.now()
    # update() runs no auto_now: the rows it changes get a new version (updated_at) themselves, so
    # that a form or an ETag read before the publish is stale, as after any other change.
    changed_at = timezone.now()
    active.filter(is_active=True, is_published=False).update(is_published=True, published_at=now,
                                                              updated_at=changed_at)
    active.filter(is_active=False, is_published=True).update(is_published=False, updated_at=changed_at)
    return len(_items_public_emit(agency_id=agency.pk, actor=actor))


def _items_public_emit(*, agency_id: int, actor: User | None) -> tuple[PublicInspectionItem, ...]:
    """Record the list now public in the ledger and hand it to the public read model."""
    items = items_public(agency_id=agency_id)
    entry_append(event=events.items_published_event(
        agency_id=agency_id, items=[{"code": i.code, "item": i.item, "basis": i.basis, "method": i.method,
                                     "content": i.content} for i in items]), actor=actor)
    inspection_items_published_emit(InspectionItemsPublished(agency_id=agency_id, items=items))
    return items


def target_violations(snapshot: TargetSnapshot, *, agency: Agency, target: InspectionTarget | None) -> list[Violation]:
    violations = target_validate(snapshot)
    code = credit_code_normalize(snapshot.credit_code)
    clash = InspectionTarget.objects.filter(agency=agency, credit_code=code)
    if target is not None:
        clash = clash.exclude(pk=target.pk)
    if code and clash.exists():
        violations.append(_target_code_taken(code))
    return violations


def _target_code_taken(code: str) -> Violation:
    return Violation("inspection.target.code_taken", f"统一社会信用代码{code}已在名录中", FORM_BASIS, "credit_code")


def target_apply(target: InspectionTarget, snapshot: TargetSnapshot) -> None:
    target.name = snapshot.name.strip()
    target.credit_code = credit_code_normalize(snapshot.credit_code)
    target.legal_representative = snapshot.legal_representative.strip()
    target.address = snapshot.address.strip()
    target.sector = snapshot.sector.strip()
    target.risk_grade, target.credit_grade = snapshot.risk_grade, snapshot.credit_grade


@transaction.atomic
def target_save(
    *, actor: User | None, agency: Agency, snapshot: TargetSnapshot, target: InspectionTarget | None = None,
    is_active: bool = True, version: str | None = None,
) -> InspectionTarget:
    """Enter a target in the agency's register or change it; `version` as in `item_save`."""
    if actor is not None:
        permission_require(user_keeps_registers(actor, agency.pk), REGISTER_REFUSED)
    if target is not None:  # re-read under the lock, as in `item_save`
        target = InspectionTarget.objects.select_for_update().get(pk=target.pk)
    violations = target_violations(snapshot, agency=agency, target=target)
    if target is not None:
        violations += _changed_since_read(target, version, "检查对象")
    if violations:
        raise Refused(violations)
    created = target is None
    target = target or InspectionTarget(agency=agency)
    target_apply(target, snapshot)
    target.is_active = is_active
    try:
        with transaction.atomic():  # a request that entered the code since the check: the same refusal
            target.save()
    except IntegrityError:
        raise Refused([_target_code_taken(target.credit_code)]) from None
    entry_append(event=events.target_saved_event(target=target, created=created), actor=actor)
    return target


TARGET_FIELDS = ("name", "credit_code", "legal_representative", "address", "sector", "risk_grade", "credit_grade")


@transaction.atomic
def target_update(*, actor: User | None, target: InspectionTarget, **changes) -> InspectionTarget:
    """Change only the given fields of a target (`is_active` among them): the others are those of
    the row as it stands once locked, so that a change another user made meanwhile is kept."""
    unknown = set(changes) - {*TARGET_FIELDS, "is_active"}
    if unknown:
        raise TypeError(f"unknown target fields: {sorted(unknown)}")
    current = InspectionTarget.objects.select_for_update().select_related("agency").get(pk=target.pk)
    values = {name: getattr(current, name) for name in [*TARGET_FIELDS, "is_active"]} | changes
    is_active = values.pop("is_active")
    return target_save(actor=actor, agency=current.agency, target=current, snapshot=TargetSnapshot(**values),
                       is_active=is_active)


@transaction.atomic
def relation_declare(*, actor: User | None, officer: Officer, target: InspectionTarget, relation: str) -> DeclaredRelation:
    """An officer's relation to a target (亲属、利害关系 …): from now on never drawn for it."""
    if actor is not None:
        permission_require(user_keeps_registers(actor, target.agency_id), REGISTER_REFUSED)
    violations = []
    if not relation.strip():
        violations.append(Violation("inspection.relation.empty", "请说明与检查对象的关系", FORM_BASIS, "relation"))
    if officer.agency_id != target.agency_id:
        violations.append(Violation("inspection.relation.agency", "只能登记本机关执法人员的回避关系", FORM_BASIS, "officer"))
    relation_exists = Violation("inspection.relation.exists", "该执法人员与该检查对象的关系已经登记", FORM_BASIS, "officer")
    if DeclaredRelation.objects.filter(officer=officer, target=target).exists():
        violations.append(relation_exists)
    if violations:
        raise Refused(violations)
    try:
        with transaction.atomic():  # declared by another request since the check: the same refusal
            declared = DeclaredRelation.objects.create(officer=officer, target=target, relation=relation.strip(),
                                                       declared_by=actor)
    except IntegrityError:
        raise Refused([relation_exists]) from None
    entry_append(event=events.relation_declared_event(relation=declared), actor=actor)
    return declared


@transaction.atomic
def expert_save(*, actor: User | None, agency: Agency, name: str, field: str, employer: str = "",
                expert: InspectionExpert | None = None, is_active: bool = True) -> InspectionExpert:
    if actor is not None:
        permission_require(user_keeps_registers(actor, agency.pk), REGISTER_REFUSED)
    violations = []
    if not name.strip():
        violations.append(Violation("inspection.expert.name", "请填写专家姓名", FORM_BASIS, "name"))
    if not field.strip():
        violations.append(Violation("inspection.expert.field", "请填写专业领域", FORM_BASIS, "field"))
    if violations:
        raise Refused(violations)
    expert = expert or InspectionExpert(agency=agency)
    expert.name, expert.field, expert.employer, expert.is_active = name.strip(), field.strip(), employer.strip(), is_active
    expert.save()
    entry_append(event=events.expert_saved_event(expert=expert), actor=actor)
    return expert
