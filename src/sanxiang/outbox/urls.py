from django.urls import path

from sanxiang.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.subscription_index, name="index"),
    path("new/", views.subscription_create, name="create"),
    path("<int:subscription_id>/deactivate/", views.subscription_deactivate, name="deactivate"),
    path("deliveries/", views.delivery_log, name="deliveries"),
    path("deliveries/<int:delivery_id>/", views.delivery_detail, name="delivery"),
    path("deliveries/<int:delivery_id>/redeliver/", views.delivery_redeliver, name="redeliver"),
]
