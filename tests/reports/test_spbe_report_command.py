"""manage.py spbe_report: the same documents from the command line; status 2 on bad input."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.reports.conftest import pdf_text

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_writes_the_hasil_pdf(tmp_path: Path) -> None:
    output = tmp_path / "siak-2022.pdf"
    out = io.StringIO()
    call_command("spbe_report", "--instansi", "kabupaten-siak", "--year", "2022", "--kind", "hasil",
                 "--output", str(output), stdout=out)  # fmt: skip
    assert str(output) in out.getvalue()
    text = pdf_text(output.read_bytes())
    assert "2,35" in text and "Cukup" in text


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_writes_one_opds_spreadsheet(tmp_path: Path) -> None:
    output = tmp_path / "bkpsdm.csv"
    call_command("spbe_report", "--instansi", "kabupaten-siak", "--year", "2026", "--kind", "csv",
                 "--opd", "bkpsdm", "--output", str(output), stdout=io.StringIO())  # fmt: skip
    assert output.read_bytes().decode("utf-8-sig").count("\n") == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--instansi", "kabupaten-entah", "--year", "2022", "--kind", "hasil"], "unknown instansi"),
        (["--instansi", "kabupaten-siak", "--year", "2021", "--kind", "hasil"], "no evaluation for 2021"),
        (["--instansi", "kabupaten-siak", "--year", "2022", "--kind", "rapot"], "unknown kind"),
        (["--instansi", "kabupaten-siak", "--year", "2026", "--kind", "opd", "--opd", "dinsos"], "no OPD 'dinsos'"),
        (["--instansi", "kabupaten-siak", "--year", "2022", "--kind", "hasil", "--opd", "bkpsdm"], "whole instansi"),
        (["--instansi", "kabupaten-siak", "--year", "2026", "--kind", "berita-acara"], "belum final"),
    ],
)
@pytest.mark.usefixtures("demo")
def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    output = tmp_path / "out.pdf"
    with pytest.raises(CommandError, match=message) as failure:
        call_command("spbe_report", *args, "--output", str(output))
    assert failure.value.returncode == 2
    assert not output.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_an_unwritable_output_exits_2() -> None:
    with pytest.raises(CommandError, match="does not exist") as failure:
        call_command("spbe_report", "--instansi", "kabupaten-siak", "--year", "2022", "--kind", "csv",
                     "--output", "/nonexistent-dir/x.csv")  # fmt: skip
    assert failure.value.returncode == 2


def test_the_real_command_line_exits_2(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    run = subprocess.run(
        [sys.executable, "manage.py", "spbe_report", "--instansi", "entah", "--year", "2022", "--kind", "hasil",
         "--output", str(tmp_path / "x.pdf")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "unknown instansi 'entah'" in run.stderr and not (tmp_path / "x.pdf").exists()
