"""sanxiang.hooks: how a lower app reaches an upper one without importing it."""

from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from sanxiang.hooks import EventBus, Slot


@dataclass(frozen=True)
class Happened:
    what: str


def test_an_empty_slot_raises_and_an_installed_one_answers():
    slot: Slot = Slot("test: answer")
    with pytest.raises(ImproperlyConfigured, match="test: answer"):
        slot(1)
    slot.install(lambda n: n + 1)
    assert slot.installed and slot(1) == 2


@pytest.mark.django_db
def test_atomic_reactions_run_now_and_the_others_after_the_commit(django_capture_on_commit_callbacks):
    bus = EventBus("test")
    seen: list[str] = []

    def now(event):
        seen.append(f"now:{event.what}")

    def later(event):
        seen.append(f"later:{event.what}")

    bus.subscribe(Happened, now, atomic=True)
    bus.subscribe(Happened, now, atomic=True)  # again (ready() twice): still once
    bus.subscribe(Happened, later, atomic=False)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        bus.emit(Happened("decided"))
        assert seen == ["now:decided"]
    assert seen == ["now:decided", "later:decided"]
