"""Reading and checking a framework file (the format is in docs/framework-format.md).

A framework is data: a tree of weighted groups over indicators, its level scales and its
predicate bands. Nothing here knows how many domains, aspects or indicators there are.
`check_framework` returns the parsed tree or raises `FrameworkFileError` naming the problem.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from assessment.conversion import ConversionError, LevelBand, check_bands, check_table
from assessment.index_reference import IndexReferenceError, reference_of

FORMAT_VERSION = 1
TOTAL_WEIGHT = Decimal(100)


class FrameworkFileError(ValueError):
    """The file is not a consistent framework; the message names the problem."""


@dataclass
class LevelText:
    criterion: str
    fulfilment: str = ""
    evidence: str = ""
    # Pemdi 2026.2 (Modul Indikator): the Kondisi, the numbered evidence items (code, text) in
    # the national application's I#-L#-## form, and a note where the source has a gap.
    condition: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)
    gap: str = ""


@dataclass
class IndicatorDef:
    number: int
    code: str
    name: str
    weight: Decimal
    question: str
    levels: dict[int, LevelText]
    level_scale: str
    description: str = ""
    assessment_rule: str = ""
    evidence_examples: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class GroupDef:
    code: str
    number: int
    kind: str
    name: str
    weight: Decimal
    level_scale: str | None
    groups: list[GroupDef]
    indicators: list[IndicatorDef]


@dataclass
class ScaleDef:
    code: str
    name: str
    levels: dict[int, tuple[str, str]]  # level -> (name, description)
    bands: dict[int, LevelBand] = field(default_factory=dict)  # decimal values: each level's band


@dataclass
class BandDef:
    name: str
    lower: Decimal
    upper: Decimal
    lower_inclusive: bool
    upper_inclusive: bool


@dataclass
class FrameworkDef:
    code: str
    version: str
    name: str
    short_name: str
    regulation: str
    provisional: bool
    unverified: list[str]
    value_kind: str
    value_min: Decimal
    value_max: Decimal
    value_places: int
    rounding_places: int
    predicate_basis: str
    group_kinds: dict[str, str]
    scales: list[ScaleDef]
    bands: list[BandDef]
    groups: list[GroupDef]
    meta: dict[str, Any]
    checksum: str

    def all_groups(self) -> list[GroupDef]:
        found: list[GroupDef] = []
        stack = list(reversed(self.groups))
        while stack:
            group = stack.pop()
            found.append(group)
            stack.extend(reversed(group.groups))
        return found

    def all_indicators(self) -> list[IndicatorDef]:
        return [i for g in self.all_groups() for i in g.indicators]

    def level_numbers(self) -> range:
        return range(int(self.value_min), int(self.value_max) + 1)


def _decimal(raw: Any, where: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise FrameworkFileError(f"{where}: '{raw}' is not a number") from exc
    if not value.is_finite():
        raise FrameworkFileError(f"{where}: '{raw}' is not a finite number")
    return value


def _text(raw: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise FrameworkFileError(f"{where}: '{key}' is missing or empty")
    return value.strip()


def _evidence_items(raw: Any, where: str) -> list[tuple[str, str]]:
    if not isinstance(raw, list) or not all(isinstance(i, dict) and i.get("code") and i.get("text") for i in raw):
        raise FrameworkFileError(f"{where}: 'evidence_items' must be a list of {{code, text}}")
    codes = [str(i["code"]).strip() for i in raw]
    if len(set(codes)) != len(codes):
        raise FrameworkFileError(f"{where}: evidence item codes repeat")
    return [(code, str(i["text"]).strip()) for code, i in zip(codes, raw, strict=True)]


def _parse_indicator(raw: dict[str, Any], scale: str | None, where: str) -> IndicatorDef:
    code = _text(raw, "code", where)
    where = f"indicator {code}"
    if not isinstance(raw.get("number"), int):
        raise FrameworkFileError(f"{where}: 'number' must be a whole number")
    levels_raw = raw.get("levels") or {}
    if not isinstance(levels_raw, dict):
        raise FrameworkFileError(f"{where}: 'levels' must map level numbers to criteria")
    levels = {}
    for key, text in levels_raw.items():
        entry = text if isinstance(text, dict) else {"criterion": text}
        levels[int(key)] = LevelText(
            criterion=str(entry.get("criterion") or "").strip(),
            fulfilment=str(entry.get("fulfilment") or "").strip(),
            evidence=str(entry.get("evidence") or "").strip(),
            condition=str(entry.get("condition") or "").strip(),
            items=_evidence_items(entry.get("evidence_items") or [], f"{where} level {key}"),
            gap=str(entry.get("gap") or "").strip(),
        )
    scale = raw.get("level_scale", scale)
    if not scale:
        raise FrameworkFileError(f"{where}: no level scale (set 'level_scale' on it or its group)")
    known = {"number", "code", "name", "weight", "question", "levels", "level_scale",
             "description", "assessment_rule", "evidence_examples"}  # fmt: skip
    return IndicatorDef(
        number=raw["number"],
        code=code,
        name=_text(raw, "name", where),
        weight=_decimal(raw.get("weight"), f"{where} weight"),
        question=_text(raw, "question", where, required=False),
        levels=levels,
        level_scale=scale,
        description=_text(raw, "description", where, required=False),
        assessment_rule=_text(raw, "assessment_rule", where, required=False),
        evidence_examples=_text(raw, "evidence_examples", where, required=False),
        extra={k: v for k, v in raw.items() if k not in known},
    )


def _level_band(raw: dict[str, Any], scale: Any) -> LevelBand:
    where = f"level scale {scale} level {raw.get('level')}"
    return LevelBand(
        level=int(raw["level"]),
        lower=_decimal(raw.get("lower"), f"{where} lower"),
        upper=_decimal(raw.get("upper"), f"{where} upper"),
        upper_inclusive=bool(raw.get("upper_inclusive", False)),
    )


def external_points(extra: dict[str, Any]) -> list[tuple[Decimal, Decimal]] | None:
    """The conversion table of an externally fed indicator (`extra["external"]`), or None."""
    feed = extra.get("external")
    if not isinstance(feed, dict):
        return None
    return [(Decimal(str(x)), Decimal(str(y))) for x, y in feed.get("points") or []]


def _parse_group(raw: dict[str, Any], inherited_scale: str | None) -> GroupDef:
    code = _text(raw, "code", "group")
    where = f"group {code}"
    scale = raw.get("level_scale") or inherited_scale
    children = raw.get("groups") or []
    indicators = raw.get("indicators") or []
    if bool(children) == bool(indicators):
        raise FrameworkFileError(f"{where}: needs either sub-groups or indicators, not both or neither")
    return GroupDef(
        code=code,
        number=int(raw.get("number", 0)),
        kind=_text(raw, "kind", where),
        name=_text(raw, "name", where),
        weight=_decimal(raw.get("weight"), f"{where} weight"),
        level_scale=raw.get("level_scale"),
        groups=[_parse_group(child, scale) for child in children],
        indicators=[_parse_indicator(i, scale, where) for i in indicators],
    )


def parse_framework(data: dict[str, Any], checksum: str = "") -> FrameworkDef:
    if data.get("format") != FORMAT_VERSION:
        raise FrameworkFileError(f"unsupported format {data.get('format')!r}; expected {FORMAT_VERSION}")
    values = data.get("values") or {}
    rounding = data.get("rounding") or {}
    scales = [
        ScaleDef(
            code=_text(s, "code", "level scale"),
            name=_text(s, "name", "level scale"),
            levels={int(lv["level"]): (str(lv["name"]), str(lv.get("description", ""))) for lv in s["levels"]},
            bands={int(lv["level"]): _level_band(lv, s.get("code")) for lv in s["levels"] if "lower" in lv},
        )
        for s in data.get("level_scales") or []
    ]
    bands = [
        BandDef(
            name=_text(b, "name", "predicate"),
            lower=_decimal(b.get("lower"), f"predicate {b.get('name')} lower"),
            upper=_decimal(b.get("upper"), f"predicate {b.get('name')} upper"),
            lower_inclusive=bool(b.get("lower_inclusive", True)),
            upper_inclusive=bool(b.get("upper_inclusive", False)),
        )
        for b in data.get("predicates") or []
    ]
    basis = rounding.get("predicate_basis", "exact")
    if basis not in {"exact", "rounded"}:
        raise FrameworkFileError(f"rounding.predicate_basis must be 'exact' or 'rounded', not {basis!r}")
    if rounding.get("mode", "half-up") != "half-up":
        raise FrameworkFileError("rounding.mode: only 'half-up' is supported")
    framework = FrameworkDef(
        code=_text(data, "code", "framework"),
        version=_text(data, "version", "framework"),
        name=_text(data, "name", "framework"),
        short_name=_text(data, "short_name", "framework"),
        regulation=_text(data, "regulation", "framework", required=False),
        provisional=bool(data.get("provisional", False)),
        unverified=[str(u) for u in data.get("unverified") or []],
        value_kind=values.get("kind", "level"),
        value_min=_decimal(values.get("min", 1), "values.min"),
        value_max=_decimal(values.get("max", 5), "values.max"),
        value_places=int(values.get("places", 0)),
        rounding_places=int(rounding.get("places", 2)),
        predicate_basis=basis,
        group_kinds={k["kind"]: k["label"] for k in data.get("group_kinds") or []},
        scales=scales,
        bands=bands,
        groups=[_parse_group(g, None) for g in data.get("groups") or []],
        meta={
            **{
                k: data[k]
                for k in (
                    "national_results",
                    "national_results_source",
                    "sources",
                    "status_note",
                    "subject",
                    "value_rule",
                    "level_name_variants",
                    "verdicts",
                )
                if k in data
            },
            **_in_force(data),
        },
        checksum=checksum,
    )
    check_framework(framework)
    return framework


def _in_force(data: dict[str, Any]) -> dict[str, Any]:
    """The optional "in_force" block (assessment.in_force): a first year and a successor's code."""
    block = data.get("in_force")
    if block is None:
        return {}
    if not isinstance(block, dict) or set(block) - {"from_year", "revoked_by"}:
        raise FrameworkFileError("in_force: an object with only 'from_year' and 'revoked_by'")
    year, successor = block.get("from_year"), block.get("revoked_by")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1900 < year < 2200):
        raise FrameworkFileError(f"in_force.from_year must be a year, not {year!r}")
    if successor is not None and (not isinstance(successor, str) or not successor):
        raise FrameworkFileError(f"in_force.revoked_by must be a framework code, not {successor!r}")
    return {"in_force": {"from_year": year, "revoked_by": successor}}


