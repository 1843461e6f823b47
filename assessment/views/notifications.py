"""The user's own notifications: the list and marking them read. Nothing here crosses users."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from assessment.models import Notification
from spbe_portal.numbers import parse_int


def _own(request: HttpRequest) -> QuerySet[Notification]:
    # LoginRequiredMiddleware already sent anonymous visitors to the login page.
    if not request.user.is_authenticated:
        raise Http404
    return Notification.objects.filter(user_id=request.user.pk)


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    items = _own(request)[:100]
    return render(request, "assessment/notification_list.html", {"items": items})


@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark all the user's unread notifications read, or only one with ?id= (or an id field)."""
    unread = _own(request).filter(read_at=None)
    raw = request.POST.get("id") or request.GET.get("id")
    if raw:
        pk = parse_int(raw)
        if pk is None:
            raise Http404
        # Another user's id simply matches nothing: ids of others cannot be probed.
        unread = unread.filter(pk=pk)
    unread.update(read_at=timezone.now())
    return redirect("assessment:notifications")
