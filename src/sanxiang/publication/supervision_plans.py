"""The judicial bureau's annual supervision plan and 执法质效评议 in the public read model (issue 14,
item 5): the subscribers that write `PublicSupervisionPlan` and `PublicSupervisionEvaluation` when
the supervision app publishes a plan, approves an evaluation (scheme, process and standards) and
publishes its results (inside the publishing transaction; subscribed in `PublicationConfig.ready`).
Free text is redacted as decisions are (`text_redact`): the natural persons the platform knows
around it by name, and by pattern every ID number, phone and bank account."""

from __future__ import annotations

from dataclasses import asdict

from sanxiang.procedure.publication import text_redact
from sanxiang.procedure.supervision.plans import months_text
from sanxiang.public_events import (
    SupervisionEvaluationPublished,
    SupervisionEvaluationResultsPublished,
    SupervisionPlanPublished,
)
from sanxiang.publication.models import PublicSupervisionEvaluation, PublicSupervisionPlan
from sanxiang.publication.services import redaction_summary


class _Redactor:
    def __init__(self, *, keep: tuple[str, ...], persons: tuple[str, ...]):
        self.keep, self.persons, self.redactions = keep, persons, []

    def __call__(self, text: str, *, field: str) -> str:
        result = text_redact(text, field=field, keep=self.keep, third_parties=self.persons)
        self.redactions += [asdict(r) for r in result.redactions]
        return result.text


def public_supervision_plan_record(event: SupervisionPlanPublished) -> PublicSupervisionPlan:
    """Write the public plan, once (the same event again changes nothing)."""
    keep = tuple({name for item in event.items for name in item.agencies} | {event.bureau_name})
    redact = _Redactor(keep=keep, persons=event.persons)
    items = [
        {
            "kind_label": item.kind_label,
            "subject": redact(item.subject, field="items"),
            "description": redact(item.description, field="items"),
            "agencies": "全部执法机关" if item.all_agencies else "、".join(item.agencies),
            "months_text": months_text(item.months),
        }
        for item in event.items
    ]
    plan, _created = PublicSupervisionPlan.objects.get_or_create(
        source_id=event.plan_id,
        defaults={
            "bureau_name": event.bureau_name, "year": event.year, "title": redact(event.title, field="title"),
            "objectives": redact(event.objectives, field="objectives"), "items": items,
            "approved_on": event.approved_on, "published_on": event.published_on, "basis": event.basis,
            "redactions": redaction_summary(redact.redactions),
        },
    )
    return plan


def public_supervision_evaluation_record(event: SupervisionEvaluationPublished) -> PublicSupervisionEvaluation:
    """Write the public evaluation (scheme, process, standards), once."""
    redact = _Redactor(keep=(*event.agencies, event.bureau_name), persons=event.persons)
    evaluation, _created = PublicSupervisionEvaluation.objects.get_or_create(
        source_id=event.evaluation_id,
        defaults={
            "bureau_name": event.bureau_name, "title": redact(event.title, field="title"),
            "scheme": redact(event.scheme, field="scheme"), "process": redact(event.process, field="process"),
            "period_start": event.period_start, "period_end": event.period_end, "agencies": list(event.agencies),
            "standards": [asdict(c) for c in event.standards], "full_marks": event.full_marks,
            "grade_bands": [list(b) for b in event.grade_bands], "published_on": event.published_on,
            "basis": event.basis, "redactions": redaction_summary(redact.redactions),
        },
    )
    return evaluation


def public_supervision_evaluation_results_record(event: SupervisionEvaluationResultsPublished) -> None:
    """Add the results to the public evaluation, once (results already published are kept as they were)."""
    PublicSupervisionEvaluation.objects.filter(source_id=event.evaluation_id, results_published_on__isnull=True).update(
        results=[asdict(r) for r in event.results], results_published_on=event.published_on,
    )
