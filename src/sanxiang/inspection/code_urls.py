from django.urls import path

from sanxiang.inspection import code_views

app_name = "inspection_code"
urlpatterns = [
    path("<str:code>/", code_views.page, name="page"),
]
