"""The assessment pages (/staff/evaluation/), one list of paths per part."""

from django.urls import path

from sanxiang.evaluation import report_views

app_name = "evaluation"

urlpatterns: list = []

# Part: indicators and dashboard (issue 15, items 1-3)

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

# Part: scheduled work and reminders (issue 15, item 9)
