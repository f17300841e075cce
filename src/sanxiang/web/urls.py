from django.urls import path

from sanxiang.web import views

app_name = "web"
urlpatterns = [
    path("staff/", views.home, name="home"),
    path("staff/inbox/", views.inbox, name="inbox"),
    path("staff/supervision-overview/", views.supervision_hub, name="supervision_hub"),
    path("staff/evaluation-overview/", views.evaluation_hub, name="evaluation_hub"),
    path("staff/inspection-overview/", views.inspection_hub, name="inspection_hub"),
]
