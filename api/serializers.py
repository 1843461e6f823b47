"""What the API reads and writes. Framework-agnostic: codes, kinds and values come from the data.

Values (levels) are decimal strings with the framework's places: "3" for PermenPANRB 59/2020,
"2.00" for a framework with decimal values. Index figures are the engine's rounded values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessment.models import (
    STAGE_ORDER,
    Answer,
    Evaluation,
    Framework,
    FrameworkGroup,
    Indicator,
    PredicateBand,
    PredicateBasis,
)
from reports.models import Report, ReportKind


def value_text(value: Decimal, places: int) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


class GroupSerializer(serializers.ModelSerializer[FrameworkGroup]):
    # Serializer fields named like Field attributes (parent, label) are fine at run time: the
    # metaclass moves declared fields out of the class; the stubs cannot know that.
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)  # type: ignore[assignment]

    class Meta:
        model = FrameworkGroup
        fields = ["code", "kind", "name", "weight", "parent"]


class BandSerializer(serializers.ModelSerializer[PredicateBand]):
    class Meta:
        model = PredicateBand
        fields = ["name", "lower", "upper", "lower_inclusive", "upper_inclusive"]


class FrameworkSerializer(serializers.ModelSerializer[Framework]):
    groups = GroupSerializer(many=True, read_only=True)
    bands = BandSerializer(many=True, read_only=True)

    class Meta:
        model = Framework
        fields = ["id", "code", "version", "name", "short_name", "regulation", "provisional", "is_current",
                  "value_kind", "value_min", "value_max", "value_places", "rounding_places", "predicate_basis",
                  "groups", "bands"]  # fmt: skip


class LevelSerializer(serializers.Serializer[Any]):
    level = serializers.IntegerField()
    criterion = serializers.CharField()


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    group = serializers.CharField(source="group.code")
    scale = serializers.CharField(source="scale.code")
    levels = LevelSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "number", "code", "name", "weight", "group", "scale", "question", "levels"]


class EvaluationSerializer(serializers.ModelSerializer[Evaluation]):
    instansi = serializers.CharField(source="instansi.slug")
    instansi_name = serializers.CharField(source="instansi.name")
    framework = serializers.CharField(source="framework.code")
    framework_version = serializers.CharField(source="framework.version")

    class Meta:
        model = Evaluation
        fields = ["id", "instansi", "instansi_name", "year", "framework", "framework_version", "status", "deadline",
                  "predicate_basis", "finalised_at"]  # fmt: skip


class AnswerSerializer(serializers.ModelSerializer[Answer]):
    indicator = serializers.IntegerField(source="indicator.number")
    indicator_code = serializers.CharField(source="indicator.code")
    lead_opd = serializers.CharField(source="lead_opd.code", allow_null=True, default=None)
    contributors = serializers.SerializerMethodField()
    values = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = ["id", "evaluation", "indicator", "indicator_code", "lead_opd", "contributors", "status",
                  "explanation", "version", "values", "updated_at"]  # fmt: skip

    def get_contributors(self, answer: Answer) -> list[str]:
        return [opd.code for opd in answer.contributors.all()]

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "value per stage, in order: a decimal string, or a fraction such as 7/6 when exact",
        }
    )
    def get_values(self, answer: Answer) -> dict[str, str]:
        places = answer.evaluation.framework.value_places
        # An exact value finer than the places (an assessor's 7/6) is given as the fraction.
        recorded = {row.stage: row.exact or value_text(row.value, places) for row in answer.stage_values.all()}
        return {stage: recorded[stage] for stage in STAGE_ORDER if stage in recorded}


class AnswerDraftSerializer(serializers.Serializer[Any]):
    """A draft save, as the answer page makes it: the level (null clears it), the explanation, the version seen."""

    value = serializers.CharField(allow_null=True, max_length=40)
    explanation = serializers.CharField(allow_blank=True, max_length=50_000, trim_whitespace=False)
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
    # Externally fed indicators (Pemdi's Indeks SDI, SJIG): the agency's figure, converted by the
    # portal as on the answer page, or "not yet published". Refused for any other indicator.
    source_value = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=40,
        help_text="externally fed indicators only: the agency's published figure (\"68,75\" or \"68.75\"); "
        "the value is converted from it, and `value` may be null or must equal the conversion",
    )  # fmt: skip
    source_missing = serializers.BooleanField(
        required=False, default=False,
        help_text="externally fed indicators only: the figure is not published yet (the feed's missing value counts)",
    )  # fmt: skip


class ScoreFigureSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()
    predicate = serializers.CharField(allow_null=True)


class GroupFigureSerializer(ScoreFigureSerializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(allow_null=True)  # type: ignore[assignment]


class StageIndexSerializer(serializers.Serializer[Any]):
    stage = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    index = ScoreFigureSerializer(allow_null=True)
    provisional = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    groups = GroupFigureSerializer(many=True)


class EvaluationIndexSerializer(serializers.Serializer[Any]):
    evaluation = serializers.IntegerField()
    framework = serializers.CharField()
    predicate_basis = serializers.CharField()
    final = StageIndexSerializer(allow_null=True, help_text="the latest stage with values (null before any)")
    stages = StageIndexSerializer(many=True)


class ReportSerializer(serializers.ModelSerializer[Report]):
    opd = serializers.CharField(source="opd.code", allow_null=True, default=None)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "evaluation", "kind", "opd", "status", "reason", "version", "requested_at", "finished_at",
                  "size", "sha256", "content_type", "download"]  # fmt: skip

    @extend_schema_field({"type": "string", "nullable": True, "description": "the file's URL; null until done"})
    def get_download(self, report: Report) -> str | None:
        if report.status != "done":
            return None
        return reverse("api:report-file", args=[report.pk])


class ReportRequestSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ReportKind.choices)  # the schema's list; the request service decides
    opd = serializers.CharField(
        required=False, max_length=40, help_text="OPD code, for the per-OPD kinds ('opd', 'rapor')"
    )


class ScoreItemSerializer(serializers.Serializer[Any]):
    id = serializers.JSONField(required=False, help_text="echoed back; any JSON value")
    levels = serializers.DictField(help_text='{"<indicator number>": level, ...}: every indicator of the framework')


class ScoreRequestSerializer(serializers.Serializer[Any]):
    framework = serializers.CharField(required=False, max_length=80, help_text="framework code (default: the portal's)")
    predicate_basis = serializers.ChoiceField(choices=PredicateBasis.choices, required=False)
    items = ScoreItemSerializer(many=True)


SCORE_RESULT_SCHEMA = {
    "type": "object",
    "properties": {
        "framework": {"type": "string"},
        "predicate_basis": {"type": "string"},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "description": "index and predikat, and one object per group kind (domains, aspects, ...)",
                "properties": {
                    "id": {},
                    "index": {"type": "string"},
                    "predicate": {"type": "string", "nullable": True},
                },
                "required": ["id", "index", "predicate"],
                "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    },
    "required": ["framework", "predicate_basis", "results"],
}
