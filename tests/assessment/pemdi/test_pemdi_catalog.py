"""Both frameworks in one catalog; the Pemdi file is provisional, versioned and checked."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from assessment.catalog import FrameworkFileError, parse_framework, read_framework_file
from assessment.models import Framework, Indicator, ScaleLevel
from assessment.services.frameworks import load_framework
from tests.assessment.pemdi.conftest import FRAMEWORK_PEMDI
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


def data() -> dict[str, Any]:
    return copy.deepcopy(json.loads(FRAMEWORK_PEMDI.read_text()))


def write(tmp_path: Path, content: dict[str, Any]) -> Path:
    path = tmp_path / "pemdi.json"
    path.write_text(json.dumps(content))
    return path


def test_load_framework_without_arguments_loads_both_side_by_side() -> None:
    call_command("load_framework")
    spbe = Framework.objects.get(code="permenpanrb-59-2020")
    # Pemdi 2026.1 stays loaded for the evaluations on it; 2026.2 (Modul Indikator texts) is current.
    versions = Framework.objects.filter(code="permenpanrb-8-2026")
    assert sorted(versions.values_list("version", "is_current")) == [("2026.1", False), ("2026.2", True)]
    pemdi = versions.get(is_current=True)
    assert (spbe.indicators.count(), spbe.groups.count(), spbe.value_kind, spbe.provisional) == (47, 12, "level", False)
    assert (pemdi.indicators.count(), pemdi.groups.count(), pemdi.value_kind) == (20, 7, "decimal")
    assert pemdi.provisional and len(pemdi.unverified) >= 10
    assert any("Band boundary inclusivity" in item for item in pemdi.unverified)
    assert set(pemdi.groups.values_list("kind", flat=True)) == {"aspect"}
    assert list(pemdi.bands.values_list("name", "lower")) == [
        ("Memuaskan", Decimal("4")), ("Sangat Baik", Decimal("3.5")), ("Baik", Decimal("2.5")),
        ("Cukup", Decimal("1.5")), ("Kurang", Decimal("1")),
    ]  # fmt: skip
    levels = ScaleLevel.objects.filter(scale__framework=pemdi).order_by("level")
    assert [(lv.name, lv.lower, lv.upper) for lv in levels][:2] == [
        ("Merintis", Decimal("1"), Decimal("1.5")), ("Membangun", Decimal("1.5"), Decimal("2.5"))
    ]  # fmt: skip
    assert [lv.name for lv in levels] == ["Merintis", "Membangun", "Berkembang", "Melembaga", "Unggul"]
    fed = Indicator.objects.filter(framework=pemdi, extra__has_key="external").order_by("number")
    assert list(fed.values_list("number", flat=True)) == [5, 6, 7, 18]
    assert ScaleLevel.objects.filter(scale__framework=spbe, lower__isnull=False).count() == 0


def test_the_shipped_file_is_what_the_build_script_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import scripts.build_framework_pemdi as build

    shared = FRAMEWORK_PEMDI.parent.parent.parent / "shared" / "spbe"
    if not (shared / "pemdi-8-2026.json").exists():
        pytest.skip("the shared source data is not beside the project")
    monkeypatch.setattr(build, "OUT", tmp_path / "out.json")
    build.main(shared)
    assert (tmp_path / "out.json").read_text() == FRAMEWORK_PEMDI.read_text()


def test_an_admin_updates_the_file_and_old_evaluations_keep_their_version(tmp_path: Path) -> None:
    first = load_framework(read_framework_file(FRAMEWORK_PEMDI)).framework
    scored = EvaluationFactory(framework=first, year=2026)
    changed = data()
    changed["groups"][0]["indicators"][0]["weight"] = "6"
    changed["groups"][0]["indicators"][1]["weight"] = "4"
    with pytest.raises(FrameworkFileError, match="used by evaluations"):
        load_framework(read_framework_file(write(tmp_path, changed)))  # same version: refused
    changed["version"] = "2026.2"
    second = load_framework(read_framework_file(write(tmp_path, changed))).framework
    first.refresh_from_db()
    scored.refresh_from_db()
    assert second.is_current and not first.is_current
    assert scored.framework_id == first.pk and first.indicators.get(number=1).weight == 5
    assert second.indicators.get(number=1).weight == 6


def test_a_conversion_table_or_level_bands_that_do_not_fit_are_refused() -> None:
    broken = data()
    broken["groups"][2]["indicators"][0]["external"]["points"] = [["0", "1"], ["0", "5"]]
    with pytest.raises(FrameworkFileError, match="indicator I5 external: source values must increase"):
        parse_framework(broken)
    gap = data()
    gap["level_scales"][0]["levels"][1]["lower"] = "1.6"
    with pytest.raises(FrameworkFileError, match="level bands 1 and 2 leave a gap"):
        parse_framework(gap)
    whole = data()
    whole["values"] = {"kind": "level", "min": "1", "max": "5", "places": 0}
    with pytest.raises(FrameworkFileError, match="need decimal values"):
        parse_framework(whole)
