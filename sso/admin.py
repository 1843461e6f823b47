from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from sso import services
from sso.models import SsoIdentity, SsoInvitation


@admin.register(SsoIdentity)
class SsoIdentityAdmin(SimpleHistoryAdmin):
    """Per account: its NIP (the invitation), whether SSO is linked, when it was last used."""

    list_display = ("user", "nip", "is_linked", "provider", "linked_at", "last_used_at")
    list_filter = ("provider",)
    search_fields = ("nip", "user__username", "user__first_name", "user__last_name")
    readonly_fields = ("provider", "subject", "linked_at", "last_used_at", "invited_by", "created_at")
    autocomplete_fields = ("user",)
    actions = ["unlink"]

    @admin.display(boolean=True, description=_("SSO terhubung"))
    def is_linked(self, obj: SsoIdentity) -> bool:
        return obj.linked

    @admin.action(description=_("Putuskan SSO (NIP dihapus dari akun)"))
    def unlink(self, request: HttpRequest, queryset: QuerySet[SsoIdentity]) -> None:
        count = 0
        for identity in queryset:
            services.unlink(identity)
            count += 1
        self.message_user(request, _("%(count)d akun diputus dari SSO.") % {"count": count}, messages.SUCCESS)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.invited_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SsoInvitation)
class SsoInvitationAdmin(SimpleHistoryAdmin):
    """A NIP invited before its account exists; the first SSO sign-in creates the account."""

    list_display = ("nip", "instansi", "role", "opd", "created_at", "accepted_by", "accepted_at")
    list_filter = ("role",)
    search_fields = ("nip", "instansi__name")
    readonly_fields = ("invited_by", "created_at", "accepted_by", "accepted_at")
    autocomplete_fields = ("instansi", "opd")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.invited_by = request.user
        super().save_model(request, obj, form, change)
