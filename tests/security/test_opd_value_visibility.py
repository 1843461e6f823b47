"""Issue 17 item 12: OPD staff do not see another OPD's draft or returned values anywhere.

The rule (`assessment.access.values_visible`): OPD staff see the values of answers their OPD
leads or contributes to, and of other OPDs' answers once submitted or approved. Reviewers, admins
and the Sekda see all. Here Diskominfo's indicator 1 was returned with level 4, its indicator 2
is submitted with level 4, and BKPSDM's own indicator 36 is a draft at level 2.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from api.tokens import issue
from assessment import questionnaire
from assessment.models import AnswerStatus, Decision, Membership
from assessment.services import answers as workflow
from reports.models import Report
from reports.rendering import build
from scoring import engine
from scoring.models import Scenario
from scoring.services import engine_framework
from tests.world import World

pytestmark = pytest.mark.django_db

OWN = {"36": 2}  # BKPSDM's draft
SHARED = {"2": 4}  # Diskominfo's, submitted
RETURNED = {"1": 4}  # Diskominfo's, returned: hidden from BKPSDM


@pytest.fixture
def filled(world: World) -> World:
    bkpsdm, diskominfo = world.a.users["opd.bkpsdm"], world.a.users["opd.diskominfo"]
    reviewer = world.a.users["verifikator"]
    workflow.save_draft(world.answer, bkpsdm, value=Decimal(2), explanation="FAKTA BKPSDM", seen_version=0)
    returned = workflow.save_and_submit(
        world.other_answer, diskominfo, value=Decimal(4), explanation="RAHASIA DISKOMINFO", seen_version=0
    ).answer
    workflow.decide(
        returned, reviewer, decision=Decision.RETURNED, reason="Bukti kurang", verified_value=None,
        seen_version=returned.version,
    )  # fmt: skip
    shared = world.evaluation.answers.get(indicator__number=2)
    shared.lead_opd = world.a.diskominfo
    shared.save()
    workflow.save_and_submit(shared, diskominfo, value=Decimal(4), explanation="Diajukan", seen_version=shared.version)
    world.other_answer.refresh_from_db()
    assert world.other_answer.status == AnswerStatus.RETURNED
    return world


def as_user(client: Client, world: World, key: str) -> Client:
    client.force_login(world.a.users[key])
    return client


def field(html: str, key: str) -> str:
    found = re.search(rf'id="sim-{key}"[^>]*value="([^"]*)"', html, re.S)
    assert found, key
    return found.group(1)


def index_of(world: World, values: dict[str, Any]) -> str:
    spec = engine_framework(world.evaluation.framework)
    result = engine.score(spec, values, engine.PredicateBasis(world.evaluation.predicate_basis))
    assert result.index is not None
    return str(result.index.display).replace(".", ",")


def shown_index(html: str) -> str:
    found = re.search(r'data-testid="sim-index">([^<]*)<', html)
    assert found
    return found.group(1).strip()


@pytest.mark.parametrize(("who", "sees_returned"), [("opd.bkpsdm", False), ("verifikator", True), ("sekda", True)])
def test_simulator_page_and_htmx(client: Client, filled: World, who: str, sees_returned: bool) -> None:
    as_user(client, filled, who)
    url = reverse("scoring:simulator", args=[filled.evaluation.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert field(html, "36") == "2" and field(html, "2") == "4"  # own draft, another OPD's submitted
    assert field(html, "1") == ("4" if sees_returned else "")
    assert ('data-testid="hidden-values"' in html) is not sees_returned
    visible = {**OWN, **SHARED, **(RETURNED if sees_returned else {})}
    assert shown_index(html) == index_of(filled, visible)
    # The htmx change scores from the same current values (no field sent: every current value counts).
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert shown_index(partial.content.decode()) == index_of(filled, visible)
    assert "RAHASIA DISKOMINFO" not in html


def test_a_saved_scenario_does_not_carry_the_hidden_value_to_opd_staff(client: Client, filled: World) -> None:
    as_user(client, filled, "verifikator")
    url = reverse("scoring:simulator", args=[filled.evaluation.pk])
    client.post(reverse("scoring:scenario-save", args=[filled.evaluation.pk]),
                {"name": "Semua", "i1": "4", "i2": "4", "i36": "2"})  # fmt: skip
    scenario = Scenario.objects.get(name="Semua")
    assert field(client.get(url, {"skenario": scenario.pk}).content.decode(), "1") == "4"
    as_user(client, filled, "opd.bkpsdm")
    html = client.get(url, {"skenario": scenario.pk}).content.decode()
    assert field(html, "1") == "" and field(html, "2") == "4"


@pytest.mark.parametrize(("who", "sees_returned"), [("opd.bkpsdm", False), ("verifikator", True), ("admin", True)])
def test_improvement_plan(client: Client, filled: World, who: str, sees_returned: bool) -> None:
    as_user(client, filled, who)
    response = client.get(reverse("scoring:plan", args=[filled.evaluation.pk]), {"target": "5"})
    assert response.status_code == 200
    html = response.content.decode()
    visible = {**OWN, **SHARED, **(RETURNED if sees_returned else {})}
    found = re.search(r'data-testid="plan-index">([^<]*)<', html)
    assert found and found.group(1) == index_of(filled, visible)
    assert 'data-testid="gain-36"' in html and 'data-testid="gain-2"' in html
    assert ('data-testid="gain-1"' in html) is sees_returned


def test_exports_are_refused_and_the_api_answers_404_to_opd_staff(client: Client, filled: World) -> None:
    """The plan exports are not offered to OPD staff (refused: 403, as the API, docs/api.md); the API
    shows them only their own answers (another OPD's answer: 404)."""
    as_user(client, filled, "opd.bkpsdm")
    before = Report.objects.count()
    for kind in ("rencana", "rencana-xlsx", "xlsx", "csv", "hasil"):
        response = client.post(reverse("reports:request", args=[filled.evaluation.pk]), {"kind": kind})
        assert response.status_code == 403, kind
    assert Report.objects.count() == before
    token = issue(filled.a.users["opd.bkpsdm"], "t").key
    headers = {"Authorization": f"Token {token}"}
    assert client.get(f"/api/v1/answers/{filled.other_answer.pk}/", headers=headers).status_code == 404
    listed = client.get(f"/api/v1/evaluations/{filled.evaluation.pk}/answers/", headers=headers)
    assert listed.status_code == 200
    numbers = {row["indicator"]["number"] if isinstance(row["indicator"], dict) else row["indicator"]
               for row in listed.json()["results"]}  # fmt: skip
    assert 1 not in numbers


def test_the_reviewer_s_plan_export_holds_the_returned_value(filled: World) -> None:
    """The control: the plan export, offered only to reviewers, admins and the Sekda, sees everything."""
    document = build("rencana-xlsx", filled.evaluation, target="5")
    rows = list(openpyxl.load_workbook(io.BytesIO(document.content))["Rencana"].iter_rows(values_only=True))
    steps = {row[1]: row[3] for row in rows[1:]}  # indicator number -> level before the step
    assert steps == {1: 4, 2: 4, 36: 2}


def questionnaire_with(world: World, edits: dict[int, tuple[Any, Any]]) -> bytes:
    """The reviewer's whole-instansi Excel export, with {indicator: (level, explanation)} written in."""
    book = openpyxl.load_workbook(io.BytesIO(build("xlsx", world.evaluation).content))
    sheet = book["Indikator"]
    header = [c.value for c in sheet[1]]
    level, text = header.index("Penilaian Mandiri") + 1, header.index("Penjelasan") + 1
    for row in range(2, sheet.max_row + 1):
        number = sheet.cell(row, 1).value
        if number in edits:
            sheet.cell(row, level).value, sheet.cell(row, text).value = edits[number]
        elif number == 1:  # the export carries the hidden row's content; blank it like an OPD's template
            sheet.cell(row, level).value, sheet.cell(row, text).value = None, None
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_excel_import_cannot_confirm_a_guess_of_a_hidden_value(filled: World) -> None:
    """The right guess of Diskominfo's returned row and a wrong one get the same answer: not yours."""
    bkpsdm = Membership.objects.select_related("opd").get(user=filled.a.users["opd.bkpsdm"])
    outcomes = []
    for guess in ((4, "RAHASIA DISKOMINFO"), (3, "tebakan"), (None, "RAHASIA DISKOMINFO"), (4, None)):
        plan = questionnaire.read_plan(filled.evaluation, bkpsdm, questionnaire_with(filled, {1: guess}))
        outcomes.append(([n.message for n in plan.errors], plan.unchanged))
    assert all(outcome == outcomes[0] for outcome in outcomes), outcomes
    assert "bukan tugas OPD Anda" in outcomes[0][0][0]
    blank = questionnaire.read_plan(filled.evaluation, bkpsdm, questionnaire_with(filled, {}))
    assert blank.errors == []  # untouched rows are still no business of ours
