from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_migrate, post_save

if TYPE_CHECKING:
    from sanxiang.cases.events import CaseDecided, CompulsoryDecided, CompulsoryDecidedBatch


class PublicationConfig(AppConfig):
    name = "sanxiang.publication"
    verbose_name = "行政执法公示"

    def ready(self) -> None:
        # SQLite rebuilds a table for many schema changes and drops its triggers with it: the
        # full-text index's triggers are installed again after every migrate (idempotent).
        post_migrate.connect(_search_index_install, sender=self)
        # 事前公开 is kept current (动态调整): a change to an agency, its officers, certificates or
        # matters refreshes that agency's public rows once its transaction has committed.
        from sanxiang.registry.models import Agency, Certificate, Matter, Officer

        for model in (Agency, Officer, Certificate, Matter):
            post_save.connect(_registry_changed, sender=model, dispatch_uid=f"publication-refresh-{model.__name__}")
        # The catalogues of major decisions reach the public read model by the review app's event,
        # inside its publishing transaction (review and publication are independent siblings).
        from sanxiang.public_events import catalogue_published_subscribe
        from sanxiang.publication.catalogues import public_catalogue_record

        catalogue_published_subscribe(public_catalogue_record)
        # 投诉举报: the public status of a complaint, published by the supervision app (issue 14, part D).
        from sanxiang.public_events import complaint_status_subscribe
        from sanxiang.publication.complaints import public_complaint_record

        complaint_status_subscribe(public_complaint_record)
        # The public 检查码 page (inspection app, a sibling) counts its lookups here too.
        from sanxiang.public_events import public_form_attempt as public_form_attempt_slot
        from sanxiang.publication.complaints import public_form_attempt

        public_form_attempt_slot.install(public_form_attempt)

        # 双随机抽查结果公告 (issue 17, part B), from the inspection app's event.
        from sanxiang.public_events import inspection_result_published_subscribe
        from sanxiang.publication.inspection_results import public_inspection_result_record

        inspection_result_published_subscribe(public_inspection_result_record)
        # Public 通报 of the judicial bureau (issue 14, part B), from the supervision app's event.
        from sanxiang.public_events import supervision_notice_published_subscribe
        from sanxiang.publication.supervision_notices import public_supervision_notice_record

        supervision_notice_published_subscribe(public_supervision_notice_record)
        # 制度文件 accepted by the judicial bureau (issue 15, item 5), from the evaluation app's event.
        from sanxiang.public_events import system_document_published_subscribe
        from sanxiang.publication.system_documents import public_system_document_record

        system_document_published_subscribe(public_system_document_record)
        # The annual supervision plan and 执法质效评议 (issue 14, item 5), from the supervision app's events.
        from sanxiang.public_events import (
            supervision_evaluation_published_subscribe,
            supervision_evaluation_results_subscribe,
            supervision_plan_published_subscribe,
        )
        from sanxiang.publication.supervision_plans import (
            public_supervision_evaluation_record,
            public_supervision_evaluation_results_record,
            public_supervision_plan_record,
        )

        supervision_plan_published_subscribe(public_supervision_plan_record)
        supervision_evaluation_published_subscribe(public_supervision_evaluation_record)
        supervision_evaluation_results_subscribe(public_supervision_evaluation_results_record)
        # 案卷评查活动 whose results are public (issue 16, item 4), from the evaluation app's event.
        from sanxiang.public_events import evaluation_campaign_published_subscribe
        from sanxiang.publication.evaluation_campaigns import public_evaluation_campaign_record

        evaluation_campaign_published_subscribe(public_evaluation_campaign_record)
        # 双随机一公开 (issue 17): the published items and the plan and task notices, from the
        # inspection app's events (inspection and publication are independent siblings).
        from sanxiang.public_events import (
            inspection_items_published_subscribe,
            inspection_notice_published_subscribe,
        )
        from sanxiang.publication.inspection_notices import (
            public_inspection_items_record,
            public_inspection_notice_record,
        )

        inspection_items_published_subscribe(public_inspection_items_record)
        inspection_notice_published_subscribe(public_inspection_notice_record)
        # 事后公开: a decision drafts its publication in the decision's own transaction (atomic: the
        # draft exists with the decision or neither does).
        from sanxiang.cases.events import CASE_EVENTS, CaseDecided, CompulsoryDecided

        CASE_EVENTS.subscribe(CaseDecided, _case_decided, atomic=True)
        # 行政强制: a measure taken, extended or ended, an execution or 代履行 decision — the same way.
        CASE_EVENTS.subscribe(CompulsoryDecided, _compulsory_decided, atomic=True)
        # 行政许可: a licence granted, changed, renewed or ended (publication.permit) — the same way.
        CASE_EVENTS.subscribe(CompulsoryDecided, _permit_decided, atomic=True)
        # 行政征收征用 and the other acts: a decision made or withheld (publication.acts) — the same way.
        CASE_EVENTS.subscribe(CompulsoryDecided, _act_decided, atomic=True)
        # Many decisions at once (an import): their annual acts refreshed and drafts made in bulk.
        from sanxiang.cases.events import CompulsoryDecidedBatch

        CASE_EVENTS.subscribe(CompulsoryDecidedBatch, _decided_in_batch, atomic=True)
        # 年度行政执法数据: the acts each case counts are stored whenever its facts are saved, in the
        # same transaction (every step saves the case; a bulk update bypasses this and is caught by
        # `sanxiang projection check`), so a year's figures are one GROUP BY.
        from sanxiang.cases.models import Case

        post_save.connect(_case_saved, sender=Case, dispatch_uid="publication-annual-acts")
        post_migrate.connect(_annual_projection_fill, sender=self)
        # Take-downs and the 事前 refresh run by the scheduler (jobs.schedule), daily.
        from sanxiang.publication.schedule import publication_tasks_register

        publication_tasks_register()

        from sanxiang.projections import Projection, projection_register
        from sanxiang.publication.annual import annual_projection_check, annual_projection_rebuild

        projection_register(Projection(name="publication.annual", label="年度行政执法数据计数项",
                                       check=annual_projection_check, rebuild=annual_projection_rebuild))
        from sanxiang.publication.search import search_projection_check, search_projection_rebuild

        projection_register(Projection(name="publication.search", label="公示决定的检索索引",
                                       check=search_projection_check, rebuild=search_projection_rebuild))


