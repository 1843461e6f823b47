"""An externally fed indicator's self-assessed value, from the agency's published figure.

Some indicators (Pemdi's Indeks SDI, Indeks SJIG) are not judged but converted from another
agency's index (`extra["external"]`, `assessment.conversion`). The value is then never typed: it
follows from the source figure, or from "not yet published" (the feed's `missing_value`). The
answer page and the API's draft save both ask `fed_claim` and pass its value *and* source figure
to `services.answers.save_draft`, so both store the same; the API used to store the value alone
and wipe the source figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from assessment.catalog import external_points
from assessment.conversion import ConversionError, convert
from assessment.models import Framework, Indicator


class ClaimError(ValueError):
    """A source figure and "not yet published" together, or a figure the table cannot convert."""


@dataclass(frozen=True)
class FedClaim:
    value: Decimal | None  # None: neither a figure nor "not yet published" (the value is cleared)
    source_value: Decimal | None


def is_fed(indicator: Indicator) -> bool:
    return bool(external_points(indicator.extra))


def source_range(indicator: Indicator) -> tuple[Decimal, Decimal]:
    """The source figures the conversion table covers (the form field's and the API's bounds)."""
    points = external_points(indicator.extra) or []
    return points[0][0], points[-1][0]


def fed_claim(indicator: Indicator, framework: Framework, source: Decimal | None, missing: bool) -> FedClaim:
    points = external_points(indicator.extra)
    if not points:
        raise ClaimError(_("Indikator ini tidak diisi dari angka instansi lain."))
    if source is not None and missing:
        raise ClaimError(_("Isi angka indeks atau centang 'belum diterbitkan', bukan keduanya."))
    if source is not None:
        try:
            return FedClaim(convert(points, source, framework.value_places).value, source)
        except ConversionError as exc:
            raise ClaimError(str(exc)) from exc
    if missing:
        feed = indicator.extra["external"]
        return FedClaim(Decimal(str(feed.get("missing_value", framework.value_min))), None)
    return FedClaim(None, None)
