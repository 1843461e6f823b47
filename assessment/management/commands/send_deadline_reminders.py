"""manage.py send_deadline_reminders [--date YYYY-MM-DD]: remind OPD staff 7 days and 1 day ahead.

Meant for a daily cron job or Celery beat; it is idempotent, so a re-run the same day is harmless.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from assessment.services.reminders import send_deadline_reminders, today_in_jakarta


def iso_date(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007  (a calendar date, no time)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = "Notify OPD staff of open evaluations whose deadline is 7 days or 1 day away (dates in WIB)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=iso_date, default=None, help="the day to act as, in WIB (default: today in Asia/Jakarta)"
        )

    def handle(self, *_args: Any, **options: Any) -> None:
        today: date = options["date"] or today_in_jakarta()
        sent = send_deadline_reminders(today)
        self.stdout.write(f"{sent} deadline reminder(s) sent for {today.isoformat()}.")
