from django.urls import path

from sanxiang.cases import permit_import_views

urlpatterns = [
    path("", permit_import_views.permit_import, name="permit_import"),
    path("template.xlsx", permit_import_views.permit_import_template, name="permit_import_template"),
]
