"""The registry's pages (the HTTP edge of `sanxiang.registry`, which sits below accounts and access)."""

from django.urls import path

from sanxiang.web import registry_discretion_views as discretion_views
from sanxiang.web import registry_excel_views as excel_views
from sanxiang.web import registry_supervisor_views as supervisor_views
from sanxiang.web import registry_views as views

app_name = "registry"
urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/mine/", views.agency_mine, name="agency_mine"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:agency_id>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:agency_id>/officers/new/", views.officer_create, name="officer_create"),
    path("agencies/<int:agency_id>/matters/new/", views.matter_create, name="matter_create"),
    path("team/", views.team_overview, name="team_overview"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/mine/card/", views.officer_card_mine, name="officer_card_mine"),
    path("officers/<int:officer_id>/", views.officer_detail, name="officer_detail"),
    path("officers/<int:officer_id>/edit/", views.officer_edit, name="officer_edit"),
    path("officers/<int:officer_id>/certificates/new/", views.certificate_create, name="certificate_create"),
    path("certificates/<int:certificate_id>/edit/", views.certificate_edit, name="certificate_edit"),
    path("matters/", views.matter_list, name="matter_list"),
    path("matters/<int:matter_id>/", views.matter_detail, name="matter_detail"),
    path("matters/<int:matter_id>/edit/", views.matter_edit, name="matter_edit"),
    path("matters/<int:matter_id>/discretion/", discretion_views.matter_discretion, name="matter_discretion"),
    path("discretion-template.xlsx", discretion_views.discretion_template, name="discretion_template"),
    path("parties/", views.party_list, name="party_list"),
    path("parties/new/", views.party_create, name="party_create"),
    path("parties/<int:party_id>/", views.party_detail, name="party_detail"),
    path("parties/<int:party_id>/edit/", views.party_edit, name="party_edit"),
    path("import/", excel_views.registry_import_page, name="import"),
    path("export/<str:kind>.xlsx", excel_views.registry_export_download, name="export"),
    path("template/<str:kind>.xlsx", excel_views.registry_template_download, name="template"),
    # The judicial bureau's supervisors and their supervision certificates
    path("supervisors/", supervisor_views.supervisor_list, name="supervisor_list"),
    path("agencies/<int:agency_id>/supervisors/new/", supervisor_views.supervisor_create, name="supervisor_create"),
    path("supervisors/<int:supervisor_id>/", supervisor_views.supervisor_detail, name="supervisor_detail"),
    path("supervisors/<int:supervisor_id>/edit/", supervisor_views.supervisor_edit, name="supervisor_edit"),
    path("supervisors/<int:supervisor_id>/account/", supervisor_views.supervisor_account, name="supervisor_account"),
    path("supervisors/<int:supervisor_id>/certificates/new/", supervisor_views.supervision_certificate_create,
         name="supervision_certificate_create"),
    path("supervision-certificates/<int:certificate_id>/edit/", supervisor_views.supervision_certificate_edit,
         name="supervision_certificate_edit"),
    path("supervision-certificates/<int:certificate_id>/status/", supervisor_views.supervision_certificate_status,
         name="supervision_certificate_status"),
]
