"""Issue 10: schemathesis against the live OpenAPI description, through a real WSGI call (so
Django's CSRF middleware is on, unlike the test client), authenticated with a bearer token, on
the engine the suite runs on (SQLite, or PostgreSQL when DATABASE_URL is set).

Every operation gets valid (positive) and invalid (negative) requests, and valid ones also with the
ids of real rows (a case, an agency, an officer, a certificate, a matter of each kind, a party, a
monthly report, an annual summary, an instrument served on the agency, a figure's key, an inspection read
by its agency's head); the
registry's writes are sent with the agency administrator's token (an agency's registration with a
supervisor's), the supervision desk's with a supervisor's, the agency's replies to an instrument with its
officer's, and the reports' with the agency head's (save, submit) or a supervisor's, so that they reach
the services. The run is seeded and bounded; it fails on any
server error, on any response that breaks the schema (its body, its status code or its content
type), and when an operation of the OpenAPI document was not called at all."""

import datetime as dt

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, connection, transaction
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sanxiang.accounts.models import Role
from sanxiang.accounts.services import api_token_create
from sanxiang.api.urls import api
from sanxiang.evaluation.campaign_services import campaign_define
from sanxiang.evaluation.closing_services import acceptance_round_open, summary_drafts_create
from sanxiang.evaluation.document_services import system_document_submit
from sanxiang.evaluation.models import AnnualSummary, MonthlyReport
from sanxiang.evaluation.reminder_services import reminder_upsert
from sanxiang.evaluation.report_services import report_drafts_create
from sanxiang.evaluation.training_services import training_session_record
from sanxiang.outbox.services import events_fan_out, subscription_create
from sanxiang.registry.models import Matter as RegistryMatter
from sanxiang.registry.models import Supervisor
from sanxiang.supervision.complaint_services import complaint_receive
from sanxiang.supervision.coordination_services import coordination_raise
from sanxiang.supervision.instrument_services import (
    instrument_issue,
    notice_draft,
    personal_propose,
    referral_record,
)
from sanxiang.supervision.models import Matter as SupervisionMatter
from sanxiang.supervision.plan_services import evaluation_draft, plan_draft, plan_item_add
from tests.cases.support import lead_make, world_make
from tests.evaluation.campaign_support import county_make, define_kwargs
from tests.evaluation.support import Upload
from tests.factories import id_number, user_make
from tests.inspection.builders import closed as inspection_closed
from tests.inspection.builders import world_make as inspection_world_make
from tests.outbox.support import entry_write
from tests.supervision.support import desk_make, supervisor_user_make

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# Examples per generation mode of each operation (the API has grown to about 230 operations, each
# fuzzed on both engines: CI time). On PostgreSQL every operation takes FEW_EXAMPLES, in every mode:
# still valid and invalid requests to each operation against that engine's types, limits and aborted
# transactions, at 60 % of the requests (the generation is derandomized: the same requests each run).
MAX_EXAMPLES = 5
# The inspection writes added with issue 19's second round (photos, 结果公示, plans, tasks): fewer
# examples each (CI time); their own tests (test_inspection_writes_api.py) walk every path.
FEW_EXAMPLES = 3
# The same for issue 19's 通报, proposals, referrals, supervision plans and evaluations
# (test_supervision_notices_api.py and their like walk every path).
FEW_PREFIXES = ("/api/inspection-plans/{plan_id}", "/api/inspection-draws/{draw_id}", "/api/inspection-results/",
                "/api/inspections/{inspection_id}/photos", "/api/inspection-items", "/api/supervision/notices",
                "/api/supervision/proposals", "/api/supervision/referrals", "/api/supervision/plans",
                "/api/supervision/evaluations",
                # 投诉举报, leads and 执法协调 (issue 19, third round): test_complaints_api.py and
                # test_coordination_api.py walk their paths.
                "/api/supervision/complaints", "/api/supervision/leads", "/api/supervision/coordinations",
                # 培训 and 提醒 (issue 19): test_training_api.py walks their paths.
                "/api/training/", "/api/reminders",
                # 案卷评查 (campaigns, standards, a case file's score): test_campaigns_api.py walks their paths.
                "/api/evaluation/", "/api/cases/{case_id}/casefile-score",
                # The inspection registers (检查对象名录, 回避, 专家库; issue 19): test_inspection_register_api.py.
                "/api/inspection-targets", "/api/inspection-relations", "/api/inspection-experts",
                # 审核工作的监督 (issue 19): test_review_supervision_api.py walks its paths.
                "/api/review-supervision",
                # 法制审核目录 (issue 19): test_review_catalogues_api.py walks its paths.
                "/api/review-catalogues",
                # 裁量基准 of a matter (issue 19): test_discretion_api.py.
                "/api/registry/matters/{matter_id}/discretion", "/api/registry/discretion-template",
                # 制度文件, the files of 监督文书 and the 整改报告 with files, the plan's PDF (issue 19, h-5):
                # test_system_documents_api.py and test_supervision_instrument_files_api.py walk their paths.
                "/api/system-documents", "/api/supervision/instruments/{instrument_id}/pdf",
                "/api/supervision/instruments/{instrument_id}/docx",
                "/api/supervision/instruments/{instrument_id}/attachments",
                "/api/supervision/instruments/{instrument_id}/reports",
                # 验收, the 工作报告 and the 实施目标 (issue 19): test_acceptance_api.py and
                # test_targets_api.py walk their paths.
                "/api/acceptance/", "/api/work-reports/", "/api/closing/records", "/api/targets",
                # The records behind an indicator's number and its months (issue 19, h-9):
                # test_indicator_records_api.py walks their paths.
                "/api/indicators/",
                # One subscription, its deactivation and one delivery (issue 19, h-9): test_outbox_api_gaps.py.
                "/api/outbox/subscriptions/{subscription_id}", "/api/outbox/deliveries/{delivery_id}",
                # The files of a monthly report and of a summary (issue 19, h-9): test_report_files_api.py.
                "/api/reports/monthly/{report_id}/files/", "/api/reports/annual/{summary_id}/files/",
                # 访问日志 and 待核实的参数 (issue 19, h-12): test_access_log_api.py, test_review_parameters_api.py.
                "/api/access-log", "/api/review/parameters",
                # 节假日安排 (issue 19, h-12): test_holiday_years_api.py walks its path.
                "/api/calendar/holiday-years",
                # 企业检查频次 (issue 19, h-15): test_inspection_frequency_api.py.
                "/api/inspection-frequency",
                # 驾驶舱 (issue 19, h-15): test_dashboard_api.py.
                "/api/dashboard",
                # 事前公示的文件 (issue 19, h-15): test_public_documents_api.py.
                "/api/public-documents",
                # 监督人员名录 (supervisors, their 监督检查证件; issue 19, h-14): test_supervisors_api.py; a
                # supervisor's login (…/supervisors/{supervisor_id}/account): test_supervisor_account_api.py.
                "/api/registry/supervisors", "/api/registry/supervision-certificates",
                # 名录 Excel 批量导入 and its templates (issue 19, h-14): test_registry_import_api.py.
                "/api/registry/imports/", "/api/registry/import-templates/",
                # 待办事项 and its count (issue 19, h-1): test_inbox_api.py.
                "/api/inbox",
                # “双公示” export and 年度数据 (issue 19, h-3): test_publication_exports_api.py.
                "/api/publication/dual-publicity", "/api/publication/annual")
