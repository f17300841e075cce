"""The full-text index of the published decisions (sanxiang.publication.search): an FTS5 table
with its triggers on SQLite, a GIN expression index on PostgreSQL. No model state changes, so
`makemigrations` sees nothing; other engines get no index and search by LIKE alone."""

from django.db import migrations

from sanxiang.publication.search import search_index_install_operation, search_index_uninstall_operation


class Migration(migrations.Migration):

    dependencies = [
        ("publication", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(search_index_install_operation, search_index_uninstall_operation, elidable=False),
    ]
