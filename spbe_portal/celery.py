"""The Celery app. Configuration is the CELERY_* block of settings.py."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spbe_portal.settings")

# task_cls: DjangoTask gives every task delay_on_commit(), so callers enqueue only after
# their transaction has committed and the worker never reads rows that do not exist yet.
app = Celery("spbe_portal", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
