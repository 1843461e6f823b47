"""manage.py spbe_index: score level vectors read as JSON from standard input.

Input:  [{"id": <any>, "levels": {"1": 3, "2": 4, ..., "47": 4}}, ...]
Output: [{"id", "index": "2.59", "predicate": "Cukup", "domains": {...}, "aspects": {...}}, ...]
in the same order. Figures are decimal strings with a dot and the framework's places.
Any invalid item stops the run with status 2 and a message naming it; nothing is printed
to standard output then, so a pipeline never sees half a batch.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring import engine
from scoring.services import current_framework, engine_framework
from scoring.vectors import VectorError, parse_items, result_entry


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Score JSON level vectors from standard input with the index engine."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--framework", default=settings.DEFAULT_FRAMEWORK_CODE, help="framework code")
        parser.add_argument(
            "--predicate-basis",
            choices=[b.value for b in engine.PredicateBasis],
            help="read the predikat from the exact (default) or the rounded index",
        )

    def handle(self, *_args: Any, framework: str, predicate_basis: str | None, **_options: Any) -> None:
        row = current_framework(framework)
        if row is None:
            raise _fail(f"framework {framework!r} is not loaded; run `manage.py load_framework` (make setup does)")
        spec = engine_framework(row)
        basis = engine.PredicateBasis(predicate_basis or row.predicate_basis)
        try:
            items = json.load(sys.stdin)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise _fail(f"input is not valid JSON: {exc}") from exc
        try:
            output = [
                result_entry(item_id, engine.score(spec, values, basis)) for item_id, values in parse_items(items, spec)
            ]
        except VectorError as error:
            raise _fail(str(error)) from error
        self.stdout.write(json.dumps(output, ensure_ascii=False))
