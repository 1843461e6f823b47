"""Ringkasan eksekutif: sentences generated from the figures the report's tables print.

`executive_summary(ctx)` takes the Laporan Hasil's context (reports.context.hasil) and returns
the paragraph in Indonesian and in English (the report prints both). There is one builder,
`sentences`: its texts are gettext strings (msgids in Indonesian, English in locale/en) and it
writes in the active language, so the two paragraphs cannot say different things. Every number
in it is a value the tables show (the engine's displayed, half-up rounded figures), the national
index of the framework's file (with its source) and the region's own target (IKU) for the year
when an admin has set one; a position that is not known is not mentioned.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from assessment.models import STAGE_ORDER, Stage
from scoring.charts import national_points
from spbe_portal import formatting

LANGUAGES = ("id", "en")


def _fig(value: Decimal) -> str:
    """A figure in the active language's digits ("2,35" / "2.35"); the one formatting call here."""
    return formatting.number(value)


@dataclass(frozen=True)
class Facts:
    index: Decimal | None
    predicate: str
    provisional: int  # indicators without a value (0: the figure is complete)
    previous: tuple[int, Decimal] | None  # last year's published index of the same framework
    national: tuple[int, Decimal] | None
    national_source: str
    target: tuple[int, Decimal, str] | None  # the region's target for the year (IKU): year, value, basis
    weakest: list[tuple[str, Decimal]]  # (code and name, index), lowest first
    steps: list[tuple[int, str, Decimal]]  # (indicator number, name, index after the step)
    done: list[str]  # stage codes
    pending: list[str]


def facts(ctx: dict[str, Any]) -> Facts:
    final = ctx["final"]
    result = final.result if final else None
    index = result.index if result else None
    year = ctx["evaluation"].year
    history = [p for p in ctx["charts_history"] if p.year < year]
    same = [p for p in history if getattr(p, "series", None) in (None, "", ctx["framework"].short_name)]
    meta = ctx["framework"].meta if isinstance(ctx["framework"].meta, dict) else {}
    national = [p for p in national_points(meta) if p.year <= year]
    target = ctx.get("index_target")
    deepest = max((g.depth for g in ctx["groups"]), default=0)
    scored = [
        (f"{g.code} {g.name}", g.scores[-1]) for g in ctx["groups"] if g.depth == deepest and g.depth and g.scores
    ]
    weakest = sorted(((name, s) for name, s in scored if s is not None), key=lambda item: item[1].exact)[:3]
    done_codes = [r.stage for r in ctx["results"]]
    last = STAGE_ORDER.index(done_codes[-1]) if done_codes else -1
    return Facts(
        index=index.display if index else None,
        predicate=(index.predicate or "") if index else "",
        provisional=len(result.missing) if result else 0,
        previous=(same[-1].year, same[-1].value) if same else None,
        national=(national[-1].year, national[-1].value) if national else None,
        national_source=str(meta.get("national_results_source") or ""),
        target=(target.year, target.target, target.basis) if target else None,
        weakest=[(name, s.display) for name, s in weakest],
        steps=[(s.row.number, s.row.name, s.index_after) for s in ctx["advice"]["steps"][:5]],
        done=done_codes,
        pending=list(STAGE_ORDER[last + 1 :]),
    )


def _position(f: Facts, index: Decimal, abbr: str, cite: bool) -> list[str]:
    """Where `index` stands against the national index and the region's target, where known."""
    out = []
    if f.national:
        year, value = f.national
        side = _("di atas") if index > value else _("di bawah") if index < value else _("sama dengan")
        args = {"side": side, "abbr": abbr, "year": year, "value": _fig(value), "source": f.national_source}
        if cite and f.national_source:
            out.append(_("Indeks ini %(side)s indeks %(abbr)s nasional tahun %(year)s (%(value)s; sumber: %(source)s).")
                       % args)  # fmt: skip
        else:
            out.append(_("Indeks ini %(side)s indeks %(abbr)s nasional tahun %(year)s (%(value)s).") % args)
    if f.target:
        year, value, basis = f.target
        gap = index - value
        args = {"basis": basis or _("IKU"), "year": year, "target": _fig(value), "gap": _fig(abs(gap))}
        if gap > 0:
            out.append(_("Target indeks daerah (%(basis)s) tahun %(year)s sebesar %(target)s terlampaui %(gap)s.")
                       % args)  # fmt: skip
        elif gap == 0:
            out.append(_("Target indeks daerah (%(basis)s) tahun %(year)s sebesar %(target)s tercapai.") % args)
        else:
            out.append(
                _("Target indeks daerah (%(basis)s) tahun %(year)s sebesar %(target)s belum tercapai: kurang %(gap)s.")
                % args
            )
    return out


