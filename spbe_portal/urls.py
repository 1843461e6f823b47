from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from scoring.views import home
from spbe_portal import password_reset
from spbe_portal.health import healthz
from sso import views as sso_views
from twofactor.views import LoginView as TwoStepLoginView

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("assessment.urls")),
    path("", include("scoring.urls")),
    path("", include("reports.urls")),
    path("accounts/login/", TwoStepLoginView.as_view(), name="login"),
    path("", include("twofactor.urls")),
    # Password reset in the portal's own pages, throttled (spbe_portal/password_reset.py), before Django's.
    path("accounts/password_reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password_reset/done/", password_reset.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", password_reset.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # Logout ends the provider's session too after an SSO sign-in (sso.views.logout), before Django's.
    path("accounts/logout/", sso_views.logout, name="logout"),
    path("", include("sso.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The admin site's own login would skip the two-step check: it sends to the portal's login.
    path("admin/login/", login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("api.portal_urls")),
]

# Indonesian error pages (spbe_portal/errors.py); 500 needs neither the database nor a session.
handler403 = "spbe_portal.errors.forbidden"
handler404 = "spbe_portal.errors.not_found"
handler500 = "spbe_portal.errors.server_error"