def _check_duplicates(label: str, items: list[Any]) -> None:
    repeated = sorted(str(k) for k, n in Counter(items).items() if n > 1)
    if repeated:
        raise FrameworkFileError(f"duplicate {label}: {', '.join(repeated)}")


def _check_weights(framework: FrameworkDef) -> None:
    for group in framework.all_groups():
        if group.weight <= 0:
            raise FrameworkFileError(f"group {group.code}: weight must be positive")
        parts = [g.weight for g in group.groups] + [i.weight for i in group.indicators]
        if sum(parts) != group.weight:
            raise FrameworkFileError(
                f"group {group.code}: weight {group.weight} is not the sum of its children ({sum(parts)})"
            )
    for indicator in framework.all_indicators():
        if indicator.weight <= 0:
            raise FrameworkFileError(f"indicator {indicator.code}: weight must be positive")
    total = sum((g.weight for g in framework.groups), Decimal(0))
    if total != TOTAL_WEIGHT:
        raise FrameworkFileError(f"weights sum to {total}, not {TOTAL_WEIGHT}")


def _check_levels(framework: FrameworkDef) -> None:
    scales = {s.code: s for s in framework.scales}
    expected = set(framework.level_numbers())
    for scale in framework.scales:
        if set(scale.levels) != expected:
            raise FrameworkFileError(f"level scale {scale.code}: levels {sorted(scale.levels)} != {sorted(expected)}")
    for indicator in framework.all_indicators():
        if indicator.level_scale not in scales:
            raise FrameworkFileError(f"indicator {indicator.code}: unknown level scale {indicator.level_scale!r}")
        for level in sorted(expected):
            text = indicator.levels.get(level)
            if text is None or not text.criterion:
                raise FrameworkFileError(f"indicator {indicator.code}: criterion for level {level} is missing")
        extra = sorted(set(indicator.levels) - expected)
        if extra:
            raise FrameworkFileError(f"indicator {indicator.code}: levels {extra} are outside the scale")


