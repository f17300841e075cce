from django.urls import path

from sanxiang.evidence import tus, views

app_name = "evidence"
urlpatterns = [
    path("", views.record_index, name="record_index"),
    path("upload/", views.upload_page, name="upload"),
    path("cases/<int:case_id>/", views.case_records_page, name="case_records"),
    path("records/<int:record_id>/", views.record_view, name="record_view"),
    path("records/<int:record_id>/download/", views.record_download, name="download"),
    path("tus/", tus.uploads, name="tus_uploads"),
    path("tus/<uuid:upload_id>", tus.upload, name="tus_upload"),
]
