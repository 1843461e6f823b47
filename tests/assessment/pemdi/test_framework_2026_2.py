"""Pemdi 2026.2: the Modul Indikator's own criteria, conditions and coded evidence items, and the
reviewed move of open 2026.1 evaluations onto it with nothing lost."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from assessment.catalog import read_framework_file
from assessment.models import (
    Answer,
    AnswerEvidence,
    Evaluation,
    EvaluationStatus,
    EvidenceItem,
    Framework,
    IndicatorLevel,
    Membership,
    Review,
    StageValue,
)
from assessment.services.frameworks import load_framework
from scoring.services import score_evaluations
from tests.assessment.pemdi.conftest import FRAMEWORK_DIR, FRAMEWORK_PEMDI

pytestmark = pytest.mark.django_db

FRAMEWORK_2026_2 = FRAMEWORK_DIR / "pemdi-8-2026.2.json"
SHARED = FRAMEWORK_DIR.parent.parent / "shared" / "spbe"  # ../shared beside the project


@pytest.fixture
def v2(pemdi: Framework) -> Framework:
    del pemdi  # requested so the framework is loaded
    return load_framework(read_framework_file(FRAMEWORK_2026_2)).framework


def level(framework: Framework, number: int, at: int) -> IndicatorLevel:
    return IndicatorLevel.objects.get(indicator__framework=framework, indicator__number=number, level=at)


def test_2026_2_holds_the_modul_items_and_becomes_current_whatever_the_load_order(v2: Framework,
                                                                                  pemdi: Framework) -> None:  # fmt: skip
    load_framework(read_framework_file(FRAMEWORK_PEMDI))  # 2026.1 loaded again, after 2026.2
    v2.refresh_from_db()
    pemdi.refresh_from_db()
    assert v2.is_current and not pemdi.is_current
    assert v2.structure_hash == pemdi.structure_hash  # same scores: only the texts differ
    assert list(v2.groups.values_list("code", flat=True)) == [f"A{n}" for n in range(1, 8)]  # the file's order
    items = EvidenceItem.objects.filter(level__indicator__framework=v2)
    assert items.count() == 231
    assert list(level(v2, 13, 2).items.values_list("code", flat=True)) == ["I13-L2-01", "I13-L2-02", "I13-L2-03"]
    assert all(i.code.startswith(f"I{i.level.indicator.number}-L{i.level.level}-") for i in items)
    assert not EvidenceItem.objects.filter(level__indicator__framework=pemdi).exists()
    # The band text agrees with the lower-inclusive bands: no "1,51-2,50".
    assert level(v2, 1, 2).fulfilment == "Nilai 1,50 sampai kurang dari 2,50"
    assert level(v2, 1, 5).fulfilment == "Nilai 4,00 sampai 5,00"
    # Gaps keep the 2026.1 text and say so.
    assert "Kondisi" in level(v2, 1, 3).gap and level(v2, 1, 3).condition == ""
    i9 = level(v2, 9, 3)
    assert not i9.items.exists() and "Data Dukung" in i9.gap and i9.evidence == level(pemdi, 9, 3).evidence
    assert level(v2, 2, 1).gap == ""
    assert v2.meta["value_rule"]["code"] == "reviewer-within-band"
    assert len(v2.meta["level_name_variants"]["variants"]) >= 3


def test_the_texts_are_the_modul_s_own_words() -> None:
    if not (SHARED / "pemdi-8-2026-modul.json").exists():
        pytest.skip("the shared source data is not beside the project")
    modul = {i["code"]: i for i in json.loads((SHARED / "pemdi-8-2026-modul.json").read_text())["indicators"]}
    shipped = read_framework_file(FRAMEWORK_2026_2)
    for indicator in shipped.all_indicators():
        source = modul[indicator.code]
        assert indicator.name == source["name"] and indicator.description == source["description"]
        for entry in source["levels"]:
            text = indicator.levels[entry["level"]]
            assert text.criterion == entry["criterion"]
            assert text.condition == (entry["condition"] or "")
            assert text.items == [(i["code"], i["text"]) for i in entry["evidence_items"]]


def test_the_shipped_file_is_what_the_build_script_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import scripts.build_framework_pemdi_modul as build

    if not (SHARED / "pemdi-8-2026-modul.json").exists():
        pytest.skip("the shared source data is not beside the project")
    monkeypatch.setattr(build, "OUT", tmp_path / "out.json")
    build.main(SHARED)
    assert (tmp_path / "out.json").read_text() == FRAMEWORK_2026_2.read_text()


def test_the_indicator_page_shows_the_items_with_their_codes_and_the_gaps(v2: Framework, client: Client) -> None:
    call_command("load_demo", stdout=StringIO())
    siak = Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2026)
    assert siak.framework == v2  # the demo's 2026 cycle runs on the current version
    client.force_login(Membership.objects.get(user__username="admin.siak").user)
    page = client.get(f"/penilaian/jawaban/{siak.answers.get(indicator__number=1).pk}/").content.decode()
    assert "I1-L1-01" in page and "Rancangan dokumen perencanaan Instansi Pemerintah" in page
    assert "Celah sumber" in page and "Nilai 1,50 sampai kurang dari 2,50" in page


COUNTED = [Answer, AnswerEvidence, Review, StageValue]
HISTORIES = ["HistoricalAnswer", "HistoricalStageValue", "HistoricalAnswerEvidence", "HistoricalEvidence",
             "HistoricalAnswer_contributors"]  # fmt: skip


def counts() -> dict[str, int]:
    found = {model.__name__: model._default_manager.count() for model in COUNTED}
    found |= {name: apps.get_model("assessment", name).objects.count() for name in HISTORIES}
    return found


def test_open_2026_1_evaluations_move_to_2026_2_losing_nothing(pemdi: Framework) -> None:
    call_command("load_demo", stdout=StringIO())  # the demo on 2026.1, as a deployment has it today
    siak = Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2026)
    assert siak.framework == pemdi and siak.status == EvaluationStatus.OPEN
    final = Evaluation.objects.create(instansi=siak.instansi, framework=pemdi, year=2025, status="finalised")
    before = counts()
    evaluation_history = Evaluation.history.count()
    scored_before = score_evaluations([siak])[0].result
    v2 = load_framework(read_framework_file(FRAMEWORK_2026_2)).framework

    dry = StringIO()
    call_command("move_framework_version", "--to", "2026.2", stdout=dry)
    assert "dry run: nothing changed" in dry.getvalue() and "keep (final)" in dry.getvalue()
    assert Evaluation.objects.get(pk=siak.pk).framework == pemdi

    call_command("move_framework_version", "--to", "2026.2", "--apply", stdout=StringIO())
    siak.refresh_from_db()
    final.refresh_from_db()
    assert siak.framework == v2 and final.framework == pemdi
    assert not Answer.objects.filter(evaluation=siak).exclude(indicator__framework=v2).exists()
    assert counts() == before
    # The move itself is the one row added to the history, with its reason.
    assert Evaluation.history.count() == evaluation_history + 1
    assert "2026.1 -> 2026.2" in Evaluation.history.latest("history_date").history_change_reason
    scored_after = score_evaluations([siak])[0].result
    assert scored_after.index == scored_before.index and scored_after.groups == scored_before.groups

    call_command("move_framework_version", "--to", "2026.2", "--apply", stdout=StringIO())  # idempotent
    assert counts() == before
