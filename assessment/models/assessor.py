"""External assessors (asesor): named evaluations, for a period.

An asesor's `Membership` carries the role and a home instansi (the organisation that registered
them), which grants nothing: what an asesor reads and writes is only the evaluations assigned
here, and only from `starts_on` to `ends_on` inclusive (dates in WIB). `assessment.access`
decides it; the rows are kept after the end date, as the record of who assessed what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models.evaluation import Evaluation


class AssessorAssignment(models.Model):
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessor_assignments"
    )
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="assessor_assignments")
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("berakhir"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessor", "evaluation"], name="one_assignment_per_evaluation"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} → {self.evaluation} ({self.starts_on}..{self.ends_on})"
