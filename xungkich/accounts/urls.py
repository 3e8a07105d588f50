"""Sign-in, invitation and account pages under /accounts/ (names are global: Django's auth views
reverse the sign-in ones, and the rest follow them)."""

from django.urls import path

from xungkich.accounts import views as auth_views
from xungkich.accounts import views_invitations as invitations
from xungkich.accounts import views_profile, views_signup
from xungkich.accounts import views_roles as roles

urlpatterns = [
    path("login/", auth_views.login_view, name="login"),
    path("login/verify/", auth_views.otp_verify, name="otp_verify"),
    path("logout/", auth_views.logout_view, name="logout"),
    path("password-reset/", auth_views.password_reset, name="password_reset"),
    path("password-reset/sent/", auth_views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/complete/", auth_views.password_reset_complete, name="password_reset_complete"),
    path("two-factor/", auth_views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/backup-codes/", auth_views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("two-factor/disable/", auth_views.two_factor_disable, name="two_factor_disable"),
    # Invitations and roles (the accounts of the people of one's units).
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("invitations/volunteer/<int:pk>/", invitations.invite_volunteer, name="invite_volunteer"),
    path("invitations/unit/<int:pk>/", invitations.invite_unit, name="invite_unit"),
    path("invitations/<int:pk>/resend/", invitations.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", invitations.invitation_revoke, name="invitation_revoke"),
    path("people/", roles.account_list, name="account_list"),
    path("people/<int:pk>/", roles.account_detail, name="account_detail"),
    path("people/<int:pk>/active/", roles.account_set_active, name="account_set_active"),
]

# Self sign-up by a unit's link and the person's own profile.
urlpatterns += [
    path("join/<str:token>/", views_signup.join, name="signup_join"),
    path("join/<str:token>/sent/", views_signup.join_sent, name="signup_sent"),
    path("signup/links/", views_signup.link_list, name="signup_links"),
    path("signup/links/<int:unit_pk>/", views_signup.link_detail, name="signup_link"),
    path("signup/requests/", views_signup.request_list, name="signup_requests"),
    path("signup/requests/<int:pk>/", views_signup.request_detail, name="signup_request"),
    path("profile/", views_profile.profile, name="profile"),
    path("password/", views_profile.PasswordChange.as_view(), name="password_change"),
]
