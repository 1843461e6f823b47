from __future__ import annotations

from django.urls import path

from scoring import views

app_name = "scoring"
urlpatterns = [
    path("indeks/evaluasi/<int:pk>/", views.evaluation_progress, name="evaluation"),
]
