"""The maintenance app keeps no tables of its own: its daily work is recorded by the scheduler
(`jobs.models.ScheduledRun`); migration 0002 moved the old `DailyRun` rows there."""
