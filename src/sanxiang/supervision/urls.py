"""The supervision desk's pages (/staff/supervision/), one list of paths per part."""

from django.urls import path  # noqa: F401

app_name = "supervision"

urlpatterns: list = []
