from __future__ import annotations

from django.contrib import admin

from reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["kind", "evaluation", "opd", "version", "status", "attempts", "requested_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["fingerprint", "sha256", "size", "attempts"]
