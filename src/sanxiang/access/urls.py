from django.urls import path

from sanxiang.access import views

app_name = "access"
urlpatterns = [
    path("", views.log_list, name="log_list"),
    path("export.csv", views.log_export_csv, name="log_export_csv"),
    path("export.xlsx", views.log_export_xlsx, name="log_export_xlsx"),
]
