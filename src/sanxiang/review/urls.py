from django.urls import path

from sanxiang.review import views

app_name = "review"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("catalogue/", views.catalogue_index, name="catalogue_index"),
    path("catalogue/<int:agency_id>/", views.catalogue_detail, name="catalogue_detail"),
    path("catalogue/<int:agency_id>/edit/", views.catalogue_edit, name="catalogue_edit"),
    path("catalogue/<int:agency_id>/publish/", views.catalogue_publish, name="catalogue_publish"),
    path("parameters/", views.parameter_list, name="parameters"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/cases/", views.supervision_cases, name="supervision_cases"),
    path("supervision/export.csv", views.supervision_csv, name="supervision_csv"),
]
