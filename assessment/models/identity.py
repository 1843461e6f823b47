"""An instansi's identity on paper: letterhead lines, emblem and document numbers.

The emblem is stored only as the PNG the portal made of the upload (a PNG re-encoded, an SVG
rasterised without fetching anything): that file reaches every PDF, so nothing the uploader
wrote in it (scripts, external references) survives. A document number is assigned once per
document (evaluation, kind, OPD, target) from a per-instansi, per-year sequence and kept when
the document is rebuilt.
"""

from __future__ import annotations

import uuid

from django.db import models

from assessment.models.evaluation import Evaluation
from assessment.models.organisation import Instansi

DEFAULT_PATTERN = "000.8/{n}/Setda/{tahun}"


def emblem_path(_instance: Letterhead, _filename: str) -> str:
    return f"lambang/{uuid.uuid4()}.png"


class Letterhead(models.Model):
    instansi = models.OneToOneField(Instansi, on_delete=models.CASCADE, related_name="letterhead")
    # Printed above the address, one line each: "PEMERINTAH KABUPATEN SIAK", "SEKRETARIAT DAERAH".
    heading = models.TextField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=60, blank=True)
    website = models.CharField(max_length=120, blank=True)
    email = models.CharField(max_length=120, blank=True)
    emblem = models.FileField(upload_to=emblem_path, max_length=255, blank=True)
    number_pattern = models.CharField(max_length=80, default=DEFAULT_PATTERN)
    # The signature block of the reports: the Sekda as Koordinator, and where documents are signed.
    place = models.CharField(max_length=80, blank=True)
    signer_name = models.CharField(max_length=120, blank=True)
    signer_nip = models.CharField(max_length=30, blank=True)

    class Meta:
        verbose_name = "kop surat"
        verbose_name_plural = "kop surat"

    def __str__(self) -> str:
        return f"Kop {self.instansi}"

    @property
    def heading_lines(self) -> list[str]:
        return [line.strip() for line in self.heading.splitlines() if line.strip()]

    @property
    def contact_line(self) -> str:
        parts = [f"Telepon {self.phone}" if self.phone else "", self.website, self.email]
        return " · ".join(p for p in parts if p)


class IndexTarget(models.Model):
    """The region's own target for its index in a year (an IKU of its RPJMD/Renstra), optional.

    The executive summary and the one-page summary set the year's index against it when one is
    set; the portal does not derive targets, an admin enters what the region adopted.
    """

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="index_targets")
    year = models.PositiveIntegerField()
    target = models.DecimalField(max_digits=3, decimal_places=2)
    basis = models.CharField(max_length=160, blank=True)  # where it is adopted, e.g. "IKU RPJMD 2021-2026"

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["instansi", "year"], name="index_target_once_a_year")]

    def __str__(self) -> str:
        return f"{self.instansi} {self.year}: {self.target}"


class DocumentNumber(models.Model):
    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()  # the calendar year (WIB) the number was assigned in
    sequence = models.PositiveIntegerField()
    text = models.CharField(max_length=120)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)  # "kind:opd id:target": which document carries it
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instansi", "year", "sequence"], name="document_number_sequence"),
            models.UniqueConstraint(fields=["evaluation", "key"], name="document_number_once"),
        ]

    def __str__(self) -> str:
        return self.text
