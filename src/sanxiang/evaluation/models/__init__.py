"""The assessment tables, one module per part (indicators; training; system documents; reports; ...).
Django finds them all through this package: each part adds its import line here."""

from sanxiang.evaluation.models.reports import MonthlyReport, ReportStep  # monthly reports

__all__: list[str] = ["MonthlyReport", "ReportStep"]
