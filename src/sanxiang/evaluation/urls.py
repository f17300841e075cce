"""The assessment pages (/staff/evaluation/), one list of paths per part."""

from django.urls import path  # noqa: F401  (each part's block uses it)

app_name = "evaluation"

urlpatterns: list = []

# Part: indicators and dashboard (issue 15, items 1-3)

# Part: training and system documents (issue 15, items 5-6)

# Part: scheduled work and reminders (issue 15, item 9)
