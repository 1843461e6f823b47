"""Work per evidence item (Pemdi 2026.2): the OPD's files for an item and the reviewer's verdict.

One `AnswerItem` per answer and `EvidenceItem` of its indicator, created on first use. Files come
from the evidence library (`ItemEvidence`): an item may hold several, and one file may back several
items. The verdict is *diterima* or *revisi* with a type; *ditolak otomatis* is never stored, it
follows from the levels below (`assessment.items`). Rows are edited in place, and their history
(django-simple-history) keeps every verdict of every revision round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.evaluation import Answer
from assessment.models.evidence import Evidence
from assessment.models.framework import EvidenceItem


class ItemVerdict(models.TextChoices):
    NONE = "", _("Belum dinilai")
    ACCEPTED = "diterima", _("Diterima")
    REVISION = "revisi", _("Revisi")


class RevisionType(models.TextChoices):
    NONE = "", "—"
    WRONG = "tidak_tepat", _("Tidak tepat")
    MISSING = "belum_diunggah", _("Belum diunggah")


class AnswerItem(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)  # the OPD's note for the hand-off
    verdict = models.CharField(max_length=10, choices=ItemVerdict.choices, blank=True, default="")
    revision_type = models.CharField(max_length=16, choices=RevisionType.choices, blank=True, default="")
    verdict_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "item"], name="one_row_per_answer_item")]
        ordering = ["item__level__level", "item__position"]

    def __str__(self) -> str:
        return f"{self.answer} {self.item.code}"


class ItemEvidence(models.Model):
    answer_item = models.ForeignKey(AnswerItem, on_delete=models.CASCADE, related_name="files")
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="item_links")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer_item", "evidence"], name="evidence_once_per_item")]
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.answer_item} ← {self.evidence}"


class IndexFigure(models.Model):
    """The published index figure an answer's evidence cites (IKASANDI for Pemdi I10-I12) and the
    date it was measured, entered by the OPD; the reviewer sees its band and whether it is stale."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="index_figure")
    figure = models.DecimalField(max_digits=6, decimal_places=3)
    measured_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.answer} {self.figure} ({self.measured_on})"


class StageItemNote(models.Model):
    """An official stage's finding on one evidence item (dokumen, interviu, visitasi): a verdict and
    a note by the admin, reviewer or assigned external assessor. It sits beside the item's review
    verdict and changes neither it nor any value: the indicator's stage value is recorded per
    indicator (`StageValue`), as the national application does."""

    answer_item = models.ForeignKey(AnswerItem, on_delete=models.CASCADE, related_name="stage_notes")
    stage = models.CharField(max_length=12)
    verdict = models.CharField(max_length=10, choices=ItemVerdict.choices, blank=True, default="")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer_item", "stage"], name="one_note_per_item_stage")]

    def __str__(self) -> str:
        return f"{self.answer_item} @ {self.stage}"
