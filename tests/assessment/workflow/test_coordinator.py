"""A provincial coordinator reads the kabupaten it coordinates, and changes nothing there."""

from __future__ import annotations

import pytest
from django.test import Client

from assessment.models import InstansiKind, Role
from tests.factories import InstansiFactory, MembershipFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def test_a_province_coordinator_reads_its_kabupaten_but_not_others(client: Client, world: World) -> None:
    province = InstansiFactory(name="Provinsi Riau", slug="provinsi-riau", kind=InstansiKind.PROVINSI)
    world.a.instansi.coordinator = province
    world.a.instansi.save()
    coordinator = MembershipFactory(instansi=province, role=Role.KOORDINATOR).user
    client.force_login(coordinator)

    assert client.get(f"/penilaian/jawaban/{world.answer.pk}/").status_code == 200
    assert client.get(f"/indeks/evaluasi/{world.evaluation.pk}/").status_code == 200
    other = world.b.instansi.evaluations.get()
    assert client.get(f"/indeks/evaluasi/{other.pk}/").status_code == 404

    response = client.post(
        f"/penilaian/jawaban/{world.answer.pk}/simpan/", {"value": "5", "explanation": "x", "version": 0}
    )
    assert response.status_code == 403
    assert client.get(f"/penilaian/periksa/{world.answer.pk}/").status_code == 404
    world.answer.refresh_from_db()
    assert world.answer.version == 0
