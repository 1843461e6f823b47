"""Issue 16 (defect): an API draft save of an externally fed indicator stores what the answer page
stores: the value converted from the agency's figure, with that figure kept beside it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from assessment.models import Answer, Framework, Stage, StageValue
from assessment.services.evaluations import create_evaluation
from tests.api.conftest import token_client
from tests.world import Side, make_side

pytestmark = pytest.mark.django_db

SDI = 5  # Indeks SDI (Bappenas), converted: 25 -> 2,00; 68,75 -> 3,75
SJIG = 18  # fed too; "not yet published" counts 1,00


@pytest.fixture
def side(pemdi: Framework) -> Side:
    side = make_side("a")
    create_evaluation(side.instansi, pemdi, 2026, None, "exact")
    return side


def answer(side: Side, number: int) -> Answer:
    return Answer.objects.get(evaluation__instansi=side.instansi, indicator__number=number)


def stored(item: Answer) -> tuple[Decimal, Decimal | None] | None:
    row = StageValue.objects.filter(answer=item, stage=Stage.MANDIRI).first()
    return None if row is None else (row.value, row.source_value)


def patch(side: Side, item: Answer, **body: Any) -> Any:
    item.refresh_from_db()
    payload = {"value": None, "explanation": "FAKTA. ANALISIS.", "version": item.version, **body}
    return token_client(side.users["opd.diskominfo"]).patch(f"/api/v1/answers/{item.pk}/", payload, format="json")


def form_save(client: Client, item: Answer, **data: Any) -> int:
    item.refresh_from_db()
    body = {"explanation": "FAKTA. ANALISIS.", "version": item.version, **data}
    return client.post(f"/penilaian/jawaban/{item.pk}/simpan/", body).status_code


def test_the_api_and_the_page_store_the_same_value_and_source_figure(client: Client, side: Side) -> None:
    client.force_login(side.users["opd.diskominfo"])
    item = answer(side, SDI)
    assert form_save(client, item, source_value="68,75") == 302
    by_page = stored(item)
    assert by_page == (Decimal("3.75"), Decimal("68.75"))
    assert form_save(client, item, source_value="25") == 302
    response = patch(side, item, source_value="68,75")
    assert response.status_code == 200, response.content
    assert stored(item) == by_page
    assert response.json()["values"]["mandiri"] == "3.75"
    # The value may be sent too, when it is the conversion's.
    assert patch(side, item, value="3.75", source_value="68.75").status_code == 200
    assert stored(item) == by_page
    history = StageValue.objects.get(answer=item, stage=Stage.MANDIRI).history.order_by("history_id")
    rows = [(h.value, h.source_value) for h in history]
    assert rows[:3] == [by_page, (Decimal("2.00"), Decimal("25.00")), by_page]  # page, page, API
    assert all(source is not None for _value, source in rows)  # no save wiped the source figure


def test_not_yet_published_counts_as_on_the_page(client: Client, side: Side) -> None:
    client.force_login(side.users["opd.diskominfo"])
    item = answer(side, SJIG)
    assert form_save(client, item, source_missing="on") == 302
    by_page = stored(item)
    StageValue.objects.filter(answer=item).delete()
    assert patch(side, item, source_missing=True).status_code == 200
    assert stored(item) == by_page == (Decimal("1.00"), None)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"value": "3.75"}, "value", "dikonversi dari Indeks SDI"),  # a bare value skips the conversion
        ({"value": "2.10", "source_value": "68,75"}, "value", "dikonversi dari Indeks SDI"),
        ({"source_value": "68,75", "source_missing": True}, "source_value", "bukan keduanya"),
        ({"source_value": "101"}, "source_value", ""),
        ({"source_value": "1e30"}, "source_value", ""),
    ],
)
def test_what_the_page_refuses_the_api_refuses_and_nothing_changes(
    side: Side, body: dict[str, Any], field: str, message: str
) -> None:
    item = answer(side, SDI)
    assert patch(side, item, source_value="68,75").status_code == 200
    before = stored(item)
    response = patch(side, item, **body)
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()[field])
    assert stored(item) == before == (Decimal("3.75"), Decimal("68.75"))


def test_a_source_figure_for_an_indicator_that_is_not_fed_is_refused(side: Side) -> None:
    item = answer(side, 1)
    item.lead_opd = side.diskominfo
    item.save()
    response = patch(side, item, value="2.35", source_value="50")
    assert response.status_code == 400
    assert stored(item) is None
    assert patch(side, item, value="2.35").status_code == 200
    assert stored(item) == (Decimal("2.35"), None)
