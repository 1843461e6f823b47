"""Stored results: the engine's figures per evaluation and stage, kept so that pages read rows.

Why a read-through store and not a signal: values reach an evaluation by many paths (answers,
reviews, official stages recorded after finalisation, a reopen, the demo loader, bulk inserts),
and `assessment` must not know about `scoring`. So each stored row carries a `stamp` of the data
it was computed from (the evaluation's values revision, which database triggers raise on every
change of its stage values, the framework's structure and the predicate basis), one indexed query
tells whether any row is stale, and only stale evaluations are scored again. The page then stays
exact and current while a warm request scores nothing; `compute_results` (the management command) fills the store ahead.

`stage_results` is the one function every output calls for an evaluation's figures per stage;
`score_stages` scores them (the carry rule is `scoring.stages.carry`) and is what the store keeps.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from django.db import transaction
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from assessment.models import STAGE_ORDER, Evaluation, StageValue, ValuesRevision
from scoring import engine
from scoring.models import IMPORTED_STAGE, ResultStage, StoredResult
from scoring.services import engine_framework
from scoring.stages import RECORDED_FIELDS, StageResult, carry, recorded

ORDER = {stage: i for i, stage in enumerate([*STAGE_ORDER, IMPORTED_STAGE])}
EMPTY = engine.Result(index=None, groups={}, kinds={}, missing=())


def _stamps(evaluations: Sequence[Evaluation]) -> dict[int, str]:
    """What each evaluation's values look like now: their revision, kept by database triggers.

    One indexed lookup per page whatever the volume; it replaced an aggregate over every stage
    value of the evaluations (65,800 rows for a 700-instansi ranking, 40 ms in PostgreSQL).
    """
    revisions = dict(
        ValuesRevision.objects.filter(evaluation_id__in=[e.pk for e in evaluations]).values_list(
            "evaluation_id", "revision"
        )
    )
    return {e.pk: _stamp(e.framework.structure_hash, e.predicate_basis, revisions.get(e.pk)) for e in evaluations}


def _stamp(structure_hash: str, basis: str, revision: int | None) -> str:
    """What stored rows were computed from: framework structure, predicate basis, values revision."""
    return f"{structure_hash[:16]}|{basis}|{'0' if revision is None else f'r{revision}'}"


def _blank(evaluation: Evaluation) -> str:
    """The stamp of an evaluation without values."""
    return _stamp(evaluation.framework.structure_hash, evaluation.predicate_basis, None)


def score_stages(evaluations: Sequence[Evaluation]) -> dict[int, list[StageResult]]:
    """Each evaluation's result at every stage that has values, in stage order (1 query + cache)."""
    rows = StageValue.objects.filter(answer__evaluation_id__in=[e.pk for e in evaluations])
    values = recorded(rows.values_list(*RECORDED_FIELDS))
    scored: dict[int, list[StageResult]] = {}
    for evaluation in evaluations:
        spec = engine_framework(evaluation.framework)
        basis = engine.PredicateBasis(evaluation.predicate_basis)
        scored[evaluation.pk] = [
            StageResult(stage, stage_label(stage), engine.score(spec, carried, basis), carried)
            for stage, carried in carry(values[evaluation.pk])
        ]
    return scored


def stage_results(evaluation: Evaluation, *, stored: bool = False) -> list[StageResult]:
    """The evaluation's figures at each stage that has values, in stage order: THE stage results.

    Pages, PDFs, the workbook and the API all call this, so they print the same figures. By
    default the stages are scored (1 query + the framework cache; each `StageResult` carries its
    values), which keeps a report build read-only. `stored=True` reads the stored rows instead,
    scoring and storing them again first if the data changed (`results_for`): what pages use, so
    that a warm page scores nothing and the ranking finds the rows.
    """
    if not stored:
        return score_stages([evaluation])[evaluation.pk]
    rows = results_for([evaluation]).get(evaluation.pk, [])
    return [StageResult(r.stage, stage_label(r.stage), as_result(r)) for r in rows]


