from __future__ import annotations

from django.urls import path

from scoring import views, views_import, views_plan, views_trend

app_name = "scoring"
urlpatterns = [
    path("indeks/evaluasi/<int:pk>/", views.evaluation_progress, name="evaluation"),
    path("indeks/evaluasi/<int:pk>/simulasi/", views_plan.simulator, name="simulator"),
    path("indeks/evaluasi/<int:pk>/simulasi/simpan/", views_plan.scenario_save, name="scenario-save"),
    path("indeks/evaluasi/<int:pk>/rencana/", views_plan.plan, name="plan"),
    path("indeks/evaluasi/<int:pk>/rencana/tindak-lanjut/", views_plan.plan_followups, name="plan-followups"),
    path("indeks/tindak-lanjut/", views_plan.followups, name="followups"),
    path("indeks/tindak-lanjut/bawa/", views_plan.followups_carry, name="followups-carry"),
    path("indeks/tindak-lanjut/<int:pk>/", views_plan.followup, name="followup"),
    path("indeks/impor/", views_import.import_results, name="import"),
    path("indeks/impor/terapkan/", views_import.import_apply, name="import-apply"),
    path("indeks/impor/templat.csv", views_import.import_template, {"fmt": "csv"}, name="import-template-csv"),
    path("indeks/impor/templat.xlsx", views_import.import_template, {"fmt": "xlsx"}, name="import-template-xlsx"),
    path("indeks/instansi/<int:pk>/tren/", views_trend.trend, name="trend"),
]
