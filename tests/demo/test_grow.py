"""Growing the demo county (`sanxiang.demo.grow`): copies of the demo's cases in bulk, each with its
new numbers, moved dates and ledger entries, readable like the originals.

Loaded and grown once for the module, on a fixed day."""

import datetime as dt
import json
from collections import Counter

import pytest
from django.urls import reverse

from sanxiang.accounts.models import User
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.demo.grow import demo_grow
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verification import ledger_verify
from sanxiang.publication.models import Publication
from tests.shared_demo import demo_county_shared

TODAY = dt.date(2026, 10, 9)
pytestmark = pytest.mark.shared_demo(day=TODAY)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
GROWN = 50


@pytest.fixture(scope="module")
def grown(django_db_setup, django_db_blocker):
    with demo_county_shared(day=TODAY, blocker=django_db_blocker) as loaded:
        data_dir = loaded.data_dir
        templates = {c.pk: c for c in Case.objects.all()}
        open_before = _open_count()
        result = demo_grow(cases=len(templates) + GROWN, open_cases=open_before + 10, batch_size=7, today=TODAY)
        yield data_dir, templates, open_before, result


def _open_count() -> int:
    from sanxiang.demo.grow import _is_open

    return sum(_is_open(c) for c in Case.objects.all())


def _opened_body(case: Case) -> dict:
    return json.loads(bytes(Entry.objects.get(case_id=case.pk, kind=EventKind.CASE_OPENED).body))


@pytest.mark.django_db
def test_the_demo_grows_to_the_number_asked_with_the_open_share_asked(grown):
    _, templates, open_before, result = grown
    assert Case.objects.count() == len(templates) + GROWN == result.cases_after
    assert result.added == GROWN
    # Open families are copied whole, so the last one may pass the target by its size.
    assert open_before + 10 <= _open_count() <= open_before + 10 + 3


@pytest.mark.django_db
def test_the_grown_ledger_verifies(grown, settings):
    data_dir, *_ = grown
    settings.DATA_DIR, settings.MEDIA_ROOT = data_dir, data_dir / "files"
    report = ledger_verify()
    assert report.ok, report.findings[:5]


@pytest.mark.django_db
def test_each_copy_has_new_numbers_moved_dates_and_the_entries_of_its_template(grown):
    _, templates, _, _ = grown
    by_number = {c.number: c for c in templates.values()}
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    for case in Case.objects.exclude(pk__in=list(templates)).prefetch_related("officers"):
        template = by_number[_opened_body(case)["payload"]["grown_from"]]
        assert (case.agency_id, case.party_id, case.procedure, case.state) == (
            template.agency_id, template.party_id, template.procedure, template.state)
        assert {o.pk for o in case.officers.all()} == {o.pk for o in template.officers.all()}
        shift = template.created_at - case.created_at
        assert shift.days % 7 == 0 and shift.days >= 0 and shift.seconds == 0
        kinds = Counter(Entry.objects.filter(case_id=case.pk).values_list("kind", flat=True))
        assert kinds == Counter(Entry.objects.filter(case_id=template.pk).values_list("kind", flat=True))
        assert case.number not in json.dumps(template.facts, ensure_ascii=False)
        # The facts' dates moved by the same days as the case.
        if template.facts.get("opened_on"):
            opened = dt.date.fromisoformat(template.facts["opened_on"]) - dt.timedelta(days=shift.days)
            assert case.facts["opened_on"] == opened.isoformat()


