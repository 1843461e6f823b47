"""The admin's management pages, under /kelola/ (names are "assessment:manage-...")."""

from __future__ import annotations

from django.urls import path

from assessment.views import identity, manage, manage_evaluations

urlpatterns = [
    path("kelola/", manage.home, name="manage"),
    path("kelola/opd/", manage.opds, name="manage-opds"),
    path("kelola/opd/<int:pk>/", manage.opd_edit, name="manage-opd"),
    path("kelola/kop/", identity.letterhead, name="manage-letterhead"),
    path("kelola/kop/target/", identity.index_target, name="manage-index-target"),
    path("kelola/pengguna/", manage.users, name="manage-users"),
    path("kelola/pengguna/baru/", manage.user_new, name="manage-user-new"),
    path("kelola/pengguna/<int:pk>/", manage.user_edit, name="manage-user"),
    path("kelola/evaluasi/", manage_evaluations.evaluations, name="manage-evaluations"),
    path("kelola/evaluasi/<int:pk>/", manage_evaluations.evaluation_edit, name="manage-evaluation"),
    path(
        "kelola/evaluasi/<int:pk>/buka-kembali/", manage_evaluations.evaluation_reopen, name="manage-evaluation-reopen"
    ),
    path("kelola/evaluasi/<int:pk>/penugasan/", manage_evaluations.assignments, name="manage-assignments"),
    path(
        "kelola/evaluasi/<int:pk>/penugasan/bawaan/",
        manage_evaluations.assignment_defaults,
        name="manage-assignments-defaults",
    ),
]
