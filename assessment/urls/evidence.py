from __future__ import annotations

from django.urls import path

from assessment.views import evidence

urlpatterns = [
    path("bukti/", evidence.evidence_list, name="evidence-list"),
    path("bukti/unggah/", evidence.evidence_upload, name="evidence-upload"),
    path("bukti/<int:pk>/", evidence.evidence_detail, name="evidence-detail"),
    path("bukti/<int:pk>/versi-baru/", evidence.evidence_new_version, name="evidence-new-version"),
    path("bukti/versi/<int:pk>/unduh/", evidence.evidence_download, name="evidence-download"),
    path("bukti/versi/<int:pk>/pratinjau/", evidence.evidence_preview, name="evidence-preview"),
    path("penilaian/jawaban/<int:pk>/lampirkan/", evidence.evidence_attach, name="evidence-attach"),
    path("penilaian/bukti-jawaban/<int:pk>/lepas/", evidence.evidence_detach, name="evidence-detach"),
    path("penilaian/evaluasi/<int:pk>/bawa-bukti/", evidence.evidence_carry_over, name="evidence-carry-over"),
]
