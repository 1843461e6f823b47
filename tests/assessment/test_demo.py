"""The demo deployment: both kabupaten, every role, and the quoted 2022 figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessment.demo import DEMO_PASSWORD
from assessment.models import Evaluation, Membership, Opd, StageValue
from scoring.services import score_evaluations

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(framework59: object) -> None:
    del framework59  # requested so the framework is loaded
    call_command("load_demo")


def figures() -> dict[str, tuple[Decimal, Decimal, str | None]]:
    out = {}
    for item in score_evaluations(Evaluation.objects.filter(year=2022).select_related("instansi", "framework")):
        assert item.result.index is not None
        assert item.self_assessed.index is not None
        out[item.evaluation.instansi.slug] = (
            item.result.index.display,
            item.self_assessed.index.display,
            item.result.index.predicate,
        )
    return out


@pytest.mark.usefixtures("demo")
def test_demo_2022_reproduces_siak_2_35_and_sumedang_3_87() -> None:
    assert figures() == {
        "kabupaten-siak": (Decimal("2.35"), Decimal("2.41"), "Cukup"),
        "kabupaten-sumedang": (Decimal("3.87"), Decimal("3.90"), "Sangat Baik"),
    }
    assert all(e.is_demo and e.is_finalised for e in Evaluation.objects.filter(year=2022))


@pytest.mark.usefixtures("demo")
def test_every_demo_account_logs_in_with_the_published_password() -> None:
    for suffix in ("siak", "sumedang"):
        for account in ("admin", "sekda", "verifikator", "opd.bkpsdm", "opd.diskominfo"):
            username = f"{account}.{suffix}"
            user = get_user_model().objects.get(username=username)
            assert user.is_active and user.check_password(DEMO_PASSWORD), username
    bkpsdm = Membership.objects.get(user__username="opd.bkpsdm.siak")
    assert (bkpsdm.role, bkpsdm.opd and bkpsdm.opd.code) == ("opd", "bkpsdm")


@pytest.mark.usefixtures("demo")
def test_loading_the_demo_again_is_harmless() -> None:
    before = (Opd.objects.count(), StageValue.objects.count())
    StageValue.objects.filter(answer__indicator__number=1).update(value=5)
    call_command("load_demo")
    assert (Opd.objects.count(), StageValue.objects.count()) == before
    assert figures()["kabupaten-siak"][0] == Decimal("2.35")


@pytest.mark.usefixtures("demo")
def test_each_demo_instansi_has_a_realistic_set_of_opds() -> None:
    names = set(Opd.objects.filter(instansi__slug="kabupaten-siak").values_list("short_name", flat=True))
    assert {"Diskominfo", "Bappeda", "BKPSDM", "BPKAD", "Inspektorat", "Bagian Organisasi", "Bagian Hukum",
            "DPMPTSP", "Disdukcapil"} <= names  # fmt: skip


@pytest.mark.usefixtures("demo")
def test_the_open_2026_cycle_has_work_waiting_for_every_demo_account() -> None:
    from assessment.access import answers_for
    from assessment.models import AnswerStatus, EvaluationStatus

    for suffix in ("siak", "sumedang"):
        evaluation = Evaluation.objects.get(instansi__slug=f"kabupaten-{suffix}", year=2026)
        assert evaluation.status == EvaluationStatus.OPEN and evaluation.is_demo
        bkpsdm = Membership.objects.get(user__username=f"opd.bkpsdm.{suffix}")
        drafts = answers_for(bkpsdm).filter(evaluation=evaluation, status=AnswerStatus.DRAFT)
        assert drafts.count() >= 2  # answers to write
        assert evaluation.answers.filter(status=AnswerStatus.SUBMITTED).count() >= 3  # submissions to review
        assert evaluation.answers.filter(status=AnswerStatus.RETURNED).exists()
        assert evaluation.answers.filter(status=AnswerStatus.APPROVED).count() >= 5  # progress to follow


@pytest.mark.usefixtures("demo")
def test_the_demo_assessor_reads_both_open_evaluations_and_nothing_else() -> None:
    from django.test import Client
    from django.urls import reverse

    from assessment.access import own_evaluations

    member = Membership.objects.get(user__username="asesor.demo")
    assert member.role == "asesor" and member.user.check_password(DEMO_PASSWORD)
    assert set(own_evaluations(member).values_list("instansi__slug", "year")) == {
        ("kabupaten-siak", 2026),
        ("kabupaten-sumedang", 2026),
    }
    client = Client()
    client.force_login(member.user)
    page = client.get(reverse("assessment:assessor-home")).content.decode()
    assert "Kabupaten Siak" in page and "Kabupaten Sumedang" in page
    finalised = Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2022)
    assert client.get(reverse("scoring:evaluation", args=[finalised.pk])).status_code == 404
    call_command("load_demo")  # idempotent: still one assignment per evaluation
    assert member.user.assessor_assignments.count() == 2
