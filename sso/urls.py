from __future__ import annotations

from django.urls import path

from sso import views

app_name = "sso"
urlpatterns = [
    path("sso/<slug:provider>/masuk/", views.start, name="start"),
    path("sso/<slug:provider>/callback/", views.callback, name="callback"),
]
