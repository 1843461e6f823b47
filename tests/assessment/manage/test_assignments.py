"""The admin assigns a lead OPD and contributing OPDs to each indicator of an evaluation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Answer, Evaluation, Framework, Instansi, Opd
from tests.assessment.manage.conftest import Scene, open_evaluation
from tests.factories import OpdFactory

pytestmark = pytest.mark.django_db


def shown(evaluation: Evaluation) -> dict[str, Any]:
    """What the page shows as each row's current value (the hidden initial inputs included)."""
    data: dict[str, Any] = {}
    for answer in evaluation.answers.prefetch_related("contributors"):
        lead = str(answer.lead_opd_id or "")
        contributors = [str(o.pk) for o in answer.contributors.all()]
        data |= {f"lead_{answer.pk}": lead, f"initial-lead_{answer.pk}": lead}
        data |= {f"contributors_{answer.pk}": contributors, f"initial-contributors_{answer.pk}": contributors}
    return data


def url(evaluation: Evaluation) -> str:
    return reverse("assessment:manage-assignments", args=[evaluation.pk])


def test_the_table_lists_every_indicator_with_labelled_selects(admin_client: Client, scene: Scene) -> None:
    page = admin_client.get(url(scene.evaluation)).content.decode()
    assert page.count('name="lead_') == 47
    # One labelled group of contributor checkboxes per indicator, one box per OPD (issue 14 item 16).
    assert page.count('<fieldset class="opd-checks"') == 47
    opds = scene.evaluation.instansi.opds.count()
    assert opds >= 1 and page.count('type="checkbox" name="contributors_') == 47 * opds
    assert page.count('<legend class="visually-hidden">OPD pendukung indikator') == 47
    assert "Tingkat Kematangan Layanan Kepegawaian" in page
    assert "Layanan Administrasi Pemerintahan Berbasis Elektronik" in page  # the group
    answer = scene.answer
    assert f'<label class="visually-hidden" for="id_lead_{answer.pk}">OPD pengampu indikator 36</label>' in page


def test_saving_changes_only_the_rows_that_changed_and_records_history(
    admin_client: Client, scene: Scene, diskominfo: Opd
) -> None:
    evaluation, answer = scene.evaluation, scene.answer
    untouched = evaluation.answers.get(indicator__number=1)
    data = shown(evaluation) | {
        f"lead_{answer.pk}": str(scene.opd.pk),
        f"contributors_{answer.pk}": [str(diskominfo.pk), str(scene.opd.pk)],
    }
    history_before = untouched.history.count()

    response = admin_client.post(url(evaluation), data, follow=True)

    assert "1 penugasan disimpan." in response.content.decode()
    answer.refresh_from_db()
    assert answer.lead_opd == scene.opd
    assert list(answer.contributors.all()) == [diskominfo]  # the lead is not its own contributor
    latest = answer.history.latest("history_date")
    assert latest.lead_opd_id == scene.opd.pk
    assert [c.opd_id for c in latest.contributors.all()] == [diskominfo.pk]
    assert latest.history_user.username == "admin.contoh"
    assert untouched.history.count() == history_before


def test_a_row_changed_by_a_colleague_meanwhile_is_not_overwritten(
    admin_client: Client, scene: Scene, diskominfo: Opd
) -> None:
    evaluation, answer = scene.evaluation, scene.answer
    other = evaluation.answers.get(indicator__number=1)
    data = shown(evaluation) | {f"lead_{answer.pk}": str(scene.opd.pk)}
    Answer.objects.filter(pk=other.pk).update(lead_opd=diskominfo)  # another admin, after our page loaded

    admin_client.post(url(evaluation), data)

    other.refresh_from_db()
    assert other.lead_opd == diskominfo


def test_clearing_a_lead_opd_is_a_change_too(admin_client: Client, scene: Scene) -> None:
    evaluation, answer = scene.evaluation, scene.answer
    Answer.objects.filter(pk=answer.pk).update(lead_opd=scene.opd)
    admin_client.post(url(evaluation), shown(evaluation) | {f"lead_{answer.pk}": ""})
    answer.refresh_from_db()
    assert answer.lead_opd is None


