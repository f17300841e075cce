"""The assessment work's scheduled tasks (`jobs.schedule`): every day, the certificate expiry
ladder's reminders and those of monthly reports, system documents and training hours (issue 15,
item 9), and the month's snapshot of the plan's targets (item 3). The other parts register theirs
here too (the monthly
reports' draft on the 1st and their reminder before the due day: see `jobs.schedule`)."""

from __future__ import annotations

import datetime as dt

from sanxiang.jobs.schedule import Daily, PeriodicTask, periodic_task_register


def certificate_reminders(on: dt.date) -> str:
    from sanxiang.evaluation.reminder_services import certificate_reminders_refresh

    return certificate_reminders_refresh(on=on)


def evaluation_reminders(on: dt.date) -> str:
    from sanxiang.evaluation.reminder_services import evaluation_reminders_refresh

    return evaluation_reminders_refresh(on=on)


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


def target_snapshots(on: dt.date) -> str:
    """Every day: each county's share of agencies fully applying the three systems, kept as the
    month's snapshot (the last run of a month is its figure; the history of the targets page)."""
    from sanxiang.evaluation.target_services import target_snapshots_refresh

    return f"记录{target_snapshots_refresh(on=on)}个县的三项制度实施情况"


def evaluation_tasks_register() -> None:
    periodic_task_register(PeriodicTask(name="certificate_reminders", label="执法证件到期提醒",
                                        period=Daily(at=dt.time(6, 0)), run=certificate_reminders))
    periodic_task_register(PeriodicTask(name="evaluation_reminders", label="月报、制度文件和培训学时提醒",
                                        period=Daily(at=dt.time(6, 10)), run=evaluation_reminders))
    periodic_task_register(PeriodicTask(name="evaluation_monthly_reports_draft", label="起草上月的工作月报",
                                        period=Daily(at=dt.time(1, 0)), run=monthly_reports_draft))
    periodic_task_register(PeriodicTask(name="evaluation_annual_summaries_draft", label="起草本年的工作总结",
                                        period=Daily(at=dt.time(1, 30)), run=annual_summaries_draft))
    periodic_task_register(PeriodicTask(name="evaluation_target_snapshots", label="记录全面实行三项制度的单位占比",
                                        period=Daily(at=dt.time(23, 0)), run=target_snapshots))
