"""The assessment URLs, one module per area, all under the "assessment" namespace."""

from __future__ import annotations

from assessment.urls import evidence, manage, notifications, workflow

app_name = "assessment"
urlpatterns = [*workflow.urlpatterns, *evidence.urlpatterns, *manage.urlpatterns, *notifications.urlpatterns]
