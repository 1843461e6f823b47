"""The item workflow over HTTP, as the issue's journey describes it, on Pemdi 2026.2's I2
(level 1: I2-L1-01, I2-L1-02; level 2: I2-L2-01; level 3: I2-L3-01)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.test import Client

from assessment.catalog import read_framework_file
from assessment.models import Answer, AnswerItem, Evaluation, Evidence, Framework, ItemEvidence, Stage, StageValue
from assessment.services import answers as workflow
from assessment.services import evidence as library
from assessment.services.evaluations import create_evaluation
from assessment.services.frameworks import load_framework
from scoring.services import score_evaluations
from tests.assessment.pemdi.conftest import FRAMEWORK_DIR, pemdi  # noqa: F401  (fixture)
from tests.world import Side, make_side

pytestmark = pytest.mark.django_db


@pytest.fixture
def side(pemdi: Framework) -> Side:  # noqa: F811
    del pemdi  # requested so the framework is loaded
    v2 = load_framework(read_framework_file(FRAMEWORK_DIR / "pemdi-8-2026.2.json")).framework
    side = make_side("it")
    create_evaluation(side.instansi, v2, 2026, None, "exact")
    return side


def i2(side: Side) -> Answer:
    return Answer.objects.get(evaluation__instansi=side.instansi, indicator__number=2)


def files(side: Side, answer: Answer, *titles: str) -> list[Evidence]:
    return [
        library.add_link(instansi=side.instansi, opd=side.diskominfo, user=side.users["opd.diskominfo"], title=title,
                         url="https://layanan.example.go.id", access_note="", document_date=None, answer=answer)
        for title in titles
    ]  # fmt: skip


def attach(client: Client, answer: Answer, code: str, evidence: Evidence) -> None:
    response = client.post(f"/penilaian/jawaban/{answer.pk}/butir/", {"action": "attach", "code": code,
                                                                      "evidence": evidence.pk})  # fmt: skip
    assert response.status_code == 302


def judge(client: Client, answer: Answer, code: str, verdict: str, kind: str = "", note: str = "") -> str:
    response = client.post(f"/penilaian/jawaban/{answer.pk}/butir/nilai/",
                           {"code": code, "verdict": verdict, "revision_type": kind, "note": note}, follow=True)  # fmt: skip
    return str(response.content.decode())


def test_attach_judge_fix_and_set_an_exact_value_in_the_supported_band(side: Side) -> None:
    opd, reviewer = Client(), Client()
    opd.force_login(side.users["opd.diskominfo"])
    reviewer.force_login(side.users["verifikator"])
    answer = i2(side)
    sk, sop, laporan, perbaikan = files(side, answer, "SK Tim", "SOP Layanan", "Laporan 2026", "SK Tim (revisi)")
    # The OPD attaches files to three items of two levels; one file backs two items.
    attach(opd, answer, "I2-L1-01", sk)
    attach(opd, answer, "I2-L1-02", sop)
    attach(opd, answer, "I2-L2-01", laporan)
    attach(opd, answer, "I2-L2-01", sk)
    assert ItemEvidence.objects.filter(evidence=sk).count() == 2
    answer = workflow.save_draft(answer, side.users["opd.diskominfo"], value=Decimal("2.00"), explanation="Klaim.",
                                 seen_version=answer.version)  # fmt: skip
    answer = workflow.submit(answer, side.users["opd.diskominfo"], seen_version=answer.version)

    page = opd.get(f"/penilaian/jawaban/{answer.pk}/").content.decode()
    assert "6 butir: 3 berisi berkas, 0 diterima, 4 revisi." in page  # levels 2-5 wait for level 1
    worklist = opd.get("/penilaian/").content.decode()
    assert "Butir bukti: 6 wajib · 3 diunggah · 0 diterima · 4 revisi" in worklist  # the OPD's row for I2
    sekda = Client()
    sekda.force_login(side.users["sekda"])
    assert "Butir bukti: 231 wajib · 3 diunggah · 0 diterima" in sekda.get("/penilaian/").content.decode()  # all 20

    # The reviewer accepts one, marks one "tidak tepat" with a note, and sees higher items auto-rejected.
    judge(reviewer, answer, "I2-L1-01", "diterima")
    judge(reviewer, answer, "I2-L1-02", "revisi", "tidak_tepat", "SOP belum ditandatangani.")
    page = reviewer.get(f"/penilaian/periksa/{answer.pk}/").content.decode()
    assert "Otomatis ditolak karena tingkat kematangan sebelumnya ditolak." in page
    refused = judge(reviewer, answer, "I2-L3-01", "diterima")
    assert "Butir I2-L3-01 ditolak otomatis: tingkat di bawahnya belum diterima seluruhnya." in refused
    assert not AnswerItem.objects.filter(answer=answer, item__code="I2-L3-01").exists()
    assert "Pilih jenis revisi" in judge(reviewer, answer, "I2-L1-01", "revisi", "ditolak_otomatis", "x")
    workflow.decide(answer, side.users["verifikator"], decision="returned", reason="Perbaiki butir I2-L1-02.",
                    verified_value=None, seen_version=Answer.objects.get(pk=answer.pk).version)  # fmt: skip

    # The OPD sees exactly which item to fix, and fixes it.
    page = opd.get(f"/penilaian/jawaban/{answer.pk}/").content.decode()
    assert "SOP belum ditandatangani." in page and "Tidak tepat" in page
    attach(opd, answer, "I2-L1-02", perbaikan)
    work = AnswerItem.objects.get(answer=answer, item__code="I2-L1-02")
    assert work.verdict == ""  # back to review; the revision stays in the history
    assert [h.verdict for h in work.history.order_by("history_date")] == ["", "revisi", ""]
    answer = Answer.objects.get(pk=answer.pk)
    answer = workflow.submit(answer, side.users["opd.diskominfo"], seen_version=answer.version)

    # Accepted: level 1 is supported; the page proposes its lower edge; the reviewer sets 7/6.
    judge(reviewer, answer, "I2-L1-02", "diterima")
    page = reviewer.get(f"/penilaian/periksa/{answer.pk}/").content.decode()
    assert "Usulan nilai: 1,00" in page
    outside = reviewer.post(f"/penilaian/periksa/{answer.pk}/",
                            {"decision": "approved", "reason": "Nilai asesor.", "verified_value": "1,60",
                             "version": answer.version}).content.decode()  # fmt: skip
    assert "Nilai harus di dalam rentang tingkat 1" in outside
    response = reviewer.post(f"/penilaian/periksa/{answer.pk}/",
                             {"decision": "approved", "reason": "Nilai asesor.", "verified_value": "7/6",
                              "version": answer.version})  # fmt: skip
    assert response.status_code == 302
    verified = StageValue.objects.get(answer=answer, stage=Stage.VERIFIKASI)
    assert (verified.value, verified.number) == (Decimal("1.17"), Fraction(7, 6))
    [scored] = score_evaluations([Evaluation.objects.get(pk=answer.evaluation_id)])
    assert scored.result.groups["A1"].exact == Fraction(7, 6)  # only I2 answered: the aspect follows exactly
    assert scored.result.index is not None and scored.result.index.exact == Fraction(7, 6)


def test_an_item_of_another_indicator_is_refused_with_a_message_and_nothing_changes(side: Side) -> None:
    answer = i2(side)
    [sk] = files(side, answer, "SK Tim")
    client = Client()
    client.force_login(side.users["opd.diskominfo"])
    response = client.post(f"/penilaian/jawaban/{answer.pk}/butir/", {"action": "attach", "code": "I9-L1-01",
                                                                      "evidence": sk.pk}, follow=True)  # fmt: skip
    assert "Butir bukti I9-L1-01 tidak ada pada indikator ini." in response.content.decode()
    assert not AnswerItem.objects.exists() and not ItemEvidence.objects.exists()
