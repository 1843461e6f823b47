"""The review queue's filters: status (submitted unless asked), OPD (led or contributed), domain or
aspect, and waiting age; a value that does not parse is ignored, and the form shows what was asked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from assessment.models import Answer, AnswerStatus
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(world: World) -> dict[str, Answer]:
    """Four answers: three submitted (10 days, 1 day and 3 days ago) and one returned."""
    now = timezone.now()
    answers = {n: world.evaluation.answers.get(indicator__number=n) for n in (36, 1, 5, 2)}
    rows = {36: (world.a.bkpsdm, 10, AnswerStatus.SUBMITTED), 1: (world.a.diskominfo, 1, AnswerStatus.SUBMITTED),
            5: (world.a.diskominfo, 3, AnswerStatus.SUBMITTED), 2: (world.a.bkpsdm, 2, AnswerStatus.RETURNED)}  # fmt: skip
    for number, (opd, days, status) in rows.items():
        Answer.objects.filter(pk=answers[number].pk).update(
            lead_opd=opd, status=status, submitted_at=now - timedelta(days=days)
        )
    answers[5].contributors.add(world.a.bkpsdm)  # led by Diskominfo, BKPSDM contributes
    for answer in answers.values():
        answer.refresh_from_db()
    return {"i36": answers[36], "i1": answers[1], "i5": answers[5], "i2": answers[2]}


def listed(client: Client, query: str = "") -> set[int]:
    response = client.get(f"/penilaian/periksa/?{query}")
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'href="/penilaian/periksa/(\d+)/"', response.content.decode())}


def pks(queue: dict[str, Answer], *names: str) -> set[int]:
    return {queue[name].pk for name in names}


@pytest.fixture
def reviewer(client: Client, world: World) -> Client:
    client.force_login(world.a.users["verifikator"])
    return client


def test_the_queue_shows_submitted_answers_unless_another_status_is_asked(
    reviewer: Client, queue: dict[str, Answer]
) -> None:
    assert listed(reviewer) == listed(reviewer, "status=") == pks(queue, "i36", "i1", "i5")
    assert listed(reviewer, "status=returned") == pks(queue, "i2")
    assert listed(reviewer, "status=approved") == set()


def test_a_status_that_is_not_one_shows_every_status(reviewer: Client, queue: dict[str, Answer], world: World) -> None:
    everything = listed(reviewer, "status=bogus")
    assert pks(queue, "i36", "i1", "i5", "i2") <= everything
    assert len(everything) == world.evaluation.answers.count()


def test_the_opd_filter_keeps_answers_the_opd_leads_or_contributes_to(
    reviewer: Client, queue: dict[str, Answer], world: World
) -> None:
    assert listed(reviewer, f"opd={world.a.bkpsdm.pk}") == pks(queue, "i36", "i5")
    assert listed(reviewer, f"opd={world.a.diskominfo.pk}") == pks(queue, "i1", "i5")
    assert listed(reviewer, f"opd={world.b.bkpsdm.pk}") == set()  # another instansi's OPD: nothing


def test_the_domain_filter_takes_a_domain_or_an_aspect(reviewer: Client, queue: dict[str, Answer]) -> None:
    aspect = queue["i36"].indicator.group
    domain = aspect.parent
    assert domain is not None
    expected = {a.pk for a in queue.values() if a.status == AnswerStatus.SUBMITTED and domain.pk in
                (a.indicator.group_id, a.indicator.group.parent_id)}  # fmt: skip
    assert queue["i36"].pk in expected and queue["i1"].pk not in expected
    assert listed(reviewer, f"domain={domain.pk}") == expected
    assert listed(reviewer, f"domain={aspect.pk}") == {a.pk for a in queue.values() if a.status ==
                                                       AnswerStatus.SUBMITTED and a.indicator.group_id == aspect.pk}  # fmt: skip


def test_the_age_filter_keeps_answers_waiting_at_least_that_many_days(
    reviewer: Client, queue: dict[str, Answer]
) -> None:
    assert listed(reviewer, "age=0") == pks(queue, "i36", "i1", "i5")
    assert listed(reviewer, "age=3") == pks(queue, "i36", "i5")
    assert listed(reviewer, "age=11") == set()


def test_filters_combine(reviewer: Client, queue: dict[str, Answer], world: World) -> None:
    assert listed(reviewer, f"opd={world.a.bkpsdm.pk}&age=5") == pks(queue, "i36")
    assert listed(reviewer, f"status=returned&opd={world.a.bkpsdm.pk}") == pks(queue, "i2")


@pytest.mark.parametrize("query", ["opd=x", "opd=²", "domain=١٢", "domain=-1", "age=abc", "age=-3", "age=36501",
                                   "opd=" + "9" * 10, "age=%00"])  # fmt: skip
def test_a_value_that_does_not_parse_is_ignored(reviewer: Client, queue: dict[str, Answer], query: str) -> None:
    assert listed(reviewer, query) == pks(queue, "i36", "i1", "i5")


def test_the_form_shows_what_was_asked(reviewer: Client, queue: dict[str, Answer], world: World) -> None:
    page = reviewer.get("/penilaian/periksa/").content.decode()
    for name, label in (("status", "Status"), ("opd", "OPD"), ("domain", "Domain / aspek"), ("age", "Menunggu ≥ hari")):
        assert re.search(rf'<label for="f-{name}" class="form-label">{label}</label>', page)
        assert re.search(rf'<(select|input)[^>]*\bname="{name}"', page)
        assert re.search(rf'<(select|input)[^>]*\bid="f-{name}"', page)
    assert re.search(r'<option value="submitted" selected>Diajukan</option>', page)
    assert '<option value="" selected>Semua OPD</option>' in page or '<option value="">Semua OPD</option>' in page
    assert f'<option value="{world.a.bkpsdm.pk}">BKPSDM</option>' in page
    assert page.count(">BKPSDM</option>") == 1  # only the instansi's OPDs
    domain = queue["i36"].indicator.group.parent
    assert domain is not None
    assert f'<option value="{domain.pk}">{domain.code} {domain.name}</option>' in page
    assert re.search(r'<input[^>]*type="number"[^>]*\bmin="0"', page)

    asked = reviewer.get(f"/penilaian/periksa/?status=returned&opd={world.a.bkpsdm.pk}&domain={domain.pk}&age=4")
    page = asked.content.decode()
    assert '<option value="returned" selected>Dikembalikan</option>' in page
    assert f'<option value="{world.a.bkpsdm.pk}" selected>BKPSDM</option>' in page
    assert f'<option value="{domain.pk}" selected>{domain.code} {domain.name}</option>' in page
    assert re.search(r'<input[^>]*\bname="age"[^>]*\bvalue="4"|<input[^>]*\bvalue="4"[^>]*\bname="age"', page)


@pytest.mark.usefixtures("queue")
def test_a_value_that_does_not_parse_is_shown_without_an_error(reviewer: Client) -> None:
    page = reviewer.get("/penilaian/periksa/?age=abc&opd=x").content.decode()
    assert "aria-invalid" not in page and 'value="abc"' in page
