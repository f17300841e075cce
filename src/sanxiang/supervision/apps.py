from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from sanxiang.cases.events import CaseDecided, CompulsoryDecided


class SupervisionConfig(AppConfig):
    name = "sanxiang.supervision"
    verbose_name = "行政执法监督"

    def ready(self) -> None:
        # 投诉举报 (part D): the portal hands its complaints over through this slot (it never imports
        # the supervision app).
        from sanxiang.public_events import complaint_submit
        from sanxiang.supervision.complaint_services import complaint_submit_from_portal

        complaint_submit.install(complaint_submit_from_portal)

        # Part C: a major decision is filed with the county's 司法局 in the decision's own
        # transaction (the decision and its filing exist together or not at all).
        from sanxiang.cases.events import CASE_EVENTS, CaseDecided, CompulsoryDecided

        CASE_EVENTS.subscribe(CaseDecided, _case_decided, atomic=True)
        CASE_EVENTS.subscribe(CompulsoryDecided, _compulsory_decided, atomic=True)

        from django.utils import timezone

        from sanxiang.accounts import permissions
        from sanxiang.supervision import selectors

        # A supervisor reads a case's records only under a read grant naming it (调阅案卷).
        permissions.case_read_grant.install(
            lambda user, case_id: selectors.read_grant_active(user=user, case_id=case_id, at=timezone.now())
        )
        permissions.case_ids_granted.install(
            lambda user: selectors.case_ids_granted(user=user, at=timezone.now())
        )
        # Platform alerts become matters by the scheduler (jobs.schedule), daily.
        from sanxiang.supervision.schedule import supervision_tasks_register

        supervision_tasks_register()



def _case_decided(event: CaseDecided) -> None:
    from sanxiang.supervision.filing_services import filing_record_penalty

    filing_record_penalty(case=event.case, snapshot=event.snapshot, on=event.on, actor=event.actor)


def _compulsory_decided(event: CompulsoryDecided) -> None:
    from sanxiang.procedure.catalog import procedures_all
    from sanxiang.procedure.supervision.filings import compulsory_decision_label
    from sanxiang.supervision.filing_services import filing_record_compulsory

    label = compulsory_decision_label(procedure_label=procedures_all()[event.procedure].label, action=event.action)
    filing_record_compulsory(case=event.case, procedure=event.procedure, action=event.action, label=label,
                             on=event.on, actor=event.actor)
