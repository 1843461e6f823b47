from __future__ import annotations

from django.contrib import admin

from scoring.models import FollowUp, Scenario, StoredResult


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "evaluation", "created_by", "created_at")
    raw_id_fields = ("evaluation", "created_by")


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "instansi", "evaluation", "owner_opd", "due_date", "status")
    list_filter = ("status",)
    raw_id_fields = ("instansi", "evaluation", "indicator", "owner_opd", "owner", "created_by", "carried_from")


@admin.register(StoredResult)
class StoredResultAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("instansi", "framework", "year", "stage", "index", "predicate", "updated_at")
    list_filter = ("stage", "year")
    raw_id_fields = ("instansi", "framework", "evaluation", "imported_by")
