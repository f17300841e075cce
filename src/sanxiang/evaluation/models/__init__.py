"""The assessment tables, one module per part (indicators; training; system documents; reports; ...).
Django finds them all through this package: each part adds its import line here."""

from sanxiang.evaluation.models.documents import SystemDocument, SystemDocumentStep
from sanxiang.evaluation.models.training import AttendanceSource, TrainingAttendance, TrainingSession

__all__: list[str] = [
    "AttendanceSource",
    "SystemDocument",
    "SystemDocumentStep",
    "TrainingAttendance",
    "TrainingSession",
]
