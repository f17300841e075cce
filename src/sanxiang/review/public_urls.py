"""The public catalogue pages: no login, publications only."""

from django.urls import path

from sanxiang.review import views

app_name = "catalogues"
urlpatterns = [
    path("", views.public_catalogue_list, name="list"),
    path("<int:agency_id>/", views.public_catalogue_detail, name="detail"),
    path("<int:agency_id>/v<int:version>/", views.public_catalogue_detail, name="version"),
]
