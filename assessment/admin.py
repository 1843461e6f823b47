"""The Django admin, for superusers only; day-to-day administration happens in the portal."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessment import models


@admin.register(models.Instansi)
class InstansiAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "coordinator", "is_demo"]
    search_fields = ["name", "slug"]


@admin.register(models.Opd)
class OpdAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "instansi", "code"]
    list_filter = ["instansi"]
    search_fields = ["short_name", "name"]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "instansi", "role", "opd"]
    list_filter = ["instansi", "role"]
    search_fields = ["user__username"]


@admin.register(models.Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "short_name", "is_current", "provisional", "loaded_at"]
    readonly_fields = ["checksum", "structure_hash", "loaded_at"]


@admin.register(models.Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["instansi", "year", "framework", "status", "deadline", "is_demo"]
    list_filter = ["status", "year"]


@admin.register(models.Answer)
class AnswerAdmin(SimpleHistoryAdmin):
    list_display = ["evaluation", "indicator", "lead_opd", "status", "round", "version"]
    list_filter = ["status", "evaluation__year"]
    raw_id_fields = ["evaluation", "indicator", "lead_opd"]


@admin.register(models.Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["answer", "round", "decision", "reviewer", "decided_at", "voided_at"]
    raw_id_fields = ["answer"]


@admin.register(models.Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "instansi", "opd", "kind", "document_date", "created_at"]
    list_filter = ["kind", "instansi"]


@admin.register(models.CarryOverLink)
class CarryOverLinkAdmin(admin.ModelAdmin):
    list_display = ["target", "source", "reason"]
    list_filter = ["target__framework"]
    search_fields = ["reason", "target__name", "source__name"]
    raw_id_fields = ["target", "source"]


@admin.register(models.CarryOverSuggestion)
class CarryOverSuggestionAdmin(admin.ModelAdmin):
    list_display = ["answer", "source_evaluation", "value", "created_at"]
    raw_id_fields = ["answer", "source_evaluation"]


@admin.register(models.AssessorAssignment)
class AssessorAssignmentAdmin(SimpleHistoryAdmin):
    """The superuser's way to assign assessors; provincial coordinators use the portal page."""

    list_display = ["assessor", "evaluation", "starts_on", "ends_on", "assigned_by"]
    list_filter = ["ends_on"]
    search_fields = ["assessor__username", "evaluation__instansi__name"]
    readonly_fields = ["assigned_by", "created_at"]

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "assessor":  # only assessor accounts: an assignment grants nothing to others
            kwargs["queryset"] = db_field.related_model.objects.filter(membership__role=models.Role.ASESOR)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        obj.assigned_by = request.user
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
