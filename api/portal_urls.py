"""Portal pages of the data exchange: the user's API tokens, and the routes (names kept) of the
Excel questionnaire import, an assessment page (assessment/views/questionnaire.py)."""

from __future__ import annotations

from django.urls import path

from api import views_tokens
from assessment.views import questionnaire as views_import
from reports.views_questionnaire import import_template

app_name = "exchange"
urlpatterns = [
    path("akun/token-api/", views_tokens.token_list, name="tokens"),
    path("akun/token-api/<int:pk>/cabut/", views_tokens.token_revoke, name="token-revoke"),
]
urlpatterns += [
    path("penilaian/evaluasi/<int:pk>/impor-excel/", views_import.import_page, name="import"),
    path("penilaian/evaluasi/<int:pk>/impor-excel/terapkan/", views_import.import_apply, name="import-apply"),
    path("penilaian/evaluasi/<int:pk>/impor-excel/templat/", import_template, name="import-template"),
]
