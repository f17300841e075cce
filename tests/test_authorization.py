"""Authorization matrix: every role × own or other agency × every internal URL.

No user reads or changes another agency's officers, certificates or personal data;
supervisors read every agency and change none of its staff; anonymous users reach no internal
page. The expected outcome of each cell is written here independently of
`sanxiang.accounts.permissions`, so that a change there that widens access fails this test.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import get_resolver, reverse

from sanxiang.accounts.models import Role
from sanxiang.cases.models import IssuedDocument
from sanxiang.cases.services import case_create
from sanxiang.evaluation.closing_services import (
    acceptance_check_score,
    acceptance_round_close,
    acceptance_round_open,
    summary_drafts_create,
    work_report_save,
)
from sanxiang.evaluation.document_services import system_document_submit
from sanxiang.evaluation.models import AnnualSummary, CampaignFile, EvaluationCampaign, MonthlyReport
from sanxiang.evaluation.report_services import report_drafts_create
from sanxiang.evaluation.training_services import training_session_record
from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check
from sanxiang.inspection.models import InspectionItem, InspectionPlan, InspectionTarget, RandomInspection
from sanxiang.publication.models import PublicationDraft
from sanxiang.registry import services
from sanxiang.supervision import plan_services
from sanxiang.supervision.complaint_services import complaint_receive
from sanxiang.supervision.instrument_services import (
    instrument_act,
    instrument_issue,
    notice_approve,
    notice_draft,
    personal_propose,
)
from sanxiang.supervision.models import Coordination, Filing, Matter
from sanxiang.supervision.services import matter_open
from tests.factories import agency_make, certificate_make, credit_code, id_number, officer_make, user_make
from tests.supervision.support import supervisor_user_make

pytestmark = pytest.mark.django_db

AGENCY_ROLES = [Role.OFFICER, Role.REVIEWER, Role.AGENCY_HEAD, Role.AGENCY_ADMIN]
ALL_ROLES = [*AGENCY_ROLES, Role.SUPERVISOR, Role.SYSTEM_ADMIN]
COUNTY_ROLES = {Role.SUPERVISOR, Role.SYSTEM_ADMIN}

# For each internal URL: which object it is about, and who may open it.
#   "read": agency roles of the object's agency, supervisors, system administrators
#   "staff": the object's agency administrator and system administrators
#   "parties": agency roles of the object's agency only
#   "edit_agency": the agency's administrator, supervisors, system administrators
#   "county": supervisors and system administrators
#   "any": every logged-in user (pages that show each user only their own agency's data)
#   "import": agency administrators, supervisors, system administrators
#   "review_desk": legal reviewers and agency heads (their own agency's queue)
#   "review_supervision": supervisors, system administrators and agency heads (their own agency)
#   "legal_staff": legal reviewers, supervisors and system administrators (the unverified parameters)
#   "catalogue_edit": the agency's head or administrator, and system administrators
#   "catalogue_publish": the agency's head, and system administrators
#   "user_admin": agency administrators and system administrators
#   "user_of_agency": the user's agency administrator and system administrators
#   "case_read": a case's own records: agency roles of the case's agency and system administrators;
#       supervisors only under a read grant (调阅案卷) naming the case, which the matrix's world has not
#       (tests/supervision/test_desk_pages.py covers the grant)
#   "supervisor": the judicial bureau's supervisors
#   "bureau_register": the register of a bureau's supervisors: its own supervisors (and administrator,
#       who is not in this matrix: tests/registry/test_supervisor_pages.py) and system administrators
#   "bureau_register_read": the same, for one bureau's supervisor: never another county's
#   "bureau_register_manage": the bureau's administrator and system administrators
URL_MATRIX = {
    "web:home": (None, "any"),
    "web:inbox": (None, "any"),
    "web:supervision_hub": (None, "any"),
    "web:evaluation_hub": (None, "any"),
    "web:inspection_hub": (None, "any"),
    "accounts:security": (None, "any"),
    "accounts:password_change": (None, "any"),
    "accounts:tokens": (None, "any"),
    "accounts:users": (None, "user_admin"),
    "accounts:user_tokens": ("user", "user_of_agency"),
    "registry:agency_list": (None, "any"),
    "registry:agency_mine": (None, "any"),
    "registry:agency_create": (None, "county"),
    "registry:team_overview": (None, "county"),
    "registry:officer_list": (None, "any"),
    "registry:matter_list": (None, "any"),
    "registry:party_list": (None, "any"),
    "registry:party_create": (None, "agency_member"),
    "registry:import": (None, "import"),
    "calendar:holiday_year_list": (None, "any"),
    "access:log_list": (None, "access_log"),
    "access:log_export_csv": (None, "access_log"),
    "access:log_export_xlsx": (None, "access_log"),
    "evidence:record_index": (None, "any"),
    "evidence:upload": (None, "agency_member"),
    "evidence:case_records": ("case", "case_read"),
    "evidence:download": ("evidence", "case_read"),
    "evidence:record_view": ("evidence", "case_read"),
    "registry:agency_detail": ("agency", "read"),
    "registry:agency_edit": ("agency", "edit_agency"),
    "registry:officer_create": ("agency", "staff"),
    "registry:matter_create": ("agency", "staff"),
    "registry:officer_card_mine": (None, "any"),
    "registry:officer_detail": ("officer", "read"),
    "registry:officer_edit": ("officer", "staff"),
    "registry:certificate_create": ("officer", "staff"),
    "registry:certificate_edit": ("certificate", "staff"),
    "registry:matter_detail": ("matter", "read"),
    "registry:matter_edit": ("matter", "staff"),
    "registry:matter_discretion": ("matter", "read"),
    "registry:discretion_template": (None, "any"),
    "registry:party_detail": ("party", "read"),
    "registry:party_edit": ("party", "parties"),
    "registry:export": ("kind", "import"),
    "registry:template": ("kind", "import"),
    "cases:case_list": (None, "any"),
    "cases:permit_import": (None, "agency_head_admin"),
    "cases:permit_import_template": (None, "agency_head_admin"),
    "cases:case_create": (None, "agency_member"),
    "cases:case_detail": ("case", "case_read"),
    "cases:case_action": ("case", "parties"),
    "cases:record_correct": ("case_record", "parties"),
    "cases:document_pdf": ("document", "case_read"),
    "cases:document_docx": ("document", "case_read"),
    "review:desk": (None, "review_desk"),
    "inspection:home": (None, "any"),
    "inspection:today": (None, "any"),
    "inspection:frequency": (None, "any"),
    "inspection:agency": ("agency", "read"),
    "inspection:targets": ("agency", "read"),
    "inspection:targets_template": (None, "any"),
    "inspection:plan_create": ("agency", "inspection_draft"),
    "inspection:plan": ("inspection_plan", "read"),
    "inspection:draw_create": ("inspection_plan", "inspection_draw"),
    "inspection:draw": ("inspection_draw", "read"),
    "inspection:item_edit": ("inspection_item", "inspection_keep"),
    "inspection:target_edit": ("inspection_target", "inspection_keep"),
    "review:catalogue_index": (None, "any"),
    "review:parameters": (None, "legal_staff"),
    "review:supervision": (None, "review_supervision"),
    "review:supervision_csv": (None, "review_supervision"),
    "review:supervision_cases": (None, "review_supervision"),
    "review:catalogue_detail": ("agency", "read"),
    "review:catalogue_edit": ("agency", "catalogue_edit"),
    "review:catalogue_publish": ("agency", "catalogue_publish"),
    "publication:drafts": (None, "any"),
    "publication:draft_detail": ("draft", "case_read"),  # the decision's own text: a supervisor under a read grant only
    "publication:draft_approve": ("draft", "case_read"),
    "publication:draft_withdraw": ("draft", "case_read"),
    "publication:draft_correct": ("draft", "case_read"),
    "publication:documents": (None, "any"),
    "publication:document_publish": (None, "document_publish"),
    "publication:dual_publicity": (None, "any"),
    "publication:annual": (None, "any"),
    "publication:annual_records": (None, "any"),
    # issue 14, part D: complaints and leads (the bureau's supervisors only)
    "supervision:complaint_list": (None, "supervisors"),
    "supervision:lead_new": (None, "supervisors"),
    "supervision:complaint_detail": ("complaint", "supervisors"),
    "supervision:complainant_detail": ("complaint", "supervisors"),
    # supervision, part B (instruments): the bureau's supervisors and the agency served
    "supervision:instrument_list": (None, "any"),
    "supervision:instrument_new": ("instrument_matter", "supervisors"),
    "supervision:instrument_detail": ("instrument", "read"),
    "supervision:instrument_act": ("instrument", "read"),
    "supervision:instrument_file": ("instrument_file", "read"),
    "supervision:instrument_attachment": ("instrument_attachment", "read"),
    # supervision, part C: 重大执法决定备案 (the filing's agency, and the county's bureau)
    "supervision:filing_list": (None, "any"),
    "supervision:filing_detail": ("filing", "read"),
    "supervision:filing_examine": ("filing", "read"),
    "supervision:filing_opinion": ("filing", "read"),
    "supervision:coordination_list": (None, "any"),
    "supervision:coordination_new": (None, "agency_head_admin"),
    "supervision:coordination_detail": ("coordination", "read"),
    "supervision:coordination_act": ("coordination", "read"),
    # Supervision, part A: the desk shows each user only their own matters (supervisors their bureau's,
    # an agency's users those about their agency); registering is for the bureau's supervisors.
    "supervision:desk": (None, "any"),
    "supervision:matter_new": (None, "supervisor"),
    "supervision:matter_detail": ("supervision_matter", "read"),
    # supervision, part B pages (第三十一条至第三十三条): proposals about officers (the agency's head sees
    # those about its officers), referrals (the bureau only), 通报 (the agencies an approved one names)
    "supervision:proposal_list": (None, "proposals"),
    "supervision:proposal_new": ("instrument_matter", "supervisors"),
    "supervision:proposal_detail": ("proposal", "proposal_read"),
    "supervision:referral_list": (None, "supervisors"),
    "supervision:referral_new": ("instrument_matter", "supervisors"),
    "supervision:notice_list": (None, "any"),
    "supervision:notice_new": (None, "supervisors"),
    "supervision:notice_detail": ("notice", "read"),
    # the judicial bureau's register of its supervisors and their supervision certificates
    "registry:supervisor_list": (None, "bureau_register"),
    "registry:supervisor_create": ("bureau", "bureau_register_manage"),
    "registry:supervisor_detail": ("registry_supervisor", "bureau_register_read"),
    "registry:supervisor_edit": ("registry_supervisor", "bureau_register_manage"),
    "registry:supervisor_account": ("registry_supervisor", "bureau_register_manage"),
    "registry:supervision_certificate_create": ("registry_supervisor", "bureau_register_manage"),
    "registry:supervision_certificate_edit": ("supervision_certificate", "bureau_register_manage"),
    "registry:supervision_certificate_status": ("supervision_certificate", "bureau_register_manage"),
    # issue 15, item 9: each user's own reminders; the scheduled tasks for the bureau and the administrators
    "evaluation:reminder_list": (None, "any"),
    "evaluation:schedule": (None, "county"),
    # issue 19, item 4: events for other systems (a subscription's and a delivery's own pages:
    # tests/outbox/test_outbox_pages.py tries them from another agency and another county)
    "outbox:index": (None, "outbox_admin"),
    "outbox:create": (None, "outbox_admin"),
    "outbox:deliveries": (None, "outbox_admin"),
    "evaluation:schedule_task": ("schedule_task", "county"),
    # evaluation, issue 15 items 5-6: 制度文件 and 培训 (each user sees their agency's; the bureau its county's)
    "evaluation:document_checklist": (None, "any"),
    "evaluation:document_new": (None, "agency_head_admin"),
    "evaluation:document_detail": ("system_document", "read"),
    "evaluation:document_file": ("system_document_file", "read"),
    "evaluation:training_list": (None, "any"),
    "evaluation:training_new": (None, "training_organiser"),
    "evaluation:training_template": (None, "training_organiser"),
    "evaluation:training_summary": (None, "any"),
    "evaluation:training_officers": (None, "any"),
    "evaluation:training_detail": ("training_session", "read"),
    # issue 15, item 4: monthly reports (an agency's own; the county's bureau reads every agency's)
    "evaluation:report_list": (None, "any"),
    "evaluation:report_detail": ("monthly_report", "read"),
    "evaluation:report_figure": ("monthly_report_figure", "read"),
    "evaluation:report_file": ("monthly_report_file", "read"),
    # issue 15, item 7: summaries (an agency's own; the bureau reads every agency's), the acceptance
    # and the work report (the bureau's supervisors), the records behind their figures (each viewer's own)
    "evaluation:summary_list": (None, "any"),
    "evaluation:summary_detail": ("annual_summary", "read"),
    "evaluation:summary_file": ("annual_summary_file", "read"),
    "evaluation:acceptance": (None, "supervisor"),
    "evaluation:acceptance_check": ("acceptance_check", "supervisor"),
    "evaluation:work_report": (None, "supervisor"),
    "evaluation:work_report_file": ("work_report_file", "supervisor"),
    "evaluation:closing_records": ("closing_records", "any"),
    # supervision, item 5: the annual plan and 执法质效评议 (the bureau's supervisors; a system
    # administrator reads; agencies read what is published on the portal)
    "supervision:plan_list": (None, "county"),
    "supervision:plan_new": (None, "supervisors"),
    "supervision:plan_detail": ("plan", "county"),
    "supervision:plan_pdf": ("plan", "county"),
    "supervision:evaluation_list": (None, "county"),
    "supervision:evaluation_new": (None, "supervisors"),
    "supervision:evaluation_detail": ("evaluation", "county"),
    "supervision:evaluation_score": ("evaluation_agency", "supervisors"),
    # issue 15: indicators (supervisors: their county; agency heads: their agency; each page shows
    # only the viewer's agencies, tests/evaluation/test_indicator_pages.py tries another's)
    "evaluation:indicators": (None, "review_supervision"),
    "evaluation:indicator_records": (None, "review_supervision"),
    "evaluation:indicator_trend": (None, "review_supervision"),
    "evaluation:indicators_xlsx": (None, "review_supervision"),
    # issue 15, item 3: the plan's targets (an agency head reads their own agency; the bureau defines the campaign)
    "evaluation:targets": (None, "review_supervision"),
    "evaluation:target_agency": ("agency", "proposal_read"),
    "evaluation:target_records": ("agency", "proposal_read"),
    "evaluation:target_campaign_new": (None, "supervisor"),
    # issue 15 item 2: the dashboard (tests/evaluation/test_dashboard_pages.py: the head's agency only)
    "evaluation:dashboard": (None, "review_supervision"),
    "evaluation:dashboard_xlsx": (None, "review_supervision"),
    # issue 16, items 1-3: the 案卷评查 standards (every user reads them; the bureau publishes its
    # version) and a case file's live score (whoever reads the case)
    "evaluation:casefile_standards": (None, "any"),
    "evaluation:casefile_standard_new": (None, "supervisor"),
    "evaluation:casefile_score": ("case", "case_read"),
    # issue 16 item 4: 案卷评查活动 of both agencies (one campaign; each agency's file); the file page is
    # the bureau's and the file's agency's (an evaluator drawn: tests/evaluation/test_campaign_pages.py)
    "evaluation:campaign_list": (None, "any"),
    "evaluation:campaign_new": (None, "supervisor"),
    "evaluation:campaign_detail": ("evaluation_campaign", "any"),
    # The draw's inputs name each file's evaluators: the bureau's until the results are published.
    "evaluation:campaign_inputs": ("evaluation_campaign", "county"),
    "evaluation:campaign_file": ("campaign_file", "read"),
    # a document of the file's copy: only an evaluator drawn, while the read grant runs (nobody in this
    # world; tests/evaluation/test_campaign_pages.py serves it to the evaluator and refuses it after)
    "evaluation:campaign_file_document": ("campaign_file_document", "campaign_grant"),
}
PUBLIC_OR_AUTH_FLOW = {"portal:home", "accounts:login", "accounts:totp", "accounts:logout"}
# The tus protocol endpoints answer 401/404 rather than redirect; tests/evidence/test_evidence_tus.py
# covers their owner and agency checks.
PROTOCOL_ENDPOINTS = {"evidence:tus_uploads", "evidence:tus_upload"}
# Forms that only take POST; tests/accounts (test_tokens.py, test_users.py) try them on another
# agency's users.
POST_ONLY = {"accounts:token_revoke", "accounts:user_password_reset", "accounts:user_totp_reset",
             # tests/supervision/test_desk_pages.py tries it from another county and another agency
             "supervision:matter_act"}
# Part B's POST-only forms: test_supervision_post_forms_only_for_the_bureaus_supervisors below.
POST_ONLY |= {"supervision:proposal_decide", "supervision:notice_approve"}
# Issue 15, item 9: dismissing a reminder (tests/evaluation/test_reminders.py tries another agency's and
# another county's) and retrying a failed scheduled run (test_schedule_retry_only_for_system_administrators).
POST_ONLY |= {"evaluation:reminder_dismiss", "evaluation:schedule_retry"}
# Issue 17 part A: the forms of the inspection registers, plans and draws post here.
POST_ONLY |= {"inspection:item_create", "inspection:items_publish", "inspection:expert_create",
              "inspection:targets_upload", "inspection:relation_create", "inspection:plan_act", "inspection:draw_act"}
# Issue 15 items 5-6: test_evaluation_post_forms_only_for_their_side below.
POST_ONLY |= {"evaluation:document_review", "evaluation:document_resubmit", "evaluation:training_attendees",
              "evaluation:training_import"}
# The monthly reports' forms: tests/evaluation/test_report_pages.py tries them from every side.
POST_ONLY |= {"evaluation:report_save", "evaluation:report_act"}
# Issue 17 part B: the pages and forms of one inspection (tests/inspection/test_inspection_pages.py tries
# them anonymously, from another agency and as an officer not sent).
POST_ONLY |= {"inspection:detail", "inspection:qr", "inspection:photo", "inspection:act", "inspection:results_publish"}
# An inspection's photos: tests/inspection/test_inspection_supervisor_read.py tries them anonymously,
# from another county's bureau and from another agency.
POST_ONLY |= {"inspection:photo_file"}
# Item 7's forms: tests/evaluation/test_closing_pages.py tries them from every side.
POST_ONLY |= {"evaluation:summary_act", "evaluation:acceptance_act", "evaluation:work_report_act"}
# Issue 16 item 4: drawing and publishing a campaign (test_campaign_post_only_for_the_bureaus_supervisors).
POST_ONLY |= {"evaluation:campaign_act"}
# Issue 19 item 4: one subscription's and one delivery's pages and forms (tests/outbox/test_outbox_pages.py).
POST_ONLY |= {"outbox:deactivate", "outbox:delivery", "outbox:redeliver"}
# Item 5's POST-only forms: test_plan_and_evaluation_posts_only_for_the_bureaus_supervisors below.
POST_ONLY |= {"supervision:plan_item_new", "supervision:plan_approve", "supervision:plan_publish",
              "supervision:plan_item_matter", "supervision:evaluation_approve", "supervision:evaluation_publish"}


def allowed(rule: str, role: str, own: bool) -> bool:
    return {
        "any": True,
        "agency_member": role in AGENCY_ROLES,
        "read": role in COUNTY_ROLES or (role in AGENCY_ROLES and own),
        "case_read": role == Role.SYSTEM_ADMIN or (role in AGENCY_ROLES and own),
        "supervisor": role == Role.SUPERVISOR,
        "staff": role == Role.SYSTEM_ADMIN or (role == Role.AGENCY_ADMIN and own),
        "parties": role in AGENCY_ROLES and own,
        "edit_agency": role in COUNTY_ROLES or (role == Role.AGENCY_ADMIN and own),
        "county": role in COUNTY_ROLES,
        "import": role in COUNTY_ROLES or role == Role.AGENCY_ADMIN,
        "access_log": role in COUNTY_ROLES or role == Role.AGENCY_HEAD,
        "review_desk": role in (Role.REVIEWER, Role.AGENCY_HEAD),
        "review_supervision": role in COUNTY_ROLES or role == Role.AGENCY_HEAD,
        "legal_staff": role in COUNTY_ROLES or role == Role.REVIEWER,
        "catalogue_edit": role == Role.SYSTEM_ADMIN or (role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN) and own),
        "catalogue_publish": role == Role.SYSTEM_ADMIN or (role == Role.AGENCY_HEAD and own),
        "document_publish": role in (Role.SYSTEM_ADMIN, Role.AGENCY_HEAD, Role.AGENCY_ADMIN),
        "user_admin": role in (Role.SYSTEM_ADMIN, Role.AGENCY_ADMIN),
        "agency_head_admin": role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN),
        "user_of_agency": role == Role.SYSTEM_ADMIN or (role == Role.AGENCY_ADMIN and own),
        "supervisors": role == Role.SUPERVISOR,
        "proposals": role in COUNTY_ROLES or role == Role.AGENCY_HEAD,
        "proposal_read": role in COUNTY_ROLES or (role == Role.AGENCY_HEAD and own),
        "bureau_register": role in COUNTY_ROLES,
        "bureau_register_read": role == Role.SYSTEM_ADMIN or (role == Role.SUPERVISOR and own),
        "bureau_register_manage": role == Role.SYSTEM_ADMIN,
        "campaign_grant": False,
        "training_organiser": role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN, Role.SUPERVISOR),
        "inspection_draft": role == Role.SYSTEM_ADMIN or (role in AGENCY_ROLES and own),
        "inspection_draw": role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN) and own,
        "inspection_keep": role == Role.SYSTEM_ADMIN or (role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN) and own),
        "outbox_admin": role in COUNTY_ROLES or role == Role.AGENCY_ADMIN,
    }[rule]


def internal_url_names() -> set[str]:
    names = set()
    resolver = get_resolver()
    for namespace in ("web", "registry", "accounts", "calendar", "cases", "access", "evidence", "review", "publication",
                      "supervision", "evaluation", "inspection", "outbox"):
        _, sub = resolver.namespace_dict[namespace]
        names |= {f"{namespace}:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    return names


def test_every_internal_url_is_in_the_matrix():
    assert internal_url_names() - PUBLIC_OR_AUTH_FLOW - PROTOCOL_ENDPOINTS - POST_ONLY == set(URL_MATRIX)


@pytest.fixture
def world():
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    own, other = agency_make(name="本局"), agency_make(name="他局")
    data = {}
    # Distinctive markers, so that a page showing the other agency's data is caught by a search.
    for key, label, agency in (("own", "alpha", own), ("other", "omega", other)):
        officer = officer_make(agency=agency, name=f"{label}执法员")
        uploader = user_make(role=Role.OFFICER, agency=agency)
        case = case_create(actor=None, agency=agency, number=f"{label}-2026-001", title=f"{label}案件")
        evidence = evidence_ingest(
            actor=uploader,
            source=io.BytesIO(f"{label} 现场检查记录".encode()),
            meta=evidence_metadata_check(actor=uploader, kind="document", original_name="记录.txt", case=case),
        )
        data[key] = {
            "user": uploader,
            "agency": agency,
            "officer": officer,
            "certificate": officer.certificates.get(),
            "case": case,
            "evidence": evidence,
            # A document row over the file above: the matrix is about who reaches it, not about
            # issuing (tests/cases covers that, with rendering).
            "document": IssuedDocument.objects.create(
                case=case, agency=agency, kind="opening_approval", title="立案审批表", record_kind="opening_approval",
                action="open", issued_on=dt.date(2026, 3, 6), pdf=evidence, docx=evidence, filename_stem="立案审批表",
                issued_by=uploader,
            ),
            "matter": services.matter_create(
                actor=None, agency=agency, code=f"{label}-001", name=f"{label}事项", kind="penalty",
                legal_bases=[{"law": "《中华人民共和国行政处罚法》", "article": "第九条"}],
            ),
            "party": services.party_create(
                actor=None, agency=agency, kind="natural_person", name=f"{label}当事人",
                id_type="resident_id_card", id_number=id_number(), phone="13800000000",
            ),
            "supervision_matter": matter_open(
                bureau=bureau, source="routine", subject=f"{label}监督事项", summary="", received_on=dt.date(2026, 3, 6),
                agency=agency,
            ),
            "draft": PublicationDraft.objects.create(
                case=case, agency=agency, decided_on=dt.date(2026, 3, 25), due_on=dt.date(2026, 4, 3),
                original={"title": f"{label}案件"}, public={"title": f"{label}案件"},
            ),
            # A complaint about the agency (issue 14, part D), received by the county's bureau.
            "complaint": complaint_receive(
                agency_id=agency.pk, channel="portal", anonymous=False, name=f"{label}投诉人", phone="13900000000",
                id_number="", happened_on=None, description=f"{label}执法人员未出示执法证件。", pending_remedy="none",
            )[0],
            "filing": Filing.objects.create(
                case=case, agency=agency, bureau=bureau, kind="penalty", action="decide", decision_label="行政处罚决定",
                decided_on=dt.date(2026, 3, 25), filed_on=dt.date(2026, 3, 25), due_on=dt.date(2026, 4, 9),
            ),
            "coordination": Coordination.objects.create(
                bureau=bureau, agency=agency, kind="problem", subject=f"{label}协调事项", description="情况",
                raised_on=dt.date(2026, 3, 25), raised_by=uploader, updated_on=dt.date(2026, 3, 25),
            ),
        }
    # Part B: an instrument of the bureau served on each agency (LEAD: Matter through matter_open).
    first, second = supervisor_user_make(bureau=bureau), supervisor_user_make(bureau=bureau)
    for key, agency in (("own", own), ("other", other)):
        matter = Matter.objects.create(bureau=bureau, agency=agency, number=f"JD-AUTH-{key}", source="routine",
                                       state="accepted", subject=f"{key}事项", received_on=dt.date(2026, 3, 1))
        data[key]["instrument"] = instrument_issue(actor=first, matter=matter, kind="opinion", findings="问题",
                                                   supervisors=[first, second])
        # The agency's 整改报告 with a file (served to who reads the instrument).
        instrument_act(actor=user_make(role=Role.AGENCY_HEAD, agency=agency), instrument=data[key]["instrument"],
                       action="report", text="已整改。", files=[_Upload(b"%PDF-1.4\n%%EOF\n", "整改材料.pdf")])
        data[key]["proposal"] = personal_propose(actor=first, matter=matter, officer=data[key]["officer"],
                                                 measure="criticism", reasons="理由", competent_body="乌审旗人民政府",
                                                 supervisors=[first, second])
        data[key]["notice"] = notice_approve(actor=second, notice=notice_draft(
            actor=first, bureau=bureau, title=f"{key}通报", body="正文", scope="internal", agencies=[agency]))
    # The register of supervisors: the bureau's (own) and another county's bureau (other).
    far_bureau = agency_make(name="杭锦旗司法局", is_judicial_bureau=True, region_code="150625")
    for key, supervisor in (("own", first.supervisor), ("other", supervisor_user_make(bureau=far_bureau).supervisor)):
        data[key]["bureau"] = supervisor.bureau
        data[key]["registry_supervisor"] = supervisor
        data[key]["supervision_certificate"] = supervisor.certificates.get()
    # Issue 15 items 5-6: a 制度文件 each agency submitted, and a training session each organised.
    for key, agency in (("own", own), ("other", other)):
        head = user_make(role=Role.AGENCY_HEAD, agency=agency)
        data[key]["system_document"] = system_document_submit(
            actor=head, kind="rules", title=f"{key}制度", public=True, upload=_Upload(b"%PDF-1.4\n%%EOF\n", "制度.pdf"),
            on=dt.date(2026, 3, 6))
        data[key]["training_session"] = training_session_record(
            actor=head, kind="other", topic=f"{key}培训", held_on=dt.date(2026, 3, 6), hours=Decimal(2),
            today=dt.date(2026, 3, 6))
    # Issue 15, item 4: each agency's monthly report on March, drafted on 1 April.
    report_drafts_create(on=dt.date(2026, 4, 1))
    for key, agency in (("own", own), ("other", other)):
        data[key]["monthly_report"] = MonthlyReport.objects.get(agency=agency, year=2026, month=3)
    # Issue 15, item 7: each agency's summary of 2026, the bureau's acceptance of both (closed) and
    # its work report.
    summary_drafts_create(on=dt.date(2026, 11, 1))
    round_ = acceptance_round_open(bureau=bureau, year=2026, actor=first, on=dt.date(2026, 11, 20))
    for key, agency in (("own", own), ("other", other)):
        data[key]["annual_summary"] = AnnualSummary.objects.get(agency=agency, year=2026)
        data[key]["acceptance_check"] = acceptance_check_score(
            check=round_.checks.get(agency=agency), actor=first, on=dt.date(2026, 11, 21), conclude=True,
            scores={"documents": 15, "training": 15, "publicity": 20, "recording": 20, "review": 20, "reporting": 10},
            findings={})
    acceptance_round_close(round_=round_, actor=first, on=dt.date(2026, 11, 22))
    work_report_save(bureau=bureau, year=2026, actor=first, on=dt.date(2026, 11, 23))
    # Item 5: the bureau's plan and an evaluation of both agencies (one bureau: the same for own and other).
    plan = plan_services.plan_draft(actor=first, year=dt.date.today().year, title="年度计划", objectives="目标")
    plan_services.plan_item_add(actor=first, plan=plan, kind="routine", subject="日常监督", all_agencies=True,
                                months=[3], supervisors=[first])
    evaluation = plan_services.evaluation_draft(
        actor=first, title="评议", scheme="方案", process="步骤", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31), agencies=[own, other], standards="# 一\n## 二\n- 细则 | 10\n")
    plan_services.evaluation_approve(actor=second, evaluation=evaluation)
    for key in ("own", "other"):
        data[key]["plan"], data[key]["evaluation"] = plan, evaluation
    # Issue 16 item 4: a campaign of both agencies, drawn (the matrix is about who reaches its pages).
    campaign = EvaluationCampaign.objects.create(
        bureau=bureau, title="评查", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 3, 31),
        procedures=["ordinary"], sample_size=2, state="drawn", seed="a" * 64, seed_commitment="b" * 64,
        population_sha256="c" * 64, population_count=2, sample_count=2, draw_inputs={"seed": "a" * 64},
        defined_on=dt.date(2026, 4, 1), defined_by=first)
    campaign.agencies.set([own, other])
    for key, agency in (("own", own), ("other", other)):
        data[key]["evaluation_campaign"] = campaign
        data[key]["campaign_file"] = CampaignFile.objects.create(
            campaign=campaign, case=data[key]["case"], agency=agency, case_number=data[key]["case"].number,
            case_procedure="ordinary",
            closed_on=dt.date(2026, 3, 1), sampled=True, draw_position=1)
    # Issue 17 part A: each agency's approved inspection plan and a 双随机 task under it.
    for key, agency in (("own", own), ("other", other)):
        inspection_plan = InspectionPlan.objects.create(
            agency=agency, year=2026, title=f"{key}检查计划", scope="辖区", frequency="每年一次",
            starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31), state="approved")
        data[key]["inspection_plan"] = inspection_plan
        data[key]["inspection_item"] = InspectionItem.objects.create(
            agency=agency, code=f"JC-{key}", name=f"{key}抽查事项", legal_basis="依据")
        data[key]["inspection_target"] = InspectionTarget.objects.create(
            agency=agency, name=f"{key}检查对象", credit_code=credit_code(prefix="91150626"))
        data[key]["inspection_draw"] = RandomInspection.objects.create(
            plan=inspection_plan, title=f"{key}抽查任务", period_from=dt.date(2026, 3, 1),
            period_to=dt.date(2026, 3, 31), draw_on=dt.date(2026, 3, 1))
    users = {role: user_make(role=role, agency=own if role in AGENCY_ROLES else bureau) for role in ALL_ROLES}
    users[Role.SYSTEM_ADMIN].agency = None
    users[Role.SYSTEM_ADMIN].save()
    return data, users


class _Upload(io.BytesIO):
    """An uploaded file as the instrument services take it (bytes and a name)."""

    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name = name
        self.size = len(content)


def url_for(name: str, subject: str | None, objects: dict) -> str:
    if subject is None:
        return reverse(name)
    if subject == "schedule_task":  # a task every installation has
        return reverse(name, kwargs={"task": "sessions_clear"})
    if subject == "kind":
        return reverse(name, kwargs={"kind": "officers"})
    if subject == "instrument_matter":  # a matter of the bureau about the agency
        return reverse(name) + f"?matter={objects['instrument'].matter_id}&kind=opinion"
    if subject == "instrument_file":
        return reverse(name, kwargs={"instrument_id": objects["instrument"].pk, "fmt": "pdf"})
    if subject == "instrument_attachment":  # the file of the agency's report
        record = objects["instrument"].steps.get().files.get()
        return reverse(name, kwargs={"instrument_id": objects["instrument"].pk, "record_id": record.pk})
    if subject == "system_document_file":
        document = objects["system_document"]
        return reverse(name, kwargs={"document_id": document.pk, "record_id": document.file_id})
    if subject == "monthly_report_figure":
        return reverse(name, kwargs={"report_id": objects["monthly_report"].pk, "key": "cases.registered"})
    if subject == "monthly_report_file":
        return reverse(name, kwargs={"report_id": objects["monthly_report"].pk, "fmt": "pdf"})
    if subject == "annual_summary_file":
        return reverse(name, kwargs={"summary_id": objects["annual_summary"].pk, "fmt": "docx"})
    if subject == "work_report_file":
        return reverse(name, kwargs={"fmt": "docx"}) + "?year=2026"
    if subject == "closing_records":  # the monthly reports behind a figure of a summary
        return reverse(name) + f"?key=reports.all&year=2026&agency={objects['agency'].pk}"
    if subject == "evaluation_agency":  # the score page of the agency in the bureau's evaluation
        return reverse(name, kwargs={"evaluation_id": objects["evaluation"].pk, "agency_id": objects["agency"].pk})
    if subject == "campaign_file_document":
        file = objects["campaign_file"]
        return reverse(name, kwargs={"campaign_id": file.campaign_id, "file_id": file.pk,
                                     "document_id": objects["document"].pk})
    if subject == "campaign_file":
        file = objects["campaign_file"]
        return reverse(name, kwargs={"campaign_id": file.campaign_id, "file_id": file.pk})
    if subject == "case_record":  # a record of the case (its first)
        return reverse(name, kwargs={"case_id": objects["case"].pk, "record_id": 1})
    kwarg = {
        "agency": "agency_id",
        "officer": "officer_id",
        "certificate": "certificate_id",
        "matter": "matter_id",
        "party": "party_id",
        "case": "case_id",
        "evidence": "record_id",
        "document": "document_id",
        "draft": "draft_id",
        "user": "user_id",
        "complaint": "complaint_id",
        "instrument": "instrument_id",
        "filing": "filing_id",
        "coordination": "coordination_id",
        "supervision_matter": "matter_id",
        "proposal": "proposal_id",
        "notice": "notice_id",
        "bureau": "agency_id",
        "registry_supervisor": "supervisor_id",
        "supervision_certificate": "certificate_id",
        "system_document": "document_id",
        "training_session": "session_id",
        "monthly_report": "report_id",
        "annual_summary": "summary_id",
        "acceptance_check": "check_id",
        "plan": "plan_id",
        "inspection_plan": "plan_id",
        "inspection_draw": "draw_id",
        "inspection_item": "item_id",
        "inspection_target": "target_id",
        "evaluation": "evaluation_id",
        "evaluation_campaign": "campaign_id",
    }[subject]
    return reverse(name, kwargs={kwarg: objects[subject].pk})


def test_anonymous_users_reach_no_internal_page(client, world):
    data, _ = world
    for name, (subject, _) in URL_MATRIX.items():
        url = url_for(name, subject, data["own"])
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


# Who may open which page is decided in Python (the permission rules) and by plain equality lookups on
# the user's agency, bureau or county (no LIKE, JSON or raw SQL in the scoping), the same on both
# engines: the matrix runs on SQLite. On PostgreSQL every page of every demo role is opened with its
# own data (tests/web/test_crawl_client.py), but no page of another agency is tried there. The matrix
# cost ~250 s of the PostgreSQL phase of CI on a loaded machine. The writes below run on both.
@pytest.mark.engine_independent
@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_matrix_get(client, world, role):
    data, users = world
    client.force_login(users[role])
    for name, (subject, rule) in URL_MATRIX.items():
        for target in (("own", "other") if subject else ("own",)):
            url = url_for(name, subject, data[target])
            response = client.get(url)
            expected = allowed(rule, role, own=target == "own")
            if expected:
                assert response.status_code in (200, 302), (role, name, target, response.status_code)
                if response.status_code == 302:
                    assert not response["Location"].startswith(reverse("accounts:login")), (role, name)
            else:
                assert response.status_code in (403, 404), (role, name, target, response.status_code)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_role_changes_another_agencys_staff_by_post(client, world, role):
    data, users = world
    client.force_login(users[role])
    other = data["other"]
    client.post(reverse("registry:officer_edit", args=[other["officer"].pk]),
                {"name": "篡改", "id_number": other["officer"].id_number, "staffing_type": "administrative", "status": "active"})
    client.post(reverse("registry:certificate_edit", args=[other["certificate"].pk]),
                {"number": "篡改", "issuing_authority": "x", "enforcement_fields": "x", "valid_from": "2020-01-01",
                 "valid_to": "2030-01-01", "status": "revoked", "reason": "x"})
    client.post(reverse("registry:party_edit", args=[other["party"].pk]), {"kind": "natural_person", "name": "篡改"})
    client.post(reverse("registry:officer_create", args=[other["agency"].pk]),
                {"name": "混入", "id_number": id_number(), "staffing_type": "administrative", "status": "active"})
    other["officer"].refresh_from_db()
    other["certificate"].refresh_from_db()
    other["party"].refresh_from_db()
    changed = (other["officer"].name == "篡改", other["certificate"].number == "篡改", other["party"].name == "篡改",
               other["agency"].officers.filter(name="混入").exists())
    if role == Role.SYSTEM_ADMIN:
        assert changed[:2] == (True, True)  # system administrators administer every agency
    else:
        assert changed == (False, False, False, False), role


@pytest.mark.parametrize("role", ALL_ROLES)
def test_lists_show_only_the_viewers_agency(client, world, role):
    _, users = world
    client.force_login(users[role])
    for name in ("registry:officer_list", "registry:party_list", "registry:matter_list", "cases:case_list",
                 "supervision:desk"):
        page = client.get(reverse(name)).content.decode()
        if name == "cases:case_list" and role == Role.SUPERVISOR:
            # No general read-all of case files: only cases under a read grant are listed.
            assert "alpha" not in page and "omega" not in page
            continue
        assert "alpha" in page
        assert ("omega" in page) == (role in COUNTY_ROLES), (role, name)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_full_id_numbers_only_for_the_officers_own_agency_admin(client, world, role):
    data, users = world
    client.force_login(users[role])
    for target in ("own", "other"):
        officer = data[target]["officer"]
        page = client.get(reverse("registry:officer_detail", args=[officer.pk])).content.decode()
        full_shown = officer.id_number in page
        assert full_shown == (role == Role.AGENCY_ADMIN and target == "own"), (role, target)
        if allowed("read", role, own=target == "own"):
            assert officer.id_number_masked in page or full_shown


def test_party_personal_data_is_masked_for_supervisors(client, world):
    data, users = world
    client.force_login(users[Role.SUPERVISOR])
    party = data["own"]["party"]
    page = client.get(reverse("registry:party_detail", args=[party.pk])).content.decode()
    assert party.id_number not in page and "13800000000" not in page
    assert party.id_number_masked in page


def test_non_administrators_do_not_reach_djangos_admin(client, world):
    _, users = world
    for role in ALL_ROLES:
        client.force_login(users[role])
        response = client.get("/admin/registry/", follow=False)
        if role == Role.SYSTEM_ADMIN:
            continue
        assert response.status_code in (302, 404), role
        client.logout()
    client.force_login(users[Role.SYSTEM_ADMIN])
    assert client.get("/admin/").status_code == 200


def test_certificate_added_to_other_agency_is_refused_for_agency_admin(client, world):
    data, users = world
    client.force_login(users[Role.AGENCY_ADMIN])
    before = data["other"]["officer"].certificates.count()
    response = client.post(reverse("registry:certificate_create", args=[data["other"]["officer"].pk]),
                           {"number": "NEW1", "issuing_authority": "x", "enforcement_fields": "x",
                            "valid_from": "2025-01-01", "valid_to": "2030-01-01", "status": "valid"})
    assert response.status_code == 404
    assert data["other"]["officer"].certificates.count() == before
    certificate_make(officer=data["own"]["officer"])  # the lawful path: own agency works


@pytest.mark.parametrize("role", ALL_ROLES)
def test_supervision_post_forms_only_for_the_bureaus_supervisors(client, world, role):
    """Part B's POST-only forms: recording a decision on a proposal and approving a 通报 (a draft of
    the bureau's, named agency: own). Nobody but a supervisor of the bureau changes anything."""
    from sanxiang.supervision.models import Notice

    data, users = world
    own = data["own"]
    bureau = own["instrument"].bureau
    # A decision is recorded by a pair of certified supervisors (the matrix's supervisor stands with a
    # certified colleague); every other role posts the same pair and changes nothing.
    colleague = supervisor_user_make(bureau=bureau)
    supervisor = supervisor_user_make(bureau=bureau)
    client.force_login(supervisor if role == Role.SUPERVISOR else users[role])
    draft = notice_draft(actor=supervisor, bureau=bureau, title="待批", body="正文",
                         scope="internal", agencies=[own["agency"]])
    client.post(reverse("supervision:proposal_decide", args=[own["proposal"].pk]),
                {"adopted": "1", "decided_on": dt.date.today().isoformat(), "decision": "同意",
                 "second": str(colleague.pk)})
    client.post(reverse("supervision:notice_approve", args=[draft.pk]))
    own["proposal"].refresh_from_db()
    decided = own["proposal"].decided_on is not None
    approved = Notice.objects.get(pk=draft.pk).approved_on is not None
    # The supervisor of the matrix drafted the notice: the drafter may not approve it.
    assert (decided, approved) == (role == Role.SUPERVISOR, False), role


