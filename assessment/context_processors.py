"""Per-page context: the user's membership and unread notifications (for the header)."""

from __future__ import annotations

from django.http import HttpRequest

from assessment.access import is_assessor, membership
from assessment.models import Notification, Role


def portal(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated:
        return {}
    member = membership(request)
    return {
        "membership": member,
        "assessor": is_assessor(member),  # the header shows only their assignments
        "assigns_assessors": member is not None and member.role == Role.KOORDINATOR,
        "unread_notifications": Notification.objects.filter(user_id=request.user.pk, read_at=None).count(),
    }
