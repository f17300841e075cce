"""Reminders (issue 15, item 9): what the platform reminds people of, and when. Platform rules,
not law: the days of the certificate ladder are the parameter
`reminders.certificate_expiry_ladder_days` (`parameters/reminders.toml`, marked unverified).

- **Certificate expiry ladder.** An officer's enforcement certificate is reminded of at each rung
  of the ladder before its last valid day (by default 90, 30 and 7 days before), then as overdue
  once that day has passed; each rung is one reminder (dismissing one does not silence the next).
  Who is reminded: the officer, the agency's head and the county's 司法局 (its supervisors).
- Other parts write their own kinds (monthly report due, system documents due, training hours
  short) with their own rules, and add their kind's label here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sanxiang.procedure.parameters import parameters_default

CERTIFICATE_LADDER_PARAMETER = "reminders.certificate_expiry_ladder_days"
OVERDUE = "overdue"


class ReminderKind(StrEnum):
    CERTIFICATE_EXPIRY = "certificate_expiry"
    MONTHLY_REPORT_DUE = "monthly_report_due"
    SYSTEM_DOCUMENT_DUE = "system_document_due"
    TRAINING_SHORT = "training_short"


REMINDER_KIND_LABELS: dict[str, str] = {
    ReminderKind.CERTIFICATE_EXPIRY: "执法证件即将到期或者已过期",
    ReminderKind.MONTHLY_REPORT_DUE: "月报即将到期",
    ReminderKind.SYSTEM_DOCUMENT_DUE: "制度文件即将到期",
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


def certificate_ladder(*, on: dt.date, region: str = "") -> tuple[int, ...]:
    """The certificate ladder's days in force on `on` (the parameter; a county may override it)."""
    value = parameters_default().value(CERTIFICATE_LADDER_PARAMETER, on=on, region=region)
    return tuple(sorted({int(d) for d in value}, reverse=True))


def certificate_reminder_title(*, number: str, officer: str, stage: LadderStage, last_day: dt.date) -> str:
    """The same text on every day of a rung (the inbox shows the days left beside it), so that
    writing the day's reminders again changes nothing until the next rung."""
    when = f"已于{last_day.isoformat()}到期" if stage.overdue else f"将于{last_day.isoformat()}到期"
    return f"{officer}的执法证{number}{when}"
