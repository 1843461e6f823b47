"""The ranking in pages: every instansi ranked, only one page rendered, the viewer's own findable."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import DjangoAssertNumQueries

from assessment.models import Framework
from tests.conftest import levels_59
from tests.factories import MembershipFactory, finalised

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("scoring.views.RANKING_PAGE", 2)


def rows_of(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


@pytest.mark.usefixtures("two_per_page")
def test_later_pages_continue_the_ranking_and_the_own_instansi_is_one_link_away(
    client: Client, framework59: Framework
) -> None:
    evaluations = {level: finalised(framework59, levels_59(level), year=2022) for level in (1, 2, 3, 4, 5)}
    own = evaluations[2]  # index 2,00: fourth of five, so on the second page of two rows
    client.force_login(MembershipFactory(instansi=own.instansi).user)
    own_cell = f'data-testid="index-{own.instansi.slug}-2022"'

    first = client.get("/?tahun=2022").content.decode()
    assert ">5,00<" in rows_of(first) and ">4,00<" in rows_of(first) and ">3,00<" not in rows_of(first)
    assert own_cell not in rows_of(first)
    assert "Instansi Anda di peringkat 4" in first
    assert f"?tahun=2022&amp;kerangka={framework59.pk}&amp;jenis=&amp;halaman=2#instansi-anda" in first
    assert "halaman=3" in first  # five rows in pages of two

    second = client.get("/?tahun=2022&halaman=2").content.decode()
    assert "<td>3</td>" in rows_of(second) and "<td>4</td>" in rows_of(second)  # ranks continue
    assert 'id="instansi-anda"' in second and own_cell in rows_of(second)
    assert ">5,00<" not in rows_of(second)

    last = client.get("/?tahun=2022&halaman=99").content.decode()  # out of range: the last page
    assert "<td>5</td>" in rows_of(last) and ">1,00<" in rows_of(last)
    assert client.get("/?tahun=2022&halaman=bukan").status_code == 200


@pytest.mark.usefixtures("two_per_page")
def test_a_later_page_takes_the_same_queries_with_more_instansi(
    client: Client, framework59: Framework, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client.force_login(MembershipFactory().user)
    for level in (1, 2, 3):
        finalised(framework59, levels_59(level), year=2022)
    client.get("/?tahun=2022&halaman=2")  # stores the results (and warms the framework cache)
    with django_assert_num_queries(9) as few:
        assert client.get("/?tahun=2022&halaman=2").status_code == 200
    warm = len(few.captured_queries)
    for _ in range(9):
        finalised(framework59, levels_59(4), year=2022)
    client.get("/?tahun=2022&halaman=2")
    with django_assert_num_queries(warm):
        response = client.get("/?tahun=2022&halaman=2")
        assert response.status_code == 200
    assert rows_of(response.content.decode()).count(">4,00<") == 2 * 5  # two rows: index and 4 domains
