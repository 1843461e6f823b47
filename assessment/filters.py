"""The filters of the review queue and of the API, as django-filter FilterSets.

One FilterSet per list gives all of it: the page's form (labels, options, what was asked), the
API's filtering through django-filter's DRF backend, and the OpenAPI parameters drf-spectacular
reads from that backend. Numbers are read by spbe_portal.numbers.parse_int, the one parser for
numbers from outside, so `²`, `١٢` or forty 9s never reach the database or a timedelta.

A value that does not parse is never an error page: the review queue ignores it (as if absent),
the API answers an empty list (a typo must not return everything).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.access import led_or_contributed
from assessment.models import Answer, AnswerStatus, Evaluation, EvaluationStatus, FrameworkGroup, Membership, Opd
from spbe_portal.numbers import parse_int


class WholeNumberField(forms.Field):
    """A whole number in ASCII digits within low..high, or None when empty."""

    widget = forms.NumberInput
    default_error_messages = {"invalid": forms.IntegerField.default_error_messages["invalid"]}

    def __init__(self, *, low: int | None = None, high: int | None = None, **kwargs: Any) -> None:
        self.low, self.high = low, high
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = parse_int(value, low=self.low, high=self.high)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class WholeNumberFilter(django_filters.NumberFilter):
    """A NumberFilter (an integer in the OpenAPI schema when its model field is one) read by parse_int."""

    field_class = WholeNumberField

    def get_max_validator(self) -> None:
        return None  # the field's own bound (high) applies


class SlugFilter(django_filters.CharFilter):
    """A slug: ASCII letters, digits, hyphens and underscores (a string in the OpenAPI schema)."""

    field_class = forms.SlugField


class QueryForm(forms.Form):
    """A FilterSet's form: each field's id is "f-<name>", as in the pages' hand-written filter forms."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)


class QueryFilterSet(django_filters.FilterSet):
    """Filters read from a query string; what a value that does not parse does is the subclass's choice."""

    #: False: the value is ignored, as if absent, and the form shows it as typed, without an error.
    #: True: nothing matches.
    invalid_matches_nothing = False

    class Meta:
        form = QueryForm

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.form.errors and self.invalid_matches_nothing:
            return queryset.none()
        filtered: QuerySet[Any] = super().filter_queryset(queryset)  # cleaned_data: only the values that parsed
        self.form.errors.clear()
        return filtered


class ReviewQueueFilter(QueryFilterSet):
    """The review queue: status (submitted unless asked), OPD, domain or aspect, days waiting."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=AnswerStatus.choices, empty_label=None,
                                         widget=forms.Select(attrs={"class": "form-select"}))  # fmt: skip
    opd = WholeNumberFilter(label=_("OPD"), method="by_opd")
    domain = WholeNumberFilter(label=_("Domain / aspek"), method="by_domain")
    # A century at most: beyond it the date arithmetic soon overflows.
    age = WholeNumberFilter(label=_("Menunggu ≥ hari"), method="by_age", low=0, high=36_500,
                            widget=forms.NumberInput(attrs={"min": 0, "class": "form-control"}))  # fmt: skip

    class Meta(QueryFilterSet.Meta):
        model = Answer
        fields: list[str] = []

    def __init__(self, data: QueryDict, queryset: QuerySet[Answer], *, member: Membership) -> None:
        data = data.copy()
        if not data.get("status"):
            data["status"] = AnswerStatus.SUBMITTED
        super().__init__(data, queryset)
        opds = Opd.objects.filter(instansi=member.instansi)
        # A subquery, not a join with DISTINCT over every column (2 ms of planning and sorting).
        domains = FrameworkGroup.objects.filter(
            parent=None,
            framework__in=Evaluation.objects.filter(instansi=member.instansi, status=EvaluationStatus.OPEN).values(
                "framework"
            ),
        )
        # The options only show; any whole number filters (an id of no OPD of the instansi matches nothing).
        self.filters["opd"].extra["widget"] = _select([("", _("Semua OPD")), *((o.pk, o.short_name) for o in opds)])
        self.filters["domain"].extra["widget"] = _select(
            [("", _("Semua")), *((g.pk, f"{g.code} {g.name}") for g in domains)]
        )

    def by_opd(self, queryset: QuerySet[Answer], _name: str, value: int) -> QuerySet[Answer]:
        return queryset.filter(led_or_contributed(value))

    def by_domain(self, queryset: QuerySet[Answer], _name: str, value: int) -> QuerySet[Answer]:
        return queryset.filter(Q(indicator__group_id=value) | Q(indicator__group__parent_id=value))

    def by_age(self, queryset: QuerySet[Answer], _name: str, value: int) -> QuerySet[Answer]:
        return queryset.filter(submitted_at__lte=timezone.now() - timedelta(days=value))


def _select(choices: list[tuple[Any, Any]]) -> forms.Select:
    return forms.Select(attrs={"class": "form-select"}, choices=choices)


class EvaluationFilter(QueryFilterSet):
    """The API's evaluation list: `year` and `instansi` (its slug). Descriptions are the API's (English)."""

    year = WholeNumberFilter(field_name="year", high=9999, help_text="only this year")
    # Only a slug can match; anything else (a NUL byte, which PostgreSQL refuses) fails the field.
    instansi = SlugFilter(
        field_name="instansi__slug", max_length=100, strip=False, help_text="only this instansi (slug)"
    )
    invalid_matches_nothing = True

    class Meta(QueryFilterSet.Meta):
        model = Evaluation
        fields: list[str] = []
