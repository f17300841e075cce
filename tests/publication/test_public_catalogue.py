"""Issue 11: the catalogues of major decisions reach the public read model like everything else.
The review app emits `CataloguePublished`; publication writes its own `PublicCatalogue` row in the
same transaction; versions published before the table existed are carried over by a migration."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db.models import Model

from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.publication.models import PublicCatalogue
from sanxiang.registry import services as registry
from sanxiang.review.models import CataloguePublication
from sanxiang.review.selectors import catalogue_content_current
from sanxiang.review.services import catalogue_publish, catalogue_update
from tests.factories import agency_make

pytestmark = pytest.mark.django_db

carry_over = importlib.import_module("sanxiang.review.migrations.0002_public_catalogues").carry_over


@pytest.fixture
def agency():
    agency = agency_make(name="乌审旗市场监督管理局")
    matter = registry.matter_create(
        actor=None, agency=agency, code="SJ-CF-0012", name="对未取得食品生产经营许可从事食品生产经营活动的处罚",
        kind="penalty", legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第一百二十二条"}],
    )
    catalogue_update(actor=None, agency=agency, kinds=["revoke_permit"], matters=[matter],
                     discussion_for=["complex"], explanation="本目录自发布之日起施行。")
    return agency


def public_fields(row: Model) -> dict:
    return {f.name: getattr(row, f.name) for f in PublicCatalogue._meta.fields if f.name != "id"}


def test_publishing_a_version_writes_its_public_row(agency):
    publication = catalogue_publish(actor=None, agency=agency)
    content = publication.content
    row = PublicCatalogue.objects.get()
    assert (row.agency_source_id, row.version, row.published_at) == (agency.pk, 1, publication.published_at)
    assert row.published_on == dt.date.fromisoformat(content["published_on"])
    assert (row.title, row.agency_name) == ("乌审旗市场监督管理局重大执法决定法制审核目录清单", "乌审旗市场监督管理局")
    assert row.listed == content["listed"] and "拟作出吊销许可证件行政处罚决定的" in row.listed
    assert row.matters == [{"code": "SJ-CF-0012", "name": "对未取得食品生产经营许可从事食品生产经营活动的处罚",
                            "legal_basis": content["matters"][0]["legal_basis"]}]
    assert row.statutory == content["statutory"] and row.statutory_basis == content["statutory_basis"]
    assert row.discussion_for == [d["label"] for d in content["discussion_for"]] != []
    assert (row.legal_basis, row.explanation) == (content["legal_basis"], "本目录自发布之日起施行。")
    # The next version is a row of its own; the first is kept as it was.
    catalogue_update(actor=None, agency=agency, explanation="第二版")
    catalogue_publish(actor=None, agency=agency)
    assert list(PublicCatalogue.objects.order_by("version").values_list("version", "explanation")) == [
        (1, "本目录自发布之日起施行。"), (2, "第二版")]


def test_a_failed_public_write_rolls_the_publication_back(agency, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("public table unavailable")

    monkeypatch.setattr(PublicCatalogue.objects, "get_or_create", broken)
    with pytest.raises(RuntimeError):
        catalogue_publish(actor=None, agency=agency)
    assert not CataloguePublication.objects.exists()
    assert not Entry.objects.filter(kind=EventKind.REVIEW_CATALOGUE_PUBLISHED).exists()


def test_the_migration_carries_older_versions_over_as_the_event_writes_them(agency):
    catalogue_publish(actor=None, agency=agency)
    as_published = public_fields(PublicCatalogue.objects.get())
    # A version published before the public table existed: a review row and no public row.
    PublicCatalogue.objects.all().delete()
    content = catalogue_content_current(agency=agency) | {"version": 2, "published_on": "2026-11-30"}
    CataloguePublication.objects.create(agency=agency, version=2, content=content,
                                        published_at=dt.datetime(2026, 11, 30, 2, tzinfo=dt.UTC))
    carry_over(apps, None)
    carry_over(apps, None)  # run twice: nothing doubles
    rows = {row.version: public_fields(row) for row in PublicCatalogue.objects.all()}
    assert sorted(rows) == [1, 2]
    assert rows[1] == as_published
    assert rows[2]["published_on"] == dt.date(2026, 11, 30) and rows[2]["agency_source_id"] == agency.pk
