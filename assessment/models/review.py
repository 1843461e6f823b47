"""Review rounds: each decision on a submitted answer, with a snapshot of what was decided on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.evaluation import Answer


class Decision(models.TextChoices):
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    APPROVED = "approved", _("Disetujui")


class Review(models.Model):
    """One round's decision. Rows are never edited, only voided.

    `snapshot` holds what the reviewer saw (level, explanation, evidence ids and checksums). An
    approval is voided when the answer changes afterwards (`voided_at`), so an approval always
    means "this exact content was approved".
    """

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveIntegerField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField(blank=True)
    verified_value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # "n/d" when the verified value is finer than two places (see StageValue.exact).
    verified_exact = models.CharField(max_length=60, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    snapshot = models.JSONField(default=dict)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.answer} round {self.round}: {self.decision}"
