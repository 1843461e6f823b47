from __future__ import annotations

from django.urls import path

from twofactor import views

app_name = "twofactor"
urlpatterns = [
    path("akun/masuk/kode/", views.verify, name="verify"),
    path("akun/dua-langkah/", views.setup, name="setup"),
    path("akun/dua-langkah/kode-pemulihan/", views.regenerate_codes, name="recovery-codes"),
    path("kelola/pengguna/<int:pk>/reset-dua-langkah/", views.reset, name="reset"),
]
