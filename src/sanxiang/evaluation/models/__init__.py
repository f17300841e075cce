"""The assessment tables, one module per part (indicators; training; system documents; reports; ...).
Django finds them all through this package: each part adds its import line here."""

from sanxiang.evaluation.models.reminders import Reminder  # issue 15, item 9

__all__: list[str] = ["Reminder"]
