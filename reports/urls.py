from __future__ import annotations

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("laporan/evaluasi/<int:pk>/", views.evaluation_reports, name="evaluation"),
    path("laporan/evaluasi/<int:pk>/minta/", views.request_view, name="request"),
    path("laporan/<int:pk>/status/", views.status, name="status"),
    path("laporan/<int:pk>/unduh/", views.download, name="download"),
]
