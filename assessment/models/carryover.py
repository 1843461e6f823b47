"""Carry-over between frameworks: which old indicators cover a new one, and the drafts it seeds.

Links are data (a mapping file loaded by `assessment.services.carryover.load_mapping`) and are
reviewable in the Django admin. A suggestion is what a new draft answer was seeded with; it is
shown as a suggestion and never becomes a stage value or an approval by itself.
"""

from __future__ import annotations

from django.db import models

from assessment.models.evaluation import Answer, Evaluation
from assessment.models.framework import Indicator


class CarryOverLink(models.Model):
    target = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="carried_from_links")
    source = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="carried_to_links")
    reason = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target", "source"], name="carry_over_link_once")]
        ordering = ["target__framework__code", "target__number", "source__number"]

    def __str__(self) -> str:
        return f"{self.target.code} ← {self.source.code}"


class CarryOverSuggestion(models.Model):
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="suggestion")
    source_evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    # A suggested value (see `suggested_value`'s rule); None when no mapped value was known.
    value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    rule = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.answer} ← {self.source_evaluation}"
