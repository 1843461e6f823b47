"""Stage results: a stage carries the previous stage's value, written once.

The stages run in `STAGE_ORDER` (self-assessment, verification, then the official document,
interview and site-visit stages). A stage records values only for the indicators it revisits;
any other indicator keeps the latest earlier stage's value. `carry` applies that rule to an
evaluation's values, `as_of` to one indicator's. `scoring.results.stage_results` scores every
stage with them and is what pages, PDFs, the workbook and the API call (reading the stored rows
it wrote when they are fresh); per-indicator levels (report rows, the evidence package) and the
values instansi-wide tools read (`scoring.services.values_at_stages`) come from here too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from assessment.models import STAGE_ORDER
from assessment.models.evaluation import exact_number
from scoring import engine

Number = Decimal | Fraction  # a stored value read back exactly (StageValue.number)

K = TypeVar("K")
V = TypeVar("V")


# What `recorded` reads: StageValue.values_list(*RECORDED_FIELDS), any filter.
RECORDED_FIELDS = ("answer__evaluation_id", "answer__indicator__number", "stage", "value", "exact")


def recorded(rows: Iterable[tuple[int, int, str, Decimal, str]]) -> dict[int, dict[str, dict[str, Number]]]:
    """Stage value rows as evaluation id → stage → indicator number ("7") → exact value."""
    out: dict[int, dict[str, dict[str, Number]]] = defaultdict(lambda: defaultdict(dict))
    for evaluation_id, number, stage, value, exact in rows:
        out[evaluation_id][stage][str(number)] = exact_number(value, exact)
    return out


def carry(by_stage: Mapping[str, Mapping[K, V]]) -> list[tuple[str, dict[K, V]]]:
    """Each stage that recorded values, in order, with every key's value as of that stage.

    `by_stage` maps a stage to the values recorded at it; a key the stage did not revisit
    carries the latest earlier stage's value.
    """
    carried: dict[K, V] = {}
    out = []
    for stage in STAGE_ORDER:
        if stage in by_stage:
            carried = {**carried, **by_stage[stage]}
            out.append((stage, carried))
    return out


def carried_at(by_stage: Mapping[str, Mapping[K, V]], stage: str) -> dict[K, V]:
    """Every key's value as of `stage` (empty before the first stage with values)."""
    limit = STAGE_ORDER.index(stage)
    reached = [values for at, values in carry(by_stage) if STAGE_ORDER.index(at) <= limit]
    return reached[-1] if reached else {}


def as_of(values: Mapping[str, V], stage: str = STAGE_ORDER[-1]) -> V | None:
    """One indicator's value as of `stage` from its `values` per stage: the latest one up to it."""
    return carried_at({at: {0: value} for at, value in values.items()}, stage).get(0)


@dataclass(frozen=True)
class StageResult:
    """One stage's figures: the engine's result on the values carried to that stage.

    `values` (indicator number → exact value) is filled when the stage was scored here and
    left empty when the result was read from the store (pages need only the figures).
    """

    stage: str
    label: str
    result: engine.Result
    values: Mapping[str, Number] = field(default_factory=dict, compare=False)
