"""Portal pages of the data exchange: the user's API tokens and the Excel questionnaire import."""

from __future__ import annotations

from django.urls import path

from api import views_import, views_tokens

app_name = "exchange"
urlpatterns = [
    path("akun/token-api/", views_tokens.token_list, name="tokens"),
    path("akun/token-api/<int:pk>/cabut/", views_tokens.token_revoke, name="token-revoke"),
]
urlpatterns += [
    path("penilaian/evaluasi/<int:pk>/impor-excel/", views_import.import_page, name="import"),
    path("penilaian/evaluasi/<int:pk>/impor-excel/terapkan/", views_import.import_apply, name="import-apply"),
    path("penilaian/evaluasi/<int:pk>/impor-excel/templat/", views_import.import_template, name="import-template"),
]
