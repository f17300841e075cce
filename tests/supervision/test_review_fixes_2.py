"""The medium and low findings of the attacker's review of issue 14, each shown refused (or hidden)
with its lawful path beside it."""

import datetime as dt
import io
import json
import threading
import time

import pytest
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.cases.models import IssuedDocument
from sanxiang.cases.services import case_create
from sanxiang.evidence.services import evidence_ingest, evidence_metadata_check
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.publication import leaks
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.procedure.violations import Refused
from sanxiang.publication.models import PublicationDraft, PublicSupervisionNotice
from sanxiang.registry.models import Party
from sanxiang.review.selectors import SUPERVISION_FIGURES
from sanxiang.supervision import instrument_services, services
from sanxiang.supervision.complaint_services import complaint_receive
from sanxiang.supervision.instrument_services import personal_decision_record, personal_propose
from sanxiang.supervision.models import Complaint, Coordination, Filing
from tests.factories import agency_make, id_number, officer_make, user_make
from tests.supervision.complaint_support import complaint_file
from tests.supervision.instruments_support import desk_with_matter
from tests.supervision.support import desk_make, supervisor_user_make

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def codes(refused) -> list[str]:
    return [v.code for v in refused.value.violations]


# --- 1. The competent body's decision on a person-level proposal is recorded by the pair ---------


def test_a_single_supervisor_cannot_record_the_decision_that_changes_an_officers_certificate():
    """《行政执法监督条例》第三十二条: the competent body decides; recording its decision changes the
    officer's certificate, so it takes the pair (《四川省行政执法监督条例》第二十九条, the parameter
    supervision.min_supervisors), like every other act of the desk."""
    desk, matter, _ = desk_with_matter()
    officer = officer_make(agency=desk.agency, name="孙执法")
    proposal = personal_propose(actor=desk.first, matter=matter, officer=officer, measure="disqualification",
                                reasons="多次未出示执法证", competent_body="乌审旗人民政府",
                                supervisors=[desk.first, desk.second])
    with pytest.raises(Refused) as alone:
        personal_decision_record(actor=desk.first, proposal=proposal, adopted=True, decision="同意",
                                 decided_on=TODAY, supervisors=[desk.first])
    assert codes(alone) == ["supervisors.too_few"]
    violation = alone.value.violations[0]
    assert "2名以上" in violation.message and "第二十九条" in violation.legal_basis
    # Not the matter's pair: a supervisor of the bureau who does not handle the matter.
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    outsider = supervisor_user_make(bureau=desk.bureau, name="郑监督")
    with pytest.raises(Refused) as stranger:
        personal_decision_record(actor=desk.first, proposal=proposal, adopted=True, decision="同意",
                                 decided_on=TODAY, supervisors=[desk.first, outsider])
    assert codes(stranger) == ["supervisors.not_assigned"]
    officer.refresh_from_db()
    assert officer.certificates.get().status == "valid"  # nothing changed by the refusals
    # The lawful path: the matter's pair records it, and the ledger names both.
    personal_decision_record(actor=desk.first, proposal=proposal, adopted=True, decision="同意",
                             decided_on=TODAY, supervisors=[desk.first, desk.second])
    assert officer.certificates.get().status == "revoked"
    payload = json.loads(bytes(Entry.objects.get(kind=EventKind.SUPERVISION_PERSONAL_DECIDED).body))["payload"]
    assert payload["supervisors"] == sorted([desk.first.pk, desk.second.pk])


