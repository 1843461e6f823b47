"""manage.py load_framework [FILE ...]: load framework files into the catalog (idempotent).

Without arguments it loads every file in frameworks/, then the carry-over mappings between
frameworks in frameworks/mappings/ (reviewable in the admin). An inconsistent file is refused with
a message naming the problem, and nothing of it is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.catalog import FrameworkFileError, read_framework_file
from assessment.services.carryover import load_mapping
from assessment.services.frameworks import load_framework


class Command(BaseCommand):
    help = "Load (create or update) SPBE framework files into the catalog."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="framework JSON files (default: frameworks/*.json)")

    def handle(self, *_args: Any, files: list[Path], **_options: Any) -> None:
        paths = files or sorted(Path(settings.FRAMEWORK_DIR).glob("*.json"))
        if not paths:
            raise CommandError(f"no framework files found in {settings.FRAMEWORK_DIR}")
        for path in paths:
            try:
                result = load_framework(read_framework_file(path))
            except FileNotFoundError as exc:
                raise CommandError(f"{path}: file not found") from exc
            except FrameworkFileError as exc:
                raise CommandError(f"{path.name}: {exc}") from exc
            fw = result.framework
            state = "created" if result.created else ("updated" if result.changed else "unchanged")
            self.stdout.write(
                f"{fw.code} v{fw.version}: {state} ({fw.indicators.count()} indicators, "
                f"{fw.groups.count()} groups, {fw.bands.count()} predicate bands)"
            )
        if files:
            return
        for path in sorted((Path(settings.FRAMEWORK_DIR) / "mappings").glob("*.json")):
            try:
                count = load_mapping(path)
            except FrameworkFileError as exc:
                raise CommandError(f"{path.name}: {exc}") from exc
            self.stdout.write(f"{path.name}: {count} carry-over links")
