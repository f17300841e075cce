from django.db import migrations


def daily_runs_copy(apps, schema_editor):
    """The days each job already ran become the scheduler's runs, so that it does not run them again."""
    DailyRun = apps.get_model("maintenance", "DailyRun")
    ScheduledRun = apps.get_model("jobs", "ScheduledRun")
    ScheduledRun.objects.bulk_create(
        [
            ScheduledRun(task=r.job, period_key=r.day.isoformat(), on=r.day, state="done", attempts=1,
                         started_at=r.started_at, finished_at=r.finished_at or r.started_at, summary=r.outcome,
                         runner="maintenance")
            for r in DailyRun.objects.all()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    """The daily work runs through the scheduler (`jobs.schedule`); its record moves to
    `jobs_scheduledrun`."""

    dependencies = [
        ("maintenance", "0001_daily_runs"),
        ("jobs", "0002_scheduled_runs"),
    ]

    operations = [
        migrations.RunPython(daily_runs_copy, migrations.RunPython.noop),
        migrations.DeleteModel(name="DailyRun"),
    ]
