"""Issue 12: the portal's search indexes the character grams of the public text instead of jieba's
words (sanxiang.publication.search): the old index (FTS5 table and triggers on SQLite, the tsvector
GIN index on PostgreSQL) is dropped, `search_text` recomputed for the published rows, and the new
index installed (and, on SQLite, filled). No model state changes."""

from django.db import migrations

_OLD = {
    "sqlite": (
        "DROP TRIGGER IF EXISTS publication_publication_fts_ai",
        "DROP TRIGGER IF EXISTS publication_publication_fts_ad",
        "DROP TRIGGER IF EXISTS publication_publication_fts_au",
        "DROP TABLE IF EXISTS publication_publication_fts",
    ),
    "postgresql": ("DROP INDEX IF EXISTS publication_search_tsv",),
}


def forwards(apps, schema_editor):
    from sanxiang.publication.search import search_index_install, search_text_refresh

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in _OLD.get(connection.vendor, ()):
            cursor.execute(sql)
    search_text_refresh()
    search_index_install(connection=connection)


def backwards(apps, schema_editor):
    from sanxiang.publication.search import search_index_uninstall

    # The jieba words are not recomputed: `search_text` keeps the grams, which the old index would
    # read as words (a search then finds less until the old `search_text_refresh` is run).
    search_index_uninstall(connection=schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("publication", "0006_annual_act"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
