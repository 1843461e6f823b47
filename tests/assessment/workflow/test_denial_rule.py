"""One denial rule for writing an answer, on every entry point (page, htmx, API, Excel import).

An answer (or evaluation) the user cannot see answers 404, so ids cannot be probed; one they see
but do not write (a reviewer, the Sekda) answers 403 (`assessment.access.answer_to_write`,
docs/architecture.md "Permissions"). Before, the same reviewer got 403 from the save and 404
from the evidence, item and cited-figure posts and the Excel import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import AnswerEvidence, Evidence, EvidenceKind
from reports.models import Report
from tests.api.conftest import token_client
from tests.world import World

pytestmark = pytest.mark.django_db

Call = Callable[[Client, World], int]


def _link(world: World) -> AnswerEvidence:
    evidence = Evidence.objects.create(instansi=world.a.instansi, opd=world.a.bkpsdm, kind=EvidenceKind.LINK,
                                       title="Aplikasi SIMPEG", url="https://simpeg.example.go.id")  # fmt: skip
    return AnswerEvidence.objects.create(answer=world.answer, evidence=evidence)


def _post(name: str, data: dict[str, Any] | None = None, *, htmx: bool = False) -> Call:
    def call(client: Client, world: World) -> int:
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(reverse(name, args=[world.answer.pk]), data or {}, headers=headers)
        return response.status_code

    return call


def _attach(client: Client, world: World) -> int:
    # The evidence is in sight of every reader of the answer: only the answer decides.
    evidence = _link(world).evidence
    return client.post(
        reverse("assessment:evidence-attach", args=[world.answer.pk]), {"evidence": evidence.pk}
    ).status_code


def _detach(client: Client, world: World) -> int:
    return client.post(reverse("assessment:evidence-detach", args=[_link(world).pk])).status_code


def _upload_for_answer(client: Client, world: World) -> int:
    return client.get(reverse("assessment:evidence-upload") + f"?jawaban={world.answer.pk}").status_code


def _excel_import(client: Client, world: World) -> int:
    return client.get(reverse("exchange:import", args=[world.evaluation.pk])).status_code


SAVE = {"value": "3", "explanation": "x", "version": 0}
ENTRY_POINTS: dict[str, Call] = {
    "save (page)": _post("assessment:answer-save", SAVE),
    "save (htmx autosave)": _post("assessment:answer-save", SAVE, htmx=True),
    "withdraw approval": _post("assessment:answer-withdraw", {"reason": "salah pilih", "version": 0}),
    "item files": _post("assessment:answer-item-files", {"action": "note", "code": "I1-L1-01", "note": "x"}),
    "cited index figure": _post("assessment:answer-index-figure", {"figure": "3", "measured_on": "2026-01-01"}),
    "attach evidence": _attach,
    "detach evidence": _detach,
    "upload evidence for the answer": _upload_for_answer,
    "Excel questionnaire import": _excel_import,
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("role", ["verifikator", "sekda"])
def test_a_reader_who_does_not_write_the_answer_gets_403(client: Client, world: World, entry: str, role: str) -> None:
    client.force_login(world.a.users[role])
    assert ENTRY_POINTS[entry](client, world) == 403


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_a_user_who_cannot_see_the_answer_gets_404(client: Client, world: World, entry: str) -> None:
    # Diskominfo staff neither lead nor contribute to BKPSDM's answer; the Excel import is theirs
    # too (they see the evaluation), so for them only the answer entry points are out of sight.
    client.force_login(world.b.users["verifikator"])  # another instansi: nothing of a is visible
    assert ENTRY_POINTS[entry](client, world) == 404


@pytest.mark.parametrize("entry", sorted(set(ENTRY_POINTS) - {"Excel questionnaire import"}))
def test_staff_of_another_opd_get_404(client: Client, world: World, entry: str) -> None:
    client.force_login(world.a.users["opd.diskominfo"])
    assert ENTRY_POINTS[entry](client, world) == 404


@pytest.mark.parametrize(("role", "expected"), [("verifikator", 403), ("sekda", 403), ("opd.diskominfo", 404)])
def test_the_api_draft_save_follows_the_same_rule(world: World, role: str, expected: int) -> None:
    client = token_client(world.a.users[role])
    response = client.patch(reverse("api:answer-detail", args=[world.answer.pk]), SAVE, format="json")
    assert response.status_code == expected


@pytest.mark.parametrize(("role", "expected"), [("opd.bkpsdm", 403), ("koordinator", 404)])
def test_a_report_kind_the_role_may_not_request_is_refused_alike_on_the_page_and_the_api(
    client: Client, world: World, role: str, expected: int
) -> None:
    """OPD staff see the report page (their OPD's kinds) but may not request the instansi's report:
    403 on both; the coordinator has no report page at all: 404 on both."""
    user = world.a.users[role]
    client.force_login(user)
    page = client.post(reverse("reports:request", args=[world.evaluation.pk]), {"kind": "hasil"})
    api = token_client(user).post(
        reverse("api:evaluation-reports", args=[world.evaluation.pk]), {"kind": "hasil"}, format="json"
    )
    assert (page.status_code, api.status_code) == (expected, expected)
    assert not Report.objects.exists()
