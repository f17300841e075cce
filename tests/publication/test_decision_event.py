"""事后公开 as a reaction: `cases` emits `CaseDecided` and publication, above it, drafts the
publication inside the decision's transaction (DESIGN.md, "Shape": arrows point downwards)."""

import pytest

from sanxiang.cases.events import CASE_EVENTS, CaseDecided
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.ledger.models import Entry
from sanxiang.publication import apps as publication_apps
from sanxiang.publication import services as publication_services
from sanxiang.publication.models import PublicationDraft
from tests.cases.support import FIRST_DECISION_DAY, PENALTY, perform, to_notified, world_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world_make()


def _drafted(w) -> Case:
    case = to_notified(w)
    return perform(case, "draft_decision", FIRST_DECISION_DAY, w.officer, outcome="penalty", **PENALTY)


def test_publication_subscribes_to_decisions_inside_the_transaction():
    assert publication_apps._case_decided in CASE_EVENTS.subscribers(CaseDecided)
    subscription = next(s for s in CASE_EVENTS._subscriptions if s.handler is publication_apps._case_decided)
    assert subscription.atomic is True


def test_the_draft_comes_from_the_event(w):
    """Without publication's subscription a decision drafts nothing: cases no longer calls it."""
    case = _drafted(w)
    seen: list[CaseDecided] = []
    CASE_EVENTS.unsubscribe(CaseDecided, publication_apps._case_decided)
    CASE_EVENTS.subscribe(CaseDecided, seen.append, atomic=True)
    try:
        case = perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    finally:
        CASE_EVENTS.unsubscribe(CaseDecided, seen.append)
        CASE_EVENTS.subscribe(CaseDecided, publication_apps._case_decided, atomic=True)
    assert [(e.case.pk, e.on, e.actor) for e in seen] == [(case.pk, FIRST_DECISION_DAY, w.officer)]
    assert seen[0].snapshot.decision is not None
    assert not PublicationDraft.objects.filter(case=case).exists()


def test_a_failing_draft_rolls_the_decision_back(w, monkeypatch):
    case = _drafted(w)
    state = case.state
    entries = Entry.objects.count()
    documents = IssuedDocument.objects.filter(case=case).count()

    def broken(**kwargs):
        raise RuntimeError("publication store unavailable")

    monkeypatch.setattr(publication_services, "publication_draft_create", broken)
    with pytest.raises(RuntimeError):
        perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    case.refresh_from_db()
    assert case.state == state
    assert Entry.objects.count() == entries
    assert IssuedDocument.objects.filter(case=case).count() == documents
    assert not PublicationDraft.objects.filter(case=case).exists()

    monkeypatch.undo()
    case = perform(case, "decide", FIRST_DECISION_DAY, w.officer)
    assert PublicationDraft.objects.filter(case=case).exists()

