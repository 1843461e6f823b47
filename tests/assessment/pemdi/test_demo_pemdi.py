"""The demo with Pemdi loaded: Siak's 2026 cycle is a Pemdi evaluation seeded from its SPBE history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from assessment.access import answers_for
from assessment.models import (
    AnswerStatus,
    CarryOverSuggestion,
    Evaluation,
    EvaluationStatus,
    Framework,
    Membership,
    Stage,
    StageValue,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(pemdi: Framework) -> None:
    del pemdi  # requested so the framework is loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.usefixtures("demo")
def test_siak_2026_is_pemdi_seeded_from_2022_and_sumedang_keeps_59_2020() -> None:
    siak = Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2026)
    sumedang = Evaluation.objects.get(instansi__slug="kabupaten-sumedang", year=2026)
    assert (siak.framework.code, sumedang.framework.code) == ("permenpanrb-8-2026", "permenpanrb-59-2020")
    assert siak.is_demo and siak.status == EvaluationStatus.OPEN and siak.answers.count() == 20
    suggestions = CarryOverSuggestion.objects.filter(answer__evaluation=siak)
    assert suggestions.count() == 20 and {s.source_evaluation.year for s in suggestions} == {2022}
    audit = siak.answers.get(indicator__number=9)  # Pemdi audit keamanan <- SPBE 29-31
    assert audit.status == AnswerStatus.DRAFT and audit.evidence_links.get().evidence.title.startswith("Laporan audit")
    states = list(siak.answers.values_list("status", flat=True))
    assert states.count(AnswerStatus.APPROVED) == 3 and states.count(AnswerStatus.SUBMITTED) == 2
    assert states.count(AnswerStatus.RETURNED) == 1
    verified = StageValue.objects.get(answer__evaluation=siak, answer__indicator__number=1, stage=Stage.VERIFIKASI)
    assert verified.value == Decimal("2.60")


@pytest.mark.usefixtures("demo")
def test_an_opd_user_completes_a_seeded_pemdi_indicator(client: Client) -> None:
    client.force_login(Membership.objects.get(user__username="opd.diskominfo.siak").user)
    item = answers_for(Membership.objects.get(user__username="opd.diskominfo.siak")).get(
        evaluation__year=2026, indicator__number=5
    )
    page = client.get(f"/penilaian/jawaban/{item.pk}/").content.decode()
    assert "Saran dari evaluasi Indeks SPBE 2022 (bukan jawaban)" in page and 'data-testid="provisional"' in page
    response = client.post(f"/penilaian/jawaban/{item.pk}/simpan/", {
        "source_value": "68,75", "explanation": item.explanation + "\nFAKTA: Indeks SDI 2026 = 68,75.",
        "version": item.version, "action": "submit"})  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == AnswerStatus.SUBMITTED
    assert StageValue.objects.get(answer=item, stage=Stage.MANDIRI).value == Decimal("3.75")


@pytest.mark.usefixtures("demo")
def test_loading_the_demo_again_keeps_the_pemdi_cycle() -> None:
    siak = Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2026)
    before = CarryOverSuggestion.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2026) == siak
    assert CarryOverSuggestion.objects.count() == before
