"""The assessment pages (/staff/evaluation/), one list of paths per part."""

from django.urls import path

from sanxiang.evaluation import indicator_views

app_name = "evaluation"

urlpatterns: list = []

# Part: indicators and dashboard (issue 15, items 1-3)
urlpatterns += [
    path("indicators/", indicator_views.indicators, name="indicators"),
    path("indicators/records/", indicator_views.indicator_records_page, name="indicator_records"),
    path("indicators/trend/", indicator_views.indicator_trend_page, name="indicator_trend"),
    path("indicators/export.xlsx", indicator_views.indicators_xlsx, name="indicators_xlsx"),
]

# Part: training and system documents (issue 15, items 5-6)

# Part: scheduled work and reminders (issue 15, item 9)
