"""Official stages recorded after the self-assessment; indicators not revisited carry over."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from assessment.models import Stage, StageValue
from scoring.results import stage_results
from tests.world import World

pytestmark = pytest.mark.django_db


def fill(world: World, level: int) -> None:
    for answer in world.evaluation.answers.all():
        StageValue.objects.create(answer=answer, stage=Stage.MANDIRI, value=level)
        StageValue.objects.create(answer=answer, stage=Stage.VERIFIKASI, value=level)


def test_the_document_stage_changes_only_what_it_revisits(client: Client, world: World) -> None:
    fill(world, 3)
    client.force_login(world.a.users["verifikator"])
    url = f"/penilaian/evaluasi/{world.evaluation.pk}/tahap/dokumen/"
    page = client.get(url).content.decode()
    assert "Penilaian Dokumen" in page and "Nilai tahap sebelumnya" in page
    response = client.post(url, {f"v{world.answer.pk}": "5", f"n{world.answer.pk}": "Bukti lengkap."}, follow=True)
    assert "1 nilai tahap tersimpan." in response.content.decode()
    row = StageValue.objects.get(answer=world.answer, stage=Stage.DOKUMEN)
    assert (row.value, row.note, row.recorded_by) == (Decimal(5), "Bukti lengkap.", world.a.users["verifikator"])
    results = {r.stage: r.result.index for r in stage_results(world.evaluation)}
    assert results["verifikasi"] is not None and results["dokumen"] is not None
    # indicator 36 weighs 2,75: (300 + 2 x 2,75) / 100 = 3,055
    assert results["verifikasi"].display == Decimal("3.00") and results["dokumen"].display == Decimal("3.06")


def test_clearing_a_value_makes_the_indicator_carry_again(client: Client, world: World) -> None:
    fill(world, 3)
    StageValue.objects.create(answer=world.answer, stage=Stage.DOKUMEN, value=5)
    client.force_login(world.a.users["admin"])
    client.post(f"/penilaian/evaluasi/{world.evaluation.pk}/tahap/dokumen/", {f"v{world.answer.pk}": ""})
    assert not StageValue.objects.filter(answer=world.answer, stage=Stage.DOKUMEN).exists()


def test_an_invalid_value_is_reported_and_nothing_is_saved(client: Client, world: World) -> None:
    client.force_login(world.a.users["admin"])
    response = client.post(f"/penilaian/evaluasi/{world.evaluation.pk}/tahap/interviu/", {f"v{world.answer.pk}": "7"})
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not StageValue.objects.filter(stage=Stage.INTERVIU).exists()


def test_self_assessment_stages_cannot_be_written_here(client: Client, world: World) -> None:
    client.force_login(world.a.users["admin"])
    assert client.get(f"/penilaian/evaluasi/{world.evaluation.pk}/tahap/mandiri/").status_code == 404
    assert client.get(f"/penilaian/evaluasi/{world.evaluation.pk}/tahap/verifikasi/").status_code == 404


def test_the_stage_page_does_not_grow_with_recorded_values(client: Client, world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.a.users["admin"])
    url = f"/penilaian/evaluasi/{world.evaluation.pk}/tahap/dokumen/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    fill(world, 4)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries) <= 12
