from __future__ import annotations

from django.urls import path

from assessment.views import notifications

urlpatterns = [
    path("notifikasi/", notifications.notification_list, name="notifications"),
    path("notifikasi/baca/", notifications.mark_read, name="notifications-read"),
]
