"""The portal's list by kind of decision (issue 20): each kind's rows are read from a partial index
of their own on both engines (a rare kind read every row before: 6-11 s at 1,000,000 publications),
and the filter keeps its meaning: the rows whose kinds hold the key, newest first, with the count."""

import datetime as dt

import pytest
from django.db import connection

from sanxiang.portal.decisions import DECISION_KINDS, decisions_filter, decisions_page, decisions_visible
from sanxiang.publication.models import Publication, PublicationStatus
from sanxiang.publication.search import KindHeld, kind_index_name
from tests.portal.test_decisions import public_agency_make, publication_make

pytestmark = pytest.mark.django_db

KINDS = [["fine"], ["warning", "fine"], ["seizure"], ["confiscate_gains", "fine"], ["warning"], ["other"]]


def indexes() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'publication_publication'")
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'publication_publication'")
        return {name for (name,) in cursor.fetchall()}


def test_every_kind_the_portal_filters_by_has_its_index():
    assert {kind_index_name(k) for k in DECISION_KINDS} <= indexes()


def test_the_filter_returns_the_rows_holding_the_kind_newest_first_with_the_count():
    agency = public_agency_make()
    for i in range(30):
        status = PublicationStatus.WITHDRAWN if i % 7 == 3 else (
            PublicationStatus.EXPIRED if i % 11 == 5 else PublicationStatus.PUBLISHED)
        publication_make(agency=agency, kinds=KINDS[i % len(KINDS)], status=status,
                         decided_on=dt.date(2026, 1, 1) + dt.timedelta(days=i % 9))
    visible = list(decisions_visible())
    for kind in ("fine", "warning", "seizure", "confiscate_gains", "other", "close"):
        expected = sorted((p for p in visible if kind in p.kinds), key=lambda p: (p.decided_on, p.pk), reverse=True)
        page = decisions_page(decisions_filter(decisions_visible(), kind=kind), per_page=4)
        assert [p.pk for p in page.rows] == [p.pk for p in expected[:4]], kind
        assert page.count == len(expected) and not page.estimated
    assert len([p for p in visible if "fine" in p.kinds]) > 4  # a second page exists for fine


def test_a_key_outside_the_kinds_never_reaches_the_sql():
    with pytest.raises(ValueError):
        list(Publication.objects.filter(KindHeld("fine') OR 1=1 --")))


def test_the_rare_kinds_page_reads_its_own_index():
    """The plan of the page's read for a kind names the kind's index: on PostgreSQL with the other
    indexes of the status dropped inside the test's transaction and scans of the whole table made
    dear, so that only a proved index condition gives that plan."""
    agency = public_agency_make()
    for i in range(40):
        publication_make(agency=agency, kinds=["warning"] if i == 7 else ["fine"])
    rows = decisions_filter(decisions_visible(), kind="warning").filter(status=PublicationStatus.PUBLISHED)[:21]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Every other index that serves the status (the kind's own aside) dropped, the rows'
            # statistics taken, whole-table scans made dear.
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'publication_publication' "
                           "AND indexdef LIKE '%%status%%' AND indexname NOT LIKE 'publication_kind_%%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("ANALYZE publication_publication")
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = rows.explain()
    assert kind_index_name("warning") in plan, plan