def _fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def row_from_result(result: engine.Result) -> dict[str, object]:
    """The stored fields of an engine result (exact fractions as "n/d", displays as strings)."""
    return {
        "index": result.index.display if result.index else None,
        "index_exact": _fraction(result.index.exact) if result.index else "",
        "predicate": (result.index.predicate or "") if result.index else "",
        "groups": {
            code: {
                "kind": result.kinds[code],
                "exact": _fraction(s.exact),
                "value": str(s.display),
                "predicate": s.predicate or "",
            }
            for code, s in result.groups.items()
        },
        "missing": list(result.missing),
    }


def _exact(text: str) -> Fraction:
    numerator, _, denominator = text.partition("/")
    return Fraction(int(numerator), int(denominator or 1))  # faster than Fraction's string parser


def as_result(row: StoredResult | Summary, codes: Collection[str] | None = None) -> engine.Result:
    """A stored row as the engine's `Result`, so that templates and charts take either.

    `codes` limits the groups to those a page shows (the ranking: the domains only), which
    spares building thousands of fractions nobody reads.
    """
    if row.index is None:
        return EMPTY
    chosen = row.groups.items() if codes is None else [(c, row.groups[c]) for c in codes if c in row.groups]
    groups = {code: engine.Score(_exact(g["exact"]), Decimal(g["value"]), g["predicate"] or None) for code, g in chosen}
    return engine.Result(
        index=engine.Score(_exact(row.index_exact), row.index, row.predicate or None),
        groups=groups,
        kinds={code: row.groups[code]["kind"] for code in groups},
        missing=tuple(row.missing),
    )


@transaction.atomic
def _store(evaluations: Sequence[Evaluation], stamps: dict[int, str]) -> list[StoredResult]:
    StoredResult.objects.filter(evaluation__in=[e.pk for e in evaluations]).delete()
    scored = score_stages(evaluations)
    rows = [
        StoredResult(
            instansi_id=e.instansi_id,
            framework_id=e.framework_id,
            year=e.year,
            stage=scored_stage.stage,
            evaluation=e,
            stamp=stamps[e.pk],
            **row_from_result(scored_stage.result),
        )
        for e in evaluations
        for scored_stage in scored[e.pk]
    ]
    fields = ["evaluation", "index", "index_exact", "predicate", "groups", "missing", "stamp", "updated_at"]
    # Two requests refreshing the same evaluation at once: the later write wins, no duplicate.
    StoredResult.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["instansi", "framework", "year", "stage"], update_fields=fields
    )
    return rows


def results_for(evaluations: Iterable[Evaluation]) -> dict[int, list[StoredResult]]:
    """Each evaluation's stored results in stage order, refreshed where the data changed.

    Three queries when nothing changed (stamps, rows, and none to write), whatever the count;
    `evaluations` must come with `framework` selected.
    """
    evaluations = list(evaluations)
    if not evaluations:
        return {}
    stamps = _stamps(evaluations)
    stored: dict[int, list[StoredResult]] = defaultdict(list)
    rows = StoredResult.objects.filter(evaluation__in=[e.pk for e in evaluations]).defer("indicator_levels")
    for row in rows:
        stored[row.evaluation_id].append(row)  # type: ignore[index]  # never None: filtered by evaluation
    stale = [
        e
        for e in evaluations
        if any(r.stamp != stamps[e.pk] for r in stored[e.pk]) or (not stored[e.pk] and stamps[e.pk] != _blank(e))
    ]
    if stale:
        for e in stale:
            stored[e.pk] = []
        for row in _store(stale, stamps):
            if row.evaluation_id is not None:
                stored[row.evaluation_id].append(row)
    return {eid: sorted(rows, key=lambda r: ORDER[r.stage]) for eid, rows in stored.items() if rows}


SUMMARY_FIELDS = ("evaluation_id", "stage", "stamp", "index", "index_exact", "predicate", "groups_text", "missing")


