"""The questionnaire on a decimal framework: "2,35" within the chosen level's band, and indices fed
by other agencies converted on entry, with the source figure kept beside the value."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from assessment.models import Answer, AnswerStatus, Framework, Stage, StageValue
from assessment.services import answers as workflow
from assessment.services.evaluations import create_evaluation
from tests.world import Side, make_side

pytestmark = pytest.mark.django_db


@pytest.fixture
def side(pemdi: Framework) -> Side:
    side = make_side("a")
    create_evaluation(side.instansi, pemdi, 2026, None, "exact")
    return side


def answer(side: Side, number: int) -> Answer:
    return Answer.objects.get(evaluation__instansi=side.instansi, indicator__number=number)


def save(client: Client, item: Answer, **data: Any) -> Any:
    return client.post(f"/penilaian/jawaban/{item.pk}/simpan/", {"explanation": "FAKTA. ANALISIS.", "version":
                       item.version, **data})  # fmt: skip


def claimed(item: Answer) -> StageValue:
    return StageValue.objects.get(answer=item, stage=Stage.MANDIRI)


@pytest.mark.parametrize("written", ["2,35", "2.35", " 2,35 "])
def test_a_value_with_a_comma_or_a_dot_inside_the_chosen_level_is_saved(client: Client, side: Side,
                                                                        written: str) -> None:  # fmt: skip
    client.force_login(side.users["opd.bkpsdm"])
    item = answer(side, 3)
    assert save(client, item, level="2", value=written).status_code == 302
    assert claimed(item).value == Decimal("2.35") and claimed(item).source_value is None
    page = client.get(f"/penilaian/jawaban/{item.pk}/").content.decode()
    assert 'value="2,35"' in page and "2 — Membangun (1,50–2,49)" in page  # noqa: RUF001


@pytest.mark.parametrize(
    ("written", "value", "exact", "shown"),
    [("7/6", Decimal("1.17"), "7/6", 'value="7/6"'), ("1,1667", Decimal("1.17"), "11667/10000", 'value="1,1667"'),
     ("1,255", Decimal("1.26"), "251/200", 'value="1,255"'), ("14/12", Decimal("1.17"), "7/6", 'value="7/6"'),
     ("5/4", Decimal("1.25"), "", 'value="1,25"')],
)  # fmt: skip
def test_a_value_finer_than_two_places_is_kept_exact(client: Client, side: Side, written: str, value: Decimal,
                                                     exact: str, shown: str) -> None:  # fmt: skip
    client.force_login(side.users["opd.bkpsdm"])
    item = answer(side, 3)
    assert save(client, item, level="1", value=written).status_code == 302
    assert (claimed(item).value, claimed(item).exact) == (value, exact)
    page = client.get(f"/penilaian/jawaban/{item.pk}/").content.decode()
    assert shown in page


@pytest.mark.parametrize(
    ("level", "value", "message"),
    [("2", "2,60", "Nilai 2,60 di luar rentang tingkat 2 (1,50–2,49)."),  # noqa: RUF001
     ("2", "7/0", "Tulis pecahan seperti 7/6"),
     ("5", "5,10", "Nilai harus antara 1,00 dan 5,00."),
     ("2", "dua", "Tulis angka seperti 2,35"),
     ("", "2,35", "Pilih tingkat yang sesuai dengan nilai.")],
)  # fmt: skip
def test_a_value_that_does_not_fit_gets_a_clear_message_and_nothing_is_lost(
    client: Client, side: Side, level: str, value: str, message: str
) -> None:
    client.force_login(side.users["opd.bkpsdm"])
    item = answer(side, 3)
    response = save(client, item, level=level, value=value, explanation="teks saya yang panjang")
    page = response.content.decode()
    assert response.status_code == 200 and message in page and "teks saya yang panjang" in page
    assert not StageValue.objects.filter(answer=item).exists()


def test_choosing_a_level_before_writing_the_value_keeps_the_text_and_sets_no_value(client: Client,
                                                                                  side: Side) -> None:  # fmt: skip
    client.force_login(side.users["opd.bkpsdm"])
    item = answer(side, 3)
    assert save(client, item, level="3", value="", explanation="FAKTA: SK tim.").status_code == 302
    item.refresh_from_db()
    assert item.explanation == "FAKTA: SK tim." and not StageValue.objects.filter(answer=item).exists()


def test_an_sdi_figure_is_converted_shown_and_kept_with_its_history(client: Client, side: Side) -> None:
    client.force_login(side.users["opd.diskominfo"])
    item = answer(side, 5)
    page = client.get(f"/penilaian/jawaban/{item.pk}/").content.decode()
    assert "Nilai Indeks SDI (Kementerian PPN/Bappenas)" in page and 'name="level"' not in page
    assert save(client, item, source_value="68,75").status_code == 302
    stored = claimed(item)
    assert (stored.value, stored.source_value) == (Decimal("3.75"), Decimal("68.75"))
    page = client.get(f"/penilaian/jawaban/{item.pk}/").content.decode()
    assert "Indeks SDI 68,75 → nilai indikator <strong>3,75</strong>" in page
    assert "linear pada rentang 62,50–75,00 → 3,50–4,00" in page  # noqa: RUF001
    assert "dikonversi dari angka sumber 68,75" in page  # the change history names the figure too
    save(client, Answer.objects.get(pk=item.pk), source_value="25")
    assert [(h.value, h.source_value) for h in stored.history.order_by("history_id")] == [
        (Decimal("3.75"), Decimal("68.75")), (Decimal("2.00"), Decimal("25.00"))
    ]  # fmt: skip


def test_a_figure_not_yet_published_counts_as_one(client: Client, side: Side) -> None:
    client.force_login(side.users["opd.diskominfo"])
    item = answer(side, 18)
    save(client, item, source_missing="on")
    assert (claimed(item).value, claimed(item).source_value) == (Decimal("1.00"), None)
    response = save(client, Answer.objects.get(pk=item.pk), source_missing="on", source_value="50")
    assert "bukan keduanya" in response.content.decode()


def test_the_reviewer_verifies_a_decimal_value_and_the_stage_page_takes_one(client: Client, side: Side) -> None:
    item = answer(side, 3)
    owner = side.users["opd.bkpsdm"]
    item = workflow.save_draft(item, owner, value=Decimal("2.35"), explanation="FAKTA. ANALISIS.", seen_version=0)
    item = workflow.submit(item, owner, seen_version=item.version)
    client.force_login(side.users["verifikator"])
    page = client.get(f"/penilaian/periksa/{item.pk}/").content.decode()
    assert 'data-testid="claimed-level">2,35<' in page and 'value="2,35"' in page
    response = client.post(f"/penilaian/periksa/{item.pk}/", {
        "decision": "approved", "verified_value": "2,20", "reason": "Sebagian bukti belum ditandatangani.",
        "version": item.version})  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == AnswerStatus.APPROVED
    assert StageValue.objects.get(answer=item, stage=Stage.VERIFIKASI).value == Decimal("2.20")


def test_the_official_stage_page_takes_a_decimal_value_with_a_comma(client: Client, side: Side) -> None:
    item = answer(side, 20)
    StageValue.objects.create(answer=item, stage=Stage.VERIFIKASI, value=Decimal("1.95"))
    client.force_login(side.users["verifikator"])
    url = f"/penilaian/evaluasi/{item.evaluation_id}/tahap/dokumen/"
    page = client.get(url).content.decode()
    assert "1,95" in page and 'inputmode="decimal"' in page
    response = client.post(url, {f"v{item.pk}": "2,15", f"n{item.pk}": "Survei kepuasan 2026."}, follow=True)
    assert "1 nilai tahap tersimpan." in response.content.decode()
    assert StageValue.objects.get(answer=item, stage=Stage.DOKUMEN).value == Decimal("2.15")
    # An official stage's value may be finer than two places (issue 15); it is kept exact.
    client.post(url, {f"v{item.pk}": "2,155", f"n{item.pk}": ""})
    kept = StageValue.objects.get(answer=item, stage=Stage.DOKUMEN)
    assert (kept.value, kept.exact) == (Decimal("2.16"), "431/200")
    assert 'value="2,155"' in client.get(url).content.decode()
    refused = client.post(url, {f"v{item.pk}": "5,01", f"n{item.pk}": ""}).content.decode()
    assert "Nilai harus antara 1,00 dan 5,00." in refused
