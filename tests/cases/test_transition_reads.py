"""What a transition reads of its case is read once (the snapshot and the documents' case info
share their reads) and never kept beyond it: what changed between two transitions is what the
next documents print."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.cases.selectors import case_info_build, case_snapshot_build
from sanxiang.evidence.storage import blob_store_get
from sanxiang.registry.models import Party
from tests.cases.support import (
    OPEN,
    OPENED,
    D,
    inquiry,
    lead_make,
    perform,
    to_investigating,
    to_notified,
    world_make,
)
from tests.documents.reading import pdf_text
from tests.factories import certificate_make

pytestmark = pytest.mark.django_db


def issued_text(case: Case, kind: str) -> str:
    document = IssuedDocument.objects.select_related("pdf__stored_file").filter(case=case, kind=kind).latest("pk")
    with blob_store_get().open(document.pdf.stored_file.sha256) as blob:
        return pdf_text(blob.read())


def test_the_snapshot_and_the_case_info_of_a_locked_case_row_take_a_fixed_number_of_queries():
    w = world_make()
    case = to_investigating(w)
    fresh = Case.objects.get(pk=case.pk)  # as case_action_perform reads it: no relation loaded
    with CaptureQueriesContext(connection) as snapshot_queries:
        snapshot = case_snapshot_build(fresh)
    # Agency, party and matter in one query; officers and certificates; evidence and documents;
    # the review catalogue; open enforcement cases.
    assert len(snapshot_queries) == 7, [q["sql"][:80] for q in snapshot_queries]
    with CaptureQueriesContext(connection) as info_queries:
        info = case_info_build(fresh, on=D(2026, 3, 10), snapshot=snapshot)
    # The files uploaded as evidence, which the documents list (the 调查终结报告's evidence list).
    assert len(info_queries) == 1, [q["sql"][:80] for q in info_queries]
    assert info.assigned_ids == (w.zhang.pk, w.li.pk)
    assert [o.name for o in info.officers] == ["张三", "李四"]
    assert info.party is not None and info.party.name == w.company.name


def test_officers_changed_on_the_same_case_object_are_seen_by_its_next_read():
    w = world_make()
    case = lead_make(w)
    case_snapshot_build(case)
    case.officers.set([w.zhang])  # clears the officers read with the snapshot
    assert case_info_build(case, on=D(2026, 3, 6)).assigned_ids == (w.zhang.pk,)
    assert [o.id for o in case_snapshot_build(case).officers] == [w.zhang.pk]


def test_a_certificate_renewed_between_two_transitions_is_printed_by_the_next_document():
    w = world_make()
    case = to_investigating(w)
    old = w.zhang.certificates.get().number
    case = perform(case, "record_inquiry", D(2026, 3, 10), w.officer, **inquiry(w, D(2026, 3, 10)))
    assert old in issued_text(case, "inquiry_record")
    renewed = certificate_make(officer=w.zhang, number="15062699990001", valid_from=D(2026, 3, 11),
                               valid_to=D(2031, 12, 31))
    case = perform(case, "record_inquiry", D(2026, 3, 12), w.officer, **inquiry(w, D(2026, 3, 12)))
    text = issued_text(case, "inquiry_record")
    assert renewed.number in text and old not in text


def test_a_party_address_changed_between_two_transitions_is_printed_by_the_next_document():
    w = world_make()
    case = to_notified(w)  # its transitions read the party as registered
    Party.objects.filter(pk=w.company.pk).update(address="乌审旗嘎鲁图镇新华街8号")
    case = perform(case, "draft_decision", D(2026, 3, 25), w.officer, outcome="penalty", penalty_kinds=["fine"],
                   fine_yuan="3000", penalty_bases=["《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"])
    case = perform(case, "decide", D(2026, 3, 25), w.officer)
    text = issued_text(case, "decision_document")
    assert "乌审旗嘎鲁图镇新华街8号" in text and "团结路12号" not in text


def test_the_snapshot_takes_the_party_birth_date_from_the_case_texts():
    w = world_make()
    case = lead_make(w, party=w.citizen)
    assert case_snapshot_build(case).party.birth_date is None
    case.details = {**case.details, "texts": {**case.details.get("texts", {}), "party": {"birth_date": "2013-06-01"}}}
    case.save(update_fields=["details"])
    assert case_snapshot_build(Case.objects.get(pk=case.pk)).party.birth_date == D(2013, 6, 1)



def _statements(queries) -> list[str]:
    """The statements of a transaction, without its own control (BEGIN, COMMIT, savepoints)."""
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")
    return [q["sql"] for q in queries if not q["sql"].upper().startswith(control)]


def test_a_step_without_a_document_takes_a_fixed_set_of_statements():
    """Issue 12 (faster transitions): the step reads its case's family once, locked, with the agency,
    party and matter; the projection refresh takes that family and the saved case instead of looking
    the children up, locking and reading the case again; the actor's certificates are those the
    snapshot read. 14 statements besides the ledger's, whatever the engine (it was 23)."""
    w = world_make()
    case = lead_make(w)
    case = perform(case, "approve_opening", OPENED, w.head, approval="agree", opinion="同意立案")
    case = perform(case, "open", OPENED, w.officer, **OPEN)
    with CaptureQueriesContext(connection) as queries:
        case = perform(case, "investigate", D(2026, 3, 9), w.officer)
    # The ledger's statements are its own (tests/ledger; its tree nodes depend on its size, and
    # on PostgreSQL its batch writes through the driver).
    statements = [q for q in _statements(queries) if "ledger_" not in q]
    # The family locked (1); the calendar's version (1); the snapshot: the case's officers and their
    # certificates (2), the review catalogue (1), evidence records and documents' record kinds (2);
    # the case saved (1) with its annual acts compared (1); the projection: deadlines and summary
    # replaced (4), the search grams compared (1).
    assert len(statements) == 14, "\n".join(q[:120] for q in statements)
    assert sum(" FROM \"cases_case\"" in q and q.lstrip().upper().startswith("SELECT") for q in statements) == 1
    assert sum("registry_certificate" in q for q in statements) == 1
    assert case.state == "investigating"


def test_a_case_registered_inside_another_waits_for_a_step_of_its_family():
    """A step reads its family's children once, under the lock of the case's row: registering a
    case inside it takes that row's lock first (before the new row is inserted), so that the new
    child waits for the step to commit instead of being missed by its projection refresh."""
    from sanxiang.cases.services import case_create

    w = world_make()
    penalty = lead_make(w)
    with CaptureQueriesContext(connection) as queries:
        child = case_create(
            actor=w.officer, agency=w.agency, title="涉嫌经营超过保质期的食品案", procedure="seal_seizure",
            officers=[w.zhang, w.li], enforcement_field="市场监管", on=D(2026, 3, 6),
            options={"measure_kind": "seizure"}, parent=penalty,
        )
    statements = _statements(queries)
    insert = next(i for i, q in enumerate(statements) if q.startswith('INSERT INTO "cases_case"'))
    parent_reads = [i for i, q in enumerate(statements) if q.startswith("SELECT") and 'FROM "cases_case"' in q
                    and f'"cases_case"."id" = {penalty.pk}' in q]
    assert parent_reads and parent_reads[0] < insert, "\n".join(q[:120] for q in statements)
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in statements[parent_reads[0]]
    assert child.parent_id == penalty.pk