def _check_decimal_values(framework: FrameworkDef) -> None:
    """Level value bands must tile the value range; an external feed needs a usable conversion table."""
    for scale in framework.scales:
        if scale.bands and framework.value_kind != "decimal":
            raise FrameworkFileError(f"level scale {scale.code}: value bands ('lower'/'upper') need decimal values")
        if scale.bands:
            if set(scale.bands) != set(scale.levels):
                raise FrameworkFileError(f"level scale {scale.code}: give 'lower'/'upper' on every level or none")
            try:
                check_bands(list(scale.bands.values()), framework.value_min, framework.value_max)
            except ConversionError as exc:
                raise FrameworkFileError(f"level scale {scale.code}: {exc}") from exc
    for indicator in framework.all_indicators():
        if "index_reference" in indicator.extra:
            try:
                reference_of(indicator.extra)
            except IndexReferenceError as exc:
                raise FrameworkFileError(f"indicator {indicator.code}: {exc}") from exc
        if "external" not in indicator.extra:
            continue
        where = f"indicator {indicator.code} external"
        try:
            points = external_points(indicator.extra) or []
            check_table(points)
        except (ConversionError, InvalidOperation, TypeError, ValueError) as exc:
            raise FrameworkFileError(f"{where}: {exc}") from exc
        if framework.value_kind != "decimal":
            raise FrameworkFileError(f"{where}: converted values need decimal indicator values")
        if points[0][1] < framework.value_min or points[-1][1] > framework.value_max:
            raise FrameworkFileError(f"{where}: converted values leave {framework.value_min}..{framework.value_max}")
        missing = _decimal(indicator.extra["external"].get("missing_value", framework.value_min), f"{where} missing")
        if not framework.value_min <= missing <= framework.value_max:
            raise FrameworkFileError(f"{where}: missing_value {missing} is outside the value range")


