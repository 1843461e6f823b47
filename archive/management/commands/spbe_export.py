"""manage.py spbe_export --instansi SLUG --year YYYY --output FILE: one evaluation as a zip archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.export import export_evaluation
from archive.format import ArchiveError
from assessment.models import Evaluation


class Command(BaseCommand):
    help = "Write one evaluation (answers at every stage, reviews, audit trail, evidence files) to a zip archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instansi", required=True, help="slug of the instansi, e.g. kabupaten-siak")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *_args: Any, **options: Any) -> None:
        evaluation = (
            Evaluation.objects.select_related("instansi", "framework")
            .filter(instansi__slug=options["instansi"], year=options["year"])
            .first()
        )
        if evaluation is None:
            raise CommandError(f"Evaluasi {options['instansi']} tahun {options['year']} tidak ditemukan.")
        try:
            manifest = export_evaluation(evaluation, options["output"])
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        counts = manifest["counts"]
        self.stdout.write(
            f"{options['output']}: {counts['answers']} jawaban, {counts['reviews']} keputusan, "
            f"{len(manifest['files'])} berkas bukti, {sum(v for k, v in counts.items() if k.startswith('history.'))} "
            "baris jejak audit"
        )