def test_the_decision_form_asks_for_the_second_supervisor(client):
    desk, matter, _ = desk_with_matter()
    officer = officer_make(agency=desk.agency, name="周执法")
    proposal = personal_propose(actor=desk.first, matter=matter, officer=officer, measure="off_post_training",
                                reasons="理由", competent_body="乌审旗人民政府", supervisors=[desk.first, desk.second])
    client.force_login(desk.first)
    url = f"/staff/supervision/proposals/{proposal.pk}/decision/"
    data = {"adopted": "1", "decided_on": TODAY.isoformat(), "decision": "同意离岗教育"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "2名以上" in refused.content.decode()
    assert officer.certificates.get().status == "valid"
    done = client.post(url, {**data, "second": str(desk.second.pk)})
    assert done.status_code == 302
    assert officer.certificates.get().status == "suspended"


# --- 2. A public 通报 hides the natural persons of the cases it cites ------------------------------


def _accepted_matter(desk):
    matter = services.matter_open(bureau=desk.bureau, source=MatterSource.ROUTINE, subject="执法证件出示问题",
                                  summary="", received_on=TODAY, agency=desk.agency, actor=desk.first)
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    return services.matter_accept(matter=matter, actor=desk.first)


def _party(agency, **fields):
    return Party.objects.create(agency=agency, **fields)


def test_a_public_notice_hides_the_natural_persons_of_the_cases_it_cites_even_typed_in_its_text(client):
    """A public 通报 (《行政执法监督条例》第三十一条) is redacted like a decision: the natural-person parties
    of the cases it cites (called up on its matters, or named in its text by case or document number)
    are hidden wherever their name, ID number, phone or address is typed; an organisation keeps its
    name."""
    desk = desk_make()
    matter = _accepted_matter(desk)
    person = _party(desk.agency, kind="natural_person", name="张三丰", id_type="resident_id_card",
                    id_number="150626198001011234", phone="0477-8123456", address="嘎鲁图镇幸福路9号")
    called_up = case_create(actor=None, agency=desk.agency, number="fix2-001", title="未出示证件案", party=person)
    services.measure_record(matter=matter, actor=desk.first, kind="file_call", taken_on=TODAY, cases=[called_up])
    other = _party(desk.agency, kind="natural_person", name="欧阳小龙", phone="04778765432")
    case_create(actor=None, agency=desk.agency, number="乌综执立〔2026〕77号", title="占道经营案", party=other)
    company = _party(desk.agency, kind="legal_person", name="乌审旗某某商贸有限公司", credit_code="91150626MA0000000X")
    case_create(actor=None, agency=desk.agency, number="乌综执立〔2026〕78号", title="商贸公司案", party=company)
    body = ("经调阅案卷，执法人员在对张三丰（电话0477-8123456，住嘎鲁图镇幸福路9号）检查时未出示执法证件；"
            "在乌综执立〔2026〕77号案中，当事人欧阳小龙（联系电话04778765432）多次反映未获答复；"
            "乌综执立〔2026〕78号案的当事人乌审旗某某商贸有限公司亦反映同样问题。")
    notice = instrument_services.notice_draft(actor=desk.first, bureau=desk.bureau, title="关于执法证件出示问题的通报",
                                              body=body, scope="public", agencies=[desk.agency], matters=[matter])
    instrument_services.notice_approve(actor=desk.second, notice=notice)
    public = PublicSupervisionNotice.objects.get(source_id=notice.pk)
    secrets = ["张三丰", "150626198001011234", "0477-8123456", "嘎鲁图镇幸福路9号", "欧阳小龙", "04778765432"]
    assert leaks(public.body, secrets) == []
    assert "乌审旗某某商贸有限公司" in public.body and "未出示执法证件" in public.body
    page = client.get(reverse("portal:supervision_notice_detail", args=[notice.pk])).content.decode()
    assert leaks(page, secrets) == []


def test_a_public_notice_on_a_complaint_hides_the_complainant():
    desk = desk_make()
    receipt = complaint_file(desk, description="执法人员检查时未出示证件。", name="钱多多", phone="13900001111")
    matter = Complaint.objects.get(receipt_number=receipt.receipt_number).matter
    notice = instrument_services.notice_draft(
        actor=desk.first, bureau=desk.bureau, title="关于投诉办理情况的通报",
        body="群众钱多多投诉执法人员未出示证件，经查属实。", scope="public", agencies=[desk.agency], matters=[matter])
    instrument_services.notice_approve(actor=desk.second, notice=notice)
    public = PublicSupervisionNotice.objects.get(source_id=notice.pk)
    assert "钱多多" not in public.body and "经查属实" in public.body


# --- 3. No existence oracle across counties: another county's id answers as a missing one ----------

MISSING = 10**8


class _Upload(io.BytesIO):
    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name, self.size = name, len(content)


@pytest.fixture
def two_counties():
    """County A (乌审旗): its bureau's certified supervisor, an agency's head and an officer. County B
    (another banner): its bureau, an agency and one of every object of the supervision desk and of
    the case records a read grant opens."""
    bureau_a = agency_make(name="甲旗司法局", is_judicial_bureau=True)
    agency_a = agency_make(name="甲旗市场监督管理局")
    users = {
        "supervisor": supervisor_user_make(bureau=bureau_a, name="甲监督"),
        "head": user_make(role=Role.AGENCY_HEAD, agency=agency_a),
        "officer": user_make(role=Role.OFFICER, agency=agency_a),
    }
    county = {"region_code": "150627", "parent_government": "乙旗人民政府"}
    bureau = agency_make(name="乙旗司法局", is_judicial_bureau=True, **county)
    agency = agency_make(name="乙旗市场监督管理局", **county)
    first = supervisor_user_make(bureau=bureau, name="乙监督一")
    second = supervisor_user_make(bureau=bureau, name="乙监督二")
    uploader = user_make(role=Role.AGENCY_HEAD, agency=agency)
    officer = officer_make(agency=agency, name="乙执法员")
    case = case_create(actor=None, agency=agency, number="乙-2026-001", title="乙案件")
    evidence = evidence_ingest(actor=uploader, source=io.BytesIO("乙 现场检查记录".encode()),
                               meta=evidence_metadata_check(actor=uploader, kind="document", original_name="记录.txt",
                                                            case=case))
    document = IssuedDocument.objects.create(
        case=case, agency=agency, kind="opening_approval", title="立案审批表", record_kind="opening_approval",
        action="open", issued_on=TODAY, pdf=evidence, docx=evidence, filename_stem="立案审批表", issued_by=uploader)
    draft = PublicationDraft.objects.create(case=case, agency=agency, decided_on=TODAY, due_on=TODAY,
                                            original={"title": "乙案件"}, public={"title": "乙案件"})
    matter = services.matter_open(bureau=bureau, source=MatterSource.ROUTINE, subject="乙事项", summary="",
                                  received_on=TODAY, agency=agency, actor=first)
    services.matter_pair_assign(matter=matter, users=[first, second], actor=first)
    matter = services.matter_accept(matter=matter, actor=first)
    instrument = instrument_services.instrument_issue(actor=first, matter=matter, kind="opinion", findings="问题",
                                                      supervisors=[first, second])
    instrument_services.instrument_act(actor=uploader, instrument=instrument, action="report", text="已整改。",
                                       files=[_Upload(b"%PDF-1.4\n%%EOF\n", "整改材料.pdf")])
    attachment = instrument.steps.get().files.get()
    proposal = personal_propose(actor=first, matter=matter, officer=officer, measure="criticism", reasons="理由",
                                competent_body="乙旗人民政府", supervisors=[first, second])
    notices = [instrument_services.notice_approve(actor=second, notice=instrument_services.notice_draft(
        actor=first, bureau=bureau, title=f"乙{scope}通报", body="正文", scope=scope, agencies=[agency]))
        for scope in ("internal", "public")]
    complaint = complaint_receive(agency_id=agency.pk, channel="portal", anonymous=False, name="乙投诉人",
                                  phone="13900000000", id_number="", happened_on=None,
                                  description="乙执法人员未出示执法证件。", pending_remedy="none")[0]
    filing = Filing.objects.create(case=case, agency=agency, bureau=bureau, kind="penalty", action="decide",
                                   decision_label="行政处罚决定", decided_on=TODAY, filed_on=TODAY, due_on=TODAY)
    coordination = Coordination.objects.create(bureau=bureau, agency=agency, kind="problem", subject="乙协调事项",
                                               description="情况", raised_on=TODAY, raised_by=uploader, updated_on=TODAY)
    ids = {"matter_id": matter.pk, "complaint_id": complaint.pk, "instrument_id": instrument.pk,
           "record_id": attachment.pk, "filing_id": filing.pk, "coordination_id": coordination.pk,
           "proposal_id": proposal.pk, "notice_id": notices[0].pk, "public_notice_id": notices[1].pk,
           "case_id": case.pk, "evidence_id": evidence.pk, "document_id": document.pk, "draft_id": draft.pk}
    return users, ids


# (URL name, the ids it takes, GET or POST, a query string naming an object); every supervision URL that
# names an object, and the case pages a read grant opens.
OBJECT_URLS = [
    ("supervision:matter_detail", ["matter_id"], "get", None),
    ("supervision:matter_act", ["matter_id", "action:accept"], "post", None),
    ("supervision:instrument_new", [], "get", "matter"),
    ("supervision:proposal_new", [], "get", "matter"),
    ("supervision:referral_new", [], "get", "matter"),
    ("supervision:proposal_new", [], "get", "instrument"),
    ("supervision:complaint_detail", ["complaint_id"], "get", None),
    ("supervision:complainant_detail", ["complaint_id"], "get", None),
    ("supervision:instrument_detail", ["instrument_id"], "get", None),
    ("supervision:instrument_act", ["instrument_id"], "post", None),
    ("supervision:instrument_file", ["instrument_id", "fmt:pdf"], "get", None),
    ("supervision:instrument_attachment", ["instrument_id", "record_id"], "get", None),
    ("supervision:filing_detail", ["filing_id"], "get", None),
    ("supervision:filing_examine", ["filing_id"], "post", None),
    ("supervision:filing_opinion", ["filing_id"], "post", None),
    ("supervision:coordination_detail", ["coordination_id"], "get", None),
    ("supervision:coordination_act", ["coordination_id"], "post", None),
    ("supervision:proposal_detail", ["proposal_id"], "get", None),
    ("supervision:proposal_decide", ["proposal_id"], "post", None),
    ("supervision:notice_detail", ["notice_id"], "get", None),
    ("supervision:notice_detail", ["public_notice_id"], "get", None),
    ("supervision:notice_approve", ["notice_id"], "post", None),
    ("cases:case_detail", ["case_id"], "get", None),
    ("evidence:case_records", ["case_id"], "get", None),
    ("evidence:record_view", ["evidence_id"], "get", None),
    ("evidence:download", ["evidence_id"], "get", None),
    ("cases:document_pdf", ["document_id"], "get", None),
    ("cases:document_docx", ["document_id"], "get", None),
    ("publication:draft_detail", ["draft_id"], "get", None),
    ("publication:draft_approve", ["draft_id"], "post", None),
]


# Pages of the bureau's supervisors only: an agency's user is refused before any id is looked at.
DESK_ONLY = {"supervision:instrument_new", "supervision:proposal_new", "supervision:referral_new",
             "supervision:complaint_detail", "supervision:complainant_detail"}


def _url(name: str, params: list[str], query: str | None, ids: dict, *, missing: bool) -> str:
    kwargs = {}
    for param in params:
        key, _, fixed = param.partition(":")
        kwargs[key] = fixed or (MISSING if missing else ids[key])
    if name == "supervision:notice_detail" and "public_notice_id" in params:
        kwargs = {"notice_id": MISSING if missing else ids["public_notice_id"]}
    if "evidence_id" in kwargs:
        kwargs["record_id"] = kwargs.pop("evidence_id")
    url = reverse(name, kwargs=kwargs)
    if query:
        url += f"?{query}={MISSING if missing else ids[f'{query}_id']}"
    return url


@pytest.mark.parametrize("who", ["supervisor", "head", "officer"])
def test_another_countys_object_answers_as_a_missing_one(client, two_counties, who):
    """A user of county A asking for an object of county B gets what an id that exists nowhere gets:
    404 (or, on a page refused to the role as a whole, the same 403 whatever the id)."""
    users, ids = two_counties
    client.force_login(users[who])
    answers = {}
    for name, params, method, query in OBJECT_URLS:
        send = getattr(client, method)
        foreign = send(_url(name, params, query, ids, missing=False)).status_code
        missing = send(_url(name, params, query, ids, missing=True)).status_code
        expected = 403 if who != "supervisor" and name in DESK_ONLY else 404
        if (foreign, missing) != (expected, expected):
            answers[f"{name} {params or query}"] = (foreign, missing)
    assert answers == {}


# --- 4. The complaint form's limit holds under concurrent submissions ------------------------------

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    # SQLite takes its write lock at BEGIN: two writers never overlap, so there is no race to test.
    reason="concurrent transactions need PostgreSQL",
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_the_same_moment_do_not_both_pass_the_last_place_of_the_hour(monkeypatch):
    """The portal's complaint form allows `supervision.complaint_submissions_per_hour` (5) uses an hour
    per address (a platform rule). With 4 used, two requests arriving together, each slowed between
    its count and its insert, get one yes and one no: the address's row is locked before the count."""
    from django.db.models.query import QuerySet

    from sanxiang.publication import complaints
    from sanxiang.publication.models import PublicFormAttempt

    now = timezone.now()
    for _ in range(4):
        assert complaints.public_form_attempt(scope=complaints.SUBMIT, address="203.0.113.9", now=now)
    together = threading.Barrier(2, timeout=30)
    count = QuerySet.count

    def slow_count(self):
        used = count(self)
        if self.model is PublicFormAttempt:
            time.sleep(0.5)  # the other request reaches its count meanwhile, unless it waits for the lock
        return used

    monkeypatch.setattr(QuerySet, "count", slow_count)
    results, errors = [], []

    def submit() -> None:
        try:
            together.wait()
            results.append(complaints.public_form_attempt(scope=complaints.SUBMIT, address="203.0.113.9", now=now))
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(results) == [False, True]
    assert PublicFormAttempt.objects.filter(scope=complaints.SUBMIT).count() == 5
    # Another address is not held up by this one.
    monkeypatch.setattr(QuerySet, "count", count)
    assert complaints.public_form_attempt(scope=complaints.SUBMIT, address="198.51.100.7", now=now)


# --- 5. A supervisor's reads of the registry, publication, review and the access log: their county ---


def test_a_supervisor_reads_the_registry_publication_review_and_access_log_of_their_county_only(client):
    """A supervisor of county A sees A's agencies, officers, matters, parties, drafts, published
    documents, review figures and access log, and none of county B's: B's objects are absent (404)."""
    from sanxiang.access.selectors import access_log_list
    from sanxiang.publication.annual_selectors import annual_agency_for
    from sanxiang.publication.dual_publicity import dual_publicity_scope
    from sanxiang.publication.registry_sync import public_registry_refresh
    from sanxiang.publication.selectors import drafts_for
    from sanxiang.registry import selectors as registry
    from sanxiang.registry import services as registry_services
    from sanxiang.review.selectors import catalogue_overview, review_supervision, review_supervision_cases

    mine = desk_make()  # county A (乌审旗): the bureau, an agency, two supervisors
    county = {"region_code": "150627", "parent_government": "乙旗人民政府"}
    theirs = agency_make(name="乙旗综合行政执法局", **county)
    supervisor = mine.first
    rows = {}
    for key, agency in (("mine", mine.agency), ("theirs", theirs)):
        officer = officer_make(agency=agency, name=f"{key}执法员")
        party = registry_services.party_create(actor=None, agency=agency, kind="natural_person", name=f"{key}当事人",
                                               id_type="resident_id_card", id_number=id_number(), phone="13800000000")
        matter = registry_services.matter_create(actor=None, agency=agency, code=f"{key}-001", name=f"{key}事项",
                                                 kind="penalty", legal_bases=[{"law": "某法", "article": "某条"}])
        case = case_create(actor=None, agency=agency, number=f"{key}-2026-9", title=f"{key}案件")
        PublicationDraft.objects.create(case=case, agency=agency, decided_on=TODAY, due_on=TODAY,
                                        original={"title": key}, public={"title": key})
        AccessLogEntry.objects.create(user=user_make(role=Role.AGENCY_HEAD, agency=agency), agency=agency,
                                      action="view", object_kind="registry.officer", object_id=str(officer.pk),
                                      object_label=f"{key}日志")
        rows[key] = {"agency": agency, "officer": officer, "party": party, "matter": matter}
    public_registry_refresh()

    def agency_ids(items) -> set[int]:
        return {getattr(i, "agency_id", None) or i.pk for i in items}

    a, b = mine.agency.pk, theirs.pk
    assert b not in {x.pk for x in registry.agency_list(viewer=supervisor)} and a in agency_ids(
        registry.agency_list(viewer=supervisor))
    for listing in (registry.officer_list, registry.matter_list, registry.party_list):
        seen = agency_ids(listing(viewer=supervisor))
        assert a in seen and b not in seen, listing.__name__
    assert b not in {h.agency.pk for h in registry.team_health_overview(viewer=supervisor)}
    assert {d.agency_id for d in drafts_for(viewer=supervisor)} == {a}
    public = dual_publicity_scope(user=supervisor).agencies
    assert b not in {p.source_id for p in public} and a in {p.source_id for p in public}
    assert annual_agency_for(user=supervisor, agency_id=b)[0] is None
    assert annual_agency_for(user=supervisor, agency_id=a)[0] == mine.agency
    assert b not in {r.agency.pk for r in catalogue_overview(viewer=supervisor)}
    assert b not in {r.agency_id for r in review_supervision(user=supervisor, year=TODAY.year)}
    with pytest.raises(Http404):
        review_supervision_cases(user=supervisor, year=TODAY.year, figure=next(iter(SUPERVISION_FIGURES)), agency_id=b)
    labels = {e.object_label for e in access_log_list(viewer=supervisor)}
    assert "mine日志" in labels and "theirs日志" not in labels
    # The pages: B's objects are absent, A's are there.
    client.force_login(supervisor)
    for name, kwarg in (("registry:agency_detail", "agency_id"), ("registry:officer_detail", "officer_id"),
                        ("registry:party_detail", "party_id"), ("registry:matter_detail", "matter_id")):
        key = kwarg.removesuffix("_id")
        assert client.get(reverse(name, kwargs={kwarg: rows["mine"][key].pk})).status_code == 200, name
        assert client.get(reverse(name, kwargs={kwarg: rows["theirs"][key].pk})).status_code == 404, name
    listing = client.get(reverse("registry:officer_list")).content.decode()
    assert "mine执法员" in listing and "theirs执法员" not in listing
    # A system administrator still reads every county.
    admin = user_make(role=Role.SYSTEM_ADMIN)
    assert {a, b} <= {x.pk for x in registry.agency_list(viewer=admin)}


# --- 6. No ledger entry for a change that changes nothing -------------------------------------------


def _entries(kind) -> int:
    return Entry.objects.filter(kind=kind).count()


def test_assigning_the_same_pair_again_records_nothing():
    desk = desk_make()
    matter = services.matter_open(bureau=desk.bureau, source=MatterSource.ROUTINE, subject="执法公示不及时",
                                  summary="", received_on=TODAY, agency=desk.agency, actor=desk.first)
    rows = services.matter_pair_assign(matter=matter, users=[desk.first, desk.second], actor=desk.first)
    assert _entries(EventKind.SUPERVISION_PAIR_ASSIGNED) == 1
    again = services.matter_pair_assign(matter=matter, users=[desk.second, desk.first], actor=desk.second)
    assert [r.pk for r in again] == [rows[1].pk, rows[0].pk]
    assert _entries(EventKind.SUPERVISION_PAIR_ASSIGNED) == 1
    # A third supervisor joining is a change: recorded.
    third = supervisor_user_make(bureau=desk.bureau, name="冯监督")
    services.matter_pair_assign(matter=matter, users=[desk.first, desk.second, third], actor=desk.first)
    assert _entries(EventKind.SUPERVISION_PAIR_ASSIGNED) == 2


def test_publishing_a_complaints_unchanged_status_records_nothing():
    from sanxiang.publication.models import PublicComplaint
    from sanxiang.supervision.complaint_services import complaint_answer_set

    desk = desk_make()
    receipt = complaint_file(desk, description="执法人员检查时未出示证件。")
    complaint = Complaint.objects.get(receipt_number=receipt.receipt_number)
    published = _entries(EventKind.SUPERVISION_COMPLAINT_STATUS_PUBLISHED)
    assert published == 1
    # The same answer again, and an outcome the public does not read before the matter ends: unchanged.
    complaint_answer_set(complaint=complaint, actor=desk.first)
    complaint_answer_set(complaint=complaint, actor=desk.first, public_outcome="正在核查。")
    assert _entries(EventKind.SUPERVISION_COMPLAINT_STATUS_PUBLISHED) == published
    history = PublicComplaint.objects.get(receipt_number=receipt.receipt_number).history
    assert len(history) == 1
    # Accepted: the public status changes, and is recorded.
    services.matter_pair_assign(matter=complaint.matter, users=[desk.first, desk.second], actor=desk.first)
    services.matter_accept(matter=complaint.matter, actor=desk.first)
    assert _entries(EventKind.SUPERVISION_COMPLAINT_STATUS_PUBLISHED) == published + 1


# --- 7. Case numbers of agencies whose names give the same prefix ------------------------------------


@pytest.mark.parametrize(("name", "prefix"), [
    ("乌审旗交通运输综合行政执法大队", "乌交综执"),
    ("乌审旗农牧业综合行政执法大队", "乌农牧综执"),
    ("乌审旗文化市场综合行政执法大队", "乌文综执"),
    ("乌审旗城市管理综合行政执法局", "乌城管综执"),
    ("乌审旗综合行政执法局", "乌综执"),
    ("乌审旗市场监督管理局", "乌市监"),
])
def test_the_combined_enforcement_agencies_of_the_demo_have_distinct_prefixes(name, prefix):
    from sanxiang.cases.services import agency_abbreviation

    assert agency_abbreviation(agency_make(name=name)) == prefix


def test_two_agencies_with_the_same_prefix_each_register_their_first_case_without_a_500():
    """Two agencies whose names give the same prefix (乌测试…): the second one's first case would take
    the number the first one holds (案号 are unique); it takes the next free one instead."""
    from sanxiang.cases.services import agency_abbreviation

    first, second = agency_make(name="乌审旗测试甲局"), agency_make(name="乌审旗测试乙局")
    assert agency_abbreviation(first) == agency_abbreviation(second) == "乌测试"
    one = case_create(actor=None, agency=first, title="甲局案件", on=TODAY)
    two = case_create(actor=None, agency=second, title="乙局案件", on=TODAY)
    assert one.number == f"乌测试立〔{TODAY.year}〕1号"
    assert two.number == f"乌测试立〔{TODAY.year}〕2号"
    # The first agency's next number passes over the one the second holds.
    assert case_create(actor=None, agency=first, title="甲局案件二", on=TODAY).number == f"乌测试立〔{TODAY.year}〕3号"


SUPERVISION_LISTS = ["supervision:desk", "supervision:complaint_list", "supervision:instrument_list",
                     "supervision:filing_list", "supervision:coordination_list", "supervision:proposal_list",
                     "supervision:referral_list", "supervision:notice_list", "supervision:plan_list",
                     "supervision:evaluation_list"]


@pytest.mark.parametrize("who", ["supervisor", "head", "officer"])
def test_another_countys_objects_are_in_none_of_the_lists(client, two_counties, who):
    """Every list of the supervision desk, read by county A's supervisor, agency head or officer,
    shows nothing of county B (a page refused to the role as a whole is a 403); B's own supervisor
    sees B's objects in the same lists, so the markers are the ones the lists print."""
    from sanxiang.accounts.models import User
    from sanxiang.supervision import plan_services
    from sanxiang.supervision.instrument_services import referral_record
    from sanxiang.supervision.models import Instrument, Matter

    users, ids = two_counties
    first, second = User.objects.filter(role=Role.SUPERVISOR, agency__name="乙旗司法局").order_by("id")
    matter = Matter.objects.get(pk=ids["matter_id"])
    referral_record(actor=first, matter=matter, what="乙移送线索", to_body="乙旗监察委员会", referred_on=TODAY,
                    reference_number="乙司移〔2026〕1号", supervisors=[first, second])
    plan_services.plan_draft(actor=first, year=TODAY.year, title="乙旗年度监督工作计划", objectives="目标")
    plan_services.evaluation_draft(
        actor=first, title="乙旗执法质效评议", scheme="方案", process="步骤", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31), agencies=[matter.agency], standards="# 一\n## 二\n- 细则 | 10\n")
    markers = ["乙旗", "乙监督", "乙执法员", "乙事项", "乙协调事项", "乙移送", matter.number,
               Instrument.objects.get(pk=ids["instrument_id"]).number]
    pages = {}
    for viewer in (users[who], first):
        client.force_login(viewer)
        pages[viewer] = {name: client.get(reverse(name)) for name in SUPERVISION_LISTS}
    seen = {name: [m for m in markers if m in r.content.decode()] for name, r in pages[users[who]].items()}
    assert {name: found for name, found in seen.items() if found} == {}
    assert {r.status_code for r in pages[users[who]].values()} <= {200, 403}
    shown = "".join(r.content.decode() for r in pages[first].values())
    assert all(marker in shown for marker in markers), [m for m in markers if m not in shown]