def sentences(f: Facts, ctx: dict[str, Any], cite: bool = True) -> list[str]:
    """The summary in the active language; `cite` names the national figure's source in the text."""
    words = ctx["words"]
    head = {"index_name": words.index, "name": ctx["instansi"].name, "year": ctx["evaluation"].year}
    if f.index is None:
        return [_("%(name)s belum memiliki nilai %(index_name)s tahun %(year)s.") % head]
    head |= {"value": _fig(f.index), "predicate": f.predicate, "missing": f.provisional}
    if f.provisional:
        first = _(
            "%(index_name)s %(name)s tahun %(year)s adalah %(value)s dengan predikat %(predicate)s "
            "(sementara: %(missing)s indikator belum dinilai)."
        )
    else:
        first = _("%(index_name)s %(name)s tahun %(year)s adalah %(value)s dengan predikat %(predicate)s.")
    out = [first % head]
    if f.previous:
        change = f.index - f.previous[1]
        args = {"year": f.previous[0], "value": _fig(f.previous[1]), "amount": _fig(abs(change))}
        if change > 0:
            out.append(_("Dibanding tahun %(year)s (%(value)s), indeks naik %(amount)s.") % args)
        elif change < 0:
            out.append(_("Dibanding tahun %(year)s (%(value)s), indeks turun %(amount)s.") % args)
        else:
            out.append(_("Dibanding tahun %(year)s (%(value)s), indeks tetap.") % args)
    else:
        out.append(_("Belum ada hasil tahun sebelumnya dengan kerangka yang sama untuk dibandingkan."))
    out += _position(f, f.index, words.abbr, cite)
    if f.weakest:
        kind = words.levels[-1].lower() if words.levels else _("kelompok")
        listed = "; ".join(f"{n} ({_fig(v)})" for n, v in f.weakest)
        args = {"count": len(f.weakest), "kind": kind, "list": listed}
        out.append(_("%(count)s %(kind)s terlemah: %(list)s.") % args)
    if f.steps:
        listed = "; ".join(
            _("indikator %(number)s %(name)s (indeks menjadi %(after)s)") % {"number": n, "name": t, "after": _fig(a)}
            for n, t, a in f.steps
        )
        out.append(_("Langkah yang paling menaikkan indeks: %(list)s.") % {"list": listed})
    labels = dict(Stage.choices)
    stages = _("Tahap selesai: %(list)s.") % {"list": ", ".join(str(labels[s]) for s in f.done)}
    if f.pending:
        stages += " " + _("Tahap berikutnya: %(list)s.") % {"list": ", ".join(str(labels[s]) for s in f.pending)}
    out.append(stages)
    return out


def executive_summary(ctx: dict[str, Any]) -> dict[str, Any]:
    """{"facts": Facts, "id": [sentences], "en": [sentences], "id_head", "en_head"}: one builder,
    rendered per language. The head is the index, its change and its position (national index,
    target), what the one-page summary prints; it names the national source apart ("source")."""
    found = facts(ctx)
    out: dict[str, Any] = {"facts": found}
    for language in LANGUAGES:
        with translation.override(language):
            out[language] = sentences(found, ctx)
            head = sentences(found, ctx, cite=False)
        # The index, its change (when there is an earlier year: the page's trend line says so
        # otherwise) and its position.
        start, end = (1 if found.previous else 2), 2 + bool(found.national) + bool(found.target)
        out[f"{language}_head"] = head[:1] if found.index is None else [head[0], *head[start:end]]
    out["source"] = found.national_source if found.national else ""
    return out
