"""Typed factories for the ledger events of inspection, part A (registers, plans, draws).

Free texts are recorded by digest; what the draw depends on is recorded by the SHA-256 of its
canonical JSON (the inputs, the exclusions, the result), the exclusions and the result in clear."""

from __future__ import annotations

import hashlib

from sanxiang.ledger.canonical import canonical_json
from sanxiang.ledger.events import EventKind, LedgerEvent


def digest(value: object) -> str:
    data = value.encode("utf-8") if isinstance(value, str) else canonical_json(value)
    return hashlib.sha256(data).hexdigest()


def item_saved_event(*, item, created: bool) -> LedgerEvent:
    payload = {"code": item.code, "name": item.name, "legal_basis_sha256": digest(item.legal_basis),
               "check_kind": item.check_kind, "enforcement_field": item.enforcement_field,
               "offsite_first": item.offsite_first, "is_active": item.is_active, "created": created}
    return LedgerEvent(EventKind.INSPECTION_ITEM_SAVED, payload, item.agency_id, subject=f"inspection-item:{item.pk}")


def items_published_event(*, agency_id: int, items: list[dict]) -> LedgerEvent:
    return LedgerEvent(EventKind.INSPECTION_ITEMS_PUBLISHED,
                       {"codes": [i["code"] for i in items], "content_sha256": digest(items)}, agency_id,
                       subject=f"inspection-items:{agency_id}")


def _target_payload(target) -> dict:
    return {"credit_code": target.credit_code, "name": target.name, "sector": target.sector,
            "risk_grade": target.risk_grade, "credit_grade": target.credit_grade,
            "legal_representative_sha256": digest(target.legal_representative),
            "address_sha256": digest(target.address), "is_active": target.is_active}


def target_saved_event(*, target, created: bool) -> LedgerEvent:
    return LedgerEvent(EventKind.INSPECTION_TARGET_SAVED, _target_payload(target) | {"created": created},
                       target.agency_id, subject=f"inspection-target:{target.pk}")


def targets_imported_event(*, agency_id: int, created: int, updated: int, rows: list[dict]) -> LedgerEvent:
    return LedgerEvent(EventKind.INSPECTION_TARGETS_IMPORTED,
                       {"created": created, "updated": updated, "rows_sha256": digest(rows)}, agency_id,
                       subject=f"inspection-targets:{agency_id}")


def relation_declared_event(*, relation) -> LedgerEvent:
    return LedgerEvent(EventKind.INSPECTION_RELATION_DECLARED,
                       {"officer": relation.officer_id, "target": relation.target_id,
                        "relation_sha256": digest(relation.relation)},
                       relation.target.agency_id, subject=f"inspection-relation:{relation.pk}")


def expert_saved_event(*, expert) -> LedgerEvent:
    return LedgerEvent(EventKind.INSPECTION_EXPERT_SAVED,
                       {"name_sha256": digest(expert.name), "field": expert.field, "is_active": expert.is_active},
                       expert.agency_id, subject=f"inspection-expert:{expert.pk}")


def plan_step_event(*, plan, step: str, item_codes: list[str]) -> LedgerEvent:
    payload = {"step": step, "state": plan.state, "kind": plan.kind, "year": plan.year, "title": plan.title,
               "items": sorted(item_codes), "scope_sha256": digest(plan.scope), "frequency": plan.frequency,
               "starts_on": plan.starts_on.isoformat(), "ends_on": plan.ends_on.isoformat(),
               "approval_authority": plan.approval_authority, "approval_reference": plan.approval_reference,
               "filing_reference": plan.filing_reference, "filed_with": plan.filed_with,
               "notice_sha256": digest(plan.notice)}
    # When the step happened, as the plan keeps it (the entry's own time says when it was entered).
    moment = {"approved": plan.approved_at, "filed": plan.filed_at, "published": plan.published_at}.get(step)
    if moment is not None:
        payload["at"] = moment.isoformat()
    return LedgerEvent(EventKind.INSPECTION_PLAN_STEP, payload, plan.agency_id, subject=f"inspection-plan:{plan.pk}")


def draw_created_event(*, task, item_codes: list[str]) -> LedgerEvent:
    return LedgerEvent(EventKind.INSPECTION_DRAW_CREATED,
                       {"plan": task.plan_id, "title": task.title, "items": sorted(item_codes),
                        "period_from": task.period_from.isoformat(), "period_to": task.period_to.isoformat(),
                        "draw_on": task.draw_on.isoformat()},
                       task.plan.agency_id, subject=f"inspection-draw:{task.pk}")


def draw_committed_event(*, task) -> LedgerEvent:
    return LedgerEvent(EventKind.INSPECTION_DRAW_COMMITTED,
                       {"seed_commitment": task.seed_commitment, "committed_at": task.committed_at.isoformat()},
                       task.plan.agency_id, subject=f"inspection-draw:{task.pk}")


def draw_inputs_event(*, task, inputs_without_seed: dict, exclusions: list[dict]) -> LedgerEvent:
    """The frozen inputs (strata, officer pool, recusals) by digest, the exclusions in clear."""
    strata = inputs_without_seed["strata"]
    return LedgerEvent(EventKind.INSPECTION_DRAW_INPUTS,
                       {"inputs_sha256": digest(inputs_without_seed),
                        "strata": [{"name": s["name"], "population_sha256": digest(s["population"]),
                                    "size": len(s["population"]), "k": s["k"]} for s in strata],
                        "pool_sha256": digest(inputs_without_seed["pool"]), "pool_size": len(inputs_without_seed["pool"]),
                        "exclusions": exclusions},
                       task.plan.agency_id, subject=f"inspection-draw:{task.pk}")


def draw_result_event(*, task) -> LedgerEvent:
    return LedgerEvent(EventKind.INSPECTION_DRAW_RESULT,
                       {"seed": task.seed, "seed_commitment": task.seed_commitment,
                        "drawn_at": task.drawn_at.isoformat(),
                        "public_inputs_sha256": digest(task.public_inputs), "result": task.result["teams"]},
                       task.plan.agency_id, subject=f"inspection-draw:{task.pk}")
