"""The hand-off to the national application (eval.spbe.go.id): one ZIP laid out by item code.

`I13/I13-L2-01/<file>` holds the files the OPD put on that item, so an operator uploads each
folder to the item of the same code without re-sorting anything. `indeks.csv` lists every item of
the evaluation's indicators, with or without files: indicator, item code and text, file name, its
SHA-256 (of the bytes written, checked against the one recorded at upload), link, the OPD's note
and the reviewer's verdict. Built by the report worker (`reports.rendering.build`, kind
"serah-terima") from the latest version of each file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

from django.utils import timezone

from assessment.models import AnswerItem, Evaluation, EvidenceItem, EvidenceVersion, ItemEvidence
from assessment.uploads import clean_name

COLUMNS = ["Indikator", "Kode butir", "Butir bukti", "Berkas dalam ZIP", "SHA-256", "Tautan", "Catatan OPD",
           "Putusan verifikator", "Masalah"]  # fmt: skip


def build(evaluation: Evaluation) -> bytes:
    items = list(
        EvidenceItem.objects.filter(level__indicator__framework=evaluation.framework)
        .select_related("level__indicator")
        .order_by("level__indicator__number", "level__level", "position")
    )
    works = {w.item_id: w for w in AnswerItem.objects.filter(answer__evaluation=evaluation)}
    links: dict[int, list[ItemEvidence]] = {}
    for link in ItemEvidence.objects.filter(answer_item__answer__evaluation=evaluation).select_related("evidence"):
        links.setdefault(link.answer_item_id, []).append(link)
    latest: dict[int, EvidenceVersion] = {}
    for row in EvidenceVersion.objects.filter(
        evidence_id__in={link.evidence_id for group in links.values() for link in group}
    ).order_by("evidence_id", "number"):
        latest[row.evidence_id] = row  # ascending: the last one wins
    out = io.BytesIO()
    rows: list[list[str]] = []
    with zipfile.ZipFile(out, "w") as archive:
        for item in items:
            work = works.get(item.pk)
            verdict = (work.get_verdict_display() if work and work.verdict else "") if work else ""
            note = work.note if work else ""
            base = [item.level.indicator.code, item.code, item.text]
            attached = links.get(work.pk, []) if work else []
            if not attached:
                rows.append([*base, "", "", "", note, verdict, ""])
            for link in attached:
                version = latest.get(link.evidence_id)
                if version is None:  # a service link: the operator enters the address
                    rows.append([*base, "", "", link.evidence.url, note, verdict, ""])
                    continue
                path, digest, problem = _add(archive, item, version)
                rows.append([*base, path, digest, "", note, verdict, problem])
        archive.writestr(_info("indeks.csv"), _csv(rows), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _add(archive: zipfile.ZipFile, item: EvidenceItem, version: EvidenceVersion) -> tuple[str, str, str]:
    name = clean_name(version.original_name) or "berkas"
    path = f"{item.level.indicator.code}/{item.code}/{version.evidence_id}-{name}"
    try:
        with version.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        return "", "", "Berkas tidak ditemukan di penyimpanan portal."
    digest = hashlib.sha256(data).hexdigest()
    problem = "" if digest == version.sha256 else f"SHA-256 berbeda dari yang dicatat saat unggah ({version.sha256})."
    if path not in archive.namelist():
        archive.writestr(_info(path), data, compress_type=zipfile.ZIP_STORED)
    return path, digest, problem


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.external_attr = 0o640 << 16
    return info


def _csv(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return "\ufeff".encode() + text.getvalue().encode("utf-8")