@dataclass
class Summary:
    """A stored row as `stored_summaries` reads it: the index columns, groups still JSON text."""

    stage: str
    stamp: str
    index: Decimal | None
    index_exact: str
    predicate: str
    groups_text: str
    missing: list[str]

    @cached_property
    def groups(self) -> dict[str, dict[str, str]]:
        return json.loads(self.groups_text)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Standing:
    """Where an evaluation stands: its instansi, year, framework and latest stored stage's index."""

    evaluation_id: int
    instansi_id: int
    instansi_name: str
    year: int
    framework_name: str
    index: Decimal
    index_exact: str

    @property
    def exact(self) -> Fraction:
        return _exact(self.index_exact)


def standings(evaluations: QuerySet[Evaluation]) -> list[Standing]:
    """The latest stage's index of every evaluation in `evaluations` that has one, kept fresh.

    For ranking hundreds of evaluations while showing a page of them: one query joins each
    evaluation's stamp inputs to its stored index columns (no JSON, no model instances), and
    only stale evaluations are loaded, scored and stored again. Read a page's full rows with
    `stored_summaries` afterwards.
    """
    keys: dict[int, tuple[int, str, int, str, str]] = {}
    stored: dict[int, list[tuple[str, str, Decimal | None, str]]] = defaultdict(list)
    rows = evaluations.values_list(
        *("pk", "instansi_id", "instansi__name", "year", "framework__short_name", "framework__structure_hash"),
        *("predicate_basis", "values_revision__revision", "stored_results__stage", "stored_results__stamp"),
        *("stored_results__index", "stored_results__index_exact"),
    ).order_by()
    blank: set[int] = set()
    for pk, instansi_id, name, year, framework, structure, basis, revision, stage, *figures in rows:
        if pk not in keys:
            keys[pk] = (instansi_id, name, year, framework, _stamp(structure, basis, revision))
        if revision is None:
            blank.add(pk)
        if stage is not None:
            stored[pk].append((stage, *figures))
    stamps = {pk: key[-1] for pk, key in keys.items()}
    stale = [
        pk
        for pk, stamp in stamps.items()
        if any(row[1] != stamp for row in stored[pk]) or (not stored[pk] and pk not in blank)
    ]
    if stale:
        fresh = _store(list(Evaluation.objects.filter(pk__in=stale).select_related("framework")), stamps)
        for pk in stale:
            stored[pk] = []
        for row in fresh:
            stored[row.evaluation_id].append((row.stage, row.stamp, row.index, row.index_exact))  # type: ignore[index]
    result = []
    for pk, (instansi_id, name, year, framework, _now) in keys.items():
        if stored[pk]:
            _stage, _then, index, exact = max(stored[pk], key=lambda row: ORDER[row[0]])
            if index is not None:
                result.append(Standing(pk, instansi_id, name, year, framework, index, exact))
    return result


def stored_summaries(evaluation_ids: Collection[int]) -> dict[int, list[Summary]]:
    """The stored rows of `evaluation_ids` in stage order, as they are (after `standings`).

    A values query into light `Summary` rows whose groups are decoded only when read: building
    model instances and decoding every row's groups cost more than the query itself.
    """
    stored: dict[int, list[Summary]] = defaultdict(list)
    values = (
        StoredResult.objects.filter(evaluation__in=list(evaluation_ids))
        .annotate(groups_text=Cast("groups", TextField()))
        .values_list(*SUMMARY_FIELDS)
        .order_by()  # sorted here: the model's ordering joins two tables
    )
    for evaluation_id, *fields in values:
        stored[evaluation_id].append(Summary(*fields))
    return {eid: sorted(rows, key=lambda r: ORDER[r.stage]) for eid, rows in stored.items()}


def refresh(evaluations: Iterable[Evaluation]) -> int:
    """Score and store `evaluations` again whatever their stamp (the management command)."""
    evaluations = list(evaluations)
    if not evaluations:
        return 0
    return len(_store(evaluations, _stamps(evaluations)))


def stage_label(stage: str) -> str:
    return str(dict(ResultStage.choices).get(stage, stage))
