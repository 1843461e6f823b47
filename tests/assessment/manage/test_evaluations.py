"""The admin opens evaluation periods, edits the deadline and predicate basis, and reopens."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Evaluation, EvaluationStatus, Framework, Instansi, Opd
from tests.assessment.manage.conftest import JAKARTA, Scene, open_evaluation
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db

URL = "/kelola/evaluasi/"


def test_the_evaluation_urls_are_where_the_admin_expects_them() -> None:
    assert reverse("assessment:manage-evaluations") == URL
    assert reverse("assessment:manage-evaluation", args=[4]) == "/kelola/evaluasi/4/"
    assert reverse("assessment:manage-evaluation-reopen", args=[4]) == "/kelola/evaluasi/4/buka-kembali/"
    assert reverse("assessment:manage-assignments", args=[4]) == "/kelola/evaluasi/4/penugasan/"
    assert reverse("assessment:manage-assignments-defaults", args=[4]) == "/kelola/evaluasi/4/penugasan/bawaan/"


def test_opening_a_period_creates_an_answer_per_indicator_with_its_default_opd(
    admin_client: Client, instansi: Instansi, framework59: Framework, bkpsdm: Opd
) -> None:
    data = {"year": "2026", "framework": framework59.pk, "deadline": "2026-12-31T23:59", "predicate_basis": "rounded"}
    response = admin_client.post(URL, data)

    evaluation = Evaluation.objects.get(instansi=instansi, year=2026)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:manage-evaluation", args=[evaluation.pk])
    assert evaluation.deadline == datetime(2026, 12, 31, 23, 59, tzinfo=JAKARTA)  # typed in WIB
    assert evaluation.predicate_basis == "rounded"
    assert evaluation.answers.count() == 47
    assert evaluation.answers.get(indicator__number=36).lead_opd == bkpsdm  # Layanan Kepegawaian
    assert evaluation.answers.get(indicator__number=1).lead_opd is None  # no Diskominfo here yet


def test_the_list_shows_year_framework_status_and_deadline_in_wib(
    admin_client: Client, instansi: Instansi, framework59: Framework
) -> None:
    open_evaluation(instansi, framework59, [1, 2])
    EvaluationFactory(framework=framework59, year=2019)  # a neighbour's
    page = admin_client.get(URL).content.decode()
    assert "2026" in page
    assert framework59.short_name in page
    assert "Berjalan" in page
    assert "31 Desember 2026 23.59 WIB" in page
    assert "2019" not in page


def test_a_second_evaluation_for_the_same_year_is_refused_with_the_typed_values_kept(
    admin_client: Client, instansi: Instansi, framework59: Framework
) -> None:
    open_evaluation(instansi, framework59, [1])
    data = {"year": "2026", "framework": framework59.pk, "deadline": "2026-11-30T16:00", "predicate_basis": "exact"}
    response = admin_client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Evaluasi tahun 2026 sudah ada untuk instansi ini." in page
    assert 'value="2026-11-30T16:00"' in page
    assert Evaluation.objects.filter(instansi=instansi).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "dua ribu", "predicate_basis": "exact"}, "Masukkan keseluruhan angka bilangan."),
        ({"year": "1999", "predicate_basis": "exact"}, "Pastikan nilai ini lebih besar dari atau sama dengan 2018."),
        ({"year": "2026", "deadline": "31-13-2026 25:00", "predicate_basis": "exact"}, "Masukkan tanggal/waktu"),
        ({"year": "2026", "predicate_basis": "kira-kira"}, "Masukkan pilihan yang valid"),
        ({"year": "2026", "framework": "999999", "predicate_basis": "exact"}, "Masukkan pilihan yang valid"),
    ],
)
def test_bad_input_is_explained_in_indonesian_not_a_500(
    admin_client: Client, framework59: Framework, data: dict[str, str], message: str
) -> None:
    response = admin_client.post(URL, {"framework": framework59.pk, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evaluation.objects.exists()


def test_only_current_frameworks_are_offered(admin_client: Client, framework59: Framework) -> None:
    Framework.objects.filter(pk=framework59.pk).update(is_current=False)
    response = admin_client.post(URL, {"year": "2026", "framework": framework59.pk, "predicate_basis": "exact"})
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not Evaluation.objects.exists()


@pytest.mark.usefixtures("admin")
def test_editing_the_deadline_and_basis_is_recorded_in_the_history(admin_client: Client, scene: Scene) -> None:
    url = reverse("assessment:manage-evaluation", args=[scene.evaluation.pk])
    assert 'value="2026-12-31T23:59"' in admin_client.get(url).content.decode()  # shown in WIB

    response = admin_client.post(url, {"deadline": "2027-01-15T12:00", "predicate_basis": "rounded"})

    assert response.status_code == 302
    scene.evaluation.refresh_from_db()
    assert scene.evaluation.deadline == datetime(2027, 1, 15, 12, 0, tzinfo=JAKARTA)
    assert scene.evaluation.predicate_basis == "rounded"
    latest = scene.evaluation.history.latest("history_date")
    assert latest.history_user.username == "admin.contoh"
    assert latest.deadline == scene.evaluation.deadline
    assert "15 Januari 2027 12.00 WIB" in admin_client.get(url).content.decode()  # one way (issue 14 item 13)


def test_a_finalised_evaluation_cannot_be_edited_before_it_is_reopened(admin_client: Client, scene: Scene) -> None:
    url = reverse("assessment:manage-evaluation", args=[scene.finalised.pk])
    response = admin_client.post(url, {"deadline": "2030-01-01T00:00", "predicate_basis": "rounded"})
    assert "Evaluasi ini sudah final; buka kembali terlebih dahulu untuk mengubahnya." in response.content.decode()
    scene.finalised.refresh_from_db()
    assert scene.finalised.predicate_basis == "exact"


def test_the_admin_reopens_a_finalised_evaluation_with_a_reason(admin_client: Client, scene: Scene) -> None:
    url = reverse("assessment:manage-evaluation-reopen", args=[scene.finalised.pk])
    response = admin_client.post(url, {"reason": "Bukti indikator 36 tertukar"}, follow=True)
    scene.finalised.refresh_from_db()
    assert scene.finalised.status == EvaluationStatus.OPEN
    assert scene.finalised.reopen_reason == "Bukti indikator 36 tertukar"
    assert "Evaluasi 2022 dibuka kembali." in response.content.decode()
    assert scene.finalised.history.latest("history_date").history_change_reason == "Bukti indikator 36 tertukar"


def test_reopening_without_a_reason_is_refused_in_indonesian(admin_client: Client, scene: Scene) -> None:
    url = reverse("assessment:manage-evaluation-reopen", args=[scene.finalised.pk])
    page = admin_client.post(url, {"reason": "   "}, follow=True).content.decode()
    assert "Tuliskan alasan membuka kembali evaluasi." in page
    scene.finalised.refresh_from_db()
    assert scene.finalised.status == EvaluationStatus.FINALISED


def test_reopening_an_open_evaluation_shows_the_workflow_message(admin_client: Client, scene: Scene) -> None:
    url = reverse("assessment:manage-evaluation-reopen", args=[scene.evaluation.pk])
    page = admin_client.post(url, {"reason": "Coba"}, follow=True).content.decode()
    assert "Evaluasi ini belum final." in page


def test_the_evaluation_list_costs_the_same_queries_for_1_and_8_evaluations(
    admin_client: Client, instansi: Instansi, framework59: Framework
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(URL).status_code == 200
        return len(captured)

    open_evaluation(instansi, framework59, range(1, 6), year=2018)
    few = queries()
    for year in range(2019, 2026):
        open_evaluation(instansi, framework59, range(1, 48), year=year)
    assert queries() == few
