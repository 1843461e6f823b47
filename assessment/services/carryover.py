"""Carry-over from one framework to its successor (59/2020 -> Pemdi 8/2026).

A mapping file links each new indicator to the old indicators covering the same ground, with a
reason. Starting an evaluation on the new framework can then seed its DRAFT answers from the
instansi's last evaluation on the old one: the old evidence is attached for review (pending),
the old explanations are copied into the draft text, and a suggested value is recorded apart.
Nothing is submitted, verified or approved, and no stage value is written: the OPD still
chooses the value and submits, and the verifier still decides.

Suggested value rule: the LOWEST final level among the mapped old indicators, written as a
decimal (level 3 -> 3,00). The new indicator covers all of the mapped ground, so it is no more
mature than its weakest part; a whole level n sits inside the new level n's band (n,00).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Prefetch

from assessment.catalog import FrameworkFileError
from assessment.models import (
    STAGE_ORDER,
    Answer,
    AnswerEvidence,
    AnswerStatus,
    CarryOverLink,
    CarryOverSuggestion,
    Evaluation,
    Framework,
    Indicator,
    StageValue,
)
from spbe_portal import formatting

RULE = "nilai terendah dari tingkat akhir indikator lama yang dipetakan"


@dataclass(frozen=True)
class CarryOverResult:
    source: Evaluation | None
    answers: int
    evidence: int


def _framework(code: Any) -> Framework:
    framework = Framework.objects.filter(code=str(code), is_current=True).first()
    if framework is None:
        raise FrameworkFileError(f"mapping names framework {code!r}, which is not loaded")
    return framework


@transaction.atomic
def load_mapping(path: Path) -> int:
    """Replace the links between the current versions of the two frameworks named in `path`."""
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise FrameworkFileError(f"{path.name} is not valid JSON: {exc}") from exc
    source, target = _framework(data.get("from")), _framework(data.get("to"))
    old = {i.number: i for i in Indicator.objects.filter(framework=source)}
    new = {i.number: i for i in Indicator.objects.filter(framework=target)}
    kept = []
    for entry in data.get("links") or []:
        reason = str(entry.get("reason") or "").strip()
        if entry.get("to") not in new:
            raise FrameworkFileError(f"{path.name}: {target.code} has no indicator {entry.get('to')!r}")
        if not reason:
            raise FrameworkFileError(f"{path.name}: the link to indicator {entry['to']} needs a reason")
        for number in entry.get("from") or []:
            if number not in old:
                raise FrameworkFileError(f"{path.name}: {source.code} has no indicator {number!r}")
            link, _ = CarryOverLink.objects.update_or_create(
                target=new[entry["to"]], source=old[number], defaults={"reason": reason}
            )
            kept.append(link.pk)
    CarryOverLink.objects.filter(target__framework=target, source__framework=source).exclude(pk__in=kept).delete()
    return len(kept)


def last_source_evaluation(evaluation: Evaluation) -> Evaluation | None:
    """The instansi's latest earlier evaluation on a framework linked to this one."""
    sources = CarryOverLink.objects.filter(target__framework=evaluation.framework_id).values("source__framework")
    return (
        Evaluation.objects.filter(instansi_id=evaluation.instansi_id, year__lt=evaluation.year)
        .filter(framework__in=sources)
        .select_related("framework")
        .order_by("-year")
        .first()
    )


def _final_value(answer: Answer) -> Decimal | None:
    values = {sv.stage: sv.value for sv in answer.stage_values.all()}
    for stage in reversed(STAGE_ORDER):
        if stage in values:
            return values[stage]
    return None


def _shown(value: Decimal | None) -> str:
    # Stored in the suggestion's text, so written the Indonesian way whatever the language.
    return "—" if value is None else formatting.number(value.normalize(), language="id")


def suggested_value(levels: list[Decimal]) -> Decimal | None:
    """See the module docstring: the lowest mapped final level, or None when none is known."""
    return min(levels).quantize(Decimal("0.01")) if levels else None


@transaction.atomic
def carry_over(evaluation: Evaluation, user: AbstractBaseUser) -> CarryOverResult:
    """Seed the evaluation's untouched drafts from the last linked evaluation (idempotent)."""
    source = last_source_evaluation(evaluation)
    if source is None:
        return CarryOverResult(None, 0, 0)
    old_answers = {
        a.indicator_id: a
        for a in source.answers.select_related("indicator").prefetch_related(
            Prefetch("stage_values", queryset=StageValue.objects.all()), "evidence_links"
        )
    }
    links: dict[int, list[CarryOverLink]] = {}
    pairs = CarryOverLink.objects.filter(
        target__framework=evaluation.framework_id, source__framework=source.framework_id
    )
    for link in pairs:
        links.setdefault(link.target_id, []).append(link)
    seeded = attached = 0
    # Lock only the answer rows: PostgreSQL refuses FOR UPDATE on the outer join's nullable side.
    drafts = evaluation.answers.select_for_update(of=("self",)).filter(
        status=AnswerStatus.DRAFT, suggestion__isnull=True
    )
    for answer in drafts.select_related("indicator"):
        sources = [link.source_id for link in links.get(answer.indicator_id, [])]
        mapped = [old_answers[pk] for pk in sources if pk in old_answers]
        if not mapped:
            continue
        levels = [v for a in mapped if (v := _final_value(a)) is not None]
        notes = "\n".join(
            f"Indikator {a.indicator.number} ({a.indicator.name}), tingkat {_shown(_final_value(a))}: "
            f"{a.explanation.strip() or '(tanpa penjelasan)'}"
            for a in mapped
        )
        CarryOverSuggestion.objects.create(
            answer=answer, source_evaluation=source, value=suggested_value(levels), rule=RULE, notes=notes
        )
        evidence_ids = {link.evidence_id for a in mapped for link in a.evidence_links.all()}
        existing = set(answer.evidence_links.values_list("evidence_id", flat=True))
        for evidence_id in sorted(evidence_ids - existing):
            AnswerEvidence.objects.create(answer=answer, evidence_id=evidence_id, added_by_id=user.pk)
            attached += 1
        if not answer.explanation.strip():
            answer.explanation = (
                f"[Saran dari evaluasi {source.framework.short_name} {source.year}: periksa dan sesuaikan dengan "
                f"kriteria {evaluation.framework.short_name}]\n{notes}"
            )
            answer.version += 1
            answer.updated_by_id = user.pk
            answer._history_user = user  # type: ignore[attr-defined]
            answer.save()
        seeded += 1
    return CarryOverResult(source, seeded, attached)
