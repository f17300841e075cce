from django.urls import path

from sanxiang.inspection import frequency_views, inspection_views, views

app_name = "inspection"
urlpatterns = [
    path("", views.home, name="home"),
    # part B: carrying out an inspection (inspection_views)
    path("today/", inspection_views.today, name="today"),
    path("frequency/", frequency_views.frequency, name="frequency"),
    path("results/publish/", inspection_views.results_publish, name="results_publish"),
    path("<int:pk>/", inspection_views.detail, name="detail"),
    path("<int:pk>/qr.svg", inspection_views.qr, name="qr"),
    path("<int:pk>/photo/", inspection_views.photo, name="photo"),
    path("<int:pk>/photos/<int:record_id>/", inspection_views.photo_file, name="photo_file"),
    path("<int:pk>/<str:action>/", inspection_views.act, name="act"),
    # Part A: registers, plans, draws.
    path("agency/<int:agency_id>/", views.agency, name="agency"),
    path("agency/<int:agency_id>/items/new/", views.item_create, name="item_create"),
    path("items/<int:item_id>/", views.item_edit, name="item_edit"),
    path("agency/<int:agency_id>/items/publish/", views.items_publish, name="items_publish"),
    path("agency/<int:agency_id>/experts/new/", views.expert_create, name="expert_create"),
    path("agency/<int:agency_id>/targets/", views.targets, name="targets"),
    path("agency/<int:agency_id>/targets/import/", views.targets_upload, name="targets_upload"),
    path("targets/<int:target_id>/", views.target_edit, name="target_edit"),
    path("agency/<int:agency_id>/relations/new/", views.relation_create, name="relation_create"),
    path("agency/<int:agency_id>/plans/new/", views.plan_create, name="plan_create"),
    path("targets/template.xlsx", views.targets_template, name="targets_template"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("plans/<int:plan_id>/act/", views.plan_act, name="plan_act"),
    path("plans/<int:plan_id>/draws/new/", views.draw_create, name="draw_create"),
    path("draws/<int:draw_id>/", views.draw, name="draw"),
    path("draws/<int:draw_id>/act/", views.draw_act, name="draw_act"),
]
