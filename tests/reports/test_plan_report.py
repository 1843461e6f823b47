"""The improvement plan as a document: the PDF read back as text, the Excel cells read back."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import cast

import openpyxl
import pytest

from assessment.models import Evaluation
from reports.kinds import KINDS
from reports.rendering import ReportNotAvailable, build
from scoring import engine
from scoring.services import engine_framework
from scoring.services_plan import PlanStep, latest_values, plan_summary
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_the_plan_pdf_for_siak_toward_baik_lists_every_step_and_the_reached_index(siak_2022: Evaluation) -> None:
    plan = plan_summary(siak_2022, "Baik")
    steps = cast("list[PlanStep]", plan["steps"])
    assert steps and plan["reached"]
    document = build("rencana", siak_2022, target="Baik")
    assert (document.content_type, document.suffix) == ("application/pdf", ".pdf")
    text = pdf_text(document.content)
    assert "RENCANA PENINGKATAN INDEKS SPBE" in text
    assert "Indeks saat ini 2,35 (Cukup)" in text
    assert "Target 2,60 (Baik)" in text
    reached = str(plan["reached_index"]).replace(".", ",")
    assert f"Indeks setelah semua langkah {reached} (Baik)" in text
    assert Decimal(str(plan["reached_index"])) >= Decimal("2.60")
    positions = [text.index(f"{s.indicator.number}. {s.indicator.name[:25]}") for s in steps]
    assert positions == sorted(positions)  # in the plan's order, the largest gain first
    assert f"+{str(steps[0].gain).replace('.', ',')}" in text
    assert "Halaman 1 dari" in text


def test_the_plan_steps_reach_the_target_when_applied_like_the_simulator_does(siak_2022: Evaluation) -> None:
    steps = cast("list[PlanStep]", plan_summary(siak_2022, "2,60")["steps"])
    values = dict(latest_values(siak_2022))
    for s in steps:
        values[s.step.key] = s.step.after
    result = engine.score(engine_framework(siak_2022.framework), values)
    assert result.index is not None and result.index.display >= Decimal("2.60")
    assert result.index.predicate == "Baik"


def test_the_plan_workbook_holds_the_steps_as_numbers_and_a_summary(siak_2022: Evaluation) -> None:
    plan = plan_summary(siak_2022, "3,00")
    document = build("rencana-xlsx", siak_2022, target="3,00")
    assert document.suffix == ".xlsx"
    book = openpyxl.load_workbook(io.BytesIO(document.content))
    sheet = book["Rencana"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Langkah", "No indikator", "Indikator")
    steps = cast("list[PlanStep]", plan["steps"])
    assert len(rows) == len(steps) + 1
    first = steps[0]
    assert rows[1][:3] == (1, first.indicator.number, first.indicator.name)
    assert rows[1][3] == int(first.step.before) and rows[1][4] == int(first.step.after)
    assert Decimal(str(rows[1][5])) == first.gain
    assert Decimal(str(rows[-1][6])) == plan["reached_index"]
    summary = dict(book["Ringkasan"].iter_rows(values_only=True))
    assert summary["Instansi"] == "Kabupaten Siak"
    assert Decimal(str(summary["Target"])) == Decimal("3.00")
    assert Decimal(str(summary["Indeks saat ini"])) == Decimal("2.35")


def test_a_target_the_plan_page_refuses_is_refused_for_the_report(siak_2022: Evaluation) -> None:
    for kind in ("rencana", "rencana-xlsx"):
        assert "tidak dikenal" in str(KINDS[kind].unavailable(siak_2022, "Hebat"))
        assert KINDS[kind].unavailable(siak_2022, "Baik") is None
    with pytest.raises(ReportNotAvailable, match="tidak dikenal"):
        build("rencana", siak_2022, target="Hebat")