# Operations that take the few examples on a path whose other operations take more.
FEW_OPERATIONS = {("POST", "/api/inspection-plans"),
                  # A party's change (issue 19, h-9): test_party_updates_api.py.
                  ("PATCH", "/api/registry/parties/{party_id}")}
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


@pytest.fixture
def connection_kept():
    """The test's transaction lives on the database connection; a real WSGI handler closes a
    connection at the start and end of a request, which Django's test client prevents too."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def _headers(user) -> dict:
    _, token = api_token_create(actor=user, user=user, name="模糊测试")
    return {"Authorization": f"Bearer {token}"}


def _session(user) -> tuple[dict, dict]:
    """The headers and cookies of a login session of `user` with its CSRF token, as a browser's script
    sends them: for what the API refuses to bearer tokens (a supervisor's login created with its
    temporary password). Cookies apart: schemathesis' WSGI client drops a Cookie header."""
    browser = Client()
    browser.force_login(user)
    csrf = get_random_string(32)  # a CSRF secret: the header may carry it unmasked
    return {"X-CSRFToken": csrf}, {django_settings.SESSION_COOKIE_NAME: browser.cookies[
        django_settings.SESSION_COOKIE_NAME].value, django_settings.CSRF_COOKIE_NAME: csrf}


def _operations() -> set[str]:
    """Every operation of the OpenAPI document, as schemathesis labels them."""
    document = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item}


