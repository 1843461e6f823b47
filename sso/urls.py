from __future__ import annotations

from django.urls import path

from sso import manage, views

app_name = "sso"
urlpatterns = [
    path("sso/<slug:provider>/masuk/", views.start, name="start"),
    path("sso/<slug:provider>/callback/", views.callback, name="callback"),
    path("kelola/pengguna/<int:pk>/nip/", manage.record_nip, name="nip"),
    path("kelola/pengguna/<int:pk>/putus-sso/", manage.unlink, name="unlink"),
]
