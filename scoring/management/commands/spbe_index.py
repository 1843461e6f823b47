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
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring import engine
from scoring.services import current_framework, engine_framework


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _value(raw: Any, spec: engine.Framework, where: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise _fail(f"{where}: {raw!r} is not a number")
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise _fail(f"{where}: {raw!r} is not a number") from exc
    if not value.is_finite() or value != value.quantize(Decimal(1).scaleb(-spec.value_places)):
        kind = "a whole level" if spec.value_places == 0 else f"a value with at most {spec.value_places} decimals"
        raise _fail(f"{where}: {raw!r} is not {kind}")
    if not spec.value_min <= value <= spec.value_max:
        step = Decimal(1).scaleb(-spec.value_places)
        low, high = spec.value_min.quantize(step), spec.value_max.quantize(step)
        raise _fail(f"{where}: {raw!r} is outside {low}..{high}")
    return value


def _parse(items: Any, spec: engine.Framework) -> list[tuple[Any, dict[str, Decimal]]]:
    if not isinstance(items, list):
        raise _fail('input must be a JSON array of {"id": ..., "levels": {...}} objects')
    keys = set(spec.keys)
    parsed = []
    for position, item in enumerate(items):
        label = f"item {position + 1}"
        if not isinstance(item, dict):
            raise _fail(f"{label}: expected an object with 'id' and 'levels'")
        if "id" in item:
            label += f" (id {json.dumps(item['id'], ensure_ascii=False)})"
        levels = item.get("levels")
        if not isinstance(levels, dict):
            raise _fail(f"{label}: 'levels' must be an object mapping indicator numbers to levels")
        unknown = sorted(set(map(str, levels)) - keys, key=lambda k: (len(k), k))
        if unknown:
            raise _fail(f"{label}: unknown indicator {', '.join(unknown)}")
        missing = [k for k in spec.keys if k not in levels]
        if missing:
            raise _fail(f"{label}: missing indicator {', '.join(missing)}")
        values = {str(k): _value(v, spec, f"{label}: indicator {k}") for k, v in levels.items()}
        parsed.append((item.get("id"), values))
    return parsed


class Command(BaseCommand):
    help = "Score JSON level vectors from standard input with the index engine."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--framework", default=settings.DEFAULT_FRAMEWORK_CODE, help="framework code")
        parser.add_argument(
            "--predicate-basis",
            choices=[b.value for b in engine.PredicateBasis],
            help="read the predikat from the exact (default) or the rounded index",
        )

    def handle(self, *args: Any, framework: str, predicate_basis: str | None, **options: Any) -> None:
        row = current_framework(framework)
        if row is None:
            raise _fail(f"framework {framework!r} is not loaded; run `manage.py load_framework` (make setup does)")
        spec = engine_framework(row)
        basis = engine.PredicateBasis(predicate_basis or row.predicate_basis)
        try:
            items = json.load(sys.stdin)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise _fail(f"input is not valid JSON: {exc}") from exc
        output = []
        for item_id, values in _parse(items, spec):
            result = engine.score(spec, values, basis)
            if result.index is None:  # cannot happen: _parse refuses incomplete vectors
                raise _fail(f"item {item_id!r} has no indicator values")
            entry: dict[str, Any] = {
                "id": item_id,
                "index": f"{result.index.display:f}",
                "predicate": result.index.predicate,
            }
            for kind in dict.fromkeys(result.kinds.values()):
                entry[f"{kind}s"] = {code: f"{s.display:f}" for code, s in result.by_kind(kind).items()}
            output.append(entry)
        self.stdout.write(json.dumps(output, ensure_ascii=False))
