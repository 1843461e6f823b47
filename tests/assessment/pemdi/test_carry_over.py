"""Carry-over SPBE -> Pemdi: the mapping is data with reasons; it seeds drafts, never approvals."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from assessment.models import (
    AnswerEvidence,
    AnswerStatus,
    CarryOverLink,
    CarryOverSuggestion,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    Framework,
    Review,
    StageValue,
)
from assessment.services.carryover import carry_over, suggested_value
from assessment.services.evaluations import create_evaluation
from tests.assessment.pemdi.conftest import MAPPING
from tests.factories import finalised
from tests.world import make_side

pytestmark = pytest.mark.django_db


def test_every_pemdi_indicator_is_linked_with_a_reason_including_the_issue_examples(pemdi: Framework) -> None:
    links = CarryOverLink.objects.filter(target__framework=pemdi).select_related("target", "source")
    assert {link.target.number for link in links} == set(range(1, 21))
    assert all(link.reason.strip() for link in links)
    by_target: dict[int, set[int]] = {}
    for link in links:
        by_target.setdefault(link.target.number, set()).add(link.source.number)
    assert 15 in by_target[13]  # Pemdi aplikasi <- SPBE 15 Pembangunan Aplikasi
    assert {29, 30, 31} <= by_target[9]  # Pemdi audit keamanan <- SPBE 29-31
    assert len(links) == sum(len(e["from"]) for e in json.loads(MAPPING.read_text())["links"])


@pytest.mark.usefixtures("pemdi")
def test_the_mapping_is_reviewable_in_the_django_admin(client: Client) -> None:
    admin = get_user_model().objects.create_superuser("root", "root@example.go.id", "x")
    client.force_login(admin)
    page = client.get("/admin/assessment/carryoverlink/?q=Pembangunan+Aplikasi")
    assert page.status_code == 200 and "I13" in page.content.decode()


def test_the_suggested_value_is_the_lowest_mapped_level() -> None:
    assert suggested_value([Decimal(3), Decimal(2), Decimal(4)]) == Decimal("2.00")
    assert suggested_value([]) is None


def test_starting_a_pemdi_evaluation_seeds_drafts_and_approves_nothing(pemdi: Framework,
                                                                       framework59: Framework) -> None:  # fmt: skip
    side = make_side("a")
    levels = dict.fromkeys(range(1, 48), 3) | {29: 2, 30: 4, 31: 3}
    spbe = finalised(framework59, levels, instansi=side.instansi, year=2025)
    old_audit = spbe.answers.get(indicator__number=31)
    old_audit.explanation = "FAKTA: laporan audit keamanan 2025 oleh BSSN. ANALISIS: tingkat 3."
    old_audit.save()
    report = Evidence.objects.create(instansi=side.instansi, kind=EvidenceKind.LINK, title="Laporan audit 2025",
                                     url="https://example.go.id/audit")  # fmt: skip
    AnswerEvidence.objects.create(answer=old_audit, evidence=report, status=EvidenceStatus.APPROVED)
    evaluation = create_evaluation(side.instansi, pemdi, 2026, None, "exact")

    result = carry_over(evaluation, side.users["admin"])

    assert result.source == spbe and result.answers == 20 and result.evidence == 1
    assert set(evaluation.answers.values_list("status", flat=True)) == {AnswerStatus.DRAFT}
    assert not StageValue.objects.filter(answer__evaluation=evaluation).exists()  # no value, so no index
    assert not Review.objects.filter(answer__evaluation=evaluation).exists()
    audit = evaluation.answers.get(indicator__number=9)
    link = AnswerEvidence.objects.get(answer=audit)
    assert (link.evidence, link.status) == (report, EvidenceStatus.PENDING)  # offered again, to be reviewed again
    assert audit.explanation.startswith("[Saran dari evaluasi Indeks SPBE 2025")
    assert "laporan audit keamanan 2025 oleh BSSN" in audit.explanation
    suggestion = CarryOverSuggestion.objects.get(answer=audit)
    assert suggestion.value == Decimal("2.00") and "terendah" in suggestion.rule  # min(3, 2, 4, 3)
    assert audit.history.first().history_user == side.users["admin"]  # audited

    again = carry_over(evaluation, side.users["admin"])
    assert (again.answers, again.evidence) == (0, 0)  # idempotent: seeded drafts are left alone


def test_without_an_earlier_spbe_evaluation_nothing_is_seeded(pemdi: Framework) -> None:
    side = make_side("a")
    evaluation = create_evaluation(side.instansi, pemdi, 2026, None, "exact")
    assert carry_over(evaluation, side.users["admin"]).source is None
    assert not CarryOverSuggestion.objects.exists()


def test_the_admin_opens_a_pemdi_period_with_carry_over_from_the_portal(pemdi: Framework, framework59: Framework,
                                                                      client: Client) -> None:  # fmt: skip
    side = make_side("a")
    finalised(framework59, dict.fromkeys(range(1, 48), 2), instansi=side.instansi, year=2025)
    client.force_login(side.users["admin"])
    response = client.post(
        "/kelola/evaluasi/", {"year": 2026, "framework": pemdi.pk, "predicate_basis": "exact", "carry_over": "on"}
    )
    assert response.status_code == 302
    evaluation = side.instansi.evaluations.get(year=2026)
    assert evaluation.framework == pemdi
    assert CarryOverSuggestion.objects.filter(answer__evaluation=evaluation).count() == 20
    assert set(evaluation.answers.values_list("status", flat=True)) == {AnswerStatus.DRAFT}
