"""Loading a framework file into the catalog: an idempotent upsert inside one transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction

from assessment.catalog import FrameworkDef, FrameworkFileError, GroupDef, external_points
from assessment.models import (
    Evaluation,
    EvidenceItem,
    Framework,
    FrameworkGroup,
    Indicator,
    IndicatorLevel,
    LevelScale,
    PredicateBand,
    ScaleLevel,
)


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    created: bool
    changed: bool


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    """'2026.10' after '2026.2': numeric parts compare as numbers."""
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in version.split("."))


def structure_hash(definition: FrameworkDef) -> str:
    """A fingerprint of everything that changes a score: codes, weights, values and bands."""
    shape: dict[str, object] = {
        "values": [definition.value_kind, str(definition.value_min), str(definition.value_max)],
        "groups": [[g.code, str(g.weight), [c.code for c in g.groups]] for g in definition.all_groups()],
        "indicators": [[i.number, i.code, str(i.weight)] for i in definition.all_indicators()],
        "bands": sorted(
            [b.name, str(b.lower), str(b.upper), b.lower_inclusive, b.upper_inclusive] for b in definition.bands
        ),
    }
    # Decimal-valued frameworks: level bands and conversion tables decide the values too (added
    # only when present, so the fingerprint of whole-level frameworks is unchanged).
    bands = {s.code: [[b.level, str(b.lower), str(b.upper), b.upper_inclusive] for b in s.bands.values()]
             for s in definition.scales if s.bands}  # fmt: skip
    feeds = {i.code: [[str(x), str(y)] for x, y in external_points(i.extra) or []]
             for i in definition.all_indicators() if "external" in i.extra}  # fmt: skip
    if bands:
        shape["level_bands"] = bands
    if feeds:
        shape["external"] = feeds
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def load_framework(definition: FrameworkDef) -> LoadResult:
    """Create or update the framework version described by `definition`.

    Texts may be corrected in place. A change of structure (weights, codes, bands) to a version
    that evaluations already use is refused: it would silently change published scores, so it
    needs a new version string instead.
    """
    shape = structure_hash(definition)
    framework, created = Framework.objects.select_for_update().get_or_create(
        code=definition.code, version=definition.version, defaults={"value_kind": definition.value_kind,
        "value_min": definition.value_min, "value_max": definition.value_max},
    )  # fmt: skip
    if not created and framework.structure_hash != shape and Evaluation.objects.filter(framework=framework).exists():
        raise FrameworkFileError(
            f"{definition.code} version {definition.version} is used by evaluations and its weights, "
            "codes or bands differ from the loaded copy; give the file a new version"
        )
    changed = created or framework.checksum != definition.checksum or framework.structure_hash != shape
    for name, value in {
        "name": definition.name,
        "short_name": definition.short_name,
        "regulation": definition.regulation,
        "provisional": definition.provisional,
        "unverified": definition.unverified,
        "value_kind": definition.value_kind,
        "value_min": definition.value_min,
        "value_max": definition.value_max,
        "value_places": definition.value_places,
        "rounding_places": definition.rounding_places,
        "predicate_basis": definition.predicate_basis,
        "group_kinds": definition.group_kinds,
        "meta": definition.meta,
        "checksum": definition.checksum,
        "structure_hash": shape,
    }.items():
        setattr(framework, name, value)
    # New evaluations use the newest version loaded, whatever order the files are loaded in
    # (frameworks/ holds 2026.1, kept for the evaluations on it, beside 2026.2).
    others = Framework.objects.filter(code=definition.code).exclude(pk=framework.pk)
    framework.is_current = all(_version_key(definition.version) >= _version_key(v) for v in others.values_list(
        "version", flat=True))  # fmt: skip
    framework.save()
    if framework.is_current:
        others.update(is_current=False)

    scales = _load_scales(framework, definition)
    _load_tree(framework, definition, scales)
    _load_bands(framework, definition)
    return LoadResult(framework=framework, created=created, changed=changed)


def _load_scales(framework: Framework, definition: FrameworkDef) -> dict[str, LevelScale]:
    scales = {}
    for scale_def in definition.scales:
        scale, _ = LevelScale.objects.update_or_create(
            framework=framework, code=scale_def.code, defaults={"name": scale_def.name}
        )
        for level, (name, description) in scale_def.levels.items():
            band = scale_def.bands.get(level)
            ScaleLevel.objects.update_or_create(
                scale=scale, level=level, defaults={"name": name, "description": description,
                "lower": band.lower if band else None, "upper": band.upper if band else None,
                "upper_inclusive": band.upper_inclusive if band else False},
            )  # fmt: skip
        scale.levels.exclude(level__in=scale_def.levels).delete()
        scales[scale.code] = scale
    return scales


def _load_tree(framework: Framework, definition: FrameworkDef, scales: dict[str, LevelScale]) -> None:
    group_ids: list[int] = []
    indicator_ids: list[int] = []
    position = 0

    def visit(group_def: GroupDef, parent: FrameworkGroup | None) -> None:
        nonlocal position
        position += 1
        group, _ = FrameworkGroup.objects.update_or_create(
            framework=framework,
            code=group_def.code,
            defaults={"parent": parent, "number": group_def.number, "kind": group_def.kind,
                      "name": group_def.name, "weight": group_def.weight, "position": position},
        )  # fmt: skip
        group_ids.append(group.pk)
        for child in group_def.groups:
            visit(child, group)
        for ind in group_def.indicators:
            indicator, _ = Indicator.objects.update_or_create(
                framework=framework,
                number=ind.number,
                defaults={"group": group, "scale": scales[ind.level_scale], "code": ind.code, "name": ind.name,
                          "weight": ind.weight, "question": ind.question, "description": ind.description,
                          "assessment_rule": ind.assessment_rule, "evidence_examples": ind.evidence_examples,
                          "extra": ind.extra},
            )  # fmt: skip
            indicator_ids.append(indicator.pk)
            for level, text in ind.levels.items():
                row, _ = IndicatorLevel.objects.update_or_create(
                    indicator=indicator,
                    level=level,
                    defaults={"criterion": text.criterion, "fulfilment": text.fulfilment, "evidence": text.evidence,
                              "condition": text.condition, "gap": text.gap},
                )  # fmt: skip
                for order, (code, item_text) in enumerate(text.items, start=1):
                    EvidenceItem.objects.update_or_create(
                        level=row, code=code, defaults={"position": order, "text": item_text}
                    )
                row.items.exclude(code__in=[code for code, _ in text.items]).delete()
            indicator.levels.exclude(level__in=ind.levels).delete()

    for top in definition.groups:
        visit(top, None)
    framework.indicators.exclude(pk__in=indicator_ids).delete()
    framework.groups.exclude(pk__in=group_ids).delete()


def _load_bands(framework: Framework, definition: FrameworkDef) -> None:
    names = []
    for band in definition.bands:
        PredicateBand.objects.update_or_create(
            framework=framework,
            name=band.name,
            defaults={"lower": band.lower, "upper": band.upper, "lower_inclusive": band.lower_inclusive,
                      "upper_inclusive": band.upper_inclusive},
        )  # fmt: skip
        names.append(band.name)
    framework.bands.exclude(name__in=names).delete()
