"""`sanxiang jobs`: run the due background jobs once, for cron or a systemd timer (the server's own
runner does the same by itself); `--failed` lists the jobs left failed, `--retry-failed` gives them
their attempts again. Exit status 1 while a job is failed (for monitoring)."""

from django.core.management.base import BaseCommand

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.jobs.models import Job, JobState
from sanxiang.jobs.services import jobs_failed_retry, jobs_run_due


class Command(BaseCommand):
    help = "执行到期的后台任务（如文书Word文本的生成），列出或重试失败的任务"
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000, help="最多执行的任务数")
        parser.add_argument("--failed", action="store_true", help="只列出失败的任务")
        parser.add_argument("--retry-failed", action="store_true", help="失败的任务重新开始尝试")

    def handle(self, *args, limit: int = 1000, failed: bool = False, retry_failed: bool = False, **options):
        if retry_failed:
            self.stdout.write(f"重新尝试失败的任务{jobs_failed_retry()}个")
        if not failed:
            run = jobs_run_due(limit=limit)
            self.stdout.write(f"完成{run.done}个任务；失败{run.failed}次（将按时重试）")
        left = Job.objects.filter(state=JobState.FAILED).order_by("pk")
        for job in left:
            self.stdout.write(f"失败：{job.key}（案件{job.case_id or '—'}，尝试{job.attempts}次）{job.last_error}")
        pending = Job.objects.filter(state=JobState.PENDING).count()
        self.stdout.write(f"待执行{pending}个")
        if left.exists():
            raise SystemExit(1)
