"""The framework catalog: a versioned tree of weighted groups over indicators.

Rows are written only by `assessment.services.frameworks.load_framework` from a framework
file; nothing in code knows how many domains, aspects or indicators a framework has.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ValueKind(models.TextChoices):
    LEVEL = "level", _("Tingkat bulat")
    DECIMAL = "decimal", _("Nilai desimal")


class PredicateBasis(models.TextChoices):
    EXACT = "exact", _("Nilai eksak")
    ROUNDED = "rounded", _("Nilai dibulatkan")


class Framework(models.Model):
    code = models.SlugField(max_length=80)
    version = models.CharField(max_length=40)
    name = models.CharField(max_length=255)
    short_name = models.CharField(max_length=80)
    regulation = models.TextField(blank=True)
    provisional = models.BooleanField(default=False)
    unverified = models.JSONField(default=list, blank=True)
    value_kind = models.CharField(max_length=10, choices=ValueKind.choices)
    value_min = models.DecimalField(max_digits=6, decimal_places=2)
    value_max = models.DecimalField(max_digits=6, decimal_places=2)
    value_places = models.PositiveSmallIntegerField(default=0)
    rounding_places = models.PositiveSmallIntegerField(default=2)
    predicate_basis = models.CharField(max_length=10, choices=PredicateBasis.choices, default=PredicateBasis.EXACT)
    group_kinds = models.JSONField(default=dict, blank=True)
    meta = models.JSONField(default=dict, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    structure_hash = models.CharField(max_length=64, blank=True)
    # The version new evaluations use; exactly one per code (set by the loader).
    is_current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="framework_code_version")]
        ordering = ["code", "-loaded_at"]

    def __str__(self) -> str:
        return f"{self.short_name} ({self.code} v{self.version})"


class LevelScale(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scales")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="scale_code")]

    def __str__(self) -> str:
        return self.name


class ScaleLevel(models.Model):
    scale = models.ForeignKey(LevelScale, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # The value band of the level where indicator values are decimals (Pemdi: 2 = 1,50-<2,50);
    # empty for whole-level frameworks.
    lower = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    upper = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    upper_inclusive = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scale", "level"], name="scale_level")]
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.level} {self.name}"


class FrameworkGroup(models.Model):
    """A weighted node: a domain or aspect in 59/2020, an aspect in Pemdi 8/2026."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="groups")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    code = models.CharField(max_length=20)
    number = models.PositiveSmallIntegerField(default=0)
    kind = models.SlugField(max_length=20)
    name = models.CharField(max_length=255)
    weight = models.DecimalField(max_digits=9, decimal_places=4)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="group_code")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    group = models.ForeignKey(FrameworkGroup, on_delete=models.CASCADE, related_name="indicators")
    scale = models.ForeignKey(LevelScale, on_delete=models.PROTECT, related_name="indicators")
    number = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=400)
    weight = models.DecimalField(max_digits=9, decimal_places=4)
    question = models.TextField(blank=True)
    description = models.TextField(blank=True)
    assessment_rule = models.TextField(blank=True)
    evidence_examples = models.TextField(blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="indicator_number"),
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_code"),
        ]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class IndicatorLevel(models.Model):
    """One level's criterion (the regulation's words) and the guideline's detail for it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField()
    criterion = models.TextField()
    fulfilment = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    condition = models.TextField(blank=True)  # the Modul's Kondisi (Pemdi 2026.2)
    # Where the source text is missing, why; the text shown is then the previous version's.
    gap = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "level"], name="indicator_level")]
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.indicator.code} tingkat {self.level}"


class EvidenceItem(models.Model):
    """A numbered evidence item of a level (Data Dukung), coded as eval.spbe.go.id does: I13-L2-01.

    Only frameworks whose file lists items have rows; 59/2020 has none.
    """

    level = models.ForeignKey(IndicatorLevel, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="evidence_item_code")]
        ordering = ["position"]

    def __str__(self) -> str:
        return self.code


class PredicateBand(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField(max_length=60)
    lower = models.DecimalField(max_digits=6, decimal_places=3)
    upper = models.DecimalField(max_digits=6, decimal_places=3)
    lower_inclusive = models.BooleanField(default=True)
    upper_inclusive = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "name"], name="band_name")]
        ordering = ["-lower"]

    def __str__(self) -> str:
        return self.name
