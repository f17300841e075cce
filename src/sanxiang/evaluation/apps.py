from __future__ import annotations

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "sanxiang.evaluation"
    verbose_name = "考核评估"

    def ready(self) -> None:
        # Each part subscribes to the events it needs here (one block per part).

        # Part: scheduled work and reminders (issue 15, item 9).
        from sanxiang.evaluation.schedule import evaluation_tasks_register

        evaluation_tasks_register()
        # Part: monthly reports. A supervision matter opened on a late or missing report names it
        # (origin "monthly_report:<id>"): the matter's page links the report through the desk's slot.
        from sanxiang.supervision.selectors import ORIGIN_LINKS

        ORIGIN_LINKS.setdefault("monthly_report", ("月报", "evaluation:report_detail"))
        # Part: 案卷评查 (issue 16, items 1-3). The closing (结案) of a case is refused while a veto
        # item of its file's standard fails; the case page shows the file's live score.
        from sanxiang.cases.selectors import casefile_closing_violations, casefile_score_summary
        from sanxiang.evaluation.casefile_selectors import (
            case_file_score_summary,
        )
        from sanxiang.evaluation.casefile_selectors import (
            casefile_closing_violations as closing_violations,
        )

        casefile_closing_violations.install(closing_violations)
        casefile_score_summary.install(case_file_score_summary)
        # Part: 案卷评查活动 (issue 16, item 4). The monthly report counts the files drawn whose results
        # were published in the month and those 合格 or better (案卷评查合格率), each opening its files.
        from sanxiang.evaluation.campaign_figures import PREFIX, campaign_figure_records, campaign_figures
        from sanxiang.evaluation.report_figures import figure_provider_register, figure_records_register

        figure_provider_register(campaign_figures)
        figure_records_register(PREFIX, campaign_figure_records)
        # The 通报's 指标情况 is offered from the latest campaign's 案卷评查合格率.
        from sanxiang.evaluation.campaign_selectors import campaign_notice_indicator_lines
        from sanxiang.supervision.instrument_selectors import notice_indicator_lines

        notice_indicator_lines.install(campaign_notice_indicator_lines)
