"""django-filter's DRF backend as the API uses it: the FilterSet (assessment.filters) decides what a
value that does not parse does, so the backend never answers 400 for a filter."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    raise_exception = False  # assessment.filters.EvaluationFilter: nothing matches, an empty list
