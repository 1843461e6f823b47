"""Ringkasan eksekutif: sentences generated from the figures the report's tables print.

`executive_summary(ctx)` takes the Laporan Hasil's context (reports.context.hasil) and returns
the same paragraph in Indonesian and in English. Every number in it is a value the tables show
(the engine's displayed, half-up rounded figures), so the text and the tables cannot disagree.
Regional targets (IKU) are not held by the portal yet, so the text names none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from assessment.models import STAGE_ORDER, Stage
from spbe_portal import formatting


def _fig(value: Decimal, language: str) -> str:
    """A figure in the language's digits ("2,35" / "2.35"); the one formatting call of this module."""
    return formatting.number(value, language=language)


@dataclass(frozen=True)
class Facts:
    index: Decimal | None
    predicate: str
    provisional: int  # indicators without a value (0: the figure is complete)
    previous: tuple[int, Decimal] | None  # last year's published index of the same framework
    national: tuple[int, Decimal] | None
    weakest: list[tuple[str, Decimal]]  # (code and name, index), lowest first
    steps: list[tuple[int, str, Decimal]]  # (indicator number, name, index after the step)
    done: list[str]
    pending: list[str]


def facts(ctx: dict[str, Any]) -> Facts:
    final = ctx["final"]
    result = final.result if final else None
    index = result.index if result else None
    history = [p for p in ctx["charts_history"] if p.year < ctx["evaluation"].year]
    same = [p for p in history if getattr(p, "series", None) in (None, "", ctx["framework"].short_name)]
    national = [p for p in ctx["national"] if p.year <= ctx["evaluation"].year]
    deepest = max((g.depth for g in ctx["groups"]), default=0)
    scored = [
        (f"{g.code} {g.name}", g.scores[-1]) for g in ctx["groups"] if g.depth == deepest and g.depth and g.scores
    ]
    weakest = sorted(((name, s) for name, s in scored if s is not None), key=lambda item: item[1].exact)[:3]
    labels = dict(Stage.choices)
    done_codes = [r.stage for r in ctx["results"]]
    last = STAGE_ORDER.index(done_codes[-1]) if done_codes else -1
    return Facts(
        index=index.display if index else None,
        predicate=(index.predicate or "") if index else "",
        provisional=len(result.missing) if result else 0,
        previous=(same[-1].year, same[-1].value) if same else None,
        national=(national[-1].year, national[-1].value) if national else None,
        weakest=[(name, s.display) for name, s in weakest],
        steps=[(s.row.number, s.row.name, s.index_after) for s in ctx["advice"]["steps"][:5]],
        done=[r.label for r in ctx["results"]],
        pending=[str(labels[s]) for s in STAGE_ORDER[last + 1 :]],
    )


def _indonesian(f: Facts, ctx: dict[str, Any]) -> list[str]:
    name, year, words = ctx["instansi"].name, ctx["evaluation"].year, ctx["words"]
    if f.index is None:
        return [f"{name} belum memiliki nilai {words.index} tahun {year}."]
    out = [
        f"{words.index} {name} tahun {year} adalah {_fig(f.index, 'id')} dengan predikat {f.predicate}"
        + (f" (sementara: {f.provisional} indikator belum dinilai)." if f.provisional else ".")
    ]
    if f.previous:
        change = f.index - f.previous[1]
        trend = "naik" if change > 0 else "turun" if change < 0 else "tetap"
        amount = f" {_fig(abs(change), 'id')}" if change else ""
        out.append(f"Dibanding tahun {f.previous[0]} ({_fig(f.previous[1], 'id')}), indeks {trend}{amount}.")
    else:
        out.append("Belum ada hasil tahun sebelumnya dengan kerangka yang sama untuk dibandingkan.")
    if f.national:
        side = "di atas" if f.index > f.national[1] else "di bawah" if f.index < f.national[1] else "sama dengan"
        out.append(
            f"Indeks ini {side} indeks {words.abbr} nasional tahun {f.national[0]} ({_fig(f.national[1], 'id')})."
        )
    if f.weakest:
        parts = "; ".join(f"{n} ({_fig(v, 'id')})" for n, v in f.weakest)
        out.append(f"{len(f.weakest)} {words.levels[-1].lower() if words.levels else 'kelompok'} terlemah: {parts}.")
    if f.steps:
        parts = "; ".join(f"indikator {n} {t} (indeks menjadi {_fig(a, 'id')})" for n, t, a in f.steps)
        out.append(f"Langkah yang paling menaikkan indeks: {parts}.")
    out.append(
        "Tahap selesai: " + ", ".join(f.done) + "."
        + (" Tahap berikutnya: " + ", ".join(f.pending) + "." if f.pending else "")
    )  # fmt: skip
    return out


EN_STAGES = {
    "Penilaian Mandiri": "self-assessment",
    "Verifikasi Diskominfo": "Diskominfo verification",
    "Penilaian Dokumen": "document assessment",
    "Penilaian Interviu": "interview",
    "Penilaian Visitasi": "site visit",
}


def _english(f: Facts, ctx: dict[str, Any]) -> list[str]:
    name, year, words = ctx["instansi"].name, ctx["evaluation"].year, ctx["words"]
    if f.index is None:
        return [f"{name} has no {words.index} figure for {year} yet."]
    out = [
        f"The {words.index} of {name} for {year} is {_fig(f.index, 'en')}, rated {f.predicate}"
        + (f" (provisional: {f.provisional} indicators not yet assessed)." if f.provisional else ".")
    ]
    if f.previous:
        change = f.index - f.previous[1]
        trend = "rose" if change > 0 else "fell" if change < 0 else "held steady"
        amount = f" by {_fig(abs(change), 'en')}" if change else ""
        out.append(f"Against {f.previous[0]} ({_fig(f.previous[1], 'en')}), the index {trend}{amount}.")
    else:
        out.append("There is no earlier result under the same framework to compare with.")
    if f.national:
        side = "above" if f.index > f.national[1] else "below" if f.index < f.national[1] else "equal to"
        out.append(f"It is {side} the national {words.abbr} index for {f.national[0]} ({_fig(f.national[1], 'en')}).")
    if f.weakest:
        parts = "; ".join(f"{n} ({_fig(v, 'en')})" for n, v in f.weakest)
        out.append(f"Weakest {len(f.weakest)}: {parts}.")
    if f.steps:
        parts = "; ".join(f"indicator {n} {t} (index becomes {_fig(a, 'en')})" for n, t, a in f.steps)
        out.append(f"Steps that raise the index most: {parts}.")
    done = ", ".join(EN_STAGES.get(s, s) for s in f.done)
    pending = ", ".join(EN_STAGES.get(s, s) for s in f.pending)
    out.append(f"Stages done: {done}." + (f" Still to come: {pending}." if pending else ""))
    return out


def executive_summary(ctx: dict[str, Any]) -> dict[str, Any]:
    found = facts(ctx)
    return {"facts": found, "id": _indonesian(found, ctx), "en": _english(found, ctx)}
