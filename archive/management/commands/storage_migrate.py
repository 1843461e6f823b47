"""manage.py storage_migrate [--source DIR]: copy files from disk into the configured store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.storage_audit import migrate_directory
from spbe_portal.storage import StoredFileMismatchError


class Command(BaseCommand):
    help = (
        "Copy every file under --source (default MEDIA_ROOT) into the default storage (the bucket when "
        "AWS_STORAGE_BUCKET_NAME is set), each checked by SHA-256. Files already there with the same "
        "checksum are skipped, so an interrupted run is resumed by running it again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=Path, default=None, help="the old MEDIA_ROOT")

    def handle(self, *_args: Any, **options: Any) -> None:
        source = Path(options["source"] or settings.MEDIA_ROOT).resolve()
        if not source.is_dir():
            raise CommandError(f"{source} is not a directory.")
        store = storages["default"]
        if isinstance(store, FileSystemStorage) and Path(store.location).resolve() == source:
            raise CommandError("The source is the configured store itself; set AWS_STORAGE_BUCKET_NAME first.")
        try:
            done = migrate_directory(source, store, progress=lambda _what, name: self.stdout.write(f"copied: {name}"))
        except StoredFileMismatchError as error:
            raise CommandError(f"Checksum mismatch, stopped: {error}. Run the command again to resume.") from None
        self.stdout.write(f"{len(done.copied)} copied, {len(done.skipped)} already present and identical")
