"""The assessment work's scheduled tasks (`jobs.schedule`): every day, the certificate expiry
ladder's reminders (issue 15, item 9). The other parts register theirs here too (the monthly
reports' draft on the 1st and their reminder before the due day: see `jobs.schedule`)."""

from __future__ import annotations

import datetime as dt

from sanxiang.jobs.schedule import Daily, PeriodicTask, periodic_task_register


def certificate_reminders(on: dt.date) -> str:
    from sanxiang.evaluation.reminder_services import certificate_reminders_refresh

    return certificate_reminders_refresh(on=on)


def monthly_reports_draft(on: dt.date) -> str:
    """Every day (drafting is idempotent and catches up): from the draft day on, each agency's
    report of the month before exists."""
    from sanxiang.evaluation.report_services import report_drafts_create

    return f"起草月报{report_drafts_create(on=on)}份"


def annual_summaries_draft(on: dt.date) -> str:
    """Every day (drafting is idempotent and catches up): from 1 November on, each agency's summary
    of the year exists."""
    from sanxiang.evaluation.closing_services import summary_drafts_create

    return f"起草工作总结{summary_drafts_create(on=on)}份"


def evaluation_tasks_register() -> None:
    periodic_task_register(PeriodicTask(name="certificate_reminders", label="执法证件到期提醒",
                                        period=Daily(at=dt.time(6, 0)), run=certificate_reminders))
    periodic_task_register(PeriodicTask(name="evaluation_monthly_reports_draft", label="起草上月的工作月报",
                                        period=Daily(at=dt.time(1, 0)), run=monthly_reports_draft))
    periodic_task_register(PeriodicTask(name="evaluation_annual_summaries_draft", label="起草本年的工作总结",
                                        period=Daily(at=dt.time(1, 30)), run=annual_summaries_draft))
