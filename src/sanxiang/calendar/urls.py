from django.urls import path

from sanxiang.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.holiday_year_list, name="holiday_year_list"),
]