@pytest.mark.parametrize("role", ALL_ROLES)
def test_schedule_retry_only_for_system_administrators(client, world, role):
    """Retrying a failed scheduled run (issue 15, item 9): the system administrators only."""
    from sanxiang.jobs.models import RunState, ScheduledRun

    _, users = world
    run = ScheduledRun.objects.create(task="sessions_clear", period_key="2026-03-06", on=dt.date(2026, 3, 6),
                                      state=RunState.FAILED, attempts=3, error="RuntimeError")
    client.force_login(users[role])
    response = client.post(reverse("evaluation:schedule_retry", args=[run.pk]))
    run.refresh_from_db()
    assert (response.status_code == 302, run.attempts == 0) == (role == Role.SYSTEM_ADMIN,) * 2, role


@pytest.mark.parametrize("role", ALL_ROLES)
def test_evaluation_post_forms_only_for_their_side(client, world, role):
    """Issue 15 items 5-6: reviewing a 制度文件 (the county bureau's supervisors), resubmitting one (its
    agency's head or administrator, once returned), marking or importing the attendees of a session
    (its organiser's head or administrator). Nobody else changes anything, and no other agency's."""
    from sanxiang.evaluation.models import TrainingAttendance

    data, users = world
    client.force_login(users[role])
    for target in ("own", "other"):
        document, session = data[target]["system_document"], data[target]["training_session"]
        client.post(reverse("evaluation:document_review", args=[document.pk]), {"action": "return", "reason": "请修改"})
        document.refresh_from_db()
        returned = document.state == "returned"
        assert returned == (role == Role.SUPERVISOR), (role, target)
        client.post(reverse("evaluation:document_resubmit", args=[document.pk]),
                    {"upload": _Upload(b"%PDF-1.4\n%%EOF\n", "改.pdf")})
        document.refresh_from_db()
        assert (document.version == 2) == (returned and role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN)
                                           and target == "own"), (role, target)
        officer = data[target]["officer"]
        client.post(reverse("evaluation:training_attendees", args=[session.pk]), {"officers": [officer.pk]})
        marked = TrainingAttendance.objects.filter(session=session).exists()
        assert marked == (role in (Role.AGENCY_HEAD, Role.AGENCY_ADMIN) and target == "own"), (role, target)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_plan_and_evaluation_posts_only_for_the_bureaus_supervisors(client, world, role):
    """Item 5's POST-only forms (a draft plan of the bureau drafted by another supervisor; the matrix's
    evaluation, approved, with nothing scored): nobody but a supervisor of the bureau changes anything,
    and even the supervisor may not publish results while an agency is unscored."""
    from sanxiang.supervision.models import Evaluation, Plan

    data, users = world
    own = data["own"]
    bureau, drafter = own["plan"].bureau, own["plan"].drafted_by
    draft = plan_services.plan_draft(actor=drafter, year=dt.date.today().year + 1, title="明年计划", objectives="目标")
    plan_services.plan_item_add(actor=drafter, plan=draft, kind="routine", subject="日常监督", all_agencies=True,
                                months=[3], supervisors=[drafter])
    draft_evaluation = plan_services.evaluation_draft(
        actor=drafter, title="评议", scheme="方案", process="步骤", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31), agencies=[own["agency"]], standards="# 一\n## 二\n- 细则 | 10\n")
    client.force_login(users[role])
    client.post(reverse("supervision:evaluation_approve", args=[draft_evaluation.pk]))
    client.post(reverse("supervision:plan_item_new", args=[draft.pk]),
                {"kind": "other", "subject": "混入", "all_agencies": "on", "months": ["4"],
                 "supervisors": [str(users[Role.SUPERVISOR].pk)]})
    client.post(reverse("supervision:plan_approve", args=[draft.pk]))
    client.post(reverse("supervision:plan_publish", args=[own["plan"].pk]))
    client.post(reverse("supervision:plan_item_matter", args=[own["plan"].pk, own["plan"].items.get().pk]),
                {"agency": str(own["agency"].pk)})
    client.post(reverse("supervision:evaluation_publish", args=[own["evaluation"].pk]))
    draft.refresh_from_db()
    changed = (draft.items.count() == 2, draft.state != "draft", Plan.objects.get(pk=own["plan"].pk).state,
               own["plan"].items.get().matter_links.exists(), Evaluation.objects.get(pk=own["evaluation"].pk).state,
               Evaluation.objects.get(pk=draft_evaluation.pk).state)
    if role == Role.SUPERVISOR:
        # The plan of the matrix is still a draft: it may not be published nor carry a matter.
        assert changed == (True, True, "draft", False, "approved", "approved"), role
    else:
        assert changed == (False, False, "draft", False, "approved", "draft"), role
    assert bureau.is_judicial_bureau


@pytest.mark.parametrize("role", ALL_ROLES)
def test_campaign_post_only_for_the_bureaus_supervisors(client, world, role):
    """Issue 16 item 4: drawing or publishing the matrix's campaign (drawn, nothing scored) changes
    nothing for anyone; the bureau's supervisor is refused publication with the files unscored, the
    others as not of the bureau."""
    data, users = world
    campaign = data["own"]["evaluation_campaign"]
    client.force_login(users[role])
    responses = [client.post(reverse("evaluation:campaign_act", args=[campaign.pk]), {"action": action})
                 for action in ("draw", "publish")]
    campaign.refresh_from_db()
    assert campaign.state == "drawn" and campaign.published_on is None
    assert all(r.status_code in (400, 403, 404) for r in responses), role
    text = responses[1].content.decode()
    if role == Role.SUPERVISOR:
        assert "尚未由两名评查人员评分完毕" in text
    elif responses[1].status_code == 400:
        assert "只有本县司法局监督人员可以组织案卷评查活动" in text
