"""Issue 20: the search index's words compared bytewise (COLLATE "C", `sanxiang.textsearch.PG_COLLATION`):
PostgreSQL builds and maintains the GIN index with memcmp instead of the C library's collation
(measured at 100,000 publications: the build's CPU 324 -> 209 us a row). An index as declared now is
built beside the old one and takes its place, both concurrently (reads and writes of the table go
on meanwhile: `GramIndex.pg_rebuild`), so outside a transaction; the rows found are the same. SQLite: nothing (its FTS5 tables are
unchanged). No model state changes."""

from django.db import migrations

# The index as 0018 (publication) / 0011 (cases) declared it, for going back.
_BEFORE = "CREATE INDEX publication_publication_grams ON publication_publication USING gin (sanxiang_gram_tokens_dated(search_text, decided_on)) WITH (fastupdate = off)"


def forwards(apps, schema_editor):
    from sanxiang.publication.search import INDEX

    INDEX.pg_rebuild(connection=schema_editor.connection)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS publication_publication_grams")
        cursor.execute(_BEFORE)


class Migration(migrations.Migration):

    atomic = False  # CREATE / DROP INDEX CONCURRENTLY

    dependencies = [
        ('publication', '0021_kind_indexes'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
