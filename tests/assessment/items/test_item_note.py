"""Issue 15: the OPD writes its note per evidence item on the indicator page; it is saved on the item,
shown to the reviewer, and refused like any other edit once the answer is approved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from assessment.models import Answer, AnswerItem
from assessment.services import answers as workflow
from tests.assessment.items.test_item_workflow import attach, files, i2, judge, side  # noqa: F401  (fixture)
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)
from tests.world import Side, make_side

pytestmark = pytest.mark.django_db


def write_note(client: Client, answer: Answer, code: str, note: str) -> str:
    response = client.post(f"/penilaian/jawaban/{answer.pk}/butir/", {"action": "note", "code": code, "note": note},
                           follow=True)  # fmt: skip
    return str(response.content.decode())


def test_the_opd_note_is_saved_per_item_and_shown_to_the_reviewer(side: Side) -> None:  # noqa: F811
    opd, reviewer = Client(), Client()
    opd.force_login(side.users["opd.diskominfo"])
    reviewer.force_login(side.users["verifikator"])
    answer = i2(side)
    [sk] = files(side, answer, "SK Tim")
    attach(opd, answer, "I2-L1-01", sk)
    page = opd.get(f"/penilaian/jawaban/{answer.pk}/").content.decode()
    assert 'for="c-I2-L1-01">Catatan OPD untuk butir I2-L1-01' in page  # a field per item

    shown = write_note(opd, answer, "I2-L1-01", "  Halaman 3, pasal 2.  ")
    assert "Catatan butir I2-L1-01 tersimpan." in shown and ">Halaman 3, pasal 2.</textarea>" in shown
    write_note(opd, answer, "I2-L2-01", "Menyusul setelah rapat.")  # an item without files yet
    notes = dict(AnswerItem.objects.filter(answer=answer).values_list("item__code", "note"))
    assert notes == {"I2-L1-01": "Halaman 3, pasal 2.", "I2-L2-01": "Menyusul setelah rapat."}
    assert "Halaman 3, pasal 2." in reviewer.get(f"/penilaian/periksa/{answer.pk}/").content.decode()

    refused = write_note(opd, answer, "I2-L1-01", "x" * 2001)
    assert "Catatan butir paling banyak 2.000 karakter; yang Anda tulis 2.001 karakter." in refused
    assert AnswerItem.objects.get(answer=answer, item__code="I2-L1-01").note == "Halaman 3, pasal 2."

    # Approved: read-only for the OPD, the note is shown but no longer a field, and a post is refused.
    answer = workflow.save_draft(answer, side.users["opd.diskominfo"], value=Decimal("1.00"), explanation="Klaim.",
                                 seen_version=answer.version)  # fmt: skip
    answer = workflow.submit(answer, side.users["opd.diskominfo"], seen_version=answer.version)
    workflow.decide(answer, side.users["verifikator"], decision="approved", reason="", verified_value=None,
                    seen_version=Answer.objects.get(pk=answer.pk).version)  # fmt: skip
    write_note(opd, answer, "I2-L1-01", "Diubah diam-diam.")
    assert AnswerItem.objects.get(answer=answer, item__code="I2-L1-01").note == "Halaman 3, pasal 2."
    page = opd.get(f"/penilaian/jawaban/{answer.pk}/").content.decode()
    assert "Catatan OPD untuk butir" not in page and "Halaman 3, pasal 2." in page


def test_another_instansi_cannot_write_a_note(side: Side) -> None:  # noqa: F811
    stranger = make_side("lain")
    client = Client()
    client.force_login(stranger.users["opd.diskominfo"])
    answer = i2(side)
    response = client.post(f"/penilaian/jawaban/{answer.pk}/butir/", {"action": "note", "code": "I2-L1-01",
                                                                      "note": "x"})  # fmt: skip
    assert response.status_code == 404
    assert not AnswerItem.objects.exists()
