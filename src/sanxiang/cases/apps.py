from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "sanxiang.cases"
    verbose_name = "案件"

    def ready(self) -> None:
        # Evidence, below cases, files records under a case: it asks for the case (checked against
        # what the viewer may read) through its slot.
        from sanxiang.calendar.events import CALENDAR_EVENTS, HolidayYearSaved
        from sanxiang.cases import projection
        from sanxiang.cases.selectors import case_get
        from sanxiang.evidence.selectors import case_for_viewer
        from sanxiang.projections import Projection, projection_register

        case_for_viewer.install(case_get)
        # The Word copies of documents, rendered after their step (procedure.document_timing).
        from sanxiang.cases.document_copies import DOCUMENT_COPY_JOB, document_copy_render
        from sanxiang.jobs.services import job_handler_register

        job_handler_register(DOCUMENT_COPY_JOB, document_copy_render)
        projection_register(
            Projection(
                name="cases.deadlines",
                label="案件期限与下一步办理角色",
                check=projection.case_projection_check,
                rebuild=projection.case_projection_rebuild,
            )
        )
        from sanxiang.cases.search import case_search_check, case_search_rebuild

        projection_register(
            Projection(name="cases.search", label="案件检索索引", check=case_search_check, rebuild=case_search_rebuild)
        )
        # A new year's holidays move the periods counted across it: refreshed in the same transaction.
        CALENDAR_EVENTS.subscribe(HolidayYearSaved, calendar_year_saved, atomic=True)
        # An edit of the registry that changes what a case's snapshot reads (a party's kind, an
        # agency's region) refreshes the cases concerned, in the same transaction.
        from sanxiang.registry.events import REGISTRY_EVENTS, AgencyChanged, MatterChanged, PartyChanged

        REGISTRY_EVENTS.subscribe(AgencyChanged, projection.registry_agency_changed, atomic=True)
        REGISTRY_EVENTS.subscribe(PartyChanged, projection.registry_party_changed, atomic=True)
        REGISTRY_EVENTS.subscribe(MatterChanged, projection.registry_matter_changed, atomic=True)
        post_migrate.connect(projection_build_if_missing, sender=self, dispatch_uid="cases.projection.post_migrate")
        post_migrate.connect(search_index_install, sender=self, dispatch_uid="cases.search.post_migrate")


def search_index_install(sender, using="default", **kwargs) -> None:
    """The search index's triggers (SQLite) again after any migration: a later migration that
    rebuilds `cases_casesearch` drops them. Idempotent."""
    from django.db import connections

    from sanxiang.cases.models import CaseSearch
    from sanxiang.cases.search import INDEX

    connection = connections[using]
    if CaseSearch._meta.db_table in connection.introspection.table_names():  # not when migrated back
        INDEX.install(connection=connection)


def calendar_year_saved(event) -> None:
    import datetime as dt

    from sanxiang.cases.projection import cases_counted_across_refresh

    # A margin of a month before the year: a period ending late in December may roll into it.
    cases_counted_across_refresh(since=dt.date(event.year - 1, 12, 1))


def projection_build_if_missing(sender, using="default", **kwargs) -> None:
    """A database migrated from before the projection has cases and no projection: built once,
    here rather than in a migration (it runs the engine, which a migration must not depend on)."""
    from django.db import connections

    from sanxiang.cases.models import Case, CaseProjection
    from sanxiang.cases.projection import case_projection_rebuild

    # A migrate to an earlier migration (or a flush of such a database) has no projection table.
    if CaseProjection._meta.db_table not in connections[using].introspection.table_names():
        return
    if CaseProjection.objects.using(using).exists() or not Case.objects.using(using).exists():
        return
    case_projection_rebuild()
