"""Issue 14 item 13: one way to write figures, percentages and WIB times, following the active language."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from spbe_portal import formatting

MOMENT = datetime(2026, 11, 30, 19, 23, tzinfo=UTC)  # 1 December 2026, 02.23 WIB


@pytest.mark.parametrize(
    ("language", "value", "places", "expected"),
    [
        ("id", Decimal("2.35"), None, "2,35"),
        ("en", Decimal("2.35"), None, "2.35"),
        ("id", Decimal("2.3"), 2, "2,30"),
        ("en", Decimal("1.8"), 2, "1.80"),
        ("id", Decimal("2.345"), 2, "2,35"),  # half-up, never to even
        ("id", Decimal("2.125"), 2, "2,13"),
        ("id", Decimal(3), 0, "3"),
        ("id", Decimal("2022"), None, "2022"),  # never grouped
        ("id", None, 2, "\N{EN DASH}"),
    ],
)
def test_numbers_follow_the_language(language: str, value: Decimal | None, places: int | None, expected: str) -> None:
    with translation.override(language):
        assert formatting.number(value, places) == expected


def test_a_stored_text_can_ask_for_indonesian() -> None:
    with translation.override("en"):
        assert formatting.number(Decimal("2.5"), 2, language="id") == "2,50"
        assert formatting.span(Decimal("1.5"), Decimal("2.49"), 2) == "1.50\N{EN DASH}2.49"
    with translation.override("id"):
        assert formatting.span(Decimal("1.5"), Decimal("2.49"), 2) == "1,50\N{EN DASH}2,49"


def test_percent_and_wib_times() -> None:
    with translation.override("id"):
        assert formatting.percent(2, 3) == "67%" and formatting.percent(1, 0) == "\N{EN DASH}"
        assert formatting.wib(MOMENT) == "1 Desember 2026 02.23 WIB"
        assert formatting.wib(MOMENT, date=False) == "02.23 WIB"
    with translation.override("en"):
        assert formatting.wib(MOMENT) == "1 December 2026 02:23 WIB"


def test_templates_use_the_same_functions() -> None:
    template = Template(
        "{% load formatting scoring_tags %}{{ v|number:2 }} {{ v|figure }} {{ t|wib }} {{ t|wib_time }}"
    )
    context = Context({"v": Decimal("2.3"), "t": MOMENT})
    with translation.override("id"):
        assert template.render(context) == "2,30 2,3 1 Desember 2026 02.23 WIB 02.23 WIB"
    with translation.override("en"):
        assert template.render(context) == "2.30 2.3 1 December 2026 02:23 WIB 02:23 WIB"


def library_modules() -> list[Path]:
    root = Path(settings.BASE_DIR)
    skip = {"tests", "scripts", "bench", ".venv", "migrations", "templatetags", "node_modules"}
    return [p for p in root.rglob("*.py") if not skip & set(p.relative_to(root).parts)]


def test_library_code_formats_only_through_the_module() -> None:
    offenders = []
    for path in library_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and ".templatetags." in node.module:
                offenders.append(f"{path}: imports {node.module}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "replace"
                and [a.value for a in node.args if isinstance(a, ast.Constant)] == [".", ","]
            ):
                offenders.append(f"{path}:{node.lineno}: writes its own decimal comma")
    assert offenders == []


def test_a_day_is_the_wib_day_in_the_language() -> None:
    late = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)  # 2 December 00.30 WIB
    with translation.override("id"):
        assert formatting.day(late) == "2 Desember 2026" and formatting.day(None) == "\N{EN DASH}"
        assert Template("{% load formatting %}{{ t|day }}").render(Context({"t": late})) == "2 Desember 2026"
    assert formatting.day(date(2026, 3, 2), language="en") == "2 March 2026"
    assert formatting.cell_format(2) == "0.00" and formatting.cell_format(0) == "0"


def test_documents_and_mail_write_times_only_through_the_module() -> None:
    """No ad-hoc clock in library code (date_format with an hour) or in a document template (|date:"H.i")."""
    offenders = []
    for path in library_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "date_format":
                formats = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                offenders += [f"{path}:{node.lineno}" for f in formats if "H" in f or "G" in f]
    for template in (Path(settings.BASE_DIR) / "templates").rglob("*.*"):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\|date:[\"'][^\"']*[HGgh]", line):
                offenders.append(f"{template}:{number}")
    assert offenders == []
