"""文号 are allocated per agency, year and kind without duplicates or gaps, even when officers
issue at the same moment; a number whose issue rolls back goes to the next issue."""

import threading

import pytest
from django.db import connection, transaction

from sanxiang.cases import services
from sanxiang.cases.models import DocumentCounter, IssuedDocument
from sanxiang.cases.services import document_number_allocate, document_number_next
from tests.cases.support import (
    NOTICE_SERVED,
    D,
    end_investigation_data,
    inquiry,
    notice_data,
    perform,
    to_investigating,
    world_make,
)
from tests.factories import agency_make
from tests.ledger.helpers import ledger_purge

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    # SQLite takes its write lock at BEGIN: two writers never overlap, so there is no race to test.
    reason="concurrent transactions need PostgreSQL",
)


@pytest.fixture
def purge_ledger_after(transactional_db):
    yield
    ledger_purge()


def in_threads(count: int, work) -> tuple[list, list]:
    results, errors = [], []

    def run(i: int) -> None:
        try:
            results.append(work(i))
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


@pytest.mark.django_db
def test_a_rolled_back_issue_gives_its_number_to_the_next():
    agency = agency_make(name="乌审旗市场监督管理局", parent_government="乌审旗人民政府")
    with transaction.atomic():
        assert document_number_next(agency=agency, kind="decision_document", on=D(2026, 3, 2)) == "乌市监罚决〔2026〕1号"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert document_number_allocate(agency=agency, kind="decision_document", year=2026) == 2
        raise RuntimeError("the document could not be stored")
    with transaction.atomic():
        assert document_number_allocate(agency=agency, kind="decision_document", year=2026) == 2
        # Per kind and per year.
        assert document_number_allocate(agency=agency, kind="advance_notice", year=2026) == 1
        assert document_number_allocate(agency=agency, kind="decision_document", year=2027) == 1


@postgresql_only
def test_two_officers_issuing_at_the_same_moment_get_different_numbers(purge_ledger_after, monkeypatch):
    w = world_make()
    cases = []
    for officer in (w.officer, w.colleague):
        case = to_investigating(w)
        case = perform(case, "record_inquiry", D(2026, 3, 10), officer, **inquiry(w, D(2026, 3, 10)))
        cases.append(perform(case, "end_investigation", D(2026, 3, 16), officer, **end_investigation_data()))
    both_ready = threading.Barrier(2, timeout=30)
    original = services.document_number_allocate

    def allocate_together(**kwargs):
        both_ready.wait()  # both officers are past every check and ask for a number now
        return original(**kwargs)

    monkeypatch.setattr(services, "document_number_allocate", allocate_together)
    officers = (w.officer, w.colleague)
    _, errors = in_threads(
        2, lambda i: perform(cases[i], "notify", NOTICE_SERVED, officers[i], **notice_data(NOTICE_SERVED))
    )
    assert errors == []
    numbers = sorted(IssuedDocument.objects.filter(kind="advance_notice").values_list("number", flat=True))
    assert numbers == ["乌市监罚告〔2026〕1号", "乌市监罚告〔2026〕2号"]


@postgresql_only
def test_concurrent_allocations_have_no_duplicate_and_no_gap_even_with_rollbacks(transactional_db):
    agency = agency_make()
    start = threading.Barrier(8, timeout=30)

    def work(i: int) -> list[int]:
        kept = []
        start.wait()
        for j in range(6):
            try:
                with transaction.atomic():
                    number = document_number_allocate(agency=agency, kind="advance_notice", year=2026)
                    if (i + j) % 3 == 0:
                        raise RuntimeError("rolled back")
                    kept.append(number)
            except RuntimeError:
                pass
        return kept

    results, errors = in_threads(8, work)
    assert errors == []
    issued = sorted(n for kept in results for n in kept)
    assert issued == list(range(1, len(issued) + 1))  # no duplicate, no gap
    assert DocumentCounter.objects.get(agency=agency, kind="advance_notice").last == len(issued)


@postgresql_only
def test_without_the_lock_the_same_number_is_given_twice(transactional_db):
    """The test above can fail: an allocator that reads and writes without locking the counter
    gives two officers the same number."""
    agency = agency_make()
    DocumentCounter.objects.create(agency=agency, year=2026, kind="advance_notice", last=0)
    both_read = threading.Barrier(2, timeout=30)

    def unlocked(i: int) -> int:
        with transaction.atomic():
            counter = DocumentCounter.objects.get(agency=agency, year=2026, kind="advance_notice")
            both_read.wait()
            DocumentCounter.objects.filter(pk=counter.pk).update(last=counter.last + 1)
            return counter.last + 1

    results, errors = in_threads(2, unlocked)
    assert errors == [] and results == [1, 1]


@postgresql_only
def test_two_back_entries_of_one_paper_number_at_the_same_moment_refuse_the_second(purge_ledger_after, monkeypatch):
    """Both pass the check that the number is free; the unique (agency, number) index decides, and
    the second is refused with its reason (平台规则), not a server error, leaving nothing behind."""
    from sanxiang.cases.services import case_action_perform, case_create, document_number_format
    from sanxiang.procedure.violations import Refused

    w = world_make()
    day, reason = D(2026, 10, 6), "纸质案卷录入"
    cases = []
    for _ in range(2):
        case = case_create(actor=w.officer, agency=w.agency, title="食品经营许可申请", procedure="permit", party=w.company,
                           officers=[w.zhang, w.li], enforcement_field="市场监管", act_date=day, discovered_on=day,
                           occurred_on=day, back_entry_reason=reason)
        cases.append(case_action_perform(actor=w.officer, case=case, action="permit_materials",
                                         data={"materials_complete": True}, occurred_on=day, back_entry_reason=reason))
    paper = document_number_format(agency=w.agency, kind="permit_acceptance_notice", year=2026, sequence=5)
    both_ready = threading.Barrier(2, timeout=30)
    original = services.document_number_reserve

    def reserve_together(**kwargs):
        both_ready.wait()  # both are past the check that the number is free
        return original(**kwargs)

    monkeypatch.setattr(services, "document_number_reserve", reserve_together)
    results, errors = in_threads(2, lambda i: case_action_perform(
        actor=w.officer, case=cases[i], action="permit_accept", data={}, occurred_on=day, back_entry_reason=reason,
        document_numbers={"permit_acceptance_notice": paper}))
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], Refused), errors
    assert [(v.code, v.field) for v in errors[0].violations] == [
        ("case.back_entry.number_taken", "document_numbers.permit_acceptance_notice")]
    assert IssuedDocument.objects.filter(number=paper).count() == 1
    refused_case = next(c for c in cases if c.pk != results[0].pk)
    refused_case.refresh_from_db()
    assert refused_case.state == "received" and not IssuedDocument.objects.filter(case=refused_case).exists()
