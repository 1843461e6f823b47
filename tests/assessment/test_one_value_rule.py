"""Issue 16 (defect): one rule for a valid answer value. The answer page, the API, the Excel import
and `save_draft` itself refuse the same values with the same Indonesian reason, and an externally
fed value keeps its source figure whichever way it is saved."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from assessment import questionnaire
from assessment.models import Answer, Evaluation, Framework, Membership, Stage, StageValue
from assessment.services import answers as workflow
from assessment.services.evaluations import WorkflowError, create_evaluation
from reports.rendering import build
from tests.api.conftest import token_client
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (the Pemdi 8/2026 fixture)
from tests.world import make_side

pytestmark = pytest.mark.django_db
LEVEL_COLUMN = "Penilaian Mandiri"


@dataclass(frozen=True)
class Case:
    framework: str  # "59" (whole levels) or "pemdi" (decimal values, fed indices)
    number: int  # the indicator
    opd: str  # the OPD that leads it
    form: dict[str, str]  # what the answer page posts
    api: str  # what the API is sent as "value"
    cell: Any  # what the workbook holds in the level column
    reason: str  # the one Indonesian reason


CASES = {
    "off-step": Case("59", 36, "bkpsdm", {"value": "2.5"}, "2.5", 2.5, "Nilai ditulis dalam kelipatan 1."),
    "out-of-band": Case("pemdi", 3, "bkpsdm", {"level": "5", "value": "5,10"}, "5.10", 5.1,
                        "Nilai harus antara 1,00 dan 5,00."),
    "fed-without-source": Case("pemdi", 5, "diskominfo", {"value": "3,75"}, "3.75", 3.75,
                               "Nilai indikator ini dikonversi dari Indeks SDI"),
}  # fmt: skip


def setup(framework: Framework, number: int, opd: str) -> tuple[Answer, Any]:
    side = make_side("a")
    create_evaluation(side.instansi, framework, 2026, None, "exact")
    item = Answer.objects.select_related("evaluation", "indicator").get(
        evaluation__instansi=side.instansi, indicator__number=number
    )
    item.lead_opd = getattr(side, opd)
    item.save()
    return item, side.users[f"opd.{opd}"]


@pytest.fixture
def framework_of(framework59: Framework, request: pytest.FixtureRequest) -> Callable[[str], Framework]:
    return lambda which: framework59 if which == "59" else request.getfixturevalue("pemdi")


def workbook(evaluation: Evaluation, edits: dict[int, tuple[Any, Any]]) -> bytes:
    book = load_workbook(io.BytesIO(build("xlsx", evaluation).content))
    sheet = book["Indikator"]
    header = [c.value for c in sheet[1]]
    level, text = header.index(LEVEL_COLUMN) + 1, header.index("Penjelasan") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value in edits:
            sheet.cell(row, level).value, sheet.cell(row, text).value = edits[sheet.cell(row, 1).value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored(item: Answer) -> tuple[Decimal, Decimal | None] | None:
    row = StageValue.objects.filter(answer=item, stage=Stage.MANDIRI).first()
    return None if row is None else (row.value, row.source_value)


def by_form(client: Client, item: Answer, user: Any, case: Case) -> str:
    client.force_login(user)
    item.refresh_from_db()
    body = {"explanation": "FAKTA. ANALISIS.", "version": item.version, **case.form}
    response = client.post(f"/penilaian/jawaban/{item.pk}/simpan/", body)
    assert response.status_code == 200
    return response.content.decode()


def by_api(_client: Client, item: Answer, user: Any, case: Case) -> str:
    item.refresh_from_db()
    body = {"value": case.api, "explanation": "FAKTA. ANALISIS.", "version": item.version}
    response = token_client(user).patch(f"/api/v1/answers/{item.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    return " ".join(response.json()["value"])


def by_excel(_client: Client, item: Answer, user: Any, case: Case) -> str:
    member = Membership.objects.select_related("opd").get(user=user)
    data = workbook(item.evaluation, {case.number: (case.cell, "FAKTA. ANALISIS.")})
    plan = questionnaire.read_plan(item.evaluation, member, data)
    assert not plan.can_apply
    [error] = plan.errors
    return error.message


def by_service(_client: Client, item: Answer, user: Any, case: Case) -> str:
    value = Decimal(case.api)
    with pytest.raises(WorkflowError) as refused:
        workflow.save_draft(item, user, value=value, explanation="FAKTA. ANALISIS.", seen_version=item.version)
    return str(refused.value)


@pytest.mark.parametrize("entry", [by_form, by_api, by_excel, by_service], ids=["form", "api", "excel", "service"])
@pytest.mark.parametrize("name", list(CASES))
def test_every_entry_point_refuses_what_the_form_refuses_with_the_same_reason(
    client: Client, framework_of: Callable[[str], Framework], name: str, entry: Callable[..., str]
) -> None:
    case = CASES[name]
    item, user = setup(framework_of(case.framework), case.number, case.opd)
    message = entry(client, item, user, case)
    assert case.reason in message
    assert stored(item) is None
    item.refresh_from_db()
    assert item.version == 0 and item.explanation == ""


def test_the_source_figure_is_kept_by_the_page_the_api_and_the_excel_import(
    client: Client, framework_of: Callable[[str], Framework]
) -> None:
    item, user = setup(framework_of("pemdi"), 5, "diskominfo")
    client.force_login(user)
    body = {"explanation": "FAKTA.", "version": 0, "source_value": "68,75"}
    assert client.post(f"/penilaian/jawaban/{item.pk}/simpan/", body).status_code == 302
    assert stored(item) == (Decimal("3.75"), Decimal("68.75"))
    body = {"value": None, "explanation": "FAKTA API.", "version": 1, "source_value": "25"}
    assert token_client(user).patch(f"/api/v1/answers/{item.pk}/", body, format="json").status_code == 200
    assert stored(item) == (Decimal("2.00"), Decimal("25.00"))
    # The workbook has no source column: a new explanation beside the same value keeps the figure.
    member = Membership.objects.select_related("opd").get(user=user)
    data = workbook(item.evaluation, {5: (2, "FAKTA dari Excel.")})
    plan = questionnaire.read_plan(item.evaluation, member, data)
    assert plan.errors == [] and len(plan.changes) == 1
    assert questionnaire.apply_plan(item.evaluation, member, user, plan.to_session()) == 1
    item.refresh_from_db()
    assert item.explanation == "FAKTA dari Excel."
    assert stored(item) == (Decimal("2.00"), Decimal("25.00"))
