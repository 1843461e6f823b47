"""Saved what-if scenarios and tracked follow-up items of an improvement plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models import Evaluation, Indicator, Instansi, Opd


class Scenario(models.Model):
    """A named set of hypothetical levels for an evaluation; the real answers are untouched."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("nama skenario"), max_length=120)
    levels = models.JSONField(default=dict)  # {"<indicator number>": level}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("skenario simulasi")
        verbose_name_plural = _("skenario simulasi")

    def __str__(self) -> str:
        return self.name


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
    DONE = "done", _("Selesai")


class FollowUp(models.Model):
    """A recommendation turned into tracked work, carried into the next year while not done."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="follow_ups")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="follow_ups")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("judul"), max_length=300)
    owner_opd = models.ForeignKey(
        Opd, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups", verbose_name=_("OPD")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penanggung jawab"),
    )
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )

    class Meta:
        ordering = ["status", "due_date", "pk"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        constraints = [
            # Carrying over twice into the same evaluation makes no second copy.
            models.UniqueConstraint(fields=["evaluation", "carried_from"], name="follow_up_carried_once"),
        ]

    def __str__(self) -> str:
        return self.title


IMPORTED_STAGE = "impor"


class ResultStage(models.TextChoices):
    """The evaluation's stages, plus official results recorded by import (no answers behind them)."""

    MANDIRI = "mandiri", _("Penilaian Mandiri")
    VERIFIKASI = "verifikasi", _("Verifikasi Diskominfo")
    DOKUMEN = "dokumen", _("Penilaian Dokumen")
    INTERVIU = "interviu", _("Penilaian Interviu")
    VISITASI = "visitasi", _("Penilaian Visitasi")
    IMPOR = IMPORTED_STAGE, _("Hasil resmi (impor)")


class StoredResult(models.Model):
    """One index result per instansi, framework, year and stage, as the engine computed it.

    Figures are kept exactly: `index_exact` and each group's "exact" are fractions "n/d" (an
    imported figure is exact at its two decimals), `index` is the rounded display value. Groups
    are a JSON map keyed by the framework's own group codes, so a framework with other groups
    (Pemdi) fits without a schema change, and series of different frameworks never mix because
    each row names its framework version. Rows of an evaluation are a cache of the engine's
    result (`stamp` says which data they came from); imported rows have no evaluation.
    """

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="stored_results")
    framework = models.ForeignKey("assessment.Framework", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=12, choices=ResultStage.choices)
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, null=True, blank=True, related_name="stored_results"
    )
    index = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    index_exact = models.CharField(max_length=80, blank=True)
    predicate = models.CharField(max_length=40, blank=True)
    groups = models.JSONField(default=dict)  # {code: {"kind", "exact", "value", "predicate"}}
    indicator_levels = models.JSONField(default=dict, blank=True)  # imported levels, {"<number>": "3"}
    missing = models.JSONField(default=list, blank=True)  # indicators without a value: provisional
    stamp = models.CharField(max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instansi", "framework", "year", "stage"]
        verbose_name = _("hasil indeks tersimpan")
        verbose_name_plural = _("hasil indeks tersimpan")
        constraints = [
            models.UniqueConstraint(fields=["instansi", "framework", "year", "stage"], name="stored_result_once"),
        ]
        indexes = [models.Index(fields=["year", "stage"])]

    def __str__(self) -> str:
        return f"{self.instansi_id} {self.year} {self.stage}: {self.index}"
