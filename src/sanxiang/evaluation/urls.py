"""The assessment pages (/staff/evaluation/), one list of paths per part."""

from django.urls import path

from sanxiang.evaluation import views

app_name = "evaluation"

urlpatterns: list = []

# Part: indicators and dashboard (issue 15, items 1-3)

# Part: training and system documents (issue 15, items 5-6)

# Part: scheduled work and reminders (issue 15, item 9)
urlpatterns += [
    path("reminders/", views.reminder_list, name="reminder_list"),
    path("reminders/<int:reminder_id>/dismiss/", views.reminder_dismiss_view, name="reminder_dismiss"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/<slug:task>/", views.schedule_task, name="schedule_task"),
    path("schedule/runs/<int:run_id>/retry/", views.schedule_retry, name="schedule_retry"),
]
