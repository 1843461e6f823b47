"""POST /api/v1/score: the `spbe_index` contract over HTTP (same parsing, same engine, same output)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import SCORE_RESULT_SCHEMA, ScoreRequestSerializer
from api.throttles import ScoreThrottle, UserThrottle
from api.views import SLUG
from scoring import engine
from scoring.services import current_framework, engine_framework
from scoring.vectors import VectorError, parse_items, result_entry

# One request scores at most this many vectors: the work per request stays bounded.
MAX_ITEMS = 1000


def _bad(message: str) -> Response:
    return Response({"detail": message}, status=status.HTTP_400_BAD_REQUEST)


class Score(APIView):
    throttle_classes = [UserThrottle, ScoreThrottle]
    throttle_scope = "score"

    @extend_schema(
        request=ScoreRequestSerializer,
        responses={
            200: OpenApiResponse(response=SCORE_RESULT_SCHEMA, description="results in input order"),
            400: OpenApiResponse(description="`detail` names the bad item and indicator; nothing is scored"),
        },
        examples=[
            OpenApiExample(
                "every indicator at level 3",
                value={"items": [{"id": "contoh", "levels": {str(n): 3 for n in range(1, 48)}}]},
                request_only=True,
            )
        ],
        description="Score level vectors with the index engine, as `manage.py spbe_index` does: every indicator "
        "of the framework, values in its range and places. Any invalid item refuses the whole batch.",
    )
    def post(self, request: Request) -> Response:
        body: Any = request.data
        if not isinstance(body, dict):
            return _bad(_('Isi permintaan harus objek JSON {"items": [{"id": ..., "levels": {...}}]}.'))
        code = body.get("framework", settings.DEFAULT_FRAMEWORK_CODE)
        # A code is a slug: anything else (a NUL byte, which PostgreSQL refuses) cannot be loaded.
        if not isinstance(code, str) or not SLUG.fullmatch(code) or (row := current_framework(code)) is None:
            return _bad(_("Kerangka %(code)s tidak dimuat.") % {"code": repr(code)})
        basis_name = body.get("predicate_basis", row.predicate_basis)  # present but {} or "" is refused
        if basis_name not in engine.PredicateBasis.__members__.values():
            choices = ", ".join(engine.PredicateBasis)
            return _bad(
                _("predicate_basis harus salah satu dari %(choices)s, bukan %(given)s.")
                % {"choices": choices, "given": repr(basis_name)}
            )
        items = body.get("items")
        if isinstance(items, list) and len(items) > MAX_ITEMS:
            return _bad(
                _("Paling banyak %(max)d item per permintaan; yang dikirim %(count)d.")
                % {"max": MAX_ITEMS, "count": len(items)}
            )
        spec = engine_framework(row)
        basis = engine.PredicateBasis(basis_name)
        try:
            parsed = parse_items(items, spec)
            results = [result_entry(item_id, engine.score(spec, values, basis)) for item_id, values in parsed]
        except VectorError as error:
            return _bad(error.localized())
        return Response({"framework": row.code, "predicate_basis": basis.value, "results": results})
