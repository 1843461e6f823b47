"""Page numbers: a page that is not a positive ASCII integer is a 400, not quietly page 1.

DRF reads `?page=` loosely (an empty value is the first page); the schema says integer, and a
client that sends something else has a bug it should hear about. A page past the end stays 404.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from spbe_portal.numbers import parse_int


class StrictPageNumberPagination(PageNumberPagination):
    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings and not parse_int(raw, low=1):
            raise ValidationError({self.page_query_param: ["Nomor halaman harus bilangan bulat positif."]})
        return super().paginate_queryset(queryset, request, view)
