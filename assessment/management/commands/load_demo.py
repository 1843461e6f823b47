"""manage.py load_demo: the demo instansi, accounts and evaluations (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessment.demo import DEMO_PASSWORD
from assessment.models import Framework
from assessment.services.demo import load_demo


class Command(BaseCommand):
    help = "Create or refresh the demo data (Kabupaten Siak and Kabupaten Sumedang)."

    def handle(self, *_args: Any, **_options: Any) -> None:
        framework = Framework.objects.filter(code=settings.DEFAULT_FRAMEWORK_CODE, is_current=True).first()
        if framework is None:
            raise CommandError("load the framework first: manage.py load_framework")
        accounts = load_demo(framework)
        self.stdout.write(f"Demo data ready. Accounts (password {DEMO_PASSWORD}):")
        for name in accounts:
            self.stdout.write(f"  {name}")
