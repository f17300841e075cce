from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save

if TYPE_CHECKING:
    from sanxiang.cases.events import CaseDecided


class ReviewConfig(AppConfig):
    name = "sanxiang.review"
    verbose_name = "法制审核"

    def ready(self) -> None:
        # The engine judges a case against its agency's published catalogue: cases asks through
        # its slot, the catalogues live here.
        from sanxiang.cases.selectors import review_catalogue_provided
        from sanxiang.review.selectors import review_catalogue_for_agency

        review_catalogue_provided.install(review_catalogue_for_agency)
        # The supervision figures of a decision are stored with it (atomic: the row exists with the
        # decision or neither does), and refreshed when a party's row changes.
        from sanxiang.cases.events import CASE_EVENTS, CaseDecided
        from sanxiang.registry.models import Party

        CASE_EVENTS.subscribe(CaseDecided, _case_decided, atomic=True)
        post_save.connect(_party_saved, sender=Party, dispatch_uid="review-tallies-party")
        from sanxiang.projections import Projection, projection_register
        from sanxiang.review import tallies

        projection_register(
            Projection(
                name="review.tallies",
                label="法制审核统计（每件已决定案件的审核情况）",
                check=tallies.review_tallies_check,
                rebuild=tallies.review_tallies_rebuild,
            )
        )
        # A year's holidays entered or corrected: the review periods counted across it. The
        # calendar's event comes with the case projection (h-proj); until it is merged, nothing
        # to subscribe to (`review_tallies_refresh_year` is then run by `projection rebuild`).
        try:
            from sanxiang.calendar.events import CALENDAR_EVENTS, HolidayYearSaved
        except ImportError:
            pass
        else:
            CALENDAR_EVENTS.subscribe(HolidayYearSaved, _calendar_year_saved, atomic=True)
        # A database migrated from before the table existed: filled once, after migrate.
        post_migrate.connect(_tallies_fill, sender=self, dispatch_uid="review-tallies-fill")


def _case_decided(event: CaseDecided) -> None:
    from sanxiang.review.tallies import review_tally_store

    review_tally_store(case=event.case, snapshot=event.snapshot)


def _calendar_year_saved(event) -> None:
    from sanxiang.review.tallies import review_tallies_refresh_year

    review_tallies_refresh_year(year=event.year)


def _party_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created or raw:
        return
    from sanxiang.review.tallies import review_tallies_refresh_party

    review_tallies_refresh_party(party_id=instance.pk)


def _tallies_fill(sender, using: str = "default", **kwargs) -> None:
    """Rebuild the figures when the table is empty and decided cases exist (the first migrate
    after upgrading); otherwise nothing."""
    from django.db import connections

    from sanxiang.cases.models import Case
    from sanxiang.review.models import ReviewTally
    from sanxiang.review.tallies import review_tallies_rebuild

    if using != "default":
        return  # the rebuild writes through the default connection
    tables = connections[using].introspection.table_names()
    if ReviewTally._meta.db_table not in tables or Case._meta.db_table not in tables:
        return  # migrated only partway
    if ReviewTally.objects.exists():
        return
    if Case.objects.filter(facts__decided_on__isnull=False).exists():
        review_tallies_rebuild()