def test_the_api_answers_every_generated_request_without_a_server_error_and_within_its_schema(connection_kept):
    w = world_make()
    lead = lead_make(w)
    desk = desk_make()
    matter = RegistryMatter.objects.create(agency=w.agency, code="SX-FUZZ-1", name="对无证经营的处罚", kind="penalty",
                                           legal_bases=[{"law": "《无证无照经营查处办法》", "article": ""}])
    supervision_matter = SupervisionMatter.objects.create(
        bureau=desk.bureau, agency=w.agency, number="JD-FUZZ-1", source="routine", state="accepted",
        subject="未按期公示行政处罚决定", received_on=dt.date.today())
    instrument = instrument_issue(actor=desk.first, matter=supervision_matter, kind="opinion", findings="未按期公示",
                                  supervisors=[desk.first, desk.second])
    notice = notice_draft(actor=desk.first, bureau=desk.bureau, title="关于公示情况的通报", body="经检查……",
                          scope="internal", agencies=[desk.agency])
    proposal = personal_propose(actor=desk.first, matter=supervision_matter, officer=w.zhang, measure="criticism",
                                reasons="未出示执法证", competent_body="本机关", supervisors=[desk.first, desk.second])
    referral = referral_record(actor=desk.first, matter=supervision_matter, what="线索", to_body="监察委员会",
                               referred_on=dt.date.today(), reference_number="移〔2026〕1号",
                               supervisors=[desk.first, desk.second])
    plan = plan_draft(actor=desk.first, year=dt.date.today().year, title="年度监督工作计划", objectives="目标")
    plan_item = plan_item_add(actor=desk.first, plan=plan, kind="routine", subject="公示", all_agencies=True,
                              months=[3], supervisors=[desk.first, desk.second])
    evaluation = evaluation_draft(actor=desk.first, title="执法质效评议", scheme="方案", process="步骤",
                                  period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30), agencies=[desk.agency],
                                  standards="# 指标\n## 二级\n- 细则 | 10\n")
    report_drafts_create(on=dt.date(2026, 10, 1), agencies=[w.agency])
    inspection_world = inspection_world_make()
    inspection = inspection_closed(inspection_world)
    summary_drafts_create(on=dt.date(2026, 11, 1), agencies=[w.agency])
    headers = _headers(w.officer)
    # The registry's writes as the agency's administrator, the desk's as a supervisor: past the permission check.
    admin_headers = _headers(user_make(role=Role.AGENCY_ADMIN, agency=w.agency))
    desk_headers = _headers(desk.first)
    head = user_make(role=Role.AGENCY_HEAD, agency=w.agency)
    head_headers = _headers(head)
    # The supervisor of the bureau of the agency's county (the world's): complaints and coordination about the agency.
    county_supervisor = supervisor_user_make(bureau=w.supervisor.agency)
    county_headers = _headers(county_supervisor)
    complaint, _code = complaint_receive(
        agency_id=w.agency.pk, channel="hotline_12345", channel_reference="12345-FUZZ-1", anonymous=True, name="",
        phone="", id_number="", happened_on=None, description="来电反映执法人员未出示证件", pending_remedy="none",
        actor=county_supervisor)
    coordination = coordination_raise(actor=head, kind="problem", subject="重大复杂执法问题", description="情况说明",
                                      other_agency=None, on=dt.date.today())
    # The desk's bureau's acceptance of last year (its county's agencies each have a checklist).
    acceptance_year = dt.date.today().year - 1
    acceptance_round = acceptance_round_open(bureau=desk.bureau, year=acceptance_year, actor=desk.first,
                                             on=dt.date.today())
    inspection_headers = _headers(inspection_world.head)  # the head of the inspection's agency reads it
    # 培训: a session of the agency, recorded by its head; 提醒: one for the officer whose token is `headers`.
    training_session = training_session_record(actor=head, kind="three_systems", topic="三项制度培训",
                                               held_on=dt.date.today(), hours=2, today=dt.date.today())
    reminder = reminder_upsert(kind="certificate_expiry", subject_type="certificate", subject_id=1,
                               title="执法证将于90日后到期", on=dt.date.today(), recipient_user=w.officer).reminder
    # 案卷评查: a campaign of a small county, read and acted on by its 司法局's supervisor.
    campaign_county = county_make(files_per_agency=1)
    campaign = campaign_define(**define_kwargs(campaign_county, sample_percent=None, sample_size=1))
    campaign_headers = _headers(campaign_county.supervisor)
    # 制度文件: the agency's head submitted one to the county's bureau (whose supervisor reviews it).
    system_document = system_document_submit(actor=head, kind="rules", title="行政执法公示制度", public=True,
                                              upload=Upload(), on=dt.date.today())
    # The outbox: a subscription of the agency kept by its administrator, and one delivery waiting for it.
    outbox_admin_headers = _headers(user_make(role=Role.AGENCY_ADMIN, agency=w.agency))
    subscription, _secret = subscription_create(actor=None, scope="agency", agency_id=w.agency.pk, region_code="",
                                                name="模糊测试对接", url="https://receiver.example.cn/hook", kinds=[])
    entry_write(agency_id=w.agency.pk)
    events_fan_out()
    # 监督人员名录: a supervisor of the desk's bureau of its own (a PATCH may take it off post or revoke its
    # certificate), changed by the bureau's administrator.
    register_supervisor = supervisor_user_make(bureau=desk.bureau, name="名录监督员").supervisor
    register_ids = {"supervisor_id": register_supervisor.pk,
                    "certificate_id": register_supervisor.certificates.first().pk}
    register_admin = user_make(role=Role.AGENCY_ADMIN, agency=desk.bureau)
    register_headers = _headers(register_admin)
    # A supervisor of the register without a login, so that …/account reaches a link or a creation (201):
    # its POST in a login session (a bearer token may link, not create: 403).
    register_session_headers, register_session_cookies = _session(register_admin)
    loginless_supervisor = Supervisor.objects.create(bureau=desk.bureau, name="待开通监督员",
                                                     id_number=id_number(serial=990))
    real_ids = {
        "case_id": lead.pk, "agency_id": w.agency.pk, "officer_id": w.zhang.pk,
        "certificate_id": w.zhang.certificates.first().pk, "party_id": w.company.pk,
        "report_id": MonthlyReport.objects.get(agency=w.agency).pk,
        "summary_id": AnnualSummary.objects.get(agency=w.agency).pk,
        "instrument_id": instrument.pk, "key": "cases.registered", "inspection_id": inspection.pk,
        "complaint_id": complaint.pk, "coordination_id": coordination.pk,
        "notice_id": notice.pk, "proposal_id": proposal.pk, "referral_id": referral.pk,
        "plan_id": plan.pk, "item_id": plan_item.pk, "evaluation_id": evaluation.pk,
        "session_id": training_session.pk, "reminder_id": reminder.pk,
        "campaign_id": campaign.pk, "file_id": campaign.files.first().pk,
        # The inspection registers: the inspection world's target and item, kept by its head.
        "target_id": inspection_world.target.pk, "inspection_item_id": inspection_world.item.pk,
        "year": acceptance_year, "check_id": acceptance_round.checks.first().pk,
        "subscription_id": subscription.pk, "delivery_id": subscription.deliveries.first().pk,
    }
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    found: dict[tuple[str, str, int], str] = {}  # (operation, failure, status) -> one request that shows it
    calls = server_errors = 0
    statuses: dict[int, int] = {}
    covered: set[str] = set()

    def ids_for(path: str) -> dict:
        # {matter_id} names a registry matter under /registry and a supervision matter under /supervision;
        # {document_id} and {file_id} a 制度文件 and its file under /system-documents.
        own = {"document_id": system_document.pk, "file_id": system_document.file_id} if path.startswith(
            "/api/system-documents") else {}
        if path.startswith(("/api/registry/supervisors", "/api/registry/supervision-certificates")):
            own = register_ids  # 监督人员名录: {certificate_id} names a supervision certificate there
            if path.endswith("/account"):
                own = own | {"supervisor_id": loginless_supervisor.pk}
        return real_ids | own | {"matter_id": matter.pk if path.startswith("/api/registry/") else supervision_matter.pk}

    second_headers = _headers(desk.second)  # approves the 通报 desk.first drafted

    def headers_for(method: str, path: str) -> dict:
        if path.startswith(("/api/registry/supervisors", "/api/registry/supervision-certificates")):
            if method == "POST" and path.endswith("/account"):
                return register_session_headers  # a login is created in a session only
            return register_headers  # 监督人员名录: the bureau's administrator
        if path.startswith("/api/supervision/notices"):  # the bureau's: its supervisors read and draft
            return second_headers if path.endswith("/approve") else desk_headers
        if path.startswith(("/api/supervision/proposals", "/api/supervision/referrals", "/api/supervision/plans",
                            "/api/supervision/evaluations")):
            return desk_headers
        if path.startswith("/api/evaluation/"):  # 案卷评查: the county's 司法局
            return campaign_headers
        if method == "POST" and path == "/api/registry/agencies":  # 执法主体资格确认: the bureau's
            return desk_headers
        if method in ("POST", "PATCH") and path.startswith("/api/registry/") and "/parties" not in path:
            return admin_headers
        if method == "POST" and path.endswith(("/actions/report", "/actions/object", "/reports")):  # the agency's replies
            return headers
        if method == "POST" and path == "/api/supervision/coordinations":  # an agency's head raises it
            return head_headers
        if path.startswith("/api/system-documents"):  # the agency's head submits, the county's bureau reviews
            return county_headers if path.endswith("/review") else head_headers
        if path.startswith(("/api/supervision/complaints", "/api/supervision/leads")) or (
                method == "POST" and path.startswith("/api/supervision/coordinations/")):  # the county's bureau
            return county_headers
        if method == "POST" and path.startswith("/api/supervision/"):
            return desk_headers
        if method == "POST" and path.startswith("/api/reports/"):
            # The agency's head saves and submits; the bureau's supervisors return, comment and receive.
            return head_headers if path.endswith(("/save", "/submit")) else desk_headers
        if path.startswith(("/api/acceptance/", "/api/work-reports/", "/api/closing/records", "/api/targets")):
            return desk_headers  # 验收, the 工作报告 and the 实施目标: the bureau's supervisors
        if path.startswith(("/api/outbox/subscriptions/{", "/api/outbox/deliveries/{delivery_id}")) and not (
                path.endswith("/redeliver")):  # one subscription and delivery: the agency's administrator
            return outbox_admin_headers
        if path.startswith("/api/indicators/"):  # the records behind an indicator: the agency's head reads its own
            return head_headers
        if path.startswith("/api/inspections"):
            return inspection_headers
        if path.startswith("/api/training/"):  # the agency's head organises its training
            return head_headers
        if path.startswith(("/api/inspection-targets", "/api/inspection-relations", "/api/inspection-experts")) or (
                method != "GET" and path.startswith("/api/inspection-items")):  # the registers: kept by the head
            return inspection_headers
        return headers

    def with_real_parties(case):
        # A registration naming this agency's party and officers gets past the lookups to the
        # service, with whatever title, dates and field the fuzzer chose.
        if isinstance(case.body, dict):
            case.body = {**case.body, "party_id": w.company.pk, "officer_ids": [w.zhang.pk, w.li.pk]}
        return case

    for result in schema.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.path_parameters}
        method = operation.method.upper()
        variants = [(None, None, (GenerationMode.POSITIVE, GenerationMode.NEGATIVE))]
        known = ids_for(operation.path)
        if names & set(known):
            # Real rows with valid requests; invalid ones are refused alike with made-up ids.
            variants.append(({k: v for k, v in known.items() if k in names}, None, (GenerationMode.POSITIVE,)))
        if method == "POST" and operation.path == "/api/cases":
            variants.append((None, with_real_parties, (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)))
        few = (operation.path.startswith(FEW_PREFIXES) or (method, operation.path) in FEW_OPERATIONS
               or connection.vendor == "postgresql")
        for path_parameters, fix, modes in variants:
            for mode in modes:
                strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)
                if fix is not None:
                    strategy = strategy.map(fix)

                @given(case=strategy)
                @settings(
                    max_examples=FEW_EXAMPLES if few else MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                )
                def run(case):
                    nonlocal calls, server_errors
                    # What a request wrote stays (a case created here is then listed, read and acted
                    # on), but a server error is rolled back to its savepoint: on PostgreSQL a failed
                    # statement aborts the transaction and would hide every later request.
                    savepoint = transaction.savepoint()
                    call_headers, cookies = headers_for(case.operation.method.upper(), case.operation.path), None
                    if call_headers is register_session_headers:
                        # A login session: a generated Authorization header would make it a token's request.
                        cookies = register_session_cookies
                        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
                    response = case.call(headers=call_headers, cookies=cookies)
                    if response.status_code >= 500:
                        transaction.savepoint_rollback(savepoint)
                    else:
                        transaction.savepoint_commit(savepoint)
                    calls += 1
                    covered.add(case.operation.label)
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    server_errors += response.status_code >= 500
                    try:
                        case.validate_response(response, checks=CHECKS)
                    except (Exception, BaseExceptionGroup) as failure:  # collect them all, the report names each
                        for one in getattr(failure, "exceptions", [failure]):
                            kind = getattr(one, "title", type(one).__name__)
                            found.setdefault((case.operation.label, kind, response.status_code), case.as_curl_command())

                run()

    failures = [f"{op} → {status}: {kind}\n    {curl}" for (op, kind, status), curl in sorted(found.items())]
    print(f"schemathesis: {len(covered)} operations, {calls} requests ({dict(sorted(statuses.items()))}), "
          f"{server_errors} server errors, {len(failures)} distinct failures")
    assert covered == _operations(), sorted(_operations() ^ covered)
    assert calls > 100
    assert failures == [], "\n".join(failures)
