from django.urls import path

from sanxiang.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/totp/", views.totp_view, name="totp"),
    path("logout/", views.logout_view, name="logout"),
    path("security/", views.security_view, name="security"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.user_list, name="users"),
    path("users/<int:user_id>/tokens/", views.user_token_list, name="user_tokens"),
    path("users/<int:user_id>/password-reset/", views.user_password_reset, name="user_password_reset"),
    path("users/<int:user_id>/totp-reset/", views.user_totp_reset, name="user_totp_reset"),
]