@pytest.mark.django_db
def test_documents_evidence_and_publications_of_copies_point_to_their_own_entries(grown):
    _, templates, _, _ = grown
    documents = IssuedDocument.objects.exclude(case_id__in=list(templates))
    assert documents.exists()
    for document in documents:
        entry = Entry.objects.get(seq=document.ledger_seq)
        body = json.loads(bytes(entry.body))
        assert (entry.kind, entry.subject, entry.case_id) == (
            EventKind.DOCUMENT_ISSUED, f"document:{document.pk}", document.case_id)
        assert body["payload"]["number"] == document.number
        assert body["payload"]["issued_on"] == document.issued_on.isoformat()
        for record in (document.pdf, document.docx):
            assert Entry.objects.get(seq=record.ledger_seq).subject == f"evidence:{record.pk}"
    # Rows share the stored files of the template's rows.
    copied = EvidenceRecord.objects.filter(pk__in=documents.values("pdf_id"))
    assert set(copied.values_list("stored_file_id", flat=True)) <= set(
        IssuedDocument.objects.filter(case_id__in=list(templates)).values_list("pdf__stored_file_id", flat=True))
    numbers = list(Publication.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))


@pytest.mark.django_db
def test_growing_again_copies_the_demo_cases_not_the_copies(grown):
    _, templates, _, _ = grown
    before = Case.objects.count()
    demo_grow(cases=before + 5, open_cases=0, batch_size=5, today=TODAY)
    assert Case.objects.count() == before + 5
    template_numbers = {c.number for c in templates.values()}
    for case in Case.objects.order_by("-pk")[:5]:
        assert _opened_body(case)["payload"]["grown_from"] in template_numbers
    assert demo_grow(cases=before + 5, today=TODAY).added == 0


@pytest.mark.django_db
def test_every_grown_case_is_readable_on_its_page(grown, client, monkeypatch):
    from django.utils import timezone

    _, templates, _, _ = grown
    localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: TODAY if value is None else localdate(value, tz))
    # Each read by its agency's head (the demo's, or the housing bureau's for its 征收).
    heads = {u.agency_id: u for u in User.objects.filter(role="agency_head").order_by("-username")}
    for case in Case.objects.exclude(pk__in=list(templates)):
        client.force_login(heads[case.agency_id])
        response = client.get(reverse("cases:case_detail", args=[case.pk]))
        assert response.status_code == 200, case.number
        assert case.number in response.content.decode()


@pytest.mark.django_db
def test_a_demo_with_an_agency_of_its_own_added_is_not_a_demo_database_any_more(grown):
    from sanxiang.demo.grow import GrowError
    from tests.factories import agency_make

    before = Case.objects.count()
    agency_make(name="伊金霍洛旗市场监督管理局")
    with pytest.raises(GrowError, match="本库有演示旗县以外的执法主体（伊金霍洛旗市场监督管理局），不是演示库：不能扩充"):
        demo_grow(cases=before + 5, open_cases=0, batch_size=5, today=TODAY)
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_the_copies_projections_equal_a_full_recomputation(grown):
    """Each batch refreshes the projections of its copies (deadlines, roles next, search grams,
    review figures, annual acts) instead of a whole rebuild at the end: every projection's check
    against a full recomputation finds no difference."""
    from sanxiang.projections import projections_all
    from sanxiang.review.models import ReviewTally

    _, templates, _, _ = grown
    copies = Case.objects.exclude(pk__in=list(templates))
    assert ReviewTally.objects.filter(case_id__in=copies.values("pk")).exists()
    found = {projection.name: projection.check() for projection in projections_all()}
    assert found == {name: [] for name in found}


@pytest.mark.django_db
def test_the_snapshots_read_for_a_batch_equal_those_read_case_by_case(grown):
    """A grow batch reads what its copies' snapshots read afresh (officers, records, documents,
    children, parent, catalogue) for the whole batch at once (`cases_snapshot_reads_load`): every
    case's snapshot is the one it reads by itself, with no query left per case."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanxiang.cases.selectors import case_snapshot_build, cases_snapshot_reads_load

    def cases() -> list[Case]:
        return list(Case.objects.select_related("agency", "matter", "party").order_by("pk"))

    batch, alone = cases(), cases()
    assert {c.parent_id is not None for c in batch} == {True, False}  # families with children among them
    cases_snapshot_reads_load(batch)
    with CaptureQueriesContext(connection) as queries:
        built = [case_snapshot_build(case) for case in batch]
    assert len(queries.captured_queries) == 0
    assert built == [case_snapshot_build(case) for case in alone]
