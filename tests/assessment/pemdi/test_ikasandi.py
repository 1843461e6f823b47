"""Issue 15 item 4: IKASANDI for I10-I12. The OPD enters BSSN's published figure and its measurement
date; the pages show the level whose band (framework data) holds it, and flag a figure older than
12 months before the evaluation's reference date. The figure is evidence: it sets no value, and
its bands sit outside the structure hash, so 2026.2 reloads in place under open evaluations."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from assessment.catalog import FrameworkFileError, parse_framework, read_framework_file
from assessment.index_reference import months_before, read, reference_of
from assessment.models import Answer, Evaluation, Framework, IndexFigure, Indicator, StageValue
from assessment.services.evaluations import create_evaluation
from assessment.services.frameworks import load_framework, structure_hash
from tests.assessment.pemdi.conftest import FRAMEWORK_DIR, pemdi  # noqa: F401  (fixture)
from tests.world import Side, make_side

pytestmark = pytest.mark.django_db

FILE = FRAMEWORK_DIR / "pemdi-8-2026.2.json"
WIB = ZoneInfo("Asia/Jakarta")


def indicator_data(data: dict, code: str) -> dict:  # type: ignore[type-arg]
    return next(i for g in data["groups"] for i in g["indicators"] if i["code"] == code)


def test_the_bands_are_the_moduls_read_lower_inclusive_and_the_age_counts_whole_months() -> None:
    data = json.loads(FILE.read_text())
    i10 = reference_of(indicator_data(data, "I10"))
    i11 = reference_of(indicator_data(data, "I11"))
    assert i10 is not None and i11 is not None and i10.max_age_months == 12
    day = date(2026, 9, 15)
    assert read(i10, Decimal("1.49"), day, day).level == 1
    assert read(i10, Decimal("1.50"), day, day).level == 2  # a shared edge belongs to the level above
    assert read(i10, Decimal("5.00"), day, day).level == 5
    assert read(i11, Decimal("3.90"), day, day).level is None  # the Modul gives I11 a band for level 5 only
    assert read(i11, Decimal("4.00"), day, day).level == 5
    assert not read(i10, Decimal("2"), date(2025, 9, 15), day).stale  # exactly 12 months: still fresh
    assert read(i10, Decimal("2"), date(2025, 9, 14), day).stale
    assert months_before(date(2027, 2, 28), 12) == date(2026, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)


def test_overlapping_bands_are_refused_by_the_loader() -> None:
    data = json.loads(FILE.read_text())
    bands = indicator_data(data, "I12")["index_reference"]["bands"]
    bands[1]["lower"] = "1.40"  # level 2 now starts inside level 1
    with pytest.raises(FrameworkFileError, match="I12: index_reference: bands of levels 1 and 2 overlap"):
        parse_framework(data)


@pytest.mark.usefixtures("pemdi")
def test_the_reference_is_not_structure_so_the_file_reloads_under_an_open_evaluation() -> None:
    definition = read_framework_file(FILE)
    v2 = load_framework(definition).framework
    create_evaluation(make_side("muat").instansi, v2, 2026, None, "exact")
    data = json.loads(FILE.read_text())
    for code in ("I10", "I11", "I12"):
        del indicator_data(data, code)["index_reference"]
    bare = parse_framework(data, checksum="without-reference")
    assert structure_hash(bare) == structure_hash(definition)
    load_framework(bare)  # allowed: no score depends on the reference
    assert "index_reference" not in Indicator.objects.get(framework=v2, code="I10").extra
    load_framework(definition)
    assert Indicator.objects.get(framework=v2, code="I10").extra["index_reference"]["max_age_months"] == 12


@pytest.fixture
def side(pemdi: Framework) -> Side:  # noqa: F811
    del pemdi  # requested so the framework is loaded
    v2 = load_framework(read_framework_file(FILE)).framework
    side = make_side("sandi")
    evaluation = create_evaluation(side.instansi, v2, 2026, None, "exact")
    Evaluation.objects.filter(pk=evaluation.pk).update(deadline=datetime(2026, 9, 15, 16, 0, tzinfo=WIB))
    return side


def post(client: Client, answer: Answer, figure: str, day: str) -> str:
    response = client.post(f"/penilaian/jawaban/{answer.pk}/indeks-rujukan/", {"figure": figure, "measured_on": day},
                           follow=True)  # fmt: skip
    return str(response.content.decode())


def test_the_opd_enters_the_figure_and_the_reviewer_sees_its_level_and_age(side: Side, time_machine: Any) -> None:
    time_machine.move_to(datetime(2026, 9, 1, 9, 0, tzinfo=WIB))  # before the deadline of 15 September 2026
    opd, reviewer = Client(), Client()
    opd.force_login(side.users["opd.diskominfo"])
    reviewer.force_login(side.users["verifikator"])
    i10 = Answer.objects.get(evaluation__instansi=side.instansi, indicator__code="I10")
    assert i10.lead_opd == side.diskominfo
    assert "Angka belum diisi." in opd.get(f"/penilaian/jawaban/{i10.pk}/").content.decode()

    page = post(opd, i10, "2,75", "2026-03-10")
    assert "Angka IKASANDI tersimpan." in page
    assert "IKASANDI 2,75, diukur 10 Maret 2026 →" in page and "tingkat 3" in page
    assert "2,50 ≤ IKASANDI &lt; 3,50" in page
    assert "lebih tua dari 12 bulan" not in page
    row = IndexFigure.objects.get(answer=i10)
    assert (row.figure, row.measured_on) == (Decimal("2.75"), date(2026, 3, 10))
    assert not StageValue.objects.filter(answer=i10).exists()  # evidence, not the value

    post(opd, i10, "1,5", "2025-08-01")  # measured before 15 September 2025: stale for a 15 Sept 2026 deadline
    review = reviewer.get(f"/penilaian/periksa/{i10.pk}/").content.decode()
    assert "IKASANDI 1,5, diukur 1 Agustus 2025 →" in review and "tingkat 2" in review
    assert "Angka ini lebih tua dari 12 bulan: diukur sebelum 15 September 2025" in review
    assert "tanggal acuan evaluasi 15 September 2026" in review
    assert [h.figure for h in row.history.order_by("history_date")] == [Decimal("2.75"), Decimal("1.5")]

    refused = post(opd, i10, "5,5", "2026-03-10")
    assert "Tulis angka IKASANDI antara 0,00 dan 5,00" in refused
    assert "Tanggal pengukuran tidak boleh sesudah hari ini." in post(opd, i10, "2", "2999-01-01")
    assert "Isi tanggal pengukuran angka itu." in post(opd, i10, "2", "")
    assert IndexFigure.objects.get(answer=i10).figure == Decimal("1.5")
    assert "Angka belum diisi." in post(opd, i10, "", "")  # emptied: the figure is taken off, its history kept
    assert not IndexFigure.objects.filter(answer=i10).exists()
    assert IndexFigure.history.filter(answer_id=i10.pk, history_type="-").count() == 1


def test_an_indicator_without_a_cited_index_takes_no_figure(side: Side) -> None:
    opd = Client()
    opd.force_login(side.users["opd.diskominfo"])
    i2 = Answer.objects.get(evaluation__instansi=side.instansi, indicator__code="I2")
    page = post(opd, i2, "2,75", "2026-03-10")
    assert "Indikator ini tidak memakai angka indeks instansi lain sebagai bukti." in page
    assert 'data-testid="index-reference"' not in page
    assert not IndexFigure.objects.exists()
