"""The indicator table (issue 15) at N cases, beside the same table on an empty county.

    python benchmarks/indicators_scale.py --cases 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_indicators python benchmarks/indicators_scale.py --cases 100000

A synthetic county (a bureau and 12 agencies) is written in bulk: per case three deadline rows, and
for some cases a review tally (30 %), a publication draft (30 %, most published), a filing (5 %), a
hearing transcript (5 %) with its recording (4 %); 30 officers with certificates per agency and a few
hundred instruments. The rows are what the indicators read (stored projections and records), not a
lawful county: they bypass the services and the ledger. Each measurement is the median of a few
runs with its query count: the table for a year and for a month, and the records behind the
county's largest number (the deadlines' denominator, its first page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AGENCIES = 12
YEAR = 2026


def _setup() -> None:
    os.environ.setdefault("SANXIANG_DATA_DIR", tempfile.mkdtemp(prefix="sanxiang-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)


def _county():
    from sanxiang.accounts.models import Role, User
    from sanxiang.registry.models import Agency

    bureau = Agency.objects.create(name="基准司法局", credit_code="BENCH0000000000000", kind="administrative_organ",
                                   region_code="150626", parent_government="基准县人民政府", is_judicial_bureau=True)
    agencies = [Agency.objects.create(name=f"基准执法局{i:02d}", credit_code=f"BENCH{i:013d}", kind="administrative_organ",
                                      region_code="150626", parent_government="基准县人民政府")
                for i in range(1, AGENCIES + 1)]
    supervisor = User.objects.create(username="bench-supervisor", role=Role.SUPERVISOR, agency=bureau)
    return bureau, agencies, supervisor


def _day(n: int) -> dt.date:
    return dt.date(YEAR, 1, 1) + dt.timedelta(days=n % 360)


def _grow(target: int, bureau, agencies, user) -> None:
    from django.db import transaction
    from django.utils import timezone

    from sanxiang.cases.models import Case, CaseDeadline, IssuedDocument
    from sanxiang.evidence.models import EvidenceRecord, StoredFile
    from sanxiang.publication.models import PublicAgency, Publication, PublicationDraft
    from sanxiang.registry.models import Certificate, Officer
    from sanxiang.review.models import ReviewTally
    from sanxiang.supervision.models import Filing, Instrument, InstrumentStep, Matter

    started = time.perf_counter()
    now = timezone.now()
    public = {a.pk: PublicAgency.objects.get_or_create(source_id=a.pk, defaults={
        "name": a.name, "kind": "行政机关", "refreshed_at": now})[0] for a in agencies}
    pdf = StoredFile.objects.create(sha256="0" * 64, size=1, content_type="application/pdf", storage_name="pdf")
    video = StoredFile.objects.create(sha256="1" * 64, size=1, content_type="video/mp4", storage_name="video")
    for agency in agencies:
        officers = Officer.objects.bulk_create(
            Officer(agency=agency, name=f"执法员{i}", id_number=f"B{agency.pk:04d}{i:013d}", staffing_type="administrative")
            for i in range(30))
        Certificate.objects.bulk_create(
            Certificate(officer=o, number=f"BC{o.pk:012d}", issuing_authority="x", enforcement_fields="x",
                        valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2027 if o.pk % 10 else 2026, 1, 1))
            for o in officers)
    for n in range(200):
        agency = agencies[n % AGENCIES]
        matter = Matter.objects.create(bureau=bureau, agency=agency, number=f"BJD-{n}", source="routine", state="accepted",
                                       subject="事项", received_on=_day(n))
        instrument = Instrument.objects.create(
            matter=matter, bureau=bureau, agency=agency, kind="opinion", state="replied", number=f"B{n}", year=YEAR,
            sequence=n + 1, findings="x", required_actions="x", issued_on=_day(n), due_on=_day(n + 30), issued_by=user)
        InstrumentStep.objects.create(instrument=instrument, action="report", state_before="issued", state_after="replied",
                                      on=_day(n + 25 + n % 10), actor=user)
    for start in range(0, target, 5000):
        with transaction.atomic():
            cases = Case.objects.bulk_create(
                Case(agency=agencies[n % AGENCIES], number=f"BENCH-{n:08d}", title="基准案件", state="closed", facts={},
                     details={}) for n in range(start, min(start + 5000, target)))
            deadlines, tallies, drafts, filings, documents, recordings = [], [], [], [], [], []
            for case in cases:
                n = case.pk
                for position in range(3):
                    due = _day(n + 40 * position)
                    late = n % 17 == 0
                    deadlines.append(CaseDeadline(case=case, position=position, code=f"c{position}", label="期限", due=due,
                                                  met=n % 5 != 0, completed_on=due if n % 5 else None, late=late))
                if n % 10 < 3:
                    tallies.append(ReviewTally(case=case, agency_id=case.agency_id, decided_on=_day(n), major=n % 2 == 0,
                                               reviewed=n % 23 != 0, rounds=1, review_days=2, reviews_timed=1,
                                               sent_back=False, estimated=False))
                if 3 <= n % 10 < 6:
                    publication = None
                    if n % 10 != 5:
                        publication = Publication(
                            agency=public[case.agency_id], agency_name="x", number=f"BP{n}", title="x", party_name="x",
                            party_kind="x", violation_type="x", facts="x", basis="x", kinds_label="x", content="x",
                            decided_on=_day(n), published_on=_day(n + 5 + n % 7), display_until=dt.date(2029, 1, 1))
                    drafts.append((PublicationDraft(case=case, agency_id=case.agency_id, status="published" if publication
                                                    else "draft", decided_on=_day(n), due_on=_day(n + 9), original={},
                                                    public={}), publication))
                if n % 20 == 0:
                    filings.append(Filing(case=case, agency_id=case.agency_id, bureau=bureau, kind="penalty", action="decide",
                                          decision_label="x", decided_on=_day(n), filed_on=_day(n + n % 20),
                                          due_on=_day(n + 15)))
                if n % 20 == 1:
                    documents.append(case)
                    if n % 100 != 1:
                        recordings.append(case)
            CaseDeadline.objects.bulk_create(deadlines)
            ReviewTally.objects.bulk_create(tallies)
            Publication.objects.bulk_create([p for _, p in drafts if p is not None])
            for draft, publication in drafts:
                draft.publication = publication
            PublicationDraft.objects.bulk_create([d for d, _ in drafts])
            Filing.objects.bulk_create(filings)
            pdfs = EvidenceRecord.objects.bulk_create(
                EvidenceRecord(agency_id=c.agency_id, case=c, kind="document", original_name="x", uploaded_by=user,
                               uploaded_at=now, stored_file=pdf) for c in documents)
            IssuedDocument.objects.bulk_create(
                IssuedDocument(case=c, agency_id=c.agency_id, kind="hearing_transcript", title="听证笔录",
                               record_kind="hearing_transcript", action="hearing", issued_on=_day(c.pk), pdf=p,
                               filename_stem="x", issued_by=user) for c, p in zip(documents, pdfs, strict=True))
            EvidenceRecord.objects.bulk_create(
                EvidenceRecord(agency_id=c.agency_id, case=c, step="hearing", kind="video", original_name="x",
                               uploaded_by=user, uploaded_at=now, stored_file=video) for c in recordings)
    print(f"county: {Case.objects.count()} cases, {CaseDeadline.objects.count()} deadline rows, "
          f"{time.perf_counter() - started:.1f} s to write")


def _timed(function, runs: int = 5) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), queries


def _measure(label: str, supervisor) -> None:
    from sanxiang.evaluation.indicators import indicator_records, indicator_table, period_month, period_year
    from sanxiang.procedure.evaluation.indicators import indicator_current

    today = dt.date(YEAR, 12, 31)
    year, month = period_year(YEAR), period_month(YEAR, 6)
    deadlines = indicator_current("deadlines_overdue", on=today)
    for name, function in (
        ("table, year", lambda: indicator_table(viewer=supervisor, period=year, today=today)),
        ("table, month", lambda: indicator_table(viewer=supervisor, period=month, today=today)),
        ("records, year's deadlines (page 1)", lambda: indicator_records(
            viewer=supervisor, indicator=deadlines, side="denominator", period=year, agency_id=None, today=today)),
    ):
        seconds, queries = _timed(function)
        print(f"{label:>14} | {name:<36} | {seconds * 1000:8.1f} ms | {queries:3d} queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    _setup()
    from django.db import connection

    bureau, agencies, supervisor = _county()
    _measure("empty county", supervisor)
    _grow(args.cases, bureau, agencies, supervisor)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _measure(f"{args.cases:,} cases", supervisor)


if __name__ == "__main__":
    main()
