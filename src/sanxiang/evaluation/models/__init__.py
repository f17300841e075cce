"""The assessment tables, one module per part (indicators; training; system documents; reports; ...).
Django finds them all through this package: each part adds its import line here."""

from sanxiang.evaluation.models.campaigns import (  # issue 16, item 4
    CampaignAssignment,
    CampaignFile,
    EvaluationCampaign,
)
from sanxiang.evaluation.models.casefile import CaseFileStandardVersion  # issue 16, item 1
from sanxiang.evaluation.models.closing import (  # issue 15, item 7
    AcceptanceCheck,
    AcceptanceRound,
    AnnualSummary,
    SummaryStep,
    WorkReport,
)
from sanxiang.evaluation.models.documents import SystemDocument, SystemDocumentStep  # issue 15, item 5
from sanxiang.evaluation.models.reminders import Reminder  # issue 15, item 9
from sanxiang.evaluation.models.reports import MonthlyReport, ReportStep  # issue 15, item 4
from sanxiang.evaluation.models.targets import TargetCampaign, TargetSnapshot  # issue 15, item 3
from sanxiang.evaluation.models.training import (  # issue 15, item 6
    AttendanceSource,
    TrainingAttendance,
    TrainingSession,
)

__all__: list[str] = [
    "AcceptanceCheck",
    "AcceptanceRound",
    "AnnualSummary",
    "AttendanceSource",
    "CampaignAssignment",
    "CampaignFile",
    "CaseFileStandardVersion",
    "EvaluationCampaign",
    "MonthlyReport",
    "Reminder",
    "ReportStep",
    "SummaryStep",
    "SystemDocument",
    "SystemDocumentStep",
    "TargetCampaign",
    "TargetSnapshot",
    "TrainingAttendance",
    "TrainingSession",
    "WorkReport",
]
