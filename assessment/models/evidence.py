"""The evidence library: a file or link uploaded once, in versions, backing several answers."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.evaluation import Answer
from assessment.models.organisation import Instansi, Opd


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Berkas")
    LINK = "link", _("Tautan")


class Evidence(models.Model):
    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="evidence")
    opd = models.ForeignKey(Opd, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence")
    kind = models.CharField(max_length=8, choices=EvidenceKind.choices, default=EvidenceKind.FILE)
    title = models.CharField(max_length=255)
    url = models.URLField(max_length=500, blank=True)
    # e.g. a demo account for a service URL; shown to reviewers only.
    access_note = models.TextField(blank=True)
    document_date = models.DateField(null=True, blank=True)
    carried_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title


def evidence_path(_instance: EvidenceVersion, filename: str) -> str:
    """A generated name; the user's file name is kept in `original_name`, never on disk."""
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{uuid.uuid4()}{suffix}"


class EvidenceVersion(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=evidence_path, max_length=255)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    # Why a reviewer should look twice (e.g. a PDF with JavaScript); empty when clean.
    flag = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evidence", "number"], name="evidence_version_number")]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.evidence} v{self.number}"


class EvidenceStatus(models.TextChoices):
    PENDING = "pending", _("Belum diperiksa")
    APPROVED = "approved", _("Diterima")
    REJECTED = "rejected", _("Ditolak")


class AnswerEvidence(models.Model):
    """Evidence attached to one answer, with the reviewer's verdict on it for that answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence_links")
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="links")
    status = models.CharField(max_length=10, choices=EvidenceStatus.choices, default=EvidenceStatus.PENDING)
    comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "evidence"], name="evidence_once_per_answer")]
        ordering = ["added_at"]

    def __str__(self) -> str:
        return f"{self.answer} ← {self.evidence}"
