from __future__ import annotations

from django.urls import path

from assessment.views import answers, assessor, evaluations, items, review, stages

urlpatterns = [
    path("penilaian/", evaluations.worklist, name="worklist"),
    path("asesor/", assessor.assessor_home, name="assessor-home"),
    path("kelola/asesor/", assessor.assignments, name="assessor-assignments"),
    path("kelola/asesor/<int:pk>/akhiri/", assessor.assignment_end, name="assessor-assignment-end"),
    path("penilaian/evaluasi/<int:pk>/finalisasi/", evaluations.finalise_view, name="finalise"),
    path("penilaian/jawaban/<int:pk>/", answers.answer_page, name="answer"),
    path("penilaian/jawaban/<int:pk>/simpan/", answers.save_view, name="answer-save"),
    path("penilaian/jawaban/<int:pk>/tarik-persetujuan/", answers.withdraw_view, name="answer-withdraw"),
    path("penilaian/jawaban/<int:pk>/butir/", items.item_files, name="answer-item-files"),
    path("penilaian/jawaban/<int:pk>/indeks-rujukan/", items.index_figure, name="answer-index-figure"),
    path("penilaian/jawaban/<int:pk>/butir/nilai/", items.item_verdict, name="answer-item-verdict"),
    path("penilaian/evaluasi/<int:pk>/tahap/<slug:stage>/", stages.stage_record, name="stage-record"),
    path("penilaian/jawaban/<int:pk>/tahap/<slug:stage>/butir/", stages.stage_item_record, name="stage-item-record"),
    path("penilaian/periksa/", review.queue, name="review-queue"),
    path("penilaian/periksa/<int:pk>/", review.review_page, name="review"),
    path("penilaian/bukti-jawaban/<int:pk>/periksa/", review.evidence_decision, name="evidence-decision"),
]
