"""Attaching library items to answers, detaching them, and the evidence block on the answer page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import Answer, AnswerEvidence, AnswerStatus, Evidence, EvidenceStatus
from assessment.services import evidence as library
from tests.assessment.evidence import corpus
from tests.assessment.evidence.conftest import Place, add_pdf, checked

pytestmark = pytest.mark.django_db


def attach(client: Client, answer: Answer, evidence: Evidence | str) -> Any:
    value = evidence if isinstance(evidence, str) else str(evidence.pk)
    return client.post(reverse("assessment:evidence-attach", args=[answer.pk]), {"evidence": value})


def test_opd_staff_attach_a_library_item_to_their_answer(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    client.force_login(place.users["opd_a"])
    response = attach(client, place.answer, evidence)
    assert response["Location"] == reverse("assessment:answer", args=[place.answer.pk])
    link = AnswerEvidence.objects.get()
    assert (link.answer, link.evidence, link.status, link.added_by) == (
        place.answer,
        evidence,
        EvidenceStatus.PENDING,
        place.users["opd_a"],
    )


def test_attaching_twice_keeps_one_link(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    client.force_login(place.users["opd_a"])
    attach(client, place.answer, evidence)
    attach(client, place.answer, evidence)
    assert AnswerEvidence.objects.count() == 1


def test_one_file_can_back_several_indicators(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    Answer.objects.get(pk=place.answer_b.pk).contributors.add(place.opd_a)
    client.force_login(place.users["opd_a"])
    attach(client, place.answer, evidence)
    attach(client, place.answer_b, evidence)
    assert set(evidence.links.values_list("answer_id", flat=True)) == {place.answer.pk, place.answer_b.pk}


def test_a_missing_choice_is_a_message_not_an_error_page(client: Client, place: Place) -> None:
    client.force_login(place.users["opd_a"])
    assert attach(client, place.answer, "").status_code == 302
    assert AnswerEvidence.objects.count() == 0


def test_evidence_of_another_opd_cannot_be_attached(client: Client, place: Place) -> None:
    theirs = library.add_file(
        instansi=place.instansi, opd=place.opd_b, user=place.users["opd_b"], title="Milik Dinkes",
        document_date=None, upload=checked("x.pdf", corpus.pdf()),
    )  # fmt: skip
    client.force_login(place.users["opd_a"])
    assert attach(client, place.answer, theirs).status_code == 404
    assert AnswerEvidence.objects.count() == 0


def test_nothing_is_attached_to_an_answer_under_review(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    Answer.objects.filter(pk=place.answer.pk).update(status=AnswerStatus.SUBMITTED)
    client.force_login(place.users["opd_a"])
    response = attach(client, place.answer, evidence)
    assert response.status_code == 302
    assert AnswerEvidence.objects.count() == 0


def test_nothing_is_attached_after_the_deadline(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    place.evaluation.deadline = timezone.now() - timedelta(days=1)
    place.evaluation.save()
    client.force_login(place.users["opd_a"])
    attach(client, place.answer, evidence)
    assert AnswerEvidence.objects.count() == 0


def test_detaching_removes_the_link_and_keeps_the_library_item(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    link = library.attach(place.answer, evidence, place.users["opd_a"])
    client.force_login(place.users["opd_a"])
    response = client.post(reverse("assessment:evidence-detach", args=[link.pk]))
    assert response["Location"] == reverse("assessment:answer", args=[place.answer.pk])
    assert not AnswerEvidence.objects.exists()
    assert Evidence.objects.get() == evidence and evidence.versions.count() == 1


def test_detaching_from_an_answer_under_review_is_refused(client: Client, place: Place) -> None:
    link = library.attach(place.answer, add_pdf(place), place.users["opd_a"])
    Answer.objects.filter(pk=place.answer.pk).update(status=AnswerStatus.SUBMITTED)
    client.force_login(place.users["opd_a"])
    client.post(reverse("assessment:evidence-detach", args=[link.pk]))
    assert AnswerEvidence.objects.filter(pk=link.pk).exists()


# Who sees the answer but does not write it is refused with 403; another OPD, who does not see it, 404
# (the one denial rule, as the answer's own save).
@pytest.mark.parametrize(("role", "refused"), [("verifikator", 403), ("admin", 403), ("sekda", 403), ("opd_b", 404)])
def test_only_the_answers_opd_staff_attach_and_detach(client: Client, place: Place, role: str, refused: int) -> None:
    evidence = add_pdf(place)
    link = library.attach(place.answer, evidence, place.users["opd_a"])
    other = add_pdf(place, title="Lain")
    client.force_login(place.users[role])
    assert attach(client, place.answer, other).status_code == refused
    assert client.post(reverse("assessment:evidence-detach", args=[link.pk])).status_code == refused
    assert list(AnswerEvidence.objects.values_list("evidence_id", flat=True)) == [evidence.pk]


def test_attach_and_detach_refuse_get(client: Client, place: Place) -> None:
    link = library.attach(place.answer, add_pdf(place), place.users["opd_a"])
    client.force_login(place.users["opd_a"])
    assert client.get(reverse("assessment:evidence-attach", args=[place.answer.pk])).status_code == 405
    assert client.get(reverse("assessment:evidence-detach", args=[link.pk])).status_code == 405


# --- The block on the answer page ---------------------------------------------------------


def render_block(place: Place, user: str, *, can_edit: bool, claimed: Decimal | None) -> str:
    request = RequestFactory().get("/")
    request.user = place.users[user]
    template = Template("{% load evidence_tags %}{% answer_evidence answer can_edit claimed_level %}")
    context = {"answer": place.answer, "can_edit": can_edit, "claimed_level": claimed}
    return template.render(RequestContext(request, context))


def test_the_block_lists_each_item_with_its_status_and_checksum(place: Place) -> None:
    link = library.attach(place.answer, add_pdf(place), place.users["opd_a"])
    AnswerEvidence.objects.filter(pk=link.pk).update(status=EvidenceStatus.REJECTED, comment="Belum ditandatangani")
    html = render_block(place, "opd_a", can_edit=True, claimed=Decimal(3))
    sha = link.evidence.versions.get().sha256
    assert "Laporan" in html and "laporan.pdf" in html
    # The full checksum, behind the "Detail teknis" toggle (issue 14, item 17).
    details = html[html.index('data-testid="technical-details"') :]
    assert f'<code class="text-break">{sha}</code>' in details[: details.index("</details>")]
    assert "Ditolak" in html and "Belum ditandatangani" in html
    assert reverse("assessment:evidence-preview", args=[link.evidence.versions.get().pk]) in html
    assert reverse("assessment:evidence-detach", args=[link.pk]) in html
    assert f"{reverse('assessment:evidence-upload')}?jawaban={place.answer.pk}" in html


def test_the_attach_select_offers_the_users_other_items_only(place: Place) -> None:
    library.attach(place.answer, add_pdf(place, title="Sudah terlampir"), place.users["opd_a"])
    add_pdf(place, title="Belum terlampir")
    html = render_block(place, "opd_a", can_edit=True, claimed=None)
    select = html[html.index("<select") :]
    assert "Belum terlampir" in select and "Sudah terlampir" not in select


def test_readers_get_no_buttons(place: Place) -> None:
    library.attach(place.answer, add_pdf(place), place.users["opd_a"])
    html = render_block(place, "verifikator", can_edit=False, claimed=None)
    assert "Lepas" not in html and "<select" not in html and "jawaban=" not in html
    assert "Unduh" in html


@pytest.mark.parametrize(("claimed", "age_days", "badge"), [
    (Decimal(4), 800, True), (Decimal("4.50"), 800, True), (Decimal(3), 800, False),
    (Decimal(5), 300, False), (None, 800, False),
])  # fmt: skip
def test_old_evidence_is_flagged_where_the_level_demands_recency(
    place: Place, claimed: Decimal | None, age_days: int, badge: bool
) -> None:
    when = timezone.localdate() - timedelta(days=age_days)
    library.attach(place.answer, add_pdf(place, when=when), place.users["opd_a"])
    assert ("Lebih dari 2 tahun" in render_block(place, "opd_a", can_edit=False, claimed=claimed)) is badge


def test_a_flagged_pdf_shows_the_warning(place: Place) -> None:
    evidence = library.add_file(
        instansi=place.instansi, opd=place.opd_a, user=place.users["opd_a"], title="Aktif",
        document_date=None, upload=checked("aktif.pdf", corpus.pdf_with_javascript()),
    )  # fmt: skip
    library.attach(place.answer, evidence, place.users["opd_a"])
    assert "Perhatian: PDF ini berisi" in render_block(place, "verifikator", can_edit=False, claimed=None)


def test_office_files_get_a_download_but_no_preview(place: Place) -> None:
    evidence = library.add_file(
        instansi=place.instansi, opd=place.opd_a, user=place.users["opd_a"], title="Rekap",
        document_date=None, upload=checked("rekap.xlsx", corpus.xlsx()),
    )  # fmt: skip
    library.attach(place.answer, evidence, place.users["opd_a"])
    html = render_block(place, "opd_a", can_edit=False, claimed=None)
    assert "Pratinjau" not in html and "Unduh" in html


def test_the_block_costs_the_same_queries_for_1_and_5_items(place: Place) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            render_block(place, "opd_a", can_edit=True, claimed=Decimal(4))
        return len(captured)

    for n in range(5):
        evidence = add_pdf(place, title=f"Dok {n}")
        library.add_version(evidence, place.users["opd_a"], checked("v2.pdf", corpus.pdf()))
        add_pdf(place, title=f"Pustaka {n}")
        if n == 0:
            library.attach(place.answer, evidence, place.users["opd_a"])
            one = count()
        else:
            library.attach(place.answer, evidence, place.users["opd_a"])
    # Three are the tag's (links, versions, library); the membership and the header's unread
    # count come from the context processors, which a real page runs anyway.
    assert count() == one <= 5


@pytest.mark.parametrize(("today", "document", "stale"), [
    (date(2026, 6, 1), date(2024, 6, 1), False),
    (date(2026, 6, 1), date(2024, 5, 31), True),
    (date(2028, 2, 29), date(2026, 2, 28), False),
    (date(2028, 2, 29), date(2026, 2, 27), True),
])  # fmt: skip
def test_is_stale_means_more_than_two_years_before_today(today: date, document: date, stale: bool) -> None:
    assert library.is_stale(Evidence(document_date=document), today) is stale
    assert library.is_stale(Evidence(document_date=None), today) is False