def test_an_opd_of_another_instansi_is_refused_in_indonesian(admin_client: Client, scene: Scene) -> None:
    foreign = OpdFactory()
    data = shown(scene.evaluation) | {f"lead_{scene.answer.pk}": str(foreign.pk)}
    response = admin_client.post(url(scene.evaluation), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in page
    assert "Periksa isian yang ditandai di bawah." in page
    scene.answer.refresh_from_db()
    assert scene.answer.lead_opd is None


def test_garbage_in_the_form_is_refused_not_a_500(admin_client: Client, scene: Scene) -> None:
    data = shown(scene.evaluation) | {
        f"lead_{scene.answer.pk}": "abc",
        f"contributors_{scene.answer.pk}": ["x"],
        "lead_999999": "1",
    }
    assert admin_client.post(url(scene.evaluation), data).status_code == 200


def test_assignments_of_a_finalised_evaluation_cannot_change(admin_client: Client, scene: Scene) -> None:
    evaluation = scene.finalised
    answer = evaluation.answers.get()
    page = admin_client.get(url(evaluation)).content.decode()
    assert "Penugasan tidak dapat diubah karena evaluasi sudah final." in page
    assert "disabled" in page

    data = {f"lead_{answer.pk}": str(scene.opd.pk), f"initial-lead_{answer.pk}": ""}
    response = admin_client.post(url(evaluation), data, follow=True)
    assert "Penugasan tidak dapat diubah karena evaluasi sudah final." in response.content.decode()
    defaults = reverse("assessment:manage-assignments-defaults", args=[evaluation.pk])
    response = admin_client.post(defaults, follow=True)
    assert "Penugasan tidak dapat diubah karena evaluasi sudah final." in response.content.decode()
    answer.refresh_from_db()
    assert answer.lead_opd is None


def test_defaults_assign_the_suggested_opd_to_unassigned_answers_only(
    admin_client: Client, scene: Scene, diskominfo: Opd
) -> None:
    evaluation = scene.evaluation
    kinerja = evaluation.answers.get(indicator__number=41)  # Layanan Kinerja Pegawai, suggested: bkpsdm
    Answer.objects.filter(pk=kinerja.pk).update(lead_opd=diskominfo)  # the admin chose otherwise
    defaults = reverse("assessment:manage-assignments-defaults", args=[evaluation.pk])

    response = admin_client.post(defaults, follow=True)

    # Diskominfo suggests 27 indicators, BKPSDM 3 (one of which is already assigned).
    assert "29 indikator ditugaskan ke OPD bawaannya." in response.content.decode()
    scene.answer.refresh_from_db()
    kinerja.refresh_from_db()
    assert scene.answer.lead_opd == scene.opd  # Layanan Kepegawaian -> BKPSDM
    assert kinerja.lead_opd == diskominfo
    assert evaluation.answers.get(indicator__number=1).lead_opd == diskominfo
    assert evaluation.answers.get(indicator__number=13).lead_opd is None  # no Bappeda in this instansi
    assert scene.answer.history.latest("history_date").lead_opd_id == scene.opd.pk

    again = admin_client.post(defaults, follow=True).content.decode()
    assert "Tidak ada indikator belum bertugas yang punya OPD bawaan di instansi ini." in again


def test_the_assignment_page_costs_the_same_queries_for_5_indicators_3_opds_and_47_indicators_12_opds(
    admin_client: Client, instansi: Instansi, framework59: Framework
) -> None:
    def queries(evaluation: Evaluation) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url(evaluation)).status_code == 200
        return len(captured)

    opds = [OpdFactory(instansi=instansi) for _ in range(3)]
    small = open_evaluation(instansi, framework59, range(1, 6), year=2025)
    for answer in small.answers.all():
        answer.contributors.set(opds[:2])
    few = queries(small)

    opds += [OpdFactory(instansi=instansi) for _ in range(9)]
    large = open_evaluation(instansi, framework59, range(1, 48), year=2026)
    for answer in large.answers.all():
        answer.contributors.set(opds[:5])
    Answer.objects.filter(evaluation=large).update(lead_opd=opds[-1])
    assert queries(large) == few
