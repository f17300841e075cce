"""The supervision desk's pages (/staff/supervision/), one list of paths per part."""

from django.urls import path

from sanxiang.supervision import views

app_name = "supervision"

urlpatterns: list = [
    # Part A: the desk, matters and their actions
    path("", views.desk, name="desk"),
    path("matters/new/", views.matter_new, name="matter_new"),
    path("matters/<int:matter_id>/", views.matter_detail, name="matter_detail"),
    path("matters/<int:matter_id>/<str:action>/", views.matter_act, name="matter_act"),
]
