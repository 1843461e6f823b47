"""Huge and non-ASCII figures on a decimal framework's answer, source figure and verified value are
form errors that keep the text, never a 500 (issue 17, defects 1 and 2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from assessment.forms.answers import DecisionForm
from assessment.models import Answer, Framework, ScaleLevel, StageValue
from assessment.services.evaluations import create_evaluation
from tests.world import Side, make_side

pytestmark = pytest.mark.django_db
HUGE = ["1e30", "9" * 40, "1e300", "NaN", "-Infinity"]
NOT_ASCII = ["\u00b2", "\u0661\u0662", "1\x002"]


@pytest.fixture
def side(pemdi: Framework) -> Side:
    side = make_side("a")
    create_evaluation(side.instansi, pemdi, 2026, None, "exact")
    return side


def pemdi_answer(side: Side, number: int) -> Answer:
    return Answer.objects.get(evaluation__instansi=side.instansi, indicator__number=number)


@pytest.mark.parametrize("value", HUGE + NOT_ASCII)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_huge_or_foreign_value_on_save_and_autosave_is_refused_and_the_text_kept(
    client: Client, side: Side, value: str, htmx: bool
) -> None:
    client.force_login(side.users["opd.bkpsdm"])
    item = pemdi_answer(side, 3)
    headers: dict[str, Any] = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data = {"explanation": "teks saya", "version": item.version, "level": "2", "value": value}
    response = client.post(f"/penilaian/jawaban/{item.pk}/simpan/", data, **headers)
    assert response.status_code == 200 and "Tulis angka seperti" in response.content.decode()
    assert not StageValue.objects.filter(answer=item).exists()


@pytest.mark.parametrize("value", HUGE + NOT_ASCII)
def test_a_huge_source_figure_is_refused(client: Client, side: Side, value: str) -> None:
    client.force_login(side.users["opd.diskominfo"])
    item = next(
        a for a in Answer.objects.filter(evaluation__instansi=side.instansi) if a.indicator.extra.get("external")
    )
    response = client.post(f"/penilaian/jawaban/{item.pk}/simpan/", {"explanation": "x", "version": item.version,
                                                                      "source_value": value})  # fmt: skip
    assert response.status_code == 200 and not StageValue.objects.filter(answer=item).exists()


@pytest.mark.parametrize("value", HUGE + NOT_ASCII)
@pytest.mark.usefixtures("side")
def test_a_huge_verified_value_is_a_form_error(pemdi: Framework, value: str) -> None:
    levels = list(ScaleLevel.objects.filter(scale__framework=pemdi).order_by("level"))
    form = DecisionForm({"decision": "approved", "verified_value": value, "version": 0}, framework=pemdi,
                        levels=levels)  # fmt: skip
    assert not form.is_valid() and "verified_value" in form.errors
