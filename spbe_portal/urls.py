from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from scoring.views import home
from spbe_portal.auth import LoginForm
from spbe_portal.health import healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("assessment.urls")),
    path("", include("scoring.urls")),
    path("", include("reports.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

# Indonesian error pages that need neither the database nor a session (spbe_portal/errors.py).
handler500 = "spbe_portal.errors.server_error"
