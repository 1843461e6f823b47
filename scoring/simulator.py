"""The what-if simulator: hypothetical values scored by the engine on the server.

The page sends each changed field over htmx (one request per change) and gets the index, the
groups and every indicator's band back, so the arithmetic exists once, in `scoring.engine`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from assessment.models import Evaluation, FrameworkGroup, Indicator
from scoring import engine
from scoring.services import engine_framework
from spbe_portal import formatting
from spbe_portal.numbers import parse_decimal

FIELD = "i{key}"  # the simulator's field for indicator `key`: a figure ("2,75", "2.75" or "3")


def to_units(value: Decimal | int, places: int) -> int:
    """A value as an integer count of 10**-places (the engine's conversion; refuses finer values)."""
    return engine.to_hundredths(value, places)


def from_units(units: int, places: int) -> int | str:
    """The inverse of `to_units`, as stored in a scenario: an int for whole levels."""
    value = Decimal(units).scaleb(-places)
    return int(value) if value == value.to_integral_value() else str(value)


def figure(value: Decimal | None, places: int) -> str:
    """A value as the field holds it: "2.75" (the HTML number field's own notation)."""
    return "" if value is None else f"{value:.{places}f}"


@dataclass(frozen=True)
class Row:
    key: str
    number: int
    name: str
    current: Decimal | None
    value: Decimal | None  # the simulated value (None: not assessed)
    band: str  # the level band the value falls in (decimal frameworks), e.g. "Tingkat 3: 2,50 to 3,49"
    error: str  # why the typed figure was not used (the current value is scored instead)
    field: str  # the value as the number field holds it ("2.75")

    @property
    def changed(self) -> bool:
        return self.value != self.current


def parse(spec: engine.Framework, raw: Mapping[str, str]) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    """The typed figures by indicator key (None: emptied), and an Indonesian reason per refused field.

    A figure must lie within the framework's range on its step (0,01 for decimal values, 1 for levels).
    """
    places = spec.value_places
    values: dict[str, Decimal | None] = {}
    errors: dict[str, str] = {}
    for key in spec.keys:
        text = raw.get(FIELD.format(key=key))
        if text is None:
            continue
        text = text.strip()
        if not text:
            values[key] = None
            continue
        value = parse_decimal(text)  # the one parser for outside numbers (ASCII digits, bounded)
        try:
            valid = value is not None and spec.value_min <= value <= spec.value_max
            valid = valid and value is not None and to_units(value, places) is not None  # refuses a finer step
        except engine.ScoringError:
            valid = False
        if valid and value is not None:
            values[key] = value
        else:
            errors[key] = _(
                "Isi %(low)s–%(high)s dengan langkah %(step)s; nilai saat ini yang dihitung."  # noqa: RUF001
            ) % {
                "low": _comma(spec.value_min, places),
                "high": _comma(spec.value_max, places),
                "step": _comma(Decimal(1).scaleb(-places), places),
            }
    return values, errors


def raise_one_level(
    spec: engine.Framework, values: Mapping[str, Decimal | None], keys: list[str]
) -> dict[str, Decimal | None]:
    """The plan's `?naik=` steps applied: each listed indicator one level up (the engine's next step)."""
    raised = dict(values)
    for key in keys:
        value = raised.get(key)
        if value is not None and key in spec.keys:
            units, _level = spec.next_step(key, to_units(value, spec.value_places))
            raised[key] = Decimal(units).scaleb(-spec.value_places)
    return raised


def simulate(
    evaluation: Evaluation,
    current: Mapping[str, Decimal],
    values: Mapping[str, Decimal | None],
    errors: Mapping[str, str] | None = None,
) -> tuple[engine.Result, list[Row], list[tuple[FrameworkGroup, engine.Score | None]]]:
    """Score the simulated values (2 queries + the engine cache): the result, the rows, the group rows."""
    errors = errors or {}
    framework = evaluation.framework
    spec = engine_framework(framework)
    places = framework.value_places
    groups = list(FrameworkGroup.objects.filter(framework=framework).select_related("parent"))
    indicators = Indicator.objects.filter(framework=framework).only("number", "name").order_by("number")
    scored: dict[str, Decimal] = {}
    rows = []
    for indicator in indicators:
        key = str(indicator.number)
        value = current.get(key) if key in errors else values.get(key, current.get(key))
        if value is not None:
            scored[key] = value
        band = _band(spec, key, value) if value is not None else ""
        field = figure(value, places)
        rows.append(
            Row(key, indicator.number, indicator.name, current.get(key), value, band, errors.get(key, ""), field)
        )
    result = engine.score(spec, scored, engine.PredicateBasis(evaluation.predicate_basis))
    return result, rows, [(g, result.groups.get(g.code)) for g in groups]


def _band(spec: engine.Framework, key: str, value: Decimal) -> str:
    """The level band holding `value`, for frameworks whose levels are value bands (Pemdi)."""
    edges = spec.level_edges(key)
    if not edges:
        return ""
    places, units = spec.value_places, to_units(value, spec.value_places)
    top = to_units(spec.value_max, places)
    for index, (level, lower) in enumerate(edges):
        upper = edges[index + 1][1] - 1 if index + 1 < len(edges) else top
        if units <= upper or index + 1 == len(edges):
            return _("Tingkat %(level)s: %(low)s–%(high)s") % {  # noqa: RUF001
                "level": level,
                "low": _comma(Decimal(max(lower, to_units(spec.value_min, places))).scaleb(-places), places),
                "high": _comma(Decimal(upper).scaleb(-places), places),
            }
    return ""


def _comma(value: Decimal, places: int) -> str:
    """ "2,50" in Indonesian, "2.50" in English."""
    return formatting.number(value, places)
