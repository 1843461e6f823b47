"""Another OPD, and any user of another instansi, get 404 on every evidence URL, and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessment.models import Answer, AnswerEvidence, Evidence, EvidenceVersion
from assessment.services import evidence as library
from tests.assessment.evidence import corpus
from tests.assessment.evidence.conftest import Place, add_pdf, checked, latest, media_files

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    place: Place
    elsewhere: Place
    evidence: Evidence  # opd_a's, on opd_a's answer
    link: AnswerEvidence
    own: Evidence  # what the visitor owns in their own OPD (a candidate for attaching)
    own_answer: Answer  # an answer of the visitor's own instansi (their OPD's, for OPD staff)


@pytest.fixture(params=["opd_b", "lain:admin", "lain:opd_a", "lain:verifikator"])
def visitor(request: Any, place: Place, elsewhere: Place, client: Client) -> Scene:
    """The visitor is logged in; `own` is a library item of the visitor's OPD."""
    evidence = add_pdf(place, title="Milik BKPSDM Siak")
    link = library.attach(place.answer, evidence, place.users["opd_a"])
    side, _sep, role = request.param.rpartition(":")
    home = elsewhere if side == "lain" else place
    opd = home.opd_b if role == "opd_b" else home.opd_a
    own = library.add_file(
        instansi=home.instansi, opd=opd, user=home.users[role], title="Milik pengunjung",
        document_date=None, upload=checked("x.pdf", corpus.pdf()),
    )  # fmt: skip
    client.force_login(home.users[role])
    return Scene(place, elsewhere, evidence, link, own, home.answer_b if role == "opd_b" else home.answer)


def state() -> tuple[object, ...]:
    return (
        list(AnswerEvidence.objects.values_list("pk", "answer_id", "evidence_id", "status").order_by("pk")),
        list(EvidenceVersion.objects.values_list("pk", "sha256").order_by("pk")),
        Evidence.objects.count(),
        len(media_files()),
    )


ROUTES: dict[str, tuple[str, Callable[[Scene], int], Callable[[Scene], dict[str, Any]]]] = {
    "evidence-detail": ("get", lambda s: s.evidence.pk, lambda _s: {}),
    "evidence-download": ("get", lambda s: latest(s.evidence).pk, lambda _s: {}),
    "evidence-preview": ("get", lambda s: latest(s.evidence).pk, lambda _s: {}),
    "evidence-new-version": (
        "post",
        lambda s: s.evidence.pk,
        lambda _s: {"file": SimpleUploadedFile("v2.pdf", corpus.pdf())},
    ),
    "evidence-attach": ("post", lambda s: s.place.answer.pk, lambda s: {"evidence": s.own.pk}),
    "evidence-detach": ("post", lambda s: s.link.pk, lambda _s: {}),
    "evidence-carry-over": ("post", lambda s: s.place.evaluation.pk, lambda _s: {}),
}


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_out_of_scope_users_get_404_and_change_nothing(client: Client, visitor: Scene, name: str) -> None:
    method, target, data = ROUTES[name]
    before = state()
    response = getattr(client, method)(reverse(f"assessment:{name}", args=[target(visitor)]), data(visitor))
    assert response.status_code == 404
    assert state() == before


def test_evidence_out_of_scope_cannot_be_attached_to_ones_own_answer(client: Client, visitor: Scene) -> None:
    before = state()
    url = reverse("assessment:evidence-attach", args=[visitor.own_answer.pk])
    response = client.post(url, {"evidence": visitor.evidence.pk})
    assert response.status_code == 404
    assert state() == before


@pytest.mark.usefixtures("visitor")
def test_the_library_of_another_instansi_stays_invisible(client: Client) -> None:
    titles = [e.title for e in client.get(reverse("assessment:evidence-list")).context["page"]]
    assert "Milik BKPSDM Siak" not in titles


def test_staff_of_the_same_instansi_read_everything(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    for role in ("admin", "sekda", "verifikator"):
        client.force_login(place.users[role])
        assert client.get(reverse("assessment:evidence-detail", args=[evidence.pk])).status_code == 200
        assert client.get(reverse("assessment:evidence-download", args=[latest(evidence).pk])).status_code == 200


def test_an_opd_sees_another_opds_evidence_once_it_backs_their_answer(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    library.attach(place.answer_b, evidence, place.users["opd_a"])
    client.force_login(place.users["opd_b"])
    assert client.get(reverse("assessment:evidence-detail", args=[evidence.pk])).status_code == 200
