"""Report requests: one row per built (or to-be-built) document, kept as versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models import Evaluation, Opd


class ReportKind(models.TextChoices):
    """The stored values and labels; what each kind is and covers: its entry in `reports.kinds`."""

    HASIL = "hasil", _("Laporan Hasil Penilaian Mandiri")  # + the framework's abbreviation: Kind.title()
    BERITA_ACARA = "berita-acara", _("Berita Acara dan Pernyataan Persetujuan Publikasi")
    OPD = "opd", _("Laporan progres per OPD")
    XLSX = "xlsx", _("Lembar kerja Excel")
    CSV = "csv", _("CSV")
    RENCANA = "rencana", _("Rencana peningkatan (PDF)")
    RENCANA_XLSX = "rencana-xlsx", _("Rencana peningkatan (Excel)")
    BUKTI = "bukti", _("Paket bukti dukung (ZIP)")
    SERAH_TERIMA = "serah-terima", _("Paket unggah eval.spbe.go.id per butir bukti (ZIP)")
    RINGKASAN = "ringkasan", _("Ringkasan satu halaman untuk Bupati/Wali Kota")
    RAPOR = "rapor", _("Rapor OPD (satu OPD, atau semua OPD dalam satu ZIP)")


def abbreviation(short_name: str) -> str:
    """The framework's name without "Indeks" ("SPBE", "Pemdi"), as the reports' titles use it."""
    return short_name.removeprefix("Indeks").strip() or short_name


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class Report(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    target = models.CharField(max_length=40, blank=True)  # an improvement plan's target, as typed
    reason = models.TextField(blank=True)
    # What the data looked like when requested: a new version is built only when it changed.
    fingerprint = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the building worker's last sign of life
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="reports/", max_length=255, blank=True)  # named by services.run
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["evaluation", "kind", "opd"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.evaluation} v{self.version}"

    @property
    def title(self) -> str:
        from reports.kinds import kind_of  # the registry imports the builders, which import this module

        return kind_of(self.kind).title(self.evaluation.framework.short_name)

    @property
    def is_pending(self) -> bool:
        return self.status in {ReportStatus.QUEUED, ReportStatus.RUNNING}