_deferred: ContextVar[bool] = ContextVar("publication_refresh_deferred", default=False)


@contextlib.contextmanager
def registry_refresh_deferred() -> Iterator[None]:
    """For bulk loads (the demo county): no refresh per row; the caller refreshes once at the end."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def _case_decided(event: CaseDecided) -> None:
    from sanxiang.publication.services import publication_draft_create

    publication_draft_create(case=event.case, snapshot=event.snapshot, on=event.on, actor=event.actor)


def _compulsory_decided(event: CompulsoryDecided) -> None:
    from sanxiang.publication.compulsory import compulsory_decision_record

    compulsory_decision_record(case=event.case, procedure=event.procedure, action=event.action,
                               snapshot=event.snapshot, on=event.recorded_on or event.on, actor=event.actor)


def _permit_decided(event: CompulsoryDecided) -> None:
    from sanxiang.publication.permit import permit_decision_record

    permit_decision_record(case=event.case, procedure=event.procedure, action=event.action,
                           snapshot=event.snapshot, on=event.recorded_on or event.on, actor=event.actor)


def _act_decided(event: CompulsoryDecided) -> None:
    from sanxiang.publication.acts import act_decision_record

    act_decision_record(case=event.case, procedure=event.procedure, action=event.action,
                        snapshot=event.snapshot, on=event.recorded_on or event.on, actor=event.actor)


def _decided_in_batch(event: CompulsoryDecidedBatch) -> None:
    # The cases were written in bulk (no `_case_saved`): their annual acts are stored here, at once.
    from sanxiang.publication.annual import annual_cases_refresh
    from sanxiang.publication.permit import permit_decisions_record

    cases = {decided.case.pk: decided.case for decided in event.decisions}
    annual_cases_refresh(cases=list(cases.values()))
    permit_decisions_record(decided=event.decisions)
    for decided in event.decisions:  # the other procedures' decisions (none imported today), one by one
        _compulsory_decided(decided)
        _act_decided(decided)


def _case_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    # A fixture or a restore loads the stored acts as they were (raw); a save that touched neither
    # the facts, the state nor the agency changes no act.
    if raw or (update_fields is not None and not {"facts", "state", "agency", "agency_id"} & set(update_fields)):
        return
    from sanxiang.publication.annual import annual_case_refresh

    annual_case_refresh(case=instance)


def _annual_projection_fill(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from sanxiang.publication.annual import annual_projection_rebuild_if_empty
    from sanxiang.publication.models import AnnualAct

    if using != "default" or AnnualAct._meta.db_table not in connections[using].introspection.table_names():
        return
    annual_projection_rebuild_if_empty()


def _registry_changed(sender, instance, **kwargs) -> None:
    from sanxiang.registry.models import Agency, Certificate

    if _deferred.get():
        return

    if isinstance(instance, Agency):
        agency_id = instance.pk
    elif isinstance(instance, Certificate):
        agency_id = instance.officer.agency_id
    else:
        agency_id = instance.agency_id
    if agency_id is None:
        return
    # One refresh per agency per transaction, however many rows changed (an import of 5,000
    # officers). The pending callbacks are the connection's own, so a rollback forgets them too.
    pending = transaction.get_connection().run_on_commit
    if any(getattr(callback, "agency_id", None) == agency_id for _, callback, *_ in pending):
        return

    def refresh() -> None:
        from sanxiang.publication.registry_sync import public_registry_refresh

        public_registry_refresh(agency_id=agency_id)

    refresh.agency_id = agency_id  # type: ignore[attr-defined]
    # robust: the registry change has committed; a failed refresh is logged and the daily
    # `publication_tick` catches up, rather than turning the saved change into an error page.
    transaction.on_commit(refresh, robust=True)


def _search_index_install(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from sanxiang.publication.models import Publication
    from sanxiang.publication.search import search_index_install

    connection = connections[using]
    if Publication._meta.db_table in connection.introspection.table_names():  # not when migrated back
        search_index_install(connection=connection)
