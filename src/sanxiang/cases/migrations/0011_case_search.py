"""Issue 12: the case list's search through an index of character grams (sanxiang.cases.search).
The grams of the cases already there are computed here (number, title, party's name), then the
index is installed: an FTS5 table with its triggers on SQLite (filled from the rows), a GIN
expression index on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models

from sanxiang.cases.search import search_index_install_operation, search_index_uninstall_operation

CHUNK = 2000


def grams_fill(apps, schema_editor):
    from sanxiang.textsearch import grams_text

    Case = apps.get_model("cases", "Case")
    CaseSearch = apps.get_model("cases", "CaseSearch")
    db = schema_editor.connection.alias
    rows = Case.objects.using(db).order_by("pk").values_list("pk", "number", "title", "party__name")
    batch = []
    for pk, number, title, party_name in rows.iterator(chunk_size=CHUNK):
        batch.append(CaseSearch(case_id=pk, grams=grams_text([number, title, party_name or ""])))
        if len(batch) == CHUNK:
            CaseSearch.objects.using(db).bulk_create(batch)
            batch = []
    CaseSearch.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_projection_uncomputable'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseSearch',
            fields=[
                ('case', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search', serialize=False, to='cases.case')),
                ('grams', models.TextField(blank=True, default='')),
            ],
            options={
                'verbose_name': '案件检索索引',
                'verbose_name_plural': '案件检索索引',
            },
        ),
        migrations.RunPython(grams_fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(search_index_install_operation, search_index_uninstall_operation, elidable=False),
    ]
