# The holiday years moved here from `cases` (issue 11): the table `cases_holidayyear` stays as it is
# with its rows; only Django's state moves. `cases` 0002 created the table, so this migration
# comes after it and only declares the model; `cases` 0004 then removes it from the cases state.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_move(apps, schema_editor):
    """The model's content type (and so its permissions) follows it to the new app label, so that
    nothing keyed on it is left pointing at a model `cases` no longer has. A new database has no
    such row yet; Django creates it after migrating."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="calendar", model="holidayyear").exists():
        ContentType.objects.using(db).filter(app_label="cases", model="holidayyear").update(app_label="calendar")


def content_type_move_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="cases", model="holidayyear").exists():
        ContentType.objects.using(db).filter(app_label="calendar", model="holidayyear").update(app_label="cases")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0002_holidayyear'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HolidayYear',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='年份')),
                        ('holidays', models.JSONField(default=list, help_text='ISO 日期列表', verbose_name='法定节假日')),
                        ('adjusted_working_days', models.JSONField(default=list, help_text='ISO 日期列表', verbose_name='调休上班日')),
                        ('holiday_names', models.JSONField(default=dict, verbose_name='节日名称')),
                        ('source', models.CharField(help_text='如：国务院办公厅关于2027年部分节假日安排的通知', max_length=200, verbose_name='依据')),
                        ('entered_at', models.DateTimeField(auto_now=True)),
                        ('entered_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '节假日安排',
                        'verbose_name_plural': '节假日安排',
                        'ordering': ['-year'],
                        'db_table': 'cases_holidayyear',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_move, content_type_move_back),
    ]
