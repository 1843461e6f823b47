"""Recovery codes for the TOTP second factor: the way in when the phone is not at hand.

Only a SHA-256 digest is stored (a code is about 50 random bits and single use, and the login that
takes it is throttled by django-axes, so a fast hash is enough). A used code keeps its row with
the time and address of its use: that is the record the user and the admin see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RecoveryCode(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
    used_from = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique_per_user")]

    def __str__(self) -> str:
        return f"recovery code of user {self.user_id} ({'used' if self.used_at else 'unused'})"
