"""manage.py sweep_reports: send queued reports to the broker again (schedule it, e.g. every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reports.services import sweep


class Command(BaseCommand):
    help = "Re-send reports that never reached the broker or were left running by a dead worker."

    def handle(self, *_args: Any, **_options: Any) -> None:
        self.stdout.write(f"{sweep()} report(s) sent to the broker")
