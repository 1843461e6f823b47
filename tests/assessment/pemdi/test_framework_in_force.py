"""Issue 14 item 11: a new evaluation defaults to the framework in force for its year (from the files' data);
a revoked one needs confirming; the worklist says which evaluation each row belongs to."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from assessment import in_force
from assessment.models import Evaluation, Framework
from assessment.services.evaluations import create_evaluation
from tests.world import make_side

pytestmark = pytest.mark.django_db
URL = "/kelola/evaluasi/"


def selected_framework(page: str) -> str:
    control = re.search(r'<select name="framework".*?</select>', page, re.S)
    assert control is not None
    chosen = re.search(r'<option value="(\d+)"[^>]*selected', control.group(0))
    assert chosen is not None
    return chosen.group(1)


def test_the_rule_reads_the_files(pemdi: Framework, framework59: Framework) -> None:
    both = [framework59, pemdi]
    assert (in_force.in_force(pemdi).from_year, in_force.in_force(framework59).revoked_by) == (2026, pemdi.code)
    assert in_force.default_for(2025, both) == framework59
    assert in_force.default_for(2026, both) == pemdi and in_force.default_for(2027, both) == pemdi
    assert (
        in_force.warning(framework59, 2027, both)
        == "Indeks SPBE sudah dicabut untuk tahun 2027 dan diganti Indeks Pemdi."
    )
    assert in_force.warning(pemdi, 2025, both) == "Indeks Pemdi baru berlaku mulai tahun 2026."
    assert in_force.warning(framework59, 2025, both) is None
    # Without the successor loaded, 59/2020 is still the law.
    assert in_force.default_for(2027, [framework59]) == framework59


@time_machine.travel("2026-12-01 10:00 +0700", tick=False)
def test_opening_2027_defaults_to_pemdi(pemdi: Framework, framework59: Framework, client: Client) -> None:
    side = make_side("a")
    create_evaluation(side.instansi, framework59, 2026, None, "exact")
    client.force_login(side.users["admin"])
    page = client.get(URL).content.decode()
    assert 'name="year" value="2027"' in page
    assert selected_framework(page) == str(pemdi.pk)
    assert "Indeks Pemdi (berlaku mulai 2026)" in page


@pytest.mark.usefixtures("pemdi")
def test_a_revoked_framework_is_refused_until_confirmed(framework59: Framework,
                                                        client: Client) -> None:  # fmt: skip
    side = make_side("a")
    client.force_login(side.users["admin"])
    data = {"year": "2027", "framework": framework59.pk, "predicate_basis": "exact"}
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200 and "sudah dicabut untuk tahun 2027 dan diganti Indeks Pemdi" in page
    assert not Evaluation.objects.filter(instansi=side.instansi).exists()
    response = client.post(URL, {**data, "confirm_framework": "on"})
    assert response.status_code == 302
    assert side.instansi.evaluations.get(year=2027).framework == framework59


def test_the_framework_in_force_needs_no_confirmation(pemdi: Framework, client: Client) -> None:
    side = make_side("a")
    client.force_login(side.users["admin"])
    response = client.post(URL, {"year": "2027", "framework": pemdi.pk, "predicate_basis": "exact"})
    assert response.status_code == 302 and side.instansi.evaluations.get(year=2027).framework == pemdi


def test_the_worklist_names_each_rows_evaluation_when_there_are_several(
    pemdi: Framework, framework59: Framework, client: Client
) -> None:
    side = make_side("a")
    client.force_login(side.users["opd.bkpsdm"])
    create_evaluation(side.instansi, framework59, 2025, None, "exact")
    page = client.get(reverse("assessment:worklist")).content.decode()
    assert 'data-testid="row-evaluation"' not in page  # one evaluation: nothing to tell apart
    create_evaluation(side.instansi, pemdi, 2026, None, "exact")
    page = client.get(reverse("assessment:worklist")).content.decode()
    rows = re.findall(r'data-testid="row-evaluation">([^<]+)</td>', page)
    mine = side.instansi.evaluations.all()
    expected = sum(e.answers.filter(lead_opd=side.bkpsdm).count() for e in mine)
    assert len(rows) == expected > 0
    assert set(rows) == {"2025 · Indeks SPBE", "2026 · Indeks Pemdi"}
