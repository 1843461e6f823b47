"""manage.py spbe_index, run as a user would: JSON on stdin, JSON on stdout, status 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from assessment.demo import SIAK, SUMEDANG

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated SQLite file with the framework loaded, as `make setup` leaves it."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'cli.sqlite3'}"}
    for command in (["migrate", "-v0"], ["load_framework"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def spbe_index(env: dict[str, str], stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "spbe_index", *args], cwd=ROOT, env=env, input=stdin,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def item(item_id: Any, levels: Sequence[float] | dict[str, Any]) -> dict[str, Any]:
    if isinstance(levels, list):
        levels = {str(n): v for n, v in enumerate(levels, start=1)}
    return {"id": item_id, "levels": levels}


def test_scores_a_batch_in_input_order(database: dict[str, str]) -> None:
    batch = [item("siak", SIAK.verified_2022), item(7, SUMEDANG.verified_2022), item(None, [1] * 47)]
    run = spbe_index(database, json.dumps(batch))
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert [(o["id"], o["index"], o["predicate"]) for o in out] == [
        ("siak", "2.35", "Cukup"),
        (7, "3.87", "Sangat Baik"),
        (None, "1.00", "Kurang"),
    ]
    assert out[0]["domains"] == {"D1": "2.50", "D2": "2.20", "D3": "1.55", "D4": "2.68"}
    assert out[0]["aspects"]["A2"] == "2.25"
    assert len(out[0]["aspects"]) == 8
    assert set(out[0]) == {"id", "index", "predicate", "domains", "aspects"}


def test_regulation_example_aspect_two(database: dict[str, str]) -> None:
    levels = [3] * 47
    levels[10:14] = [3, 4, 3, 2]
    out = json.loads(spbe_index(database, json.dumps([item("tabel-10", levels)])).stdout)
    assert out[0]["aspects"]["A2"] == "3.00"


def test_predicate_basis_flag_switches_a_borderline_vector(database: dict[str, str]) -> None:
    levels = [3] * 47
    for n in [11, 21, *range(32, 48)]:
        levels[n - 1] = 4  # exactly 3,495
    batch = json.dumps([item("tepi", levels)])
    exact = json.loads(spbe_index(database, batch).stdout)[0]
    rounded = json.loads(spbe_index(database, batch, "--predicate-basis", "rounded").stdout)[0]
    assert (exact["index"], exact["predicate"]) == ("3.50", "Baik")
    assert (rounded["index"], rounded["predicate"]) == ("3.50", "Sangat Baik")


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("[{\"id\": 1, \"levels\": ", "input is not valid JSON"),
        ("{}", "input must be a JSON array"),
        (json.dumps([item("a", {**{str(n): 3 for n in range(1, 48)}, "48": 3})]), "item 1 (id \"a\"): unknown indicator 48"),
        (json.dumps([item("ok", [3] * 47), item("b", [3] * 46 + [6])]), "item 2 (id \"b\"): indicator 47: 6 is outside 1..5"),
        (json.dumps([item("c", [0] + [3] * 46)]), "indicator 1: 0 is outside 1..5"),
        (json.dumps([item("d", [3.5] + [3] * 46)]), "indicator 1: 3.5 is not a whole level"),
        (json.dumps([item("e", [True] + [3] * 46)]), "indicator 1: True is not a number"),
        (json.dumps([item("f", {str(n): 3 for n in range(1, 46)})]), "item 1 (id \"f\"): missing indicator 46, 47"),
        (json.dumps([{"id": "g"}]), "'levels' must be an object"),
    ],
)  # fmt: skip
def test_invalid_input_exits_2_naming_the_item_and_writes_nothing(
    database: dict[str, str], stdin: str, message: str
) -> None:
    run = spbe_index(database, stdin)
    assert run.returncode == 2
    assert message in run.stderr
    assert run.stdout == ""


def test_an_unknown_framework_exits_2(database: dict[str, str]) -> None:
    run = spbe_index(database, "[]", "--framework", "tidak-ada")
    assert run.returncode == 2
    assert "framework 'tidak-ada' is not loaded" in run.stderr
