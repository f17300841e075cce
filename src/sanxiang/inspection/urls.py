from django.urls import path

from sanxiang.inspection import inspection_views, views

app_name = "inspection"
urlpatterns = [
    path("", views.home, name="home"),
    # part B: carrying out an inspection (inspection_views)
    path("today/", inspection_views.today, name="today"),
    path("results/publish/", inspection_views.results_publish, name="results_publish"),
    path("<int:pk>/", inspection_views.detail, name="detail"),
    path("<int:pk>/qr.svg", inspection_views.qr, name="qr"),
    path("<int:pk>/photo/", inspection_views.photo, name="photo"),
    path("<int:pk>/<str:action>/", inspection_views.act, name="act"),
]
