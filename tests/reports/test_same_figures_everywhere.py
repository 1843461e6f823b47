"""The PDF, the page, the API and the Excel export print the same figures (issue 16, "done when").

For every stage of every demo evaluation (`manage.py load_demo`, with Pemdi 8/2026 loaded as a
deployment has it, so Siak 2026 is a Pemdi evaluation with decimal values), each output is read
the way a user reads it: the Laporan Hasil through `pdftotext`, the progress page's HTML, the
results endpoint's JSON and the workbook's "Ringkasan" sheet through openpyxl. The index and every
domain/aspect figure must agree at every stage, and so must every predikat each output prints.
An official stage recorded on one indicator set afterwards (three stages, most indicators carried
from verification) must agree too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from assessment.models import Evaluation, Framework, Stage
from assessment.services.stages import record_stage
from reports.rendering import build
from tests.api.conftest import token_client
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"),
]

INDEX = "index"
DASH = "\u2013"  # what a blank figure or predikat prints as
FIGURE = rf"\d+,\d{{2}}|{DASH}"


class Read:
    """What one output shows: stage labels in order, figures and the predikat it prints.

    `figures[code]` lists the figure per stage as "2.35" (None for a dash or an empty cell);
    `predicates[(code, stage position)]` holds each predikat the output prints.
    """

    def __init__(self) -> None:
        self.labels: list[str] = []
        self.figures: dict[str, list[str | None]] = {}
        self.predicates: dict[tuple[str, int], str] = {}

    @property
    def scored(self) -> dict[str, list[str | None]]:
        """The rows with a figure at some stage (the API leaves out a group nobody answered)."""
        return {code: figures for code, figures in self.figures.items() if any(figures)}


def _figure(text: str | None) -> str | None:
    return None if text in (None, "", DASH) else str(text).replace(",", ".")


def read_api(payload: dict[str, Any]) -> Read:
    read = Read()
    stages = payload["stages"]
    read.labels = [s["label"] for s in stages]
    codes = [INDEX, *dict.fromkeys(g["code"] for s in stages for g in s["groups"])]
    read.figures = {code: [] for code in codes}
    for position, stage in enumerate(stages):
        shown = {g["code"]: g for g in stage["groups"]}
        if stage["index"] is not None:
            shown[INDEX] = stage["index"]
        for code in codes:
            entry = shown.get(code)
            read.figures[code].append(entry["value"] if entry else None)
            if entry and entry["predicate"]:
                read.predicates[(code, position)] = entry["predicate"]
    return read


def read_page(html: str) -> Read:
    read = Read()
    section = html.split('id="idx-heading"', 1)[1].split("</section>", 1)[0]
    headers = re.findall(r'<th scope="col" class="num">([^<]*)</th>', section)
    read.labels = [label for label in headers if label != "Selisih"]
    for code, position, cell in re.findall(r'data-testid="score-([^"]+)-(\d+)">(.*?)</td>', section):
        value, _, rest = cell.partition(" ")
        read.figures.setdefault(code, []).append(_figure(value))
        if predicate := re.search(r"\(([^)]+)\)</span>", rest):
            read.predicates[(code, int(position) - 1)] = predicate.group(1)
    return read


def read_pdf(pdf: bytes, stage_count: int) -> Read:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    lines = text.decode().splitlines()
    read = Read()
    # The two headline figures: "<index> tahap <first stage>" and "<index> tahap <last stage>".
    heads = next(i for i, line in enumerate(lines) if " tahap " in line and "Indeks" in line)
    headline_labels = [part.split(" tahap ", 1)[1] for part in re.split(r"\s{2,}", lines[heads].strip())]
    values_at = next(i for i in range(heads + 1, len(lines)) if re.search(FIGURE, lines[i]))
    headline = re.findall(FIGURE, lines[values_at])
    bands = re.split(r"\s{2,}", lines[values_at + 1].strip())
    # The table "1. Indeks per ...": one line per group, its figures per stage, then the last predikat.
    start = next(i for i, line in enumerate(lines) if re.match(r"1\. Indeks per ", line))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Indeks dihitung eksak"))
    columns = re.split(r"\s{2,}", next(line for line in lines[start + 1 : end] if "Bobot" in line).strip())
    read.labels = columns[columns.index("Bobot") + 1 : columns.index("Predikat")]
    assert headline_labels == [read.labels[0], read.labels[-1]]
    row = re.compile(rf"^\s*(?P<head>.+?)\s+(?:\d+(?:,\d+)?%\s+)?(?P<figures>(?:(?:{FIGURE})\s+){{{stage_count - 1}}}(?:{FIGURE}))(?:\s{{2,}}(?P<band>\S.*))?$")  # fmt: skip
    for line in lines[start:end]:
        found = row.match(line)
        if found is None:
            continue
        head = found["head"].strip()
        code = head.split()[0] if re.match(r"[A-Z]+\d+ ", head) else INDEX
        read.figures[code] = [_figure(f) for f in re.findall(FIGURE, found["figures"])]
        if found["band"] and found["band"] != DASH:
            read.predicates[(code, stage_count - 1)] = found["band"].strip()
    # The headline figures are the index's first and last stage, as the table prints them.
    assert [_figure(f) for f in headline] == [read.figures[INDEX][0], read.figures[INDEX][-1]]
    for position, band in zip((0, stage_count - 1), bands, strict=True):
        if band != DASH:
            read.predicates[(INDEX, position)] = band
    return read


def read_workbook(content: bytes) -> Read:
    sheet = openpyxl.load_workbook(BytesIO(content), read_only=True)["Ringkasan"]
    rows = list(sheet.iter_rows(values_only=True))
    read = Read()
    read.labels = [str(label).removesuffix(" (sementara)") for label in rows[0][4:]]
    for code, name, _level, _weight, *cells in rows[1:]:
        if name == "Predikat":
            for position, band in enumerate(cells):
                if band:
                    read.predicates[(INDEX, position)] = band
            continue
        key = INDEX if code == "-" else str(code)
        read.figures[key] = [None if c is None else f"{Decimal(str(c)):.2f}" for c in cells]
    return read


def outputs(evaluation: Evaluation, sekda: Any) -> dict[str, Read]:
    page = Client()
    page.force_login(sekda)
    html = page.get(f"/indeks/evaluasi/{evaluation.pk}/")
    api = token_client(sekda).get(f"/api/v1/evaluations/{evaluation.pk}/index/")
    assert (html.status_code, api.status_code) == (200, 200)
    payload = api.json()
    return {
        "api": read_api(payload),
        "page": read_page(html.content.decode()),
        "pdf": read_pdf(build("hasil", evaluation).content, len(payload["stages"])),
        "xlsx": read_workbook(build("xlsx", evaluation).content),
    }


def assert_same_figures(evaluation: Evaluation) -> int:
    """Every output agrees with the API's figures; returns the number of stages compared."""
    instansi = evaluation.instansi.slug.removeprefix("kabupaten-")
    read = outputs(evaluation, get_user_model().objects.get(username=f"sekda.{instansi}"))
    api = read.pop("api")
    where = f"{evaluation.instansi.slug} {evaluation.year}"
    assert api.labels and api.scored[INDEX], where
    for name, other in read.items():
        assert other.labels == api.labels, (where, name)
        assert other.scored == api.scored, (where, name)
        for key, band in other.predicates.items():
            assert api.predicates.get(key) == band, (where, name, key)
    stages = range(len(api.labels))
    index_bands = {(INDEX, p) for p in stages if (INDEX, p) in api.predicates}
    # Each output prints the index's predikat: the page and workbook at every stage, the PDF at
    # the first and the last; the page also every domain's.
    assert index_bands <= read["page"].predicates.keys() and index_bands <= read["xlsx"].predicates.keys(), where
    assert {k for k in index_bands if k[1] in (0, len(api.labels) - 1)} <= read["pdf"].predicates.keys(), where
    return len(api.labels)


def test_the_pdf_the_page_the_api_and_the_workbook_agree_at_every_stage(pemdi: Framework) -> None:  # noqa: F811
    call_command("load_demo", stdout=StringIO())
    evaluations = list(Evaluation.objects.select_related("instansi", "framework").order_by("instansi__slug", "year"))
    assert len(evaluations) == 4 and {e.framework.code for e in evaluations} == {pemdi.code, "permenpanrb-59-2020"}
    compared = [assert_same_figures(e) for e in evaluations]
    assert compared == [2, 2, 2, 2]
    # An official stage that revisits three indicators: the rest carry the verification's values.
    siak = evaluations[0]
    answers = dict(siak.answers.values_list("indicator__number", "pk"))
    entries = {answers[n]: (Decimal(v), "Penilaian dokumen (uji)") for n, v in ((10, "4"), (27, "5"), (40, "1"))}
    admin = get_user_model().objects.get(username="admin.siak")
    assert record_stage(siak, Stage.DOKUMEN, entries, admin) == 3  # type: ignore[arg-type]
    assert assert_same_figures(siak) == 3