def _check_bands(framework: FrameworkDef) -> None:
    if not framework.bands:
        raise FrameworkFileError("no predicate bands")
    bands = sorted(framework.bands, key=lambda b: b.lower)
    first, last = bands[0], bands[-1]
    if first.lower != framework.value_min or not first.lower_inclusive:
        raise FrameworkFileError(
            f"predicate bands leave a gap below {first.lower} (must start at {framework.value_min})"
        )
    if last.upper != framework.value_max or not last.upper_inclusive:
        raise FrameworkFileError(
            f"predicate bands leave a gap at the top (must end at {framework.value_max} inclusive)"
        )
    for band in bands:
        if band.lower >= band.upper:
            raise FrameworkFileError(f"predicate {band.name}: lower {band.lower} is not below upper {band.upper}")
    for below, above in itertools.pairwise(bands):
        if below.upper < above.lower:
            raise FrameworkFileError(f"gap between predicates {below.name} and {above.name}")
        if below.upper > above.lower:
            raise FrameworkFileError(f"predicates {below.name} and {above.name} overlap")
        if below.upper_inclusive and above.lower_inclusive:
            raise FrameworkFileError(f"predicates {below.name} and {above.name} overlap at {above.lower}")
        if not below.upper_inclusive and not above.lower_inclusive:
            raise FrameworkFileError(f"gap at {above.lower} between predicates {below.name} and {above.name}")


def check_framework(framework: FrameworkDef) -> None:
    if not framework.groups:
        raise FrameworkFileError("no groups: a framework needs at least one weighted group")
    if framework.value_kind not in {"level", "decimal"}:
        raise FrameworkFileError(f"values.kind must be 'level' or 'decimal', not {framework.value_kind!r}")
    if framework.value_kind == "level" and framework.value_places != 0:
        raise FrameworkFileError("values.places must be 0 for whole levels")
    groups = framework.all_groups()
    indicators = framework.all_indicators()
    _check_duplicates("group codes", [g.code for g in groups])
    _check_duplicates("indicator codes", [i.code for i in indicators])
    _check_duplicates("indicator numbers", [i.number for i in indicators])
    _check_duplicates("predicate names", [b.name for b in framework.bands])
    _check_duplicates("level scale codes", [s.code for s in framework.scales])
    _check_weights(framework)
    _check_levels(framework)
    _check_decimal_values(framework)
    _check_bands(framework)


def read_framework_file(path: Path) -> FrameworkDef:
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise FrameworkFileError(f"{path.name} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise FrameworkFileError(f"{path.name}: expected a JSON object at the top")
    return parse_framework(data, checksum=hashlib.sha256(raw).hexdigest())
