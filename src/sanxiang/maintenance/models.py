from django.db import models
from django.utils import timezone


class DailyRun(models.Model):
    """One row per job and day. The server that inserts it runs the job; every other server (or a
    cron run) finds the row and leaves the job alone, so a job runs once a day however many
    servers share the database."""

    job = models.CharField(max_length=60)
    day = models.DateField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="maintenance_daily_run_once")]
        ordering = ["-day", "job"]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"
