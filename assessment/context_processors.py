"""Per-page context: the user's membership, what they may do (`can`) and unread notifications."""

from __future__ import annotations

from django.http import HttpRequest

from assessment.access import capabilities, membership
from assessment.models import Notification


def portal(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated:
        return {}
    can = capabilities(request)
    return {
        "membership": membership(request),
        "can": can,  # templates ask `can.review`, never a role string
        "unread_notifications": Notification.objects.filter(user_id=request.user.pk, read_at=None).count(),
    }
