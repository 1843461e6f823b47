"""A yearly evaluation of one instansi, its answers, and each stage's value per indicator."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.framework import Framework, Indicator, PredicateBasis
from assessment.models.organisation import Instansi, Opd


class EvaluationStatus(models.TextChoices):
    OPEN = "open", _("Berjalan")
    FINALISED = "finalised", _("Final")


class Evaluation(models.Model):
    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="evaluations")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="evaluations")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=EvaluationStatus.choices, default=EvaluationStatus.OPEN)
    deadline = models.DateTimeField(null=True, blank=True)
    predicate_basis = models.CharField(max_length=10, choices=PredicateBasis.choices, default=PredicateBasis.EXACT)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    # Set when an admin reopens a finalised evaluation; the history keeps every earlier reason.
    reopen_reason = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instansi", "year"], name="one_evaluation_per_year")]
        ordering = ["-year", "instansi__name"]

    def __str__(self) -> str:
        return f"{self.instansi} {self.year}"

    @property
    def is_finalised(self) -> bool:
        return self.status == EvaluationStatus.FINALISED

    def deadline_passed(self, now: datetime) -> bool:
        return self.deadline is not None and now > self.deadline


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    APPROVED = "approved", _("Disetujui")


# Penjelasan (FAKTA / ANALISIS) is a few paragraphs; 10,000 characters is about four pages. The
# form and save_draft refuse more, and the page counts as the user types (issue 14 item 17).
EXPLANATION_MAX_CHARS = 10_000


class Answer(models.Model):
    """One indicator of one evaluation: who answers it, its workflow state and explanation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    lead_opd = models.ForeignKey(Opd, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_answers")
    contributors = models.ManyToManyField(Opd, blank=True, related_name="contributed_answers")
    status = models.CharField(max_length=12, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT)
    explanation = models.TextField(blank=True)
    # Optimistic lock: a save based on an older version is refused (no lost update).
    version = models.PositiveIntegerField(default=0)
    # Each submission starts a review round; rounds are kept in Review rows.
    round = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[contributors])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "indicator"], name="one_answer_per_indicator")]
        ordering = ["indicator__number"]

    def __str__(self) -> str:
        return f"{self.evaluation} / {self.indicator.code}"


def exact_number(value: Decimal, exact: str) -> Decimal | Fraction:
    """A stored value pair read back exactly: the fraction when there is one, else the decimal."""
    return Fraction(exact) if exact else value


def split_exact(value: Decimal | Fraction, places: int = 2) -> tuple[Decimal, str]:
    """(the value rounded half-up to `places` for display and sorting, "n/d" or "" when exact)."""
    fraction = Fraction(value)
    scaled = fraction * 10**places
    if scaled.denominator == 1:
        return Decimal(int(scaled)).scaleb(-places), ""
    # Half-up, as every displayed figure (scoring.engine.round_half_up; assessment may not import it).
    rounded = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(rounded).scaleb(-places), f"{fraction.numerator}/{fraction.denominator}"


class Stage(models.TextChoices):
    """In order: a stage that does not revisit an indicator carries the previous stage's value."""

    MANDIRI = "mandiri", _("Penilaian Mandiri")
    VERIFIKASI = "verifikasi", _("Verifikasi Diskominfo")
    DOKUMEN = "dokumen", _("Penilaian Dokumen")
    INTERVIU = "interviu", _("Penilaian Interviu")
    VISITASI = "visitasi", _("Penilaian Visitasi")


STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)


class StageValue(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="stage_values")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    # Decimal so that whole levels (59/2020) and 1,00-5,00 values (Pemdi 8/2026) both fit.
    value = models.DecimalField(max_digits=5, decimal_places=2)
    # The exact value as a fraction "n/d" when it is finer than `value`'s places (an assessor's
    # 7/6 is stored as value 1,17 and exact "7/6"); blank when `value` is itself exact. Scoring
    # reads `number`, never `value` alone; only `set_exact` writes the pair.
    exact = models.CharField(max_length=60, blank=True)
    # For an externally fed indicator: the agency's published figure the value was converted
    # from (e.g. Indeks SDI 68,75 -> 3,75); kept, with its history, to show the conversion.
    source_value = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "stage"], name="one_value_per_stage")]

    def __str__(self) -> str:
        return f"{self.answer} {self.stage}={self.value}"

    @property
    def number(self) -> Decimal | Fraction:
        return exact_number(self.value, self.exact)

    def set_exact(self, value: Decimal | Fraction) -> None:
        self.value, self.exact = split_exact(value)


class ValuesRevision(models.Model):
    """How often an evaluation's stage values changed: a cheap "has anything changed?" for caches.

    Kept by database triggers on the stage value table (migration 0004), not by Python code,
    because values are written by many paths (answers, reviews, official stages, the demo and
    archive loaders, COPY in the national seed, cascaded deletes) and a missed path would leave a
    published figure stale. No foreign-key constraint: when an evaluation is deleted, the
    triggers fire for its values before it goes, and a leftover row names an id never reused.
    """

    evaluation = models.OneToOneField(
        Evaluation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="values_revision",
    )
    revision = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.revision}"
