from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Work that follows a committed change (a document's Word copy): a table of jobs, run once
    each by whichever server (or cron's `sanxiang jobs`) takes it first. Knows nothing of what a job
    does: the app that enqueues a kind installs its handler (`services.job_handler_register`)."""

    name = "sanxiang.jobs"
    label = "jobs"
    verbose_name = "后台任务"
    default_auto_field = "django.db.models.BigAutoField"
