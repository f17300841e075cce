from django.urls import include, path

urlpatterns = [path("ledger/", include("sanxiang.ledger.urls"))]
