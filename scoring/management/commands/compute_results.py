"""Score every evaluation (or one year's) again and store its results, whatever their stamp."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from assessment.models import Evaluation
from scoring.results import refresh


class Command(BaseCommand):
    help = "Hitung ulang dan simpan hasil indeks per evaluasi dan tahap."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tahun", type=int, help="hanya evaluasi tahun ini")

    def handle(self, *_args: Any, **options: Any) -> None:
        evaluations = Evaluation.objects.select_related("framework").order_by("year", "pk")
        if options["tahun"]:
            evaluations = evaluations.filter(year=options["tahun"])
        stored = 0
        # In chunks, so that 700 instansi x 5 years never hold every stage value in memory at once.
        ids = list(evaluations.values_list("pk", flat=True))
        for start in range(0, len(ids), 200):
            stored += refresh(evaluations.filter(pk__in=ids[start : start + 200]))
        self.stdout.write(f"{len(ids)} evaluasi, {stored} hasil tersimpan.")
