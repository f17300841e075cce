from django.urls import path

from sanxiang.inspection import views

app_name = "inspection"
urlpatterns = [
    path("", views.home, name="home"),
]
