"""The home page: the published ranking for every logged-in user, private work only for its own."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import DjangoAssertNumQueries

from assessment.demo import DEMO_PASSWORD
from assessment.models import EvaluationStatus, Framework, Role
from scoring.services import engine_framework
from tests.conftest import levels_59
from tests.factories import EvaluationFactory, InstansiFactory, MembershipFactory, answer_all, finalised

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(framework59: Framework) -> Framework:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return framework59


def login(client: Client, username: str) -> None:
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.mark.usefixtures("demo")
def test_sekda_of_siak_sees_both_quoted_figures_after_logging_in(client: Client) -> None:
    login(client, "sekda.siak")
    page = client.get("/").content.decode()
    assert "Kabupaten Siak" in page
    assert "Kabupaten Sumedang" in page
    assert ">3,87<" in page
    assert ">2,35<" in page
    assert "Sangat Baik" in page
    assert "Cukup" in page
    table = page[page.index("<table") :]
    assert table.index("Kabupaten Sumedang") < table.index("Kabupaten Siak")  # ranked by index
    assert "Data demo" in page
    assert ">2,34<" in page  # the national index of 2022 as the reference row


@pytest.mark.usefixtures("demo")
def test_sekda_of_sumedang_sees_the_same_published_ranking(client: Client) -> None:
    login(client, "sekda.sumedang")
    page = client.get("/").content.decode()
    assert ">3,87<" in page
    assert ">2,35<" in page


def test_the_home_page_needs_a_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.usefixtures("demo")
def test_a_wrong_password_explains_itself_in_indonesian(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "sekda.siak", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert 'value="sekda.siak"' in response.content.decode()  # what was typed survives


def test_work_in_progress_stays_private_to_its_instansi(client: Client, demo: Framework) -> None:
    other = InstansiFactory(name="Kota Tertutup")
    evaluation = EvaluationFactory(instansi=other, framework=demo, year=2025)
    answer_all(evaluation, levels_59(5))
    login(client, "sekda.siak")
    page = client.get("/").content.decode()
    assert "Kota Tertutup" not in page
    assert ">5,00<" not in page

    member = MembershipFactory(instansi=other, role=Role.SEKDA)
    client.force_login(member.user)
    page = client.get("/").content.decode()
    assert "Kota Tertutup 2025" in page  # its own open evaluation is listed for its own users
    assert evaluation.status == EvaluationStatus.OPEN


def test_the_ranking_filters_by_year_and_type_with_a_column_per_domain(client: Client, demo: Framework) -> None:
    from assessment.models import InstansiKind

    kota = InstansiFactory(name="Kota Contoh", kind=InstansiKind.KOTA)
    finalised(demo, levels_59(5), instansi=kota, year=2022)
    login(client, "sekda.siak")
    page = client.get("/?tahun=2022").content.decode()
    table = page[page.index("<table") :]
    assert table.index("Kota Contoh") < table.index("Kabupaten Sumedang") < table.index("Kabupaten Siak")
    assert all(f">D{n}<" in table for n in range(1, 5)) and ">2,68<" in table  # Siak's D4
    only_kabupaten = client.get("/?tahun=2022&jenis=kabupaten").content.decode()
    assert "Kota Contoh" not in only_kabupaten and ">3,87<" in only_kabupaten
    assert client.get("/?tahun=1999&jenis=bukan").status_code == 200  # unknown filters fall back


@pytest.mark.usefixtures("demo")
def test_english_shows_english_words_and_dot_decimals(client: Client) -> None:
    login(client, "sekda.siak")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Ranking of finalised evaluations" in page
    assert ">2.35<" in page


def test_ranking_queries_do_not_grow_with_evaluations(
    client: Client, framework59: Framework, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    member = MembershipFactory()
    client.force_login(member.user)
    finalised(framework59, levels_59(3), year=2023)
    client.get("/")  # warm the framework cache, as any running server has, and store the results
    with django_assert_num_queries(9) as few:
        assert client.get("/").status_code == 200
    warm = len(few.captured_queries)  # read now: the connection's query log is a bounded deque
    for year in (2021, 2022):
        for _ in range(5):
            finalised(framework59, levels_59(4), year=year)
    client.get("/?tahun=2022")  # the first view stores the new results (constant too: see below)
    with django_assert_num_queries(warm):
        response = client.get("/?tahun=2022")
        assert response.status_code == 200
    assert response.content.decode().count(">4,00<") == 5 * 5  # the index and the 4 domains of each
    assert ">3,00<" not in response.content.decode()  # one year at a time


def test_storing_new_results_takes_the_same_queries_for_one_or_many(
    client: Client, framework59: Framework, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    member = MembershipFactory()
    client.force_login(member.user)
    finalised(framework59, levels_59(3), year=2023)
    engine_framework(framework59)  # warm the framework cache, as any running server has
    with django_assert_num_queries(15, exact=False) as one:  # type: ignore[call-arg]  # the fixture takes exact=; its Protocol omits it
        assert client.get("/?tahun=2023").status_code == 200  # scores and stores one evaluation
    cold = len(one.captured_queries)
    for _ in range(6):
        finalised(framework59, levels_59(4), year=2021)
    with django_assert_num_queries(cold):
        response = client.get("/?tahun=2021")  # scores and stores six
        assert response.status_code == 200
    assert response.content.decode().count(">4,00<") == 6 * 5
