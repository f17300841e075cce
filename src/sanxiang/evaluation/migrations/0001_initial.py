from django.db import migrations


class Migration(migrations.Migration):
    """The app's first migration: each part adds its tables in a migration of its own after this one."""

    initial = True
    dependencies: list = []
    operations: list = []
