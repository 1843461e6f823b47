"""In-app notifications (e-mail copies are sent by the notification service)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assessment.notices import render


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # The text as first rendered (Bahasa Indonesia); `key` + `params` re-render it in the reader's
    # language (assessment/notices.py). Rows from before keys existed have only `message`.
    message = models.CharField(max_length=500)
    key = models.CharField(max_length=40, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the e-mail copy is claimed for sending (assessment.tasks): at most one e-mail per row.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def text(self) -> str:
        """What the reader sees, in the active language."""
        return render(self.key, self.params, self.message)
