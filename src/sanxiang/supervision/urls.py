"""The supervision desk's pages (/staff/supervision/), one list of paths per part."""

from django.urls import path

from sanxiang.supervision import instrument_views

app_name = "supervision"

urlpatterns: list = []

# Part B: instruments, replies (issue 14)
urlpatterns += [
    path("instruments/", instrument_views.instrument_list, name="instrument_list"),
    path("instruments/new/", instrument_views.instrument_new, name="instrument_new"),
    path("instruments/<int:instrument_id>/", instrument_views.instrument_detail, name="instrument_detail"),
    path("instruments/<int:instrument_id>/act/", instrument_views.instrument_act, name="instrument_act"),
    path("instruments/<int:instrument_id>/<str:fmt>/", instrument_views.instrument_file, name="instrument_file"),
]
