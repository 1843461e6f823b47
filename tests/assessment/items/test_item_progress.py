"""Issue 15: the Sekda's progress page counts evidence items per OPD and per indicator, in a fixed
number of queries; a framework without items (59/2020) shows no item columns."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessment.models import Answer, AnswerItem, EvidenceItem, Framework, ItemEvidence
from assessment.services import items as item_service
from assessment.services.evaluations import create_evaluation
from tests.assessment.items.test_item_workflow import attach, files, i2, judge, side  # noqa: F401  (fixture)
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)
from tests.world import Side, make_side

pytestmark = pytest.mark.django_db


def answer(side: Side, number: int) -> Answer:  # noqa: F811
    return Answer.objects.get(evaluation__instansi=side.instansi, indicator__number=number)


def page_queries(client: Client, evaluation_id: int) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/indeks/evaluasi/{evaluation_id}/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def cells(*counts: int) -> str:
    return "".join(f'<td class="text-end">{n}</td>' for n in counts)


def test_item_counts_per_opd_and_indicator_in_a_fixed_number_of_queries(side: Side) -> None:  # noqa: F811
    opd, reviewer, sekda = Client(), Client(), Client()
    opd.force_login(side.users["opd.diskominfo"])
    reviewer.force_login(side.users["verifikator"])
    sekda.force_login(side.users["sekda"])
    first = i2(side)
    evaluation_id = first.evaluation_id
    sk, sop, laporan = files(side, first, "SK Tim", "SOP Layanan", "Laporan 2026")
    attach(opd, first, "I2-L1-01", sk)
    attach(opd, first, "I2-L1-02", sop)
    attach(opd, first, "I2-L2-01", laporan)
    judge(reviewer, first, "I2-L1-01", "diterima")
    judge(reviewer, first, "I2-L1-02", "revisi", "tidak_tepat", "SOP belum ditandatangani.")
    few, page = page_queries(sekda, evaluation_id)

    # I2 (Diskominfo): 6 items, 3 with files, 1 accepted, 1 revisi + 4 auto-rejected above level 1.
    assert f'<tr data-indicator="I2"><td>2. {first.indicator.name}</td><td>Diskominfo</td>{cells(6, 3, 1, 5)}' in page
    required = {a.indicator.code: EvidenceItem.objects.filter(level__indicator=a.indicator).count()
                for a in Answer.objects.filter(evaluation_id=evaluation_id).select_related("indicator", "lead_opd")}  # fmt: skip
    assert sum(required.values()) == 231
    assert "Butir bukti: 231 wajib · 3 diunggah · 1 diterima" in page
    # The per-OPD table: Diskominfo's row carries the sum over the indicators it leads.
    led = Answer.objects.filter(evaluation_id=evaluation_id, lead_opd=side.diskominfo).select_related("indicator")
    diskominfo_required = sum(required[a.indicator.code] for a in led)
    counts = item_service.item_progress(evaluation_id)
    assert counts is not None
    shown = counts.per_opd["Diskominfo"]
    assert (shown.required, shown.uploaded, shown.accepted) == (diskominfo_required, 3, 1)
    assert sum(c.required for c in counts.per_opd.values()) == 231

    # More work on other indicators and OPDs: the page costs the same number of queries.
    for number in (1, 3, 4, 8, 13):
        other = answer(side, number)
        [file] = files(side, other, f"Bukti {number}")
        level_1 = EvidenceItem.objects.filter(level__indicator=other.indicator, level__level=1).first()
        assert level_1 is not None
        code = level_1.code
        work, _ = AnswerItem.objects.get_or_create(answer=other, item=EvidenceItem.objects.get(code=code,
                                                   level__indicator=other.indicator))  # fmt: skip
        ItemEvidence.objects.create(answer_item=work, evidence=file)
        judge(reviewer, other, code, "diterima")
    many, page = page_queries(sekda, evaluation_id)
    assert many == few
    assert "Butir bukti: 231 wajib · 8 diunggah · 6 diterima" in page
    with CaptureQueriesContext(connection) as queries:
        item_service.item_progress(evaluation_id)
    assert len(queries) == 4


def test_a_framework_without_items_shows_no_item_counts(framework59: Framework) -> None:
    other = make_side("lama")
    evaluation = create_evaluation(other.instansi, framework59, 2025, None, "exact")
    client = Client()
    client.force_login(other.users["sekda"])
    _, page = page_queries(client, evaluation.pk)
    assert item_service.item_progress(evaluation.pk) is None
    assert "Butir wajib" not in page and "Butir bukti per indikator" not in page
    assert "Progres per OPD" in page
