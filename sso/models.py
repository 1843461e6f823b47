"""A portal user's NIP, the key that single sign-on matches on, and the link it makes.

The NIP is recorded by an admin (the invitation); nothing from a provider ever creates an
account or a membership. The first SSO sign-in links the account to the provider's subject.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

NIP_PATTERN = r"^\d{18}$"  # NIP ASN: 18 digits (birth date, appointment month, sex, number)


class SsoIdentity(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identity")
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        unique=True,  # one account per NIP in a deployment
        validators=[RegexValidator(NIP_PATTERN, _("NIP terdiri atas 18 angka."))],
    )
    provider = models.CharField(max_length=40, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    linked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identitas SSO")
        verbose_name_plural = _("identitas SSO")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], condition=~models.Q(subject=""), name="sso_subject_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.nip})"

    @property
    def linked(self) -> bool:
        return self.linked_at is not None
