"""Carrying last year's still-valid evidence into this year's evaluation in one step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import (
    Answer,
    AnswerEvidence,
    AnswerStatus,
    Evaluation,
    EvaluationStatus,
    EvidenceStatus,
    Framework,
)
from assessment.services import evidence as library
from assessment.services.evaluations import WorkflowError, create_evaluation
from tests.assessment.evidence.conftest import Place, add_pdf, make_place, small_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def years(framework59: Framework) -> tuple[Place, Evaluation]:
    """Kabupaten Siak with a 2025 evaluation (`place`) and an open 2026 one, both on 59/2020."""
    place = make_place(framework59, "siak", year=2025)
    return place, create_evaluation(place.instansi, framework59, 2026, None, "exact")


def answer_of(evaluation: Evaluation, number: int) -> Answer:
    return evaluation.answers.get(indicator__number=number)


def link(place: Place, number: int, *, status: str = EvidenceStatus.PENDING, age_days: int = 30) -> AnswerEvidence:
    evidence = add_pdf(
        place, title=f"Bukti {number} {status} {age_days}", when=timezone.localdate() - timedelta(days=age_days)
    )
    made = library.attach(answer_of(place.evaluation, number), evidence, place.users["opd_a"])
    AnswerEvidence.objects.filter(pk=made.pk).update(status=status)
    return made


def carried(evaluation: Evaluation) -> set[tuple[int, str]]:
    rows = AnswerEvidence.objects.filter(answer__evaluation=evaluation)
    return set(rows.values_list("answer__indicator__number", "evidence__title"))


def test_valid_links_follow_their_indicator_into_the_new_year(years: tuple[Place, Evaluation]) -> None:
    place, new = years
    link(place, 1)
    link(place, 1, status=EvidenceStatus.APPROVED)
    link(place, 2, status=EvidenceStatus.REJECTED)
    link(place, 3, age_days=365 * 2 + 5)  # more than two years old
    link(place, 36, age_days=365 * 2 - 5)
    added = library.carry_over(place.evaluation, new, place.users["admin"])
    assert added == 3
    assert carried(new) == {(1, "Bukti 1 pending 30"), (1, "Bukti 1 approved 30"), (36, "Bukti 36 pending 725")}
    assert set(AnswerEvidence.objects.filter(answer__evaluation=new).values_list("status", flat=True)) == {"pending"}


def test_carrying_over_twice_adds_nothing_more(years: tuple[Place, Evaluation]) -> None:
    place, new = years
    link(place, 1)
    assert library.carry_over(place.evaluation, new, place.users["admin"]) == 1
    assert library.carry_over(place.evaluation, new, place.users["admin"]) == 0
    assert AnswerEvidence.objects.filter(answer__evaluation=new).count() == 1


def test_links_without_a_date_are_carried(years: tuple[Place, Evaluation]) -> None:
    place, new = years
    evidence = library.add_link(
        instansi=place.instansi, opd=place.opd_a, user=place.users["opd_a"], title="SIMPEG",
        url="https://simpeg.example.go.id", access_note="", document_date=None,
    )  # fmt: skip
    library.attach(answer_of(place.evaluation, 5), evidence, place.users["opd_a"])
    assert library.carry_over(place.evaluation, new, place.users["admin"]) == 1


def test_answers_under_review_are_left_alone(years: tuple[Place, Evaluation]) -> None:
    place, new = years
    link(place, 1)
    Answer.objects.filter(pk=answer_of(new, 1).pk).update(status=AnswerStatus.SUBMITTED)
    assert library.carry_over(place.evaluation, new, place.users["admin"]) == 0


def test_only_indicator_numbers_present_in_both_years_are_carried(framework59: Framework) -> None:
    place = make_place(framework59, "siak", year=2025)
    link(place, 2)
    link(place, 40)
    new = create_evaluation(place.instansi, small_framework(), 2026, None, "exact")  # indicators 1 to 3
    assert library.carry_over(place.evaluation, new, place.users["admin"]) == 1
    assert carried(new) == {(2, "Bukti 2 pending 30")}


def test_a_finalised_or_foreign_evaluation_is_refused(years: tuple[Place, Evaluation]) -> None:
    place, new = years
    link(place, 1)
    other = make_place(place.evaluation.framework, "lain", year=2025)
    with pytest.raises(WorkflowError):
        library.carry_over(other.evaluation, new, place.users["admin"])
    with pytest.raises(WorkflowError):
        library.carry_over(new, place.evaluation, place.users["admin"])  # backwards in time
    Evaluation.objects.filter(pk=new.pk).update(status=EvaluationStatus.FINALISED)
    with pytest.raises(WorkflowError):
        library.carry_over(place.evaluation, new, place.users["admin"])
    assert not AnswerEvidence.objects.filter(answer__evaluation=new).exists()


def test_the_number_of_queries_does_not_grow_with_the_links(years: tuple[Place, Evaluation]) -> None:
    place, new = years

    def run() -> int:
        AnswerEvidence.objects.filter(answer__evaluation=new).delete()
        with CaptureQueriesContext(connection) as captured:
            library.carry_over(place.evaluation, new, place.users["admin"])
        return len(captured)

    link(place, 1)
    one = run()
    for number in range(2, 12):
        link(place, number)
    assert run() == one


# --- The view -----------------------------------------------------------------------------


def carry(client: Client, evaluation: Evaluation) -> int:
    return client.post(reverse("assessment:evidence-carry-over", args=[evaluation.pk])).status_code


@pytest.mark.parametrize("role", ["admin", "verifikator"])
def test_the_admin_or_verifikator_carries_over_and_returns_to_the_evaluation(
    client: Client, years: tuple[Place, Evaluation], role: str
) -> None:
    place, new = years
    link(place, 1)
    client.force_login(place.users[role])
    back = f"/indeks/evaluasi/{new.pk}/"
    response = client.post(reverse("assessment:evidence-carry-over", args=[new.pk]), {"next": back})
    assert response["Location"] == back
    assert carried(new) == {(1, "Bukti 1 pending 30")}


@pytest.mark.parametrize("role", ["opd_a", "sekda"])
def test_other_roles_get_a_404(client: Client, years: tuple[Place, Evaluation], role: str) -> None:
    place, new = years
    link(place, 1)
    client.force_login(place.users[role])
    assert carry(client, new) == 404
    assert not AnswerEvidence.objects.filter(answer__evaluation=new).exists()


def test_a_finalised_evaluation_is_not_changed(client: Client, years: tuple[Place, Evaluation]) -> None:
    place, new = years
    link(place, 1)
    Evaluation.objects.filter(pk=new.pk).update(status=EvaluationStatus.FINALISED)
    client.force_login(place.users["admin"])
    assert carry(client, new) == 302
    assert not AnswerEvidence.objects.filter(answer__evaluation=new).exists()


def test_without_an_earlier_evaluation_nothing_happens(client: Client, place: Place) -> None:
    client.force_login(place.users["admin"])
    response = client.post(reverse("assessment:evidence-carry-over", args=[place.evaluation.pk]), follow=True)
    assert "Belum ada evaluasi tahun sebelumnya" in response.content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", ""])
def test_carry_over_never_redirects_off_site(client: Client, place: Place, next_url: str) -> None:
    client.force_login(place.users["admin"])
    response = client.post(reverse("assessment:evidence-carry-over", args=[place.evaluation.pk]), {"next": next_url})
    assert response["Location"] == reverse("assessment:worklist")


def test_carry_over_refuses_get(client: Client, place: Place) -> None:
    client.force_login(place.users["admin"])
    assert client.get(reverse("assessment:evidence-carry-over", args=[place.evaluation.pk])).status_code == 405


@pytest.mark.parametrize(
    ("role", "shown"), [("admin", True), ("verifikator", True), ("sekda", False), ("opd_a", False)]
)
def test_the_carry_over_button_is_for_admin_and_verifikator(place: Place, role: str, shown: bool) -> None:
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    from assessment.access import membership

    request = RequestFactory().get("/indeks/evaluasi/1/")
    request.user = place.users[role]
    template = Template('{% include "assessment/evidence/_carry_over_form.html" %}')
    html = template.render(RequestContext(request, {"evaluation": place.evaluation, "membership": membership(request)}))
    assert (reverse("assessment:evidence-carry-over", args=[place.evaluation.pk]) in html) is shown
    assert not shown or 'name="next" value="/indeks/evaluasi/1/"' in html
