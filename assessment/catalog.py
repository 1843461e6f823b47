"""Reading a framework file (the format is in docs/framework-format.md) into its parsed tree.

A framework is data: a tree of weighted groups over indicators, its level scales and its
predicate bands. Nothing here knows how many domains, aspects or indicators there are.
`parse_framework` returns the parsed tree (`catalog_defs`), checked as a whole by
`catalog_checks.check_framework`, or raises `FrameworkFileError` naming the problem.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from assessment.catalog_checks import check_framework
from assessment.catalog_defs import (
    FORMAT_VERSION,
    BandDef,
    FrameworkDef,
    FrameworkFileError,
    GroupDef,
    IndicatorDef,
    LevelText,
    ScaleDef,
    decimal_of,
    external_points,
)
from assessment.conversion import LevelBand

__all__ = [
    "FrameworkDef",
    "FrameworkFileError",
    "GroupDef",
    "external_points",
    "parse_framework",
    "read_framework_file",
]


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
        weight=decimal_of(raw.get("weight"), f"{where} weight"),
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
        lower=decimal_of(raw.get("lower"), f"{where} lower"),
        upper=decimal_of(raw.get("upper"), f"{where} upper"),
        upper_inclusive=bool(raw.get("upper_inclusive", False)),
    )


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
        weight=decimal_of(raw.get("weight"), f"{where} weight"),
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
            lower=decimal_of(b.get("lower"), f"predicate {b.get('name')} lower"),
            upper=decimal_of(b.get("upper"), f"predicate {b.get('name')} upper"),
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
        value_min=decimal_of(values.get("min", 1), "values.min"),
        value_max=decimal_of(values.get("max", 5), "values.max"),
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


def read_framework_file(path: Path) -> FrameworkDef:
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise FrameworkFileError(f"{path.name} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise FrameworkFileError(f"{path.name}: expected a JSON object at the top")
    return parse_framework(data, checksum=hashlib.sha256(raw).hexdigest())
