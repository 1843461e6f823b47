"""Issue 14 item 8: a Pemdi evaluation's pages name its own framework, never "SPBE"."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessment.models import Evaluation, Framework, Membership
from reports.models import Report, ReportKind

pytestmark = pytest.mark.django_db

# What may say SPBE on a Pemdi page: the portal's name, the Sekda's official role, and the
# instansi's 2022 history, which really is an SPBE evaluation (its own line in the trend chart).
ALLOWED = re.compile(r"Portal SPBE|Koordinator SPBE|Indeks SPBE 2022|Kabupaten Siak · Indeks SPBE")


@pytest.fixture
def siak_2026(pemdi: Framework) -> Evaluation:
    del pemdi  # requested so the framework is loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2026)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(Membership.objects.get(user__username=username).user)
    return client


def visible_text(page: str) -> str:
    body = page[page.index("<main") :]
    return re.sub(r"<[^>]+>", " ", body)


def test_the_pemdi_pages_name_pemdi(siak_2026: Evaluation) -> None:
    assert siak_2026.framework.short_name == "Indeks Pemdi"
    sekda = signed_in("sekda.siak")
    Report.objects.create(evaluation=siak_2026, kind=ReportKind.HASIL, fingerprint="x")
    pages = {
        "simulator": sekda.get(reverse("scoring:simulator", args=[siak_2026.pk])),
        "progress": sekda.get(reverse("scoring:evaluation", args=[siak_2026.pk])),
        "reports": sekda.get(reverse("reports:evaluation", args=[siak_2026.pk])),
        "plan": sekda.get(reverse("scoring:plan", args=[siak_2026.pk])),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = ALLOWED.sub("", visible_text(response.content.decode()))
        assert "SPBE" not in text, (name, text[max(0, text.find("SPBE") - 120) : text.find("SPBE") + 60])
    simulator = visible_text(pages["simulator"].content.decode())
    assert re.search(r"Indeks Pemdi\s*:", simulator)
    reports = visible_text(pages["reports"].content.decode())
    assert reports.count("Laporan Hasil Penilaian Mandiri Pemdi") == 2  # the choice and the requested report


@pytest.mark.usefixtures("siak_2026")
def test_a_59_2020_evaluation_keeps_its_name() -> None:
    sumedang = Evaluation.objects.get(instansi__slug="kabupaten-sumedang", year=2026)
    client = signed_in("sekda.sumedang")
    reports = visible_text(client.get(reverse("reports:evaluation", args=[sumedang.pk])).content.decode())
    assert "Laporan Hasil Penilaian Mandiri SPBE" in reports
    simulator = visible_text(client.get(reverse("scoring:simulator", args=[sumedang.pk])).content.decode())
    assert re.search(r"Indeks SPBE\s*:", simulator)
