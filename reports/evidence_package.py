"""The evidence package: a ZIP of an evaluation's evidence files with an index (HTML and CSV).

Each file is the latest version of an evidence item attached to an answer of the evaluation,
stored once under `bukti/` however many indicators use it. The index has one row per
(indicator, evidence) pair: the indicator, its self-assessed and final level, the evidence, the
file's path in the ZIP, the document and upload dates, and the SHA-256. The checksum is
recomputed from the bytes put into the ZIP; a file whose bytes no longer match the checksum
recorded at upload (or that is missing) is still listed, with the problem named, so an
auditor sees it rather than a silently different file. Links (service URLs) are listed
without a file. Queries: 3, whatever the number of answers and files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone

from assessment.models import (
    AnswerEvidence,
    Evaluation,
    EvidenceStatus,
    EvidenceVersion,
    Stage,
    StageValue,
)
from assessment.uploads import clean_name
from reports.indicator_rows import level_text
from scoring.stages import as_of
from spbe_portal import formatting

COLUMNS = ["No", "Kode", "Indikator", "Tingkat mandiri", "Tingkat akhir", "Bukti dukung", "Jenis", "Berkas dalam ZIP",
           "Nama berkas asli", "Tanggal dokumen", "Diunggah (WIB)", "Ukuran (bita)", "SHA-256", "Pemeriksaan",
           "Catatan integritas"]  # fmt: skip


@dataclass(frozen=True)
class IndexRow:
    number: int
    code: str
    indicator: str
    claimed: str
    final: str
    title: str
    kind: str
    path: str
    original_name: str
    document_date: date | None
    uploaded_at: datetime | None
    size: int | None
    sha256: str
    review: str
    problem: str

    def cells(self) -> list[str]:
        document = formatting.day(self.document_date) if self.document_date else ""
        uploaded = formatting.wib(self.uploaded_at) if self.uploaded_at else ""
        size = str(self.size) if self.size is not None else ""
        return [str(self.number), self.code, self.indicator, self.claimed, self.final, self.title, self.kind,
                self.path, self.original_name, document, uploaded, size, self.sha256, self.review,
                self.problem]  # fmt: skip


def _levels(evaluation: Evaluation) -> dict[int, dict[str, Decimal]]:
    values: dict[int, dict[str, Decimal]] = {}
    for answer_id, stage, value in StageValue.objects.filter(answer__evaluation=evaluation).values_list(
        "answer_id", "stage", "value"
    ):
        values.setdefault(answer_id, {})[stage] = value
    return values


def build(evaluation: Evaluation) -> bytes:
    latest = EvidenceVersion.objects.filter(evidence_id=OuterRef("evidence_id")).order_by("-number").values("pk")[:1]
    links = list(
        AnswerEvidence.objects.filter(answer__evaluation=evaluation)
        .select_related("answer__indicator", "evidence")
        .annotate(version_id=Subquery(latest))
        .order_by("answer__indicator__number", "added_at", "pk")
    )
    versions = {v.pk: v for v in EvidenceVersion.objects.filter(pk__in=[link.version_id for link in links])}
    levels = _levels(evaluation)
    places = evaluation.framework.value_places
    reviews = dict(EvidenceStatus.choices)
    out = io.BytesIO()
    written: dict[int, tuple[str, str, str]] = {}  # version id -> (path, sha256 of the bytes, problem)
    rows: list[IndexRow] = []
    with zipfile.ZipFile(out, "w") as archive:
        for link in links:
            answer, evidence = link.answer, link.evidence
            version = versions.get(link.version_id)
            if version is not None and version.pk not in written:
                written[version.pk] = _add_file(archive, version)
            path, digest, problem = written[version.pk] if version is not None else ("", "", "")
            recorded = levels.get(answer.pk, {})
            final = as_of(recorded)
            rows.append(IndexRow(
                number=answer.indicator.number, code=answer.indicator.code, indicator=answer.indicator.name,
                claimed=level_text(recorded.get(Stage.MANDIRI), places), final=level_text(final, places),
                title=evidence.title, kind="Berkas" if version is not None else f"Tautan: {evidence.url}",
                path=path, original_name=version.original_name if version else "",
                document_date=evidence.document_date, uploaded_at=version.uploaded_at if version else None,
                size=version.size if version else None, sha256=digest, review=str(reviews[link.status]),
                problem=problem,
            ))  # fmt: skip
        archive.writestr(_info("indeks.csv"), _csv(rows), compress_type=zipfile.ZIP_DEFLATED)
        context = {"evaluation": evaluation, "rows": rows, "columns": COLUMNS, "printed_at": timezone.localtime()}
        html = render_to_string("reports/package/evidence_index.html", context)
        archive.writestr(_info("indeks.html"), html, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _info(name: str, when: datetime | None = None) -> zipfile.ZipInfo:
    moment = timezone.localtime(when) if when else timezone.localtime()
    info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
    info.external_attr = 0o640 << 16
    return info


def _add_file(archive: zipfile.ZipFile, version: EvidenceVersion) -> tuple[str, str, str]:
    path = f"bukti/{version.evidence_id}-v{version.number}-{clean_name(version.original_name) or 'berkas'}"
    try:
        with version.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        return "", "", "Berkas tidak ditemukan di penyimpanan portal."
    digest = hashlib.sha256(data).hexdigest()
    problem = "" if digest == version.sha256 else f"SHA-256 berbeda dari yang dicatat saat unggah ({version.sha256})."
    # Evidence is mostly PDF, JPEG and Office files, already compressed: store, do not deflate again.
    archive.writestr(_info(path, version.uploaded_at), data, compress_type=zipfile.ZIP_STORED)
    return path, digest, problem


def _csv(rows: list[IndexRow]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.cells())
    return "\ufeff".encode() + text.getvalue().encode("utf-8")
