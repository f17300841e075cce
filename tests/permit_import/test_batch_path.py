"""The import drafts its decisions' publications in one batch (`CompulsoryDecidedBatch`,
`publication.permit.permit_decisions_record`) and counts them in the annual data once per batch:
the drafts, due days, XK_* rows, ledger entries and annual rows are those the per-decision path
(`permit_decision_record`, the `CompulsoryDecided` of a native step) makes of the same cases."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.cases.models import Case
from sanxiang.cases.permit_import import permit_decisions_import
from sanxiang.ledger.models import Entry
from sanxiang.publication.annual import annual_cases_refresh
from sanxiang.publication.models import AnnualAct, PublicationDraft
from sanxiang.publication.permit import permit_decision_record
from tests.cases.support import world_make
from tests.factories import id_number
from tests.permit_import.support import DECIDED, numbered, row_make

# What differs between two drafts of the same decision made at different moments: the row's own ids and times.
OWN = {"id", "created_at", "updated_at"}


def _rows(w) -> list[dict]:
    """A delivered grant to an organisation, a grant to a person not yet delivered, a refusal."""
    return [
        row_make(w, 1),
        row_make(w, 2, party_kind="自然人", party_credit_code="", legal_representative="", party_name="王某",
                 party_id_number=id_number(), delivered_on=""),
        row_make(w, 3, decision="不予", category="", content="", licence_name="", licence_number="",
                 valid_until="", delivered_on="", reasons="申请材料不符合法定条件"),
    ]


def _drafts() -> dict[tuple[int, str], dict]:
    return {(d["case_id"], d["decision"]): {k: v for k, v in d.items() if k not in OWN}
            for d in PublicationDraft.objects.values()}


def _drafted_entries(since: int) -> list[dict]:
    payloads = []
    for body in Entry.objects.filter(seq__gt=since, kind__startswith="disclosure.").order_by("seq").values_list(
            "body", flat=True):
        payload = json.loads(bytes(body))["payload"]
        payload.pop("draft")
        payloads.append(payload)
    return payloads


@pytest.mark.django_db
def test_the_batch_drafts_are_field_by_field_those_of_the_per_decision_path():
    w = world_make()
    before = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    report = permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered(_rows(w)), today=DECIDED)
    assert report.errors == [] and report.imported == 3
    batch, batch_entries = _drafts(), _drafted_entries(before)
    # Two grants drafted (7 working days, the XK_* row kept); the refusal is not published.
    assert sorted(key[1] for key in batch) == ["permit_grant", "permit_grant"] and len(batch_entries) == 2
    assert all(d["due_on"] > DECIDED and d["facts"]["xk_row"] for d in batch.values())

    # The same cases through the per-decision path, the case's snapshot built afresh from the database.
    PublicationDraft.objects.all().delete()
    after_batch = Entry.objects.order_by("-seq").values_list("seq", flat=True).first()
    for case in Case.objects.filter(procedure="permit").order_by("pk"):
        action = "permit_grant" if case.state != "refused" else "permit_refuse"
        permit_decision_record(case=case, procedure="permit", action=action, snapshot=None, on=DECIDED, actor=w.head)
    assert _drafts() == batch
    assert _drafted_entries(after_batch) == batch_entries


@pytest.mark.django_db
def test_the_annual_rows_are_written_once_per_batch_as_a_case_save_would_write_them():
    w = world_make()
    permit_decisions_import(actor=w.head, agency=w.agency, rows=numbered(_rows(w)), today=DECIDED)
    cases = list(Case.objects.filter(procedure="permit"))
    kinds = list(AnnualAct.objects.filter(case__in=cases).values_list("kind", flat=True))
    assert (kinds.count("permit_granted"), kinds.count("permit_refused")) == (2, 1)
    # The refresh a case save runs finds nothing to change.
    assert annual_cases_refresh(cases=cases) == 0


@pytest.mark.django_db
def test_the_import_writes_in_a_number_of_queries_that_does_not_grow_per_row():
    w = world_make()
    counts = []
    # The first import of an agency also makes its counter of case numbers: sizes compared after it.
    for first, size in ((1, 2), (11, 5), (101, 40)):
        rows = numbered([row_make(w, n) for n in range(first, first + size)])
        with CaptureQueriesContext(connection) as queries:
            report = permit_decisions_import(actor=w.head, agency=w.agency, rows=rows, today=DECIDED)
        assert report.imported == size
        counts.append(len(queries))
    # 35 more rows cost no query of their own (at most an insert split by the engine's parameter limit).
    assert counts[2] - counts[1] <= 2, counts
