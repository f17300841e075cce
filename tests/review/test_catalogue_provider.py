"""The engine's catalogue comes to `cases` through the slot review installs at ready(), not by an
upward import: the case snapshot carries whatever the installed provider answers."""

import pytest

from sanxiang.cases.selectors import case_snapshot_build, review_catalogue_provided
from sanxiang.procedure.penalty.snapshot import ReviewCatalogue
from sanxiang.review.selectors import review_catalogue_for_agency
from tests.cases.support import lead_make, world_make

pytestmark = pytest.mark.django_db


def test_review_installs_its_catalogue_for_the_engine():
    assert review_catalogue_provided._function is review_catalogue_for_agency


def test_the_snapshot_carries_the_provided_catalogue(monkeypatch):
    w = world_make()
    case = lead_make(w)
    assert case_snapshot_build(case).catalogue is None  # never published: the parameters' default
    asked: list[int] = []
    catalogue = ReviewCatalogue(kinds=frozenset({"fine"}), fine_natural_person_fen=1, fine_organization_fen=1,
                                amount_inclusive=True, matters=frozenset(), discretion_deviation=False,
                                discussion_for=frozenset(), reference="测试目录")

    def provider(*, agency_id: int) -> ReviewCatalogue:
        asked.append(agency_id)
        return catalogue

    monkeypatch.setattr(review_catalogue_provided, "_function", provider)
    assert case_snapshot_build(case).catalogue == catalogue
    assert asked == [case.agency_id]

