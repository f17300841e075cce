"""Issue 20: the portal's search index holds each published row's day with its grams
(`sanxiang.textsearch.date_tokens`), so that a search reads a range of days at a time, newest first,
and its cost follows the page (`publication.search.publications_search_page`). The index of 0007
(same names: FTS5 table and triggers on SQLite, GIN index on PostgreSQL) is dropped and the dated one
installed and filled; `search_text` is unchanged. No model state changes."""

from django.db import migrations

from sanxiang.textsearch import GramIndex

_UNDATED = GramIndex(table="publication_publication", column="search_text")


def forwards(apps, schema_editor):
    from sanxiang.publication.search import search_index_install

    _UNDATED.uninstall(connection=schema_editor.connection)
    search_index_install(connection=schema_editor.connection)


def backwards(apps, schema_editor):
    from sanxiang.publication.search import search_index_uninstall

    search_index_uninstall(connection=schema_editor.connection)
    _UNDATED.install(connection=schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("publication", "0017_merge_inspection_notices"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
