"""The home page: the published ranking, and the user's own evaluations."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessment.access import finalised_evaluations, membership, own_evaluations
from scoring.services import ScoredEvaluation, score_evaluations


def _national_series(scored: list[ScoredEvaluation]) -> dict[int, Decimal]:
    series: dict[int, Decimal] = {}
    for item in scored:
        for row in item.evaluation.framework.meta.get("national_results", []):
            series.setdefault(int(row["year"]), Decimal(str(row["index"])))
    return series


def home(request: HttpRequest) -> HttpResponse:
    member = membership(request)
    published = score_evaluations(finalised_evaluations())
    by_year: dict[int, list[ScoredEvaluation]] = defaultdict(list)
    for item in published:
        if item.result.index is not None:
            by_year[item.evaluation.year].append(item)
    for rows in by_year.values():
        rows.sort(key=lambda s: (-s.result.index.exact if s.result.index else 0, s.evaluation.instansi.name))
    national = _national_series(published)
    years = [
        {"year": year, "rows": by_year[year], "national": national.get(year)} for year in sorted(by_year, reverse=True)
    ]
    own = own_evaluations(member).exclude(status="finalised")
    return render(
        request,
        "scoring/home.html",
        {"membership": member, "years": years, "own_open": list(own)},
    )
