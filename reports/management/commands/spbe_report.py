"""manage.py spbe_report: build a report document without the web server or a worker.

    manage.py spbe_report --instansi kabupaten-siak --year 2022 --kind hasil --output siak-2022.pdf
    manage.py spbe_report --instansi kabupaten-siak --year 2026 --kind opd --opd bkpsdm --output bkpsdm.pdf

The same `reports.rendering.build` the portal uses. Bad input (an unknown instansi, year, kind or
OPD; --opd with an instansi-wide kind; a Berita Acara before finalisation; an output path that
cannot be written) exits with status 2 and a message, and writes no file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.models import Evaluation, Instansi, Opd
from reports.kinds import KINDS
from reports.rendering import ReportNotAvailable, build


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Build a report (hasil, berita-acara, opd, xlsx, csv) of one evaluation into a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instansi", required=True, help="instansi slug, e.g. kabupaten-siak")
        parser.add_argument("--year", required=True, type=int, help="evaluation year")
        # Checked in handle, not with argparse choices, so every bad input exits the same way (2).
        parser.add_argument("--kind", required=True, help=f"one of {', '.join(KINDS)}")
        parser.add_argument("--output", required=True, help="file to write")
        per_opd = ", ".join(k.key for k in KINDS.values() if k.takes_opd)
        parser.add_argument("--opd", help=f"OPD code: only that OPD's indicators (kinds {per_opd})")

    def handle(self, *_args: Any, instansi: str, year: int, kind: str, output: str, opd: str | None, **_: Any) -> None:
        if kind not in KINDS:
            raise _fail(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        found = Instansi.objects.filter(slug=instansi).first()
        if found is None:
            known = ", ".join(Instansi.objects.order_by("slug").values_list("slug", flat=True)[:20]) or "none"
            raise _fail(f"unknown instansi {instansi!r} (known: {known})")
        evaluation = (
            Evaluation.objects.select_related("instansi", "framework", "finalised_by")
            .filter(instansi=found, year=year)
            .first()
        )
        if evaluation is None:
            years = ", ".join(str(y) for y in found.evaluations.order_by("year").values_list("year", flat=True))
            raise _fail(f"{found.name} has no evaluation for {year} (years: {years or 'none'})")
        unit = None
        if opd is not None:
            if not KINDS[kind].takes_opd:
                raise _fail(f"--opd does not apply to {kind}: that report covers the whole instansi")
            unit = Opd.objects.filter(instansi=found, code=opd).first()
            if unit is None:
                codes = ", ".join(found.opds.order_by("code").values_list("code", flat=True))
                raise _fail(f"{found.name} has no OPD {opd!r} (codes: {codes or 'none'})")
        target = Path(output)
        if not target.parent.is_dir():
            raise _fail(f"cannot write {output}: directory {target.parent} does not exist")
        try:
            document = build(kind, evaluation, unit)
        except ReportNotAvailable as exc:
            raise _fail(str(exc)) from exc
        try:
            target.write_bytes(document.content)
        except OSError as exc:
            raise _fail(f"cannot write {output}: {exc.strerror}") from exc
        self.stdout.write(f"{target} ({len(document.content):,} bytes, {document.content_type})")
