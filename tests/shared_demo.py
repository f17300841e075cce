"""One load of the demo county for several test modules (CI's time budget).

Loading the demo county takes tens of seconds (hundreds of cases through the services, their
documents, their ledger entries). Modules that only read it, or change it inside their own savepoint,
share one load: the first asks for it, the load stays in an open transaction of the worker, each
module works in a savepoint above it that is rolled back at the module's end, and the load itself is
rolled back as soon as the next test to run does not want the same demo day (conftest's
`pytest_runtest_teardown`). A module joins with

    pytestmark = pytest.mark.shared_demo(day=TODAY)

    @pytest.fixture(scope="module")
    def demo(django_db_setup, django_db_blocker):
        with demo_county_shared(day=TODAY, blocker=django_db_blocker) as loaded:
            yield loaded

and `SHARED_DEMO_GROUPS` in conftest puts its file in one of the groups that xdist sends, whole and
first, to one worker, so that the modules of a day run one after another on the same worker.
Modules that watch the load itself (its events, its documents) cannot share it: they load their own,
in the same groups so that the slow loads start first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The day whose load is also watched while it runs (`LoadWatch`): the first day of group demo-a.
WATCHED_DAY = dt.date(2026, 6, 15)


@dataclass
class LoadWatch:
    """What the load of WATCHED_DAY did, for the modules that check the load itself rather than its
    result (tests/demo/test_ledger.py, tests/cases/test_transition_reads.py), which would otherwise
    each load the county once more:
    - `appended`: each ledger entry appended from the registry's, the accounts' and the demo's own
      services, as (event, actor), in order;
    - `snapshots`: the procedure of each step whose projection refresh was given the step's snapshot,
      and `snapshot_differences` the steps where that snapshot was not what a fresh build of the saved
      case gives (case number, state)."""

    appended: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)
    snapshot_differences: list = field(default_factory=list)
    # Each document's PDF as `documents.render` made it during the load: (title, subject, layout, pdf),
    # read by tests/documents/test_demo_documents_text.py.
    documents: list = field(default_factory=list)


@dataclass(frozen=True)
class SharedDemo:
    day: dt.date
    result: object  # DemoLoadResult
    data_dir: Path  # where the load stored its files
    watch: LoadWatch | None = None  # on WATCHED_DAY only


@contextlib.contextmanager
def _load_watched(watch: LoadWatch) -> Iterator[None]:
    from unittest import mock

    from sanxiang.cases import projection
    from sanxiang.cases.models import Case
    from sanxiang.cases.selectors import case_snapshot_build

    patches = []
    # The permit import registers the parties of the decisions it brings in (issue 18 item 4).
    for module in ("sanxiang.registry.services", "sanxiang.accounts.services", "sanxiang.demo.county",
                   "sanxiang.cases.permit_import"):
        original = importlib.import_module(module).entry_append

        def recorded(*args, _original=original, event, actor=None, **kwargs):
            watch.appended.append((event, actor))
            return _original(*args, event=event, actor=actor, **kwargs)

        patches.append(mock.patch(f"{module}.entry_append", recorded))
    computed = projection.case_phases_computed

    def checked(case, *, on, calendar, snapshot=None):
        if snapshot is not None:
            watch.snapshots.append(case.procedure)
            # Built from the row as stored (the refresh takes the step's case as saved, not read again).
            fresh = Case.objects.get(pk=case.pk)
            if (case.state, case.facts) != (fresh.state, fresh.facts) or snapshot != case_snapshot_build(fresh):
                watch.snapshot_differences.append((case.number, case.state))
        return computed(case, on=on, calendar=calendar, snapshot=snapshot)

    patches.append(mock.patch.object(projection, "case_phases_computed", checked))
    from sanxiang.documents import render as render_module

    original_pdf = render_module.layout_render_pdf

    def kept(*, layout, title, **kwargs):
        pdf = original_pdf(layout=layout, title=title, **kwargs)
        watch.documents.append((title, kwargs.get("subject", ""), layout, pdf))
        return pdf

    patches.append(mock.patch.object(render_module, "layout_render_pdf", kept))
    with contextlib.ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch)
        yield


class _Holder:
    def __init__(self) -> None:
        self.loaded: SharedDemo | None = None
        self._stack: contextlib.ExitStack | None = None

    def acquire(self, *, day: dt.date, blocker) -> SharedDemo:
        if self.loaded is not None and self.loaded.day == day:
            return self.loaded
        self.release()
        from sanxiang.demo.county import demo_county_load

        data_dir = Path(tempfile.mkdtemp(prefix=f"shared-demo-{day.isoformat()}-"))
        stack = contextlib.ExitStack()
        try:
            stack.enter_context(blocker.unblock())
            stack.enter_context(override_settings(PASSWORD_HASHERS=FAST_HASHERS, DATA_DIR=data_dir,
                                                  MEDIA_ROOT=data_dir / "files"))
            stack.enter_context(transaction.atomic())
            # Runs first on close (last in, first out): the load is rolled back, never committed.
            stack.callback(transaction.set_rollback, True)
            watch = LoadWatch() if day == WATCHED_DAY else None
            with _load_watched(watch) if watch is not None else contextlib.nullcontext():
                result = demo_county_load(today=day)
        except BaseException:
            stack.close()
            raise
        self._stack = stack
        self.loaded = SharedDemo(day=day, result=result, data_dir=data_dir, watch=watch)
        return self.loaded

    def release(self) -> None:
        stack, self._stack, self.loaded = self._stack, None, None
        if stack is not None:
            stack.close()


HOLDER = _Holder()


@contextlib.contextmanager
def demo_county_shared(*, day: dt.date, blocker) -> Iterator[SharedDemo]:
    """The demo county loaded on `day` (loaded now unless the previous module loaded the same day),
    with a savepoint for the module that is rolled back when the module ends. Files the load stored
    are under `.data_dir` (settings point there for the module's fixtures)."""
    loaded = HOLDER.acquire(day=day, blocker=blocker)
    with (
        blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, DATA_DIR=loaded.data_dir,
                          MEDIA_ROOT=loaded.data_dir / "files"),
        transaction.atomic(),
    ):
        yield loaded
        transaction.set_rollback(True)
