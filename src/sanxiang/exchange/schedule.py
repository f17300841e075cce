"""The exchange's scheduled work (`jobs.schedule`): every day, the export of the current year to the
folder the provincial system collects from (in January the previous year's too: its decisions may
still be published or withdrawn, and its annual figures are due by 31 January).

The folder: the setting `EXCHANGE_DIR` if given, else `<SANXIANG_DATA_DIR>/exchange`; one folder
per year inside it (`2026/`), replaced whole by each run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings

from sanxiang.jobs.schedule import Daily, PeriodicTask, periodic_task_register

# The months in which the previous year is exported again (a platform operating setting).
PREVIOUS_YEAR_MONTHS = (1,)


def exchange_dir() -> Path:
    configured = getattr(settings, "EXCHANGE_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "exchange"


def exchange_years(on: dt.date) -> list[int]:
    return [on.year - 1, on.year] if on.month in PREVIOUS_YEAR_MONTHS else [on.year]


def exchange_daily(on: dt.date) -> str:
    from sanxiang.exchange.services import exchange_export

    parts = []
    for year in exchange_years(on):
        summary = exchange_export(year=year, out=exchange_dir() / str(year))
        counts = summary.counts
        parts.append(f"{year}年：案件{counts['case']}件、决定{counts['decision']}项、年度数据{counts['year']}份")
    return "导出交换数据：" + "；".join(parts)


def exchange_tasks_register() -> None:
    periodic_task_register(PeriodicTask(name="exchange_daily", label="导出与省级监督信息系统交换的数据",
                                        period=Daily(at=dt.time(2, 30)), run=exchange_daily))
