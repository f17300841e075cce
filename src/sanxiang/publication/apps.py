from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PublicationConfig(AppConfig):
    name = "sanxiang.publication"
    verbose_name = "行政执法公示"

    def ready(self) -> None:
        # SQLite rebuilds a table for many schema changes and drops its triggers with it: the
        # full-text index's triggers are installed again after every migrate (idempotent).
        post_migrate.connect(_search_index_install, sender=self)


def _search_index_install(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from sanxiang.publication.models import Publication
    from sanxiang.publication.search import search_index_install

    connection = connections[using]
    if Publication._meta.db_table in connection.introspection.table_names():  # not when migrated back
        search_index_install(connection=connection)
