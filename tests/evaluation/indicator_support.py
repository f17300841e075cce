"""A small hand-built county for the indicator tests: a bureau, two agencies it supervises (A and
B), an agency of another county (C), and in March 2026 a few records per indicator whose figures
are known (`EXPECTED`). The rows are the stored data the indicators read (drafts and publications,
review tallies, filings, instruments and their steps, deadline rows, documents and evidence,
officers and certificates), written directly: the figures depend on nothing else."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass

from django.utils import timezone

from sanxiang.accounts.models import Role, User
from sanxiang.cases.models import Case, CaseChallenge, CaseDeadline, IssuedDocument
from sanxiang.cases.services import case_create
from sanxiang.evaluation.indicators import period_month
from sanxiang.evaluation.models import TrainingAttendance, TrainingSession
from sanxiang.evidence.models import EvidenceRecord, StoredFile
from sanxiang.publication.models import PublicAgency, Publication, PublicationDraft
from sanxiang.registry.models import Agency
from sanxiang.review.models import ReviewTally
from sanxiang.supervision.models import Filing, Instrument, InstrumentStep, Matter
from tests.factories import agency_make, certificate_make, officer_make, user_make
from tests.supervision.support import supervisor_user_make

D = dt.date
MARCH = period_month(2026, 3)
TODAY = D(2026, 12, 4)  # any day after March: the period has been lived whole
_n = itertools.count(1)

# (numerator, denominator) per indicator for agency A in March 2026; B has one record of each
# that counts on both sides (or none), C (another county) has records that must never appear.
EXPECTED_A = {
    "publication_timely": (1, 3),
    "withdrawal_timely": (1, 2),
    "audio_video_coverage": (1, 3),
    "legal_review_rate": (2, 3),
    "filing_timely": (1, 2),
    "certificate_rate": (2, 3),
    "rectification_on_time": (1, 2),
    "deadlines_overdue": (2, 4),
    "training_compliance": (1, 3),
    "challenge_correction_rate": (2, 4),
    "case_file_pass_rate": (0, 0),  # no campaign in this county (tests/evaluation/test_campaigns.py)
}
EXPECTED_B = {
    "publication_timely": (1, 1),
    "withdrawal_timely": (0, 0),
    "audio_video_coverage": (0, 0),
    "legal_review_rate": (1, 1),
    "filing_timely": (1, 1),
    "certificate_rate": (1, 1),
    "rectification_on_time": (0, 0),
    "deadlines_overdue": (0, 1),
    "training_compliance": (1, 1),
    "challenge_correction_rate": (1, 1),
    "case_file_pass_rate": (0, 0),
}


@dataclass
class County:
    bureau: Agency
    a: Agency
    b: Agency
    c: Agency  # another county's agency
    supervisor: User
    head_a: User
    officer_user: User


def _case(agency: Agency, title: str = "案件") -> Case:
    n = next(_n)
    case = case_create(actor=None, agency=agency, number=f"ZB-{agency.pk}-{n:04d}", title=f"{title}{n}")
    CaseDeadline.objects.filter(case=case).delete()  # only the rows a test writes
    return case


def _public_agency(agency: Agency) -> PublicAgency:
    return PublicAgency.objects.get_or_create(
        source_id=agency.pk, defaults={"name": agency.name, "kind": "行政机关", "refreshed_at": timezone.now()}
    )[0]


def draft_make(agency: Agency, *, due: dt.date, published: dt.date | None = None, status: str = "draft",
               withdrawal_due: dt.date | None = None, withdrawn: dt.date | None = None) -> PublicationDraft:
    case = _case(agency, "公示案件")
    publication = None
    if published is not None:
        publication = Publication.objects.create(
            agency=_public_agency(agency), agency_name=agency.name, number=f"罚{next(_n)}", title=case.title,
            party_name="某公司", party_kind="法人及非法人组织", violation_type="类型", facts="事实", basis="依据",
            kinds_label="罚款", content="内容", decided_on=due - dt.timedelta(days=9), published_on=published,
            display_until=D(2029, 1, 1), status="withdrawn" if withdrawn else "published", withdrawn_on=withdrawn,
        )
        status = "withdrawn" if withdrawn else "published"
    return PublicationDraft.objects.create(
        case=case, agency=agency, status=status, decided_on=due - dt.timedelta(days=9), due_on=due,
        original={}, public={}, publication=publication, withdrawal_due_on=withdrawal_due,
        changed_on=withdrawal_due - dt.timedelta(days=3) if withdrawal_due else None,
        change_kind="revoked" if withdrawal_due else "",
    )


def _file(content_type: str) -> StoredFile:
    digest = hashlib.sha256(f"file{next(_n)}".encode()).hexdigest()
    return StoredFile.objects.create(sha256=digest, size=10, content_type=content_type, storage_name=digest)


def evidence_make(case: Case, *, step: str, kind: str, content_type: str, on: dt.date, user: User) -> EvidenceRecord:
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(10)))
    return EvidenceRecord.objects.create(
        agency=case.agency, case=case, step=step, kind=kind, original_name="f", uploaded_by=user, uploaded_at=at,
        stored_file=_file(content_type),
    )


def document_make(case: Case, *, record_kind: str, on: dt.date, user: User) -> IssuedDocument:
    pdf = evidence_make(case, step="", kind="document", content_type="application/pdf", on=on, user=user)
    return IssuedDocument.objects.create(
        case=case, agency=case.agency, kind=record_kind, title="文书", record_kind=record_kind, action="act",
        issued_on=on, pdf=pdf, filename_stem="文书", issued_by=user,
    )


def tally_make(agency: Agency, *, on: dt.date, major: bool = True, reviewed: bool = True) -> ReviewTally:
    return ReviewTally.objects.create(
        case=_case(agency, "审核案件"), agency=agency, decided_on=on, major=major, reviewed=reviewed, rounds=1,
        review_days=2, reviews_timed=1, sent_back=False, estimated=False,
    )


def filing_make(agency: Agency, bureau: Agency, *, decided: dt.date, filed: dt.date, due: dt.date) -> Filing:
    return Filing.objects.create(
        case=_case(agency, "备案案件"), agency=agency, bureau=bureau, kind="penalty", action="decide",
        decision_label="行政处罚决定", decided_on=decided, filed_on=filed, due_on=due,
    )


def instrument_make(agency: Agency, bureau: Agency, user: User, *, due: dt.date, reported: dt.date | None,
                    state: str = "replied") -> Instrument:
    n = next(_n)
    matter = Matter.objects.create(bureau=bureau, agency=agency, number=f"JD-{n}", source="routine",
                                   state="accepted", subject="事项", received_on=due - dt.timedelta(days=40))
    instrument = Instrument.objects.create(
        matter=matter, bureau=bureau, agency=agency, kind="opinion", state=state, number=f"监意〔2026〕{n}号",
        year=2026, sequence=n, findings="问题", required_actions="整改", issued_on=due - dt.timedelta(days=30),
        served_on=due - dt.timedelta(days=30), due_on=due, issued_by=user,
    )
    if reported is not None:
        InstrumentStep.objects.create(instrument=instrument, action="report", state_before="issued",
                                      state_after="replied", text="已整改", on=reported, actor=user)
    return instrument


def deadline_make(case: Case, position: int, *, due: dt.date, **fields) -> CaseDeadline:
    return CaseDeadline.objects.create(case=case, position=position, code=f"code{position}", label=f"期限{position}",
                                       due=due, **fields)


def officer_with_certificate(agency: Agency, *, valid_to: dt.date | None, status: str = "active"):
    officer = officer_make(agency=agency, certificate=False, status=status)
    if valid_to is not None:
        certificate_make(officer=officer, valid_from=D(2024, 1, 1), valid_to=valid_to)
    return officer


def training_make(organiser: Agency, user: User, officer, *, on: dt.date, hours: str) -> TrainingAttendance:
    session = TrainingSession.objects.create(organiser=organiser, kind="three_systems", topic="三项制度培训",
                                             held_on=on, hours=hours, recorded_by=user)
    return TrainingAttendance.objects.create(session=session, officer=officer, agency=officer.agency, hours=hours,
                                             source="marked", recorded_by=user)


def challenge_make(case: Case, position: int, *, kind: str = "reconsideration", ended: dt.date | None,
                   result: str = "") -> CaseChallenge:
    return CaseChallenge.objects.create(case=case, position=position, kind=kind, started_on=D(2025, 12, 1),
                                        ended_on=ended, result=result)


def county_make() -> County:
    bureau = agency_make(name="测试旗司法局", is_judicial_bureau=True)
    a, b = agency_make(name="甲局"), agency_make(name="乙局")
    c = agency_make(name="外县丙局", region_code="150627")
    supervisor = supervisor_user_make(bureau=bureau)
    head_a = user_make(role=Role.AGENCY_HEAD, agency=a)
    officer_user = user_make(role=Role.OFFICER, agency=a)
    for agency in (a, b, c):
        _records(agency, bureau, supervisor, full=agency == a)
    return County(bureau, a, b, c, supervisor, head_a, officer_user)


def _records(agency: Agency, bureau: Agency, user: User, *, full: bool) -> None:
    # publication_timely: on time, late, never published; not published by law and April: not due
    draft_make(agency, due=D(2026, 3, 10), published=D(2026, 3, 9))
    if full:
        draft_make(agency, due=D(2026, 3, 12), published=D(2026, 3, 16))
        draft_make(agency, due=D(2026, 3, 20))
        draft_make(agency, due=D(2026, 3, 20), status="not_published")
        draft_make(agency, due=D(2026, 4, 2))
        # withdrawal_timely: withdrawn on time; withdrawn late; (published on time, so in the
        # publication figures too: A's publication figures count them)
    if full:
        draft_make(agency, due=D(2026, 2, 10), published=D(2026, 2, 9), withdrawal_due=D(2026, 3, 10),
                   withdrawn=D(2026, 3, 9))
        draft_make(agency, due=D(2026, 2, 10), published=D(2026, 2, 9), withdrawal_due=D(2026, 3, 20),
                   withdrawn=D(2026, 3, 25))
    # legal_review_rate: reviewed, reviewed, not reviewed, not major; April excluded
    tally_make(agency, on=D(2026, 3, 3))
    if full:
        tally_make(agency, on=D(2026, 3, 4))
        tally_make(agency, on=D(2026, 3, 5), reviewed=False)
        tally_make(agency, on=D(2026, 3, 6), major=False, reviewed=False)
        tally_make(agency, on=D(2026, 4, 1))
    # filing_timely
    filing_make(agency, bureau, decided=D(2026, 3, 3), filed=D(2026, 3, 3), due=D(2026, 3, 24))
    if full:
        filing_make(agency, bureau, decided=D(2026, 3, 5), filed=D(2026, 3, 30), due=D(2026, 3, 26))
    # certificate_rate at 31 March: valid, valid, expired in February; transferred (not counted)
    first = officer_with_certificate(agency, valid_to=D(2027, 1, 1))
    # training_compliance at 31 March (40 hours a year): 24 + 16 hours by then; the others short
    training_make(bureau, user, first, on=D(2026, 1, 20), hours="24")
    training_make(agency, user, first, on=D(2026, 3, 31), hours="16")
    # challenge_correction_rate: a decision revoked in March
    challenge_make(_case(agency), 0, ended=D(2026, 3, 10), result="revoked" if full else "illegal")
    if full:
        second = officer_with_certificate(agency, valid_to=D(2028, 1, 1))
        third = officer_with_certificate(agency, valid_to=D(2026, 2, 1))
        gone = officer_with_certificate(agency, valid_to=None, status="transferred")
        training_make(agency, user, second, on=D(2026, 2, 3), hours="38")  # short by 2 at 31 March
        training_make(agency, user, second, on=D(2026, 4, 2), hours="8")  # after the period
        training_make(agency, user, third, on=D(2025, 12, 30), hours="60")  # the year before
        training_make(agency, user, gone, on=D(2026, 1, 5), hours="60")  # no longer serving
        # upheld by the court; corrected in February but upheld in March (the period's own ending
        # counts); two endings in March, both correcting (one decision); still running; ended
        # without a recorded result; April
        challenge_make(_case(agency), 0, kind="litigation", ended=D(2026, 3, 12), result="upheld")
        both = _case(agency)
        challenge_make(both, 0, ended=D(2026, 2, 10), result="changed")
        challenge_make(both, 1, kind="litigation", ended=D(2026, 3, 15), result="upheld")
        twice = _case(agency)
        challenge_make(twice, 0, ended=D(2026, 3, 3), result="changed")
        challenge_make(twice, 1, kind="litigation", ended=D(2026, 3, 30), result="void")
        challenge_make(_case(agency), 0, ended=None)
        challenge_make(_case(agency), 0, ended=D(2026, 3, 20))
        challenge_make(_case(agency), 0, ended=D(2026, 4, 1), result="revoked")
    # the rest only for A (and C, which must never show)
    if not full and agency.region_code == "150626":
        deadline_make(_case(agency), 0, due=D(2026, 3, 9), completed_on=D(2026, 3, 8), met=True)
        return
    # rectification_on_time: reported on time, reported late; withdrawn (not counted)
    instrument_make(agency, bureau, user, due=D(2026, 3, 15), reported=D(2026, 3, 14))
    instrument_make(agency, bureau, user, due=D(2026, 3, 20), reported=D(2026, 3, 28))
    instrument_make(agency, bureau, user, due=D(2026, 3, 20), reported=None, state="withdrawn")
    # deadlines_overdue: met on time; completed late; open past due; a party's window stored as two
    # phases (counted once, not overdue); a marker row and an April deadline (not counted)
    case = _case(agency)
    deadline_make(case, 0, due=D(2026, 3, 9), completed_on=D(2026, 3, 8), met=True)
    deadline_make(case, 1, due=D(2026, 3, 10), completed_on=D(2026, 3, 12), met=True, late=True)
    deadline_make(case, 2, due=D(2026, 3, 11))
    deadline_make(case, 3, due=D(2026, 3, 12), shown_until=D(2026, 3, 12))
    deadline_make(case, 4, due=D(2026, 3, 12), met=True, shown_from=D(2026, 3, 13))
    CaseDeadline.objects.create(case=case, position=5, code="marker", label="期限无法计算", uncomputable=True)
    deadline_make(case, 6, due=D(2026, 4, 3))
    # audio_video_coverage: a hearing with its recording; a hearing without; a seizure without
    # (查封、扣押 counted once, by its decision); a photo is not a recording; a recording alone
    # (no record of the step) counts nowhere
    with_video = _case(agency)
    document_make(with_video, record_kind="hearing_transcript", on=D(2026, 3, 5), user=user)
    evidence_make(with_video, step="hearing", kind="video", content_type="video/mp4", on=D(2026, 3, 5), user=user)
    without = _case(agency)
    document_make(without, record_kind="hearing_transcript", on=D(2026, 3, 6), user=user)
    evidence_make(without, step="hearing", kind="photo", content_type="image/jpeg", on=D(2026, 3, 6), user=user)
    seizure = _case(agency)
    document_make(seizure, record_kind="measure_decision", on=D(2026, 3, 7), user=user)
    alone = _case(agency)
    evidence_make(alone, step="hearing", kind="video", content_type="video/mp4", on=D(2026, 3, 7), user=user)
    april = _case(agency)
    document_make(april, record_kind="hearing_transcript", on=D(2026, 4, 7), user=user)
