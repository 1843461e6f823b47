"""A year whose evaluations use two frameworks ranks each framework apart: their indices are on
different scales and must never share one table."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from assessment.catalog import read_framework_file
from assessment.models import Framework
from assessment.services.frameworks import load_framework
from tests.conftest import levels_59
from tests.factories import MembershipFactory, finalised

pytestmark = pytest.mark.django_db


@pytest.fixture
def pemdi(framework59: Framework) -> Framework:
    del framework59  # requested so the framework is loaded
    return load_framework(read_framework_file(Path(settings.BASE_DIR) / "frameworks" / "pemdi-8-2026.json")).framework


def rows_of(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_each_framework_of_a_year_is_ranked_in_its_own_table(
    client: Client, framework59: Framework, pemdi: Framework
) -> None:
    spbe = [finalised(framework59, levels_59(level), year=2026) for level in (2, 3)]
    on_pemdi = finalised(pemdi, dict.fromkeys(range(1, 21), 5), year=2026)
    client.force_login(MembershipFactory(instansi=spbe[0].instansi).user)

    default = client.get("/?tahun=2026").content.decode()  # the framework most instansi used
    assert all(f"index-{e.instansi.slug}-2026" in rows_of(default) for e in spbe)
    assert f"index-{on_pemdi.instansi.slug}-2026" not in rows_of(default)
    assert 'id="kerangka"' in default and "diperingkat sendiri" in default
    assert "Instansi Anda di peringkat 2" in default
    assert "&amp;kerangka=" in default

    other = client.get(f"/?tahun=2026&kerangka={pemdi.pk}").content.decode()
    assert f'data-testid="index-{on_pemdi.instansi.slug}-2026">5,00<' in rows_of(other)
    assert not any(f"index-{e.instansi.slug}-2026" in rows_of(other) for e in spbe)
    assert "<td>1</td>" in rows_of(other)  # ranked from 1 within its own framework


def test_a_year_with_one_framework_offers_no_choice(client: Client, framework59: Framework) -> None:
    finalised(framework59, levels_59(3), year=2024)
    client.force_login(MembershipFactory().user)
    page = client.get("/?tahun=2024&kerangka=bukan").content.decode()
    assert 'id="kerangka"' not in page
    assert ">3,00<" in rows_of(page)


def test_a_viewer_ranked_under_the_other_framework_gets_a_link_to_that_table(
    client: Client, framework59: Framework, pemdi: Framework
) -> None:
    for level in (2, 3):
        finalised(framework59, levels_59(level), year=2026)
    on_pemdi = finalised(pemdi, dict.fromkeys(range(1, 21), 4), year=2026)
    client.force_login(MembershipFactory(instansi=on_pemdi.instansi).user)
    default = client.get("/?tahun=2026").content.decode()
    assert "Instansi Anda di peringkat" not in default
    assert f"?tahun=2026&amp;kerangka={pemdi.pk}" in default and "Instansi Anda diperingkat pada kerangka" in default
    own_table = client.get(f"/?tahun=2026&kerangka={pemdi.pk}").content.decode()
    assert "Instansi Anda di peringkat 1" in own_table
