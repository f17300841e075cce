from django.urls import include, path

from sanxiang.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/act/", views.case_action, name="case_action"),
    path("<int:case_id>/records/<int:record_id>/correct/", views.record_correct, name="record_correct"),
    path("documents/<int:document_id>.pdf", views.document_pdf, name="document_pdf"),
    path("documents/<int:document_id>.docx", views.document_docx, name="document_docx"),
    path("permit-import/", include("sanxiang.cases.permit_import_urls")),
]
