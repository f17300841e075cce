"""The assessment pages (/staff/evaluation/), one list of paths per part."""

from django.urls import path

from sanxiang.evaluation import (
    campaign_views,
    casefile_views,
    closing_views,
    dashboard_views,
    document_views,
    indicator_views,
    report_views,
    target_views,
    training_views,
    views,
)

app_name = "evaluation"

urlpatterns: list = []

# Part: indicators and dashboard (issue 15, items 1-3)
urlpatterns += [
    path("indicators/", indicator_views.indicators, name="indicators"),
    path("indicators/records/", indicator_views.indicator_records_page, name="indicator_records"),
    path("indicators/trend/", indicator_views.indicator_trend_page, name="indicator_trend"),
    path("indicators/export.xlsx", indicator_views.indicators_xlsx, name="indicators_xlsx"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", dashboard_views.dashboard_xlsx, name="dashboard_xlsx"),
]

# Part: the plan's targets (issue 15, item 3)
urlpatterns += [
    path("targets/", target_views.targets, name="targets"),
    path("targets/agencies/<int:agency_id>/", target_views.target_agency, name="target_agency"),
    path("targets/agencies/<int:agency_id>/records/", target_views.target_records, name="target_records"),
    path("targets/campaigns/new/", target_views.target_campaign_new, name="target_campaign_new"),
]

# Part: monthly reports (issue 15, item 4)
urlpatterns += [
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/<int:report_id>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/save/", report_views.report_save, name="report_save"),
    path("reports/<int:report_id>/act/", report_views.report_act, name="report_act"),
    path("reports/<int:report_id>/figures/<str:key>/", report_views.report_figure, name="report_figure"),
    path("reports/<int:report_id>/file.<str:fmt>", report_views.report_file, name="report_file"),
]

# Part: training and system documents (issue 15, items 5-6)
urlpatterns += [
    path("documents/", document_views.document_checklist, name="document_checklist"),
    path("documents/new/", document_views.document_new, name="document_new"),
    path("documents/<int:document_id>/", document_views.document_detail, name="document_detail"),
    path("documents/<int:document_id>/review/", document_views.document_review, name="document_review"),
    path("documents/<int:document_id>/resubmit/", document_views.document_resubmit, name="document_resubmit"),
    path("documents/<int:document_id>/files/<int:record_id>/", document_views.document_file, name="document_file"),
    path("training/", training_views.session_list, name="training_list"),
    path("training/new/", training_views.session_new, name="training_new"),
    path("training/summary/", training_views.training_summary, name="training_summary"),
    path("training/officers/", training_views.training_officers, name="training_officers"),
    path("training/template.xlsx", training_views.attendance_template, name="training_template"),
    path("training/<int:session_id>/", training_views.session_detail, name="training_detail"),
    path("training/<int:session_id>/attendees/", training_views.session_attendees, name="training_attendees"),
    path("training/<int:session_id>/import/", training_views.session_import, name="training_import"),
]

# Part: summaries, acceptance and the work report (issue 15, item 7)
urlpatterns += [
    path("summaries/", closing_views.summary_list, name="summary_list"),
    path("summaries/<int:summary_id>/", closing_views.summary_detail, name="summary_detail"),
    path("summaries/<int:summary_id>/act/", closing_views.summary_act, name="summary_act"),
    path("summaries/<int:summary_id>/file.<str:fmt>", closing_views.summary_file, name="summary_file"),
    path("acceptance/", closing_views.acceptance, name="acceptance"),
    path("acceptance/act/", closing_views.acceptance_act, name="acceptance_act"),
    path("acceptance/checks/<int:check_id>/", closing_views.acceptance_check, name="acceptance_check"),
    path("work-report/", closing_views.work_report, name="work_report"),
    path("work-report/act/", closing_views.work_report_act, name="work_report_act"),
    path("work-report/file.<str:fmt>", closing_views.work_report_file, name="work_report_file"),
    path("closing/records/", closing_views.closing_records, name="closing_records"),
]

# Part: scheduled work and reminders (issue 15, item 9)
urlpatterns += [
    path("reminders/", views.reminder_list, name="reminder_list"),
    path("reminders/<int:reminder_id>/dismiss/", views.reminder_dismiss_view, name="reminder_dismiss"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/<slug:task>/", views.schedule_task, name="schedule_task"),
    path("schedule/runs/<int:run_id>/retry/", views.schedule_retry, name="schedule_retry"),
]

# Part: 案卷评查 standards and the live score of a case file (issue 16, items 1-3)
urlpatterns += [
    path("casefile/standards/", casefile_views.casefile_standards, name="casefile_standards"),
    path("casefile/standards/new/", casefile_views.casefile_standard_new, name="casefile_standard_new"),
    path("casefile/cases/<int:case_id>/", casefile_views.casefile_score, name="casefile_score"),
]

# Part: 案卷评查活动 (issue 16, item 4)
urlpatterns += [
    path("campaigns/", campaign_views.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign_views.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", campaign_views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/act/", campaign_views.campaign_act, name="campaign_act"),
    path("campaigns/<int:campaign_id>/draw.json", campaign_views.campaign_inputs, name="campaign_inputs"),
    path("campaigns/<int:campaign_id>/files/<int:file_id>/", campaign_views.campaign_file, name="campaign_file"),
    path("campaigns/<int:campaign_id>/files/<int:file_id>/documents/<int:document_id>.pdf",
         campaign_views.campaign_file_document, name="campaign_file_document"),
]
