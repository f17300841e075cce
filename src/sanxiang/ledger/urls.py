from django.urls import path

from sanxiang.ledger import views

app_name = "ledger"

urlpatterns = [
    path("checkpoint", views.checkpoint_latest_view, name="checkpoint"),
    path("proof/inclusion", views.inclusion_proof_view, name="inclusion_proof"),
    path("proof/consistency", views.consistency_proof_view, name="consistency_proof"),
    path("key", views.public_key_view, name="public_key"),
]
