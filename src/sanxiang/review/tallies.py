"""The legal-review figures of each decided case, kept at write time (`ReviewTally`).

- A decision writes its row in the decision's own transaction (the `CaseDecided` event, from the
  snapshot the step produced).
- What a later change can alter is refreshed where it happens: a catalogue published on the day
  of a decision (it was in force for it), a party whose kind changed (the amount threshold
  depends on it), a year of the official calendar entered afterwards (`review_tallies_refresh_year`).
  No step after the decision changes what the figures read: they look at the case as it stood on
  the decision day, and the review steps are refused once it is decided.
- `review_tallies_check` compares every stored row with the full recomputation from the case's
  snapshot (`selectors.tally_compute`, what the supervision view computed per case before);
  `review_tallies_rebuild` stores that recomputation. Both are registered as the projection
  "review.tallies" (`sanxiang projection check|rebuild`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator

from django.db import transaction

from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case
from sanxiang.cases.selectors import case_snapshot_build, cases_officers_load
from sanxiang.review.models import ReviewTally
from sanxiang.review.selectors import TallyValues, _catalogue_history, tally_compute

CHUNK = 500
FIELDS = tuple(f.name for f in dataclasses.fields(TallyValues))


def _row(case_id: int, values: TallyValues) -> ReviewTally:
    return ReviewTally(case_id=case_id, **{name: _stored(getattr(values, name)) for name in FIELDS})


def _stored(value):
    return list(value) if isinstance(value, tuple) else value


def _values_of(row: ReviewTally) -> TallyValues:
    return TallyValues(**{name: tuple(getattr(row, name)) if name == "criteria" else getattr(row, name)
                          for name in FIELDS})


def review_tally_store(*, case: Case, snapshot) -> ReviewTally | None:
    """Store the figures of a case just decided, from the snapshot the decision produced (inside the
    decision's transaction)."""
    history = _catalogue_history([case.agency_id]).get(case.agency_id, [])
    values = tally_compute(snapshot, agency_id=case.agency_id, calendar=working_day_calendar_current(), history=history)
    if values is None:
        ReviewTally.objects.filter(case_id=case.pk).delete()
        return None
    row = _row(case.pk, values)
    row.save()
    return row


def _decided_cases(case_ids: Iterable[int] | None = None):
    # `decided_on` is a fact of the penalty snapshot, stored in `Case.facts`.
    cases = Case.objects.filter(facts__decided_on__isnull=False)
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    return cases.select_related("agency", "matter", "party").order_by("pk")


def _recomputed(case_ids: Iterable[int] | None = None, snapshots: dict | None = None
                ) -> Iterator[tuple[Case, TallyValues | None]]:
    """Every decided case with its recomputed figures, a chunk of cases at a time (memory flat).
    `snapshots` (by case id): snapshots of some of the cases as saved, which the caller already
    has (not built twice); the others' officers are read for the whole chunk at once."""
    calendar = working_day_calendar_current()
    histories: dict[int, list] = {}
    snapshots = snapshots or {}
    last = 0
    while True:
        chunk = list(_decided_cases(case_ids).filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        missing = sorted({c.agency_id for c in chunk} - histories.keys())
        if missing:
            found = _catalogue_history(missing)
            histories.update({agency_id: found.get(agency_id, []) for agency_id in missing})
        needing = [case for case in chunk if case.pk not in snapshots]
        if len(needing) > 1:
            cases_officers_load(needing)
        for case in chunk:
            snapshot = snapshots.get(case.pk) or case_snapshot_build(case)
            yield case, tally_compute(snapshot, agency_id=case.agency_id, calendar=calendar,
                                      history=histories[case.agency_id])
        last = chunk[-1].pk


@transaction.atomic
def review_tallies_refresh(*, case_ids: Iterable[int], snapshots: dict | None = None) -> int:
    """Recompute and store the figures of these cases (a case no longer decided loses its row), in
    a few queries a chunk: their rows deleted and written again in bulk. `snapshots` as for
    `_recomputed`. Returns the number of rows written."""
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    rows = [_row(case.pk, values) for case, values in _recomputed(ids, snapshots) if values is not None]
    ReviewTally.objects.filter(case_id__in=ids).delete()
    ReviewTally.objects.bulk_create(rows, batch_size=CHUNK)
    return len(rows)


def review_tallies_refresh_agency(*, agency_id: int, decided_from: dt.date) -> int:
    """After a catalogue is published: the agency's decisions from that day on (a version
    published on the day of a decision is in force for it)."""
    ids = ReviewTally.objects.filter(agency_id=agency_id, decided_on__gte=decided_from).values_list("case_id", flat=True)
    return review_tallies_refresh(case_ids=list(ids))


def review_tallies_refresh_party(*, party_id: int) -> int:
    """After a party's row changed: its decided cases (whether it is a natural person decides
    which amount threshold applies)."""
    ids = ReviewTally.objects.filter(case__party_id=party_id).values_list("case_id", flat=True)
    return review_tallies_refresh(case_ids=list(ids))


def review_tallies_refresh_year(*, year: int) -> int:
    """After the holidays of `year` were entered or changed: the rows whose review periods (from the
    first submission to the decision) touch that year."""
    ids = ReviewTally.objects.filter(
        first_submitted_on__lt=dt.date(year + 1, 1, 1), decided_on__gte=dt.date(year, 1, 1)
    ).values_list("case_id", flat=True)
    return review_tallies_refresh(case_ids=list(ids))


def review_tallies_check() -> list[str]:
    """The differences between the stored rows and a full recomputation, one line each."""
    problems: list[str] = []
    seen: set[int] = set()
    pending: list[tuple[Case, TallyValues]] = []

    def compare() -> None:
        stored = ReviewTally.objects.in_bulk([case.pk for case, _ in pending])
        for case, values in pending:
            row = stored.get(case.pk)
            if row is None:
                problems.append(f"案件 {case.number}（#{case.pk}）：已作出决定，缺少法制审核统计数据")
                continue
            kept = _values_of(row)
            for name in FIELDS:
                if getattr(kept, name) != getattr(values, name):
                    problems.append(
                        f"案件 {case.number}（#{case.pk}）：{name} 存储为 {getattr(kept, name)!r}，"
                        f"重新计算为 {getattr(values, name)!r}"
                    )
        pending.clear()

    for case, values in _recomputed():
        if values is None:
            continue
        seen.add(case.pk)
        pending.append((case, values))
        if len(pending) >= CHUNK:
            compare()
    compare()
    extra_ids = sorted(set(ReviewTally.objects.values_list("case_id", flat=True)) - seen)
    for case_id in extra_ids:
        problems.append(f"案件 #{case_id}：没有作出决定，却存有法制审核统计数据")
    return problems


@transaction.atomic
def review_tallies_rebuild() -> int:
    """Recompute every decided case and store it; returns the number of rows written."""
    ReviewTally.objects.all().delete()
    written = 0
    batch: list[ReviewTally] = []
    for case, values in _recomputed():
        if values is None:
            continue
        batch.append(_row(case.pk, values))
        if len(batch) >= CHUNK:
            ReviewTally.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    ReviewTally.objects.bulk_create(batch)
    return written + len(batch)
