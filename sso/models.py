"""A portal user's NIP, the key that single sign-on matches on, and the link it makes.

The NIP is recorded by an admin (the invitation); nothing from a provider ever creates an
account or a membership. The first SSO sign-in links the account to the provider's subject.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models import Instansi, Opd, Role

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


class SsoInvitation(models.Model):
    """A NIP an admin invited before its account exists: the first SSO sign-in with it creates the
    account, with the instansi, role and OPD written here by the admin (never from claims)."""

    nip = models.CharField(
        _("NIP"), max_length=18, unique=True, validators=[RegexValidator(NIP_PATTERN, _("NIP terdiri atas 18 angka."))]
    )
    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("undangan SSO")
        verbose_name_plural = _("undangan SSO")

    def __str__(self) -> str:
        return f"{self.nip} ({self.instansi})"

    def clean(self) -> None:
        # The same rule as Membership's constraint, said before the account exists.
        if (self.role == Role.OPD) != (self.opd_id is not None):
            raise ValidationError(_("Operator OPD memerlukan OPD; peran lain tanpa OPD."))
        if self.opd_id is not None and self.opd is not None and self.opd.instansi_id != self.instansi_id:
            raise ValidationError(_("OPD harus dari instansi yang sama."))
