from django.urls import path

from sanxiang.cases import views

app_name = "cases"
urlpatterns = [
    path("calendar/", views.holiday_year_list, name="holiday_year_list"),
]
