from django.urls import include, path

from sanxiang.publication import views

app_name = "publication"
urlpatterns = [
    path("", views.draft_list, name="drafts"),
    path("drafts/<int:draft_id>/", views.draft_detail, name="draft_detail"),
    path("drafts/<int:draft_id>/approve/", views.draft_approve, name="draft_approve"),
    path("drafts/<int:draft_id>/withdraw/", views.draft_withdraw, name="draft_withdraw"),
    path("drafts/<int:draft_id>/correct/", views.draft_correct, name="draft_correct"),
    path("", include("sanxiang.publication.documents")),
    path("", include("sanxiang.publication.exports")),
]
