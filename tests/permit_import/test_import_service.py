"""Import of licence decisions made in another system (issue 18, item 4): idempotent by (source
system, source id), all or nothing per file with row, column and reason, recorded in the ledger as
imported, then published, counted and projected as a native decision."""

import time

import pytest

from sanxiang.cases.models import Case, PermitImport
from sanxiang.cases.permit_import import permit_decisions_import
from sanxiang.ledger.models import Entry
from sanxiang.publication.models import AnnualAct, PublicationDraft
from sanxiang.registry.models import Party
from tests.cases.support import world_make
from tests.permit_import.support import DECIDED, numbered, row_make


@pytest.mark.django_db
def test_1000_decisions_imported_twice_give_1000_records_and_the_second_import_writes_nothing(capsys):
    w = world_make()
    rows = numbered([row_make(w, n) for n in range(1, 1001)])
    start = time.perf_counter()
    report = permit_decisions_import(actor=w.head, agency=w.agency, rows=rows, today=DECIDED)
    seconds = time.perf_counter() - start
    assert report.errors == [] and (report.imported, report.already) == (1000, 0)
    assert PermitImport.objects.filter(agency=w.agency).count() == 1000
    cases = Case.objects.filter(agency=w.agency, procedure="permit")
    assert cases.count() == 1000 and set(cases.values_list("state", flat=True)) == {"in_force"}
    # Published as native decisions are: a draft each, due 7 working days later.
    assert PublicationDraft.objects.filter(case__in=cases, decision="permit_grant").count() == 1000
    # Counted in the annual data as native decisions are.
    assert AnnualAct.objects.filter(agency=w.agency, kind="permit_granted").count() == 1000
    entries = Entry.objects.count()
    assert Entry.objects.filter(kind="case.imported").count() == 1000
    with capsys.disabled():
        print(f"\n1,000 permit decisions imported in {seconds:.2f} s ({1000 / seconds:.0f} rows/s)")

    again = permit_decisions_import(actor=w.head, agency=w.agency, rows=rows, today=DECIDED)
    assert again.errors == [] and (again.imported, again.already) == (0, 1000)
    assert PermitImport.objects.filter(agency=w.agency).count() == 1000
    assert Case.objects.filter(agency=w.agency, procedure="permit").count() == 1000
    assert Entry.objects.count() == entries


@pytest.mark.django_db
def test_one_wrong_credit_code_at_row_517_rejects_the_whole_file_with_row_column_and_reason():
    w = world_make()
    rows = [row_make(w, n) for n in range(1, 1001)]
    good = rows[516]["party_credit_code"]
    rows[516]["party_credit_code"] = good[:-1] + ("0" if good[-1] != "0" else "1")
    entries, parties = Entry.objects.count(), Party.objects.count()
    report = permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered(rows), today=DECIDED)
    assert report.imported == 0 and len(report.errors) == 1
    (error,) = report.errors
    assert (error.row, error.column, error.field) == (517, "统一社会信用代码", "party_credit_code")
    assert "校验码" in error.message
    assert not PermitImport.objects.exists() and not Case.objects.filter(procedure="permit").exists()
    assert (Entry.objects.count(), Party.objects.count()) == (entries, parties)
