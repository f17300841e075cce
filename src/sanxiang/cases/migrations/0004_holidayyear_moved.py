# The holiday years moved to the `calendar` app (issue 11): removed from the cases state only;
# the table and its rows stay, now the calendar's (calendar 0001 declares the model on them).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_case_procedure'),
        ('calendar', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='HolidayYear')],
            database_operations=[],
        ),
    ]
