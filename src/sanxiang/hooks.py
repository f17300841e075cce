"""How a lower app reaches an upper one without importing it (DESIGN.md, "Shape": arrows point
downwards).

- `Slot`: a lower app declares what it needs answered (the agency's review catalogue, the case an
  upload names, who may change the registry); the upper app that knows the answer installs its
  function in its `AppConfig.ready()`. Asking an empty slot is a configuration error, never a
  silent default: a missing answer must not quietly change what the engine decides.
- `EventBus`: a lower app emits typed events (frozen dataclasses); the upper apps subscribe in
  their `AppConfig.ready()`, either inside the emitter's transaction (`atomic=True`: the reaction
  is part of the change, and its failure rolls the change back) or once it has committed (a
  failure there is logged and does not undo the change).

The module sits at the bottom of the layers: it imports nothing of sanxiang.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

F = TypeVar("F", bound=Callable[..., Any])
E = TypeVar("E")


class Slot(Generic[F]):
    """One function, installed by the app that provides it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._function: F | None = None

    def install(self, function: F) -> None:
        self._function = function

    @property
    def installed(self) -> bool:
        return self._function is not None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._function is None:
            raise ImproperlyConfigured(f"{self.name}: no provider installed (is its app in INSTALLED_APPS?)")
        return self._function(*args, **kwargs)


@dataclass(frozen=True)
class _Subscription:
    event_type: type
    handler: Callable[[Any], None]
    atomic: bool


class EventBus:
    """Typed events of one app, and who reacts to them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._subscriptions: list[_Subscription] = []

    def subscribe(self, event_type: type[E], handler: Callable[[E], None], *, atomic: bool) -> None:
        """React to `event_type`; subscribing the same handler again changes nothing (ready() may
        run twice in tests)."""
        subscription = _Subscription(event_type, handler, atomic)
        if subscription not in self._subscriptions:
            self._subscriptions.append(subscription)

    def unsubscribe(self, event_type: type, handler: Callable[[Any], None]) -> None:
        self._subscriptions = [
            s for s in self._subscriptions if not (s.event_type is event_type and s.handler == handler)
        ]

    def subscribers(self, event_type: type) -> list[Callable[[Any], None]]:
        return [s.handler for s in self._subscriptions if s.event_type is event_type]

    def emit(self, event: object) -> None:
        """Run the atomic reactions now, in the caller's transaction (their exceptions propagate
        and roll it back); queue the others for after the commit."""
        subscriptions = [s for s in self._subscriptions if isinstance(event, s.event_type)]
        if any(s.atomic for s in subscriptions) and not transaction.get_connection().in_atomic_block:
            raise RuntimeError(f"{self.name}: {type(event).__name__} must be emitted inside a transaction")
        for subscription in subscriptions:
            if subscription.atomic:
                subscription.handler(event)
            else:
                transaction.on_commit(partial(subscription.handler, event), robust=True)

