"""Tenancy: instansi (the tenant), its OPDs, and each user's place and role in one instansi."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InstansiKind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    PUSAT = "instansi_pusat", _("Instansi Pusat")


class Instansi(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=InstansiKind.choices)
    # A province may coordinate its kabupaten and kota on the same deployment.
    coordinator = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="coordinated"
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "instansi"

    def __str__(self) -> str:
        return self.name


class Opd(models.Model):
    """A Perangkat Daerah (or a unit of an Instansi Pusat)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="opds")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instansi", "code"], name="opd_code")]
        ordering = ["short_name"]
        verbose_name = "OPD"
        verbose_name_plural = "OPD"

    def __str__(self) -> str:
        return self.short_name


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin instansi")
    SEKDA = "sekda", _("Sekretaris Daerah (Koordinator SPBE)")
    VERIFIKATOR = "verifikator", _("Verifikator Diskominfo")
    OPD = "opd", _("Operator OPD")
    KOORDINATOR = "koordinator", _("Koordinator provinsi")
    ASESOR = "asesor", _("Asesor eksternal")


class Membership(models.Model):
    """Every user belongs to exactly one instansi, with one role (and an OPD for OPD staff)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="members")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="opd") | models.Q(opd__isnull=False),
                name="opd_staff_have_an_opd",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.instansi})"
