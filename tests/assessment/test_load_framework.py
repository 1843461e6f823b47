"""manage.py load_framework: idempotent upsert; refusals write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessment.models import Framework, FrameworkGroup, Indicator, IndicatorLevel, PredicateBand
from tests.assessment.test_catalog import small_framework
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Framework, FrameworkGroup, Indicator, IndicatorLevel, PredicateBand))


def write(tmp_path: Path, data: dict[str, object], name: str = "uji.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_loading_the_shipped_files_twice_changes_nothing_the_second_time(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_framework")
    first = counts()
    ids = list(Indicator.objects.order_by("number", "pk").values_list("pk", flat=True))
    call_command("load_framework")
    # Shipped side by side: 59/2020 (12 groups, 47 indicators) and Pemdi 8/2026 in two versions,
    # 2026.1 and 2026.2 (7 aspects, 20 indicators each), 5 levels per indicator, 5 predicate bands.
    assert counts() == first == (1 + 2, 12 + 7 + 7, 47 + 20 + 20, 235 + 100 + 100, 5 + 5 + 5)
    assert list(Indicator.objects.order_by("number", "pk").values_list("pk", flat=True)) == ids
    out = capsys.readouterr().out
    assert "created (47 indicators, 12 groups, 5 predicate bands)" in out
    assert "permenpanrb-8-2026 v2026.1: created (20 indicators, 7 groups, 5 predicate bands)" in out
    assert "permenpanrb-8-2026 v2026.2: created (20 indicators, 7 groups, 5 predicate bands)" in out
    assert "unchanged" in out


def test_text_corrections_update_in_place(tmp_path: Path) -> None:
    data = small_framework()
    call_command("load_framework", write(tmp_path, data))
    data["groups"][0]["indicators"][0]["name"] = "Nama yang diperbaiki"
    call_command("load_framework", write(tmp_path, data))
    assert Indicator.objects.get(code="I1").name == "Nama yang diperbaiki"
    assert Indicator.objects.count() == 3


def test_an_inconsistent_file_is_refused_by_name_and_nothing_is_written(tmp_path: Path) -> None:
    data = small_framework()
    data["groups"][0]["weight"] = "41"
    with pytest.raises(CommandError, match=r"uji.json: group A1: weight 41 is not the sum of its children \(40\)"):
        call_command("load_framework", write(tmp_path, data))
    assert counts() == (0, 0, 0, 0, 0)


def test_changing_weights_of_a_version_in_use_needs_a_new_version(tmp_path: Path) -> None:
    data = small_framework()
    call_command("load_framework", write(tmp_path, data))
    EvaluationFactory(framework=Framework.objects.get(code="uji-aspek"))
    data["groups"][0]["indicators"][0]["weight"] = "20"
    data["groups"][0]["indicators"][1]["weight"] = "20"
    with pytest.raises(CommandError, match="give the file a new version"):
        call_command("load_framework", write(tmp_path, data))
    assert Indicator.objects.get(code="I1").weight == 25

    data["version"] = "2"
    call_command("load_framework", write(tmp_path, data))
    versions = dict(Framework.objects.values_list("version", "is_current"))
    assert versions == {"1": False, "2": True}


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="file not found"):
        call_command("load_framework", tmp_path / "tidak-ada.json")
