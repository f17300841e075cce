"""Reminders (issue 15, item 9): what the platform reminds people of, and when. Platform rules,
not law: the days of the certificate ladder are the parameter
`reminders.certificate_expiry_ladder_days` (`parameters/reminders.toml`, marked unverified).

- **Certificate expiry ladder.** An officer's enforcement certificate is reminded of at each rung
  of the ladder before its last valid day (by default 90, 30 and 7 days before), then as overdue
  once that day has passed; each rung is one reminder (dismissing one does not silence the next).
  Who is reminded: the officer, the agency's head and the county's 司法局 (its supervisors).
- **Monthly report due.** A report not yet submitted is reminded of at each rung of
  `reminders.monthly_report_ladder_days` before its due day (the 25th by default), to the agency's
  head; once overdue, to the head and the county's 司法局. Submitting it closes the reminders.
- **System documents due.** An agency whose checklist still has a kind not submitted, or returned
  and not resubmitted, is reminded at each rung of `reminders.system_documents_ladder_days` before
  the checklist's due date, to its head and administrator (who submit); once overdue, the 司法局
  too. A complete checklist closes them.
- **Training short.** As the year's end nears (the rungs of `reminders.training_short_ladder_days`
  before 31 December), each serving officer whose hours of the year are under the required hours
  is reminded, and the agency's head of how many are; reaching the hours closes them.

Each rung is one reminder: writing the day's reminders again changes nothing (`reminder_upsert`
is keyed by kind, subject and recipient, and brought back only by a new rung or due date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sanxiang.procedure.parameters import parameters_default

CERTIFICATE_LADDER_PARAMETER = "reminders.certificate_expiry_ladder_days"
REPORT_LADDER_PARAMETER = "reminders.monthly_report_ladder_days"
DOCUMENTS_LADDER_PARAMETER = "reminders.system_documents_ladder_days"
TRAINING_LADDER_PARAMETER = "reminders.training_short_ladder_days"
OVERDUE = "overdue"


class ReminderKind(StrEnum):
    CERTIFICATE_EXPIRY = "certificate_expiry"
    MONTHLY_REPORT_DUE = "monthly_report_due"
    SYSTEM_DOCUMENT_DUE = "system_document_due"
    TRAINING_SHORT = "training_short"


REMINDER_KIND_LABELS: dict[str, str] = {
    ReminderKind.CERTIFICATE_EXPIRY: "执法证件即将到期或者已过期",
    ReminderKind.MONTHLY_REPORT_DUE: "月报即将到期或者已逾期",
    ReminderKind.SYSTEM_DOCUMENT_DUE: "制度文件即将到期或者已逾期",
    ReminderKind.TRAINING_SHORT: "培训学时不足",
}


@dataclass(frozen=True)
class LadderStage:
    stage: str  # "90", "30", "7" (days before) or "overdue"
    days_left: int  # negative once overdue

    @property
    def overdue(self) -> bool:
        return self.stage == OVERDUE

    @property
    def label(self) -> str:
        if self.overdue:
            return f"已过期{-self.days_left}日"
        return "今日到期" if self.days_left == 0 else f"还有{self.days_left}日到期"


def ladder_stage(*, last_day: dt.date, on: dt.date, ladder: Sequence[int]) -> LadderStage | None:
    """The rung of the ladder `on` falls in, for something valid through `last_day`: the smallest
    number of days in `ladder` that is at least the days left; "overdue" after `last_day`; None
    while more days are left than the ladder's largest."""
    days_left = (last_day - on).days
    if days_left < 0:
        return LadderStage(OVERDUE, days_left)
    rungs = sorted(d for d in ladder if d >= days_left)
    if not rungs:
        return None
    return LadderStage(str(rungs[0]), days_left)


def reminder_ladder(name: str, *, on: dt.date, region: str = "") -> tuple[int, ...]:
    """A ladder's days in force on `on` (the parameter `name`; a county may override it)."""
    value = parameters_default().value(name, on=on, region=region)
    return tuple(sorted({int(d) for d in value}, reverse=True))


def certificate_ladder(*, on: dt.date, region: str = "") -> tuple[int, ...]:
    """The certificate ladder's days in force on `on` (the parameter; a county may override it)."""
    return reminder_ladder(CERTIFICATE_LADDER_PARAMETER, on=on, region=region)


def training_stage(*, on: dt.date, ladder: Sequence[int]) -> LadderStage | None:
    """The rung of the year's end `on` falls in (never overdue: a new year starts the count again)."""
    stage = ladder_stage(last_day=dt.date(on.year, 12, 31), on=on, ladder=ladder)
    return None if stage is None or stage.overdue else stage


def report_reminder_title(*, month_label: str, due_on: dt.date, stage: LadderStage) -> str:
    if stage.overdue:
        return f"{month_label}工作月报已逾期未报送（报送期限{due_on.isoformat()}）"
    return f"{month_label}工作月报应于{due_on.isoformat()}前报送"


def documents_reminder_title(*, missing: Sequence[str], due_on: dt.date, stage: LadderStage) -> str:
    what = "、".join(missing)
    if stage.overdue:
        return f"制度文件逾期未报送：{what}（报送期限{due_on.isoformat()}）"
    return f"制度文件应于{due_on.isoformat()}前报送：尚缺{what}"


def training_reminder_title(*, officer: str, year: int, hours: Decimal, required: Decimal) -> str:
    return (f"{officer}{year}年培训学时{_hours(hours)}，未达到年度规定的{_hours(required)}学时")


def training_agency_reminder_title(*, year: int, short: int, required: Decimal) -> str:
    return f"本机关有{short}名执法人员{year}年培训学时未达到规定的{_hours(required)}学时"


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def certificate_reminder_title(*, number: str, officer: str, stage: LadderStage, last_day: dt.date) -> str:
    """The same text on every day of a rung (the inbox shows the days left beside it), so that
    writing the day's reminders again changes nothing until the next rung."""
    when = f"已于{last_day.isoformat()}到期" if stage.overdue else f"将于{last_day.isoformat()}到期"
    return f"{officer}的执法证{number}{when}"
