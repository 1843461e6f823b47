"""manage.py storage_check [--apply] [--grace-minutes N]: the store against the database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.storage_audit import audit, repair


class Command(BaseCommand):
    help = (
        "List stored objects no row names (orphans) and rows whose file is gone; with --apply, delete "
        "orphans older than the grace period and mark built reports without a file as failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="repair what can be repaired")
        parser.add_argument(
            "--grace-minutes", type=int, default=60, help="keep orphans younger than this (uploads in flight)"
        )

    def handle(self, *_args: Any, **options: Any) -> None:
        found = audit()
        for name in found.orphans:
            self.stdout.write(f"orphan: {name}")
        for name in found.missing_reports:
            self.stdout.write(f"missing report file: {name}")
        for name in found.missing_evidence:
            self.stdout.write(f"missing evidence file: {name}")
        self.stdout.write(
            f"{len(found.orphans)} orphans, {len(found.missing_reports)} missing report files, "
            f"{len(found.missing_evidence)} missing evidence files"
        )
        if not options["apply"]:
            return
        done = repair(found, timedelta(minutes=options["grace_minutes"]))
        self.stdout.write(
            f"deleted {len(done.deleted)} orphans ({len(done.kept_young)} younger than the grace period kept), "
            f"{done.reports_failed} reports marked failed"
        )
        if found.missing_evidence:
            # Evidence cannot be rebuilt: restore it from the backup of the store.
            raise CommandError(f"{len(found.missing_evidence)} evidence files are missing; restore them from backup.")
