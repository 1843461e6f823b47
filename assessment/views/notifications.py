from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessment.models import Notification


def notification_list(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(user_id=request.user.pk)[:100]
    return render(request, "assessment/notification_list.html", {"items": items})
