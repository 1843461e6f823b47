"""Import of earlier years' official results from CSV or Excel: validate everything, then write.

A row holds `tahun` and either the domain indices (one column per top-level group code of the
framework, e.g. D1..D4) with `indeks` and `predikat`, or a level per indicator (`I1`..`I47`),
which is then scored by the engine. Column names come from the framework, never from here.
`validate` reads the whole file and returns every row's errors; `apply` writes the validated
rows in one transaction, or nothing. Decimals are accepted as "2,35" and "2.35".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment import tabular
from assessment.models import Framework, Instansi
from scoring import engine
from scoring.models import IMPORTED_STAGE, StoredResult
from scoring.results import row_from_result
from scoring.services import engine_framework
from spbe_portal import formatting
from spbe_portal.numbers import parse_decimal, parse_int

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 300


@dataclass
class ImportRow:
    number: int  # the row in the file, as a spreadsheet numbers it (the header is row 1)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    instansi: Instansi | None = None
    framework: Framework | None = None
    year: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # the StoredResult fields to write
    levels: dict[str, str] = field(default_factory=dict)
    replaces: bool = False

    def domain(self, code: str) -> str:
        group = self.fields.get("groups", {}).get(code)
        return str(group["value"]) if group else ""


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is shown as is."""


_FILE_ERRORS = {
    "unreadable": gettext_lazy("Berkas Excel tidak dapat dibaca."),
    "encoding": gettext_lazy("Berkas CSV harus berenkode UTF-8."),
    "type": gettext_lazy("Unggah berkas .csv atau .xlsx."),
    "empty": gettext_lazy("Berkas kosong."),
}


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV (comma or semicolon) or .xlsx file as {lower-case header: text}."""
    try:  # the one tabular reader (assessment/tabular.py): size, rows, columns, streamed
        table = tabular.read(content, name=name, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    except tabular.TableError as error:
        if error.kind == "size":
            raise ImportFileError(_("Berkas terlalu besar (maksimal 2 MB).")) from error
        if error.kind == "rows":
            raise ImportFileError(_("Terlalu banyak baris (maksimal %(max)s).") % {"max": MAX_ROWS}) from error
        if error.kind == "csv":
            raise ImportFileError(_("Berkas CSV tidak dapat dibaca: %(reason)s.") % {"reason": error.detail}) from error
        raise ImportFileError(str(_FILE_ERRORS[error.kind])) from error
    header = table.header
    return [
        {h: (tabular.text(row[i]).strip() if i < len(row) else "") for i, h in enumerate(header) if h}
        for _number, row in table.rows
    ]


def _number(text: str) -> Decimal | None:
    return parse_decimal(text)


class Importer:
    """Validation against one framework, for one instansi (an admin) or any, by slug (superuser)."""

    def __init__(self, framework: Framework, instansi: Instansi | None) -> None:
        self.framework, self.instansi = framework, instansi
        self.spec = engine_framework(framework)
        self.domains = [g for g in self.spec.groups if g.parent is None]
        self.indicators = [f"i{k}" for k in self.spec.keys]
        self.places = framework.value_places

    def template_header(self) -> list[str]:
        head = ["tahun"] + ([] if self.instansi else ["instansi"])
        return [*head, "indeks", "predikat", *[g.code for g in self.domains], *[c.upper() for c in self.indicators]]

    def validate(self, table: list[dict[str, str]]) -> list[ImportRow]:
        slugs = {r.get("instansi", "") for r in table} - {""}
        by_slug = {i.slug: i for i in Instansi.objects.filter(slug__in=slugs)}
        rows, seen = [], set()
        for position, cells in enumerate(table, start=2):
            row = ImportRow(position)
            self._instansi(row, cells, by_slug)
            self._year(row, cells)
            if any(cells.get(c) for c in self.indicators):
                self._from_levels(row, cells)
            else:
                self._from_domains(row, cells)
            if row.instansi and row.year:
                key = (row.instansi.pk, row.year)
                if key in seen:
                    row.errors.append(("tahun", _("Tahun ini sudah ada di baris lain untuk instansi yang sama.")))
                seen.add(key)
            rows.append(row)
        existing = set(
            StoredResult.objects.filter(
                framework=self.framework, stage=IMPORTED_STAGE, instansi__in={r.instansi for r in rows if r.instansi}
            ).values_list("instansi_id", "year")
        )
        for row in rows:
            row.replaces = bool(row.instansi and (row.instansi.pk, row.year) in existing)
        return rows

    def _instansi(self, row: ImportRow, cells: dict[str, str], by_slug: dict[str, Instansi]) -> None:
        slug = cells.get("instansi", "")
        if self.instansi is not None:
            if slug and slug != self.instansi.slug:
                row.errors.append(("instansi", _("Anda hanya dapat mengimpor hasil instansi Anda sendiri.")))
            row.instansi = self.instansi
        elif not slug:
            row.errors.append(("instansi", _("Isi kode (slug) instansi.")))
        elif slug not in by_slug:
            row.errors.append(("instansi", _("Instansi “%(slug)s” tidak dikenal.") % {"slug": slug}))
        else:
            row.instansi = by_slug[slug]
        row.framework = self.framework

    def _year(self, row: ImportRow, cells: dict[str, str]) -> None:
        text = cells.get("tahun", "")
        year = parse_int(text)
        if year is None:
            row.errors.append(("tahun", _("Isi tahun dengan empat angka, misalnya 2021.")))
        elif not 2015 <= year <= timezone.localdate().year:
            row.errors.append(("tahun", _("Tahun %(year)s di luar rentang yang diterima.") % {"year": text}))
        else:
            row.year = year

    def _value(self, row: ImportRow, cells: dict[str, str], column: str, places: int) -> Decimal | None:
        text = cells.get(column.lower(), "")
        if not text:
            row.errors.append((column, _("Kolom ini wajib diisi.")))
            return None
        value = _number(text)
        low, high = self.framework.value_min, self.framework.value_max
        if value is None:
            row.errors.append((column, _("“%(text)s” bukan angka (contoh: 2,35).") % {"text": text}))
        elif value != value.quantize(Decimal(1).scaleb(-places)) or not low <= value <= high:
            row.errors.append(
                (column, _("Nilai harus antara %(low)s dan %(high)s dengan paling banyak %(places)s desimal.")
                 % {"low": low.normalize(), "high": high.normalize(), "places": places})
            )  # fmt: skip
        else:
            return value
        return None

    def _predicate(self, row: ImportRow, cells: dict[str, str], expected: str | None) -> None:
        given = cells.get("predikat", "")
        if given and given.casefold() != (expected or "").casefold():
            row.errors.append(
                ("predikat", _("Predikat “%(given)s” tidak sesuai indeks; seharusnya “%(expected)s”.")
                 % {"given": given, "expected": expected or "–"})  # noqa: RUF001
            )  # fmt: skip

    def _from_levels(self, row: ImportRow, cells: dict[str, str]) -> None:
        levels = {}
        for key, column in zip(self.spec.keys, self.indicators, strict=True):
            value = self._value(row, cells, column.upper(), self.places)
            if value is not None:
                levels[key] = value
        if row.errors or len(levels) < len(self.spec.keys):
            return
        result = engine.score(self.spec, levels, engine.PredicateBasis(self.framework.predicate_basis))
        if result.index is None:  # cannot happen: every indicator has a value
            return
        given = _number(cells.get("indeks", ""))
        if cells.get("indeks") and given != result.index.display:
            row.errors.append(
                ("indeks", _("Indeks %(given)s tidak sama dengan hasil hitung dari level indikator (%(computed)s).")
                 % {"given": cells["indeks"], "computed": _comma(result.index.display)})
            )  # fmt: skip
        self._predicate(row, cells, result.index.predicate)
        row.fields = row_from_result(result)
        row.levels = {key: str(value) for key, value in levels.items()}

    def _from_domains(self, row: ImportRow, cells: dict[str, str]) -> None:
        given = {g.code: self._value(row, cells, g.code, 2) for g in self.domains}
        index = self._value(row, cells, "indeks", 2)
        values = {code: v for code, v in given.items() if v is not None}
        if row.errors or index is None or len(values) < len(given):
            return
        total = sum((g.weight for g in self.domains), Decimal(0))
        weighted = sum((Fraction(values[g.code]) * Fraction(g.weight) for g in self.domains), Fraction(0)) / Fraction(
            total
        )
        # Published domain indices are rounded, so their weighted sum may be off the official
        # index by at most one hundredth (half a hundredth each way); more is a typing error.
        if abs(Fraction(index) - weighted) > Fraction(1, 100):
            row.errors.append(
                ("indeks", _("Indeks %(given)s tidak sesuai jumlah tertimbang indeks domain (%(computed)s).")
                 % {"given": _comma(index), "computed": _comma(engine.round_half_up(weighted))})
            )  # fmt: skip
            return
        predicate = self.spec.predicate(Fraction(index))
        self._predicate(row, cells, predicate)
        row.fields = {
            "index": index,
            "index_exact": f"{Fraction(index).numerator}/{Fraction(index).denominator}",
            "predicate": predicate or "",
            "groups": {
                g.code: {
                    "kind": g.kind,
                    "exact": f"{Fraction(values[g.code]).numerator}/{Fraction(values[g.code]).denominator}",
                    "value": str(values[g.code]),
                    "predicate": self.spec.predicate(Fraction(values[g.code])) or "",
                }
                for g in self.domains
            },
            "missing": [],
        }


def _comma(value: Decimal) -> str:
    return formatting.number(value, 2)


def importer_for(instansi: Instansi | None, code: str = "") -> Importer | None:
    framework = Framework.objects.filter(code=code or settings.DEFAULT_FRAMEWORK_CODE, is_current=True).first()
    return Importer(framework, instansi) if framework else None


def to_session(rows: list[ImportRow]) -> list[dict[str, Any]]:
    """Validated rows as JSON for the session, between the preview and the apply."""
    return [
        {
            "instansi": r.instansi.pk if r.instansi else None,
            "framework": r.framework.pk if r.framework else None,
            "year": r.year,
            "fields": {**r.fields, "index": str(r.fields["index"])},
            "levels": r.levels,
        }
        for r in rows
    ]


@transaction.atomic
def apply(rows: list[dict[str, Any]], allowed: Instansi | None, user: Any) -> int:
    """Write the validated rows as the imported official stage, all or nothing."""
    for row in rows:
        if allowed is not None and row["instansi"] != allowed.pk:
            raise ImportFileError(_("Anda hanya dapat mengimpor hasil instansi Anda sendiri."))
        fields = {**row["fields"], "index": Decimal(row["fields"]["index"])}
        StoredResult.objects.update_or_create(
            instansi_id=row["instansi"],
            framework_id=row["framework"],
            year=row["year"],
            stage=IMPORTED_STAGE,
            defaults={**fields, "indicator_levels": row["levels"], "imported_by": user, "evaluation": None},
        )
    return len(rows)
