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
from tests.cases.support import D, inquiry, lead_make, perform, to_investigating, to_notified, world_make
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
