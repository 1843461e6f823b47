"""manage.py spbe_import --input FILE: restore an evaluation archived by spbe_export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.format import ArchiveError
from archive.restore import restore


class Command(BaseCommand):
    help = "Restore an evaluation archive into this deployment (the framework must be loaded; nothing is overwritten)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path)

    def handle(self, *_args: Any, **options: Any) -> None:
        try:
            evaluation = restore(options["input"])
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Evaluasi {evaluation.instansi.slug} {evaluation.year} dipulihkan dari {options['input']}.")
