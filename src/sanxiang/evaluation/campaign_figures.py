"""案卷评查活动 in the monthly report (月报, issue 16 item 4): the files drawn whose campaign published
its results in the month, and those of them 合格 or better: the denominator and the numerator of the
indicator 案卷评查合格率 (`case_file_pass_rate`, counted by the day the results were published), each
opening the files it counts. One grouped query for all the agencies."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from sanxiang.evaluation.models import CampaignFile
from sanxiang.evaluation.report_figures import INDICATORS_GROUP, Figure, FigureRecord
from sanxiang.procedure.evaluation.reports import ReportMonth

PREFIX = "casefile_campaign"
DRAWN, PASSED = f"{PREFIX}.drawn", f"{PREFIX}.passed"
LABELS = {
    DRAWN: "案卷评查合格率：本月公布评查结果的抽中案卷",
    PASSED: "案卷评查合格率：其中评查合格或者优秀的案卷",
}


def _files(month: ReportMonth) -> QuerySet[CampaignFile]:
    return CampaignFile.objects.filter(sampled=True, published_on__range=(month.first_day, month.last_day))


def campaign_figures(*, agency_ids: list[int], month: ReportMonth) -> dict[int, list[Figure]]:
    rows = {r["agency_id"]: r for r in _files(month).filter(agency_id__in=agency_ids).values("agency_id")
            .annotate(drawn=Count("pk"), passed=Count("pk", filter=Q(final_passed=True)))}
    return {
        agency_id: [Figure(DRAWN, INDICATORS_GROUP, LABELS[DRAWN], rows.get(agency_id, {}).get("drawn", 0)),
                    Figure(PASSED, INDICATORS_GROUP, LABELS[PASSED], rows.get(agency_id, {}).get("passed", 0))]
        for agency_id in agency_ids
    }


def campaign_figure_records(*, agency_id: int, month: ReportMonth, key: str, limit: int = 500) -> list[FigureRecord] | None:
    if key not in LABELS:
        return None
    files = _files(month).filter(agency_id=agency_id)
    if key == PASSED:
        files = files.filter(final_passed=True)
    return [FigureRecord(f.published_on, f.case_number, f.campaign.title, f.case_id, f.agency_id,
                         f"{f.final_total:f}分（{f.final_grade}）")
            for f in files.select_related("campaign").order_by("published_on", "case_number", "pk")[:limit]]
