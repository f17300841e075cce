"""What the ledger records. Apps build `LedgerEvent`s with typed factory functions (see e.g.
`sanxiang.registry.events`) and hand them to `sanxiang.ledger.services.entry_append` inside the
transaction of the change they record."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    # registry
    AGENCY_CREATED = "registry.agency_created"
    AGENCY_UPDATED = "registry.agency_updated"
    OFFICER_CREATED = "registry.officer_created"
    OFFICER_UPDATED = "registry.officer_updated"
    CERTIFICATE_CREATED = "registry.certificate_created"
    CERTIFICATE_UPDATED = "registry.certificate_updated"
    MATTER_CREATED = "registry.matter_created"
    MATTER_UPDATED = "registry.matter_updated"
    DISCRETION_BENCHMARK_ADDED = "registry.discretion_benchmark_added"
    PARTY_CREATED = "registry.party_created"
    PARTY_UPDATED = "registry.party_updated"
    REGISTRY_IMPORTED = "registry.imported"
    # accounts
    USER_CREATED = "accounts.user_created"
    USER_LOCKED = "accounts.user_locked"
    TOTP_ENABLED = "accounts.totp_enabled"
    TOTP_RESET = "accounts.totp_reset"
    API_TOKEN_CREATED = "accounts.api_token_created"
    API_TOKEN_REVOKED = "accounts.api_token_revoked"
    PASSWORD_RESET = "accounts.password_reset"
    # a user's name, role, agency, activity … changed (Django's admin, accounts.services.user_update)
    USER_CHANGED = "accounts.user_changed"
    # calendar
    HOLIDAY_YEAR_SAVED = "calendar.holiday_year_saved"
    # cases and records (issues 3-6 add to these)
    CASE_OPENED = "case.opened"
    STEP_DONE = "case.step_done"
    # a licence decision made in another system, imported with its source (cases.permit_import)
    CASE_IMPORTED = "case.imported"
    DOCUMENT_ISSUED = "case.document_issued"
    FILE_RECEIVED = "evidence.file_received"
    REVIEW_OPINION = "review.opinion"
    REVIEW_CATALOGUE_UPDATED = "review.catalogue_updated"
    REVIEW_CATALOGUE_PUBLISHED = "review.catalogue_published"
    PUBLICATION = "disclosure.published"
    WITHDRAWAL = "disclosure.withdrawn"
    PUBLICATION_DRAFTED = "disclosure.drafted"
    PUBLICATION_NOT_PUBLISHED = "disclosure.not_published"
    PUBLICATION_EXPIRED = "disclosure.expired"
    PUBLICATION_CORRECTED = "disclosure.corrected"
    PUBLIC_REGISTRY_REFRESHED = "disclosure.registry_refreshed"
    PUBLIC_DOCUMENT_PUBLISHED = "disclosure.document_published"
    ANNUAL_REPORT_PUBLISHED = "disclosure.annual_report_published"
    ANNUAL_NARRATIVE_SUBMITTED = "disclosure.annual_narrative_submitted"
    ACCESS = "access.viewed"
    # maintenance
    LEDGER_RESTORED = "ledger.restored"
    # the log of heads: a county ledger's signed checkpoint (services.checkpoint_issue)
    LEDGER_HEAD_RECORDED = "ledger.head_recorded"
    # registry: the judicial bureau's supervisors and their supervision certificates
    SUPERVISOR_CREATED = "registry.supervisor_created"
    SUPERVISION_CERTIFICATE_SAVED = "registry.supervision_certificate_saved"
    SUPERVISOR_UPDATED = "registry.supervisor_updated"
    USER_SUPERVISOR_LINKED = "accounts.user_supervisor_linked"

    # supervision: matters, triage, measures, read grants, marks (issue 14, part A)
    SUPERVISION_MATTER_OPENED = "supervision.matter_opened"
    SUPERVISION_MATTER_ACCEPTED = "supervision.matter_accepted"
    SUPERVISION_MATTER_MERGED = "supervision.matter_merged"
    SUPERVISION_MATTER_TRANSFERRED = "supervision.matter_transferred"
    SUPERVISION_MATTER_CLOSED = "supervision.matter_closed"
    SUPERVISION_MATTER_CONCLUDED = "supervision.matter_concluded"
    SUPERVISION_PAIR_ASSIGNED = "supervision.pair_assigned"
    SUPERVISION_SUPERVISOR_RECUSED = "supervision.supervisor_recused"
    SUPERVISION_MEASURE_RECORDED = "supervision.measure_recorded"
    SUPERVISION_READ_GRANTED = "supervision.read_granted"
    SUPERVISION_MARK_CHANGED = "supervision.mark_changed"

    # supervision: instruments, replies, person-level proposals, referrals, 通报 (issue 14, part B)
    SUPERVISION_INSTRUMENT_ISSUED = "supervision.instrument_issued"
    SUPERVISION_INSTRUMENT_STEP = "supervision.instrument_step"
    SUPERVISION_PERSONAL_PROPOSED = "supervision.personal_proposed"
    SUPERVISION_PERSONAL_DECIDED = "supervision.personal_decided"
    SUPERVISION_REFERRAL = "supervision.referral"
    SUPERVISION_NOTICE_DRAFTED = "supervision.notice_drafted"
    SUPERVISION_NOTICE_APPROVED = "supervision.notice_approved"

    # supervision: 备案 of major decisions, 执法协调, annual plan and 评议 (issue 14, part C)
    SUPERVISION_FILING_MADE = "supervision.filing_made"
    SUPERVISION_FILING_EXAMINED = "supervision.filing_examined"
    SUPERVISION_COORDINATION_RAISED = "supervision.coordination_raised"
    SUPERVISION_COORDINATION_STEP = "supervision.coordination_step"
    # supervision, item 5: the annual plan and 执法质效评议
    SUPERVISION_PLAN_DRAFTED = "supervision.plan_drafted"
    SUPERVISION_PLAN_ITEM_ADDED = "supervision.plan_item_added"
    SUPERVISION_PLAN_APPROVED = "supervision.plan_approved"
    SUPERVISION_PLAN_PUBLISHED = "supervision.plan_published"
    SUPERVISION_PLAN_MATTER_LINKED = "supervision.plan_matter_linked"
    SUPERVISION_EVALUATION_DRAFTED = "supervision.evaluation_drafted"
    SUPERVISION_EVALUATION_APPROVED = "supervision.evaluation_approved"
    SUPERVISION_EVALUATION_SCORED = "supervision.evaluation_scored"
    SUPERVISION_EVALUATION_RESULTS_PUBLISHED = "supervision.evaluation_results_published"

    # supervision: complaints from the public portal (issue 14, part D)
    SUPERVISION_COMPLAINT_RECEIVED = "supervision.complaint_received"
    SUPERVISION_COMPLAINT_STATUS_PUBLISHED = "supervision.complaint_status_published"

    # evaluation: reminders into the inbox (issue 15, item 9)
    EVALUATION_REMINDER_RAISED = "evaluation.reminder_raised"
    EVALUATION_REMINDER_CLOSED = "evaluation.reminder_closed"
    EVALUATION_REMINDER_DISMISSED = "evaluation.reminder_dismissed"
    # evaluation: 制度文件 and 培训 (issue 15, items 5 and 6)
    EVALUATION_DOCUMENT_SUBMITTED = "evaluation.document_submitted"
    EVALUATION_DOCUMENT_REVIEWED = "evaluation.document_reviewed"
    EVALUATION_TRAINING_RECORDED = "evaluation.training_recorded"
    EVALUATION_TRAINING_ATTENDANCE = "evaluation.training_attendance"
    # evaluation: monthly progress reports (issue 15, item 4)
    EVALUATION_REPORT_DRAFTED = "evaluation.report_drafted"
    EVALUATION_REPORT_STEP = "evaluation.report_step"
    # evaluation: 总结验收 and the 工作报告 (issue 15, item 7)
    EVALUATION_SUMMARY_DRAFTED = "evaluation.summary_drafted"
    EVALUATION_SUMMARY_STEP = "evaluation.summary_step"
    EVALUATION_ACCEPTANCE_OPENED = "evaluation.acceptance_opened"
    EVALUATION_ACCEPTANCE_SCORED = "evaluation.acceptance_scored"
    EVALUATION_ACCEPTANCE_CLOSED = "evaluation.acceptance_closed"
    EVALUATION_WORK_REPORT_SAVED = "evaluation.work_report_saved"
    EVALUATION_WORK_REPORT_SUBMITTED = "evaluation.work_report_submitted"
    # evaluation: the plan's targets (issue 15, item 3)
    EVALUATION_TARGET_CAMPAIGN_DEFINED = "evaluation.target_campaign_defined"
    EVALUATION_CASEFILE_STANDARD_PUBLISHED = "evaluation.casefile_standard_published"
    EVALUATION_TARGET_SNAPSHOT = "evaluation.target_snapshot"
    # evaluation: 案卷评查活动 (issue 16, item 4)
    EVALUATION_CAMPAIGN_DEFINED = "evaluation.campaign_defined"
    EVALUATION_CAMPAIGN_SELF_CHECKED = "evaluation.campaign_self_checked"
    EVALUATION_CAMPAIGN_DRAWN = "evaluation.campaign_drawn"
    EVALUATION_CAMPAIGN_SCORED = "evaluation.campaign_scored"
    EVALUATION_CAMPAIGN_AUTOMATIC = "evaluation.campaign_automatic_computed"
    EVALUATION_CAMPAIGN_REGRADED = "evaluation.campaign_regraded"
    EVALUATION_CAMPAIGN_PUBLISHED = "evaluation.campaign_published"
    # jobs: an administrator gave a failed scheduled run its attempts again
    SCHEDULED_RUN_RETRIED = "jobs.scheduled_run_retried"
    # inspection: carrying out an inspection, its result and what follows (issue 17, part B)
    INSPECTION_STEP = "inspection.step_done"
    INSPECTION_CODE_ISSUED = "inspection.code_issued"
    INSPECTION_FOLLOW_UP_SCHEDULED = "inspection.follow_up_scheduled"
    INSPECTION_CASE_LINKED = "inspection.case_linked"
    INSPECTION_RESULT_PUBLISHED = "inspection.result_published"
    # evidence filed before a case existed (an inspection's photos) attached to the case it led to
    EVIDENCE_ATTACHED = "evidence.attached_to_case"
    # inspection, part A (issue 17): registers, plans, the 双随机 draw
    INSPECTION_ITEM_SAVED = "inspection.item_saved"
    INSPECTION_ITEMS_PUBLISHED = "inspection.items_published"
    INSPECTION_TARGET_SAVED = "inspection.target_saved"
    INSPECTION_TARGETS_IMPORTED = "inspection.targets_imported"
    INSPECTION_RELATION_DECLARED = "inspection.relation_declared"
    INSPECTION_EXPERT_SAVED = "inspection.expert_saved"
    INSPECTION_PLAN_STEP = "inspection.plan_step"
    INSPECTION_DRAW_CREATED = "inspection.draw_created"
    INSPECTION_DRAW_COMMITTED = "inspection.draw_committed"
    INSPECTION_DRAW_INPUTS = "inspection.draw_inputs"
    INSPECTION_DRAW_RESULT = "inspection.draw_result"
    # outbox: other systems' subscriptions to events (issue 19, item 4)
    OUTBOX_SUBSCRIPTION_CREATED = "outbox.subscription_created"
    OUTBOX_SUBSCRIPTION_DEACTIVATED = "outbox.subscription_deactivated"
    OUTBOX_DELIVERY_REDELIVERED = "outbox.delivery_redelivered"



@dataclass(frozen=True)
class FileDigest:
    sha256: str
    size: int
    sm3: str | None = None


@dataclass(frozen=True)
class LedgerEvent:
    kind: EventKind
    payload: dict[str, Any]
    agency_id: int | None = None
    case_id: int | None = None
    subject: str = ""  # what the entry is about, e.g. "officer:12"
    files: tuple[FileDigest, ...] = field(default_factory=tuple)
