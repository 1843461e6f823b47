"""Pemdi 8/2026 (decimal values, level value bands): one level up is the next band's lower edge.

2,35 (Membangun) steps to 2,50 where Berkembang starts, not to 3,00; the gain is
(edge - current) x weight / total weight, exact. The plan, the report's advice and the
simulator's "naik" link all take that step, and the engine confirms the target is met.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessment.catalog import read_framework_file
from assessment.models import Evaluation, Framework
from scoring import engine
from scoring.services import engine_framework, framework_from_definition, stage_values
from scoring.services_plan import create_followups
from tests.assessment.pemdi.conftest import FRAMEWORK_PEMDI, pemdi  # noqa: F401  (fixture)
from tests.scoring.test_simulator_plan import engine_view, login, shown, simulate

SPEC = framework_from_definition(read_framework_file(FRAMEWORK_PEMDI))
EDGES = {Decimal("1.5"), Decimal("2.5"), Decimal("3.5"), Decimal("4"), Decimal("5")}


def test_one_level_up_is_the_next_bands_lower_edge() -> None:
    def up(value: str) -> tuple[int, int]:
        return SPEC.next_step("1", engine.to_hundredths(Decimal(value), 2))

    assert up("2.35") == (250, 3)  # Membangun -> Berkembang starts at 2,50
    assert up("1.00") == (150, 2) and up("2.50") == (350, 4) and up("3.99") == (400, 5)
    assert up("4.20") == (500, 5)  # inside Unggul: only the maximum is left


def test_a_plan_toward_baik_lists_band_edge_steps_that_reach_it_in_the_engine() -> None:
    values = dict.fromkeys(SPEC.keys, Decimal("2.35"))
    assert (index := engine.score(SPEC, values).index) is not None and index.predicate == "Cukup"
    baik = next(b.lower for b in SPEC.bands if b.name == "Baik")
    steps = engine.improvement_steps(SPEC, values, baik)
    assert steps and all(s.before == Decimal("2.35") and s.after == Decimal("2.50") and s.level == 3 for s in steps)
    total = sum(SPEC.int_weight(k) for k in SPEC.keys)
    assert all(s.gain == Fraction(15 * SPEC.int_weight(s.key), 100 * total) for s in steps)
    assert [s.gain for s in steps] == sorted((s.gain for s in steps), reverse=True)
    raised = {**values, **{s.key: s.after for s in steps}}
    after = engine.score(SPEC, raised).index
    assert after is not None and after.exact == steps[-1].index_after >= Fraction(baik) and after.predicate == "Baik"
    before_last = {**values, **{s.key: s.after for s in steps[:-1]}}
    assert (short := engine.score(SPEC, before_last).index) is not None and short.exact < Fraction(baik)


@pytest.fixture
def siak_pemdi(pemdi: Framework) -> Evaluation:  # noqa: F811
    del pemdi  # requested so the framework is loaded
    call_command("load_demo", stdout=io.StringIO())
    return Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2026)


@pytest.mark.django_db
def test_the_pemdi_plan_page_and_the_simulator_take_band_edge_steps(client: Client, siak_pemdi: Evaluation) -> None:
    login(client, "sekda.siak")
    response = client.get(reverse("scoring:plan", args=[siak_pemdi.pk]), {"target": "3,00"})
    assert response.status_code == 200 and response.context["reached"]
    steps = response.context["steps"]
    assert steps and all(s.step.after in EDGES for s in steps)
    first = steps[0]
    assert first.criterion == first.indicator.levels.get(level=first.step.level).criterion
    spec = engine_framework(siak_pemdi.framework)
    current = stage_values([siak_pemdi.pk])[siak_pemdi.pk]
    raised = {**current, **{s.step.key: s.step.after for s in steps}}
    after = engine.score(spec, raised).index
    assert after is not None and after.exact >= 3 and after.predicate == "Baik"
    # The simulator applies ?naik= with the engine's step, to the same edges: its figure is the plan's.
    link = response.context["simulate"]
    page = client.get(reverse("scoring:simulator", args=[siak_pemdi.pk]), {"naik": link}).content.decode()
    assert shown(page)["index"] == {"display": str(after.display).replace(".", ","), "predicate": "Baik"}
    for s in steps:
        assert re.search(rf'id="sim-{s.step.key}"[^>]*value="{s.step.after:.2f}"', page)


@pytest.mark.django_db
def test_the_pemdi_simulator_takes_any_hundredth_in_a_number_field_and_shows_its_band(
    client: Client, siak_pemdi: Evaluation
) -> None:
    login(client, "sekda.siak")
    html = client.get(reverse("scoring:simulator", args=[siak_pemdi.pk])).content.decode()
    fields = re.findall(r'<input type="number"[^>]*>', html)
    assert len(fields) == 20 and all('step="0.01" ' in f and 'min="1.00"' in f and 'max="5.00"' in f for f in fields)
    assert "<option" not in html.split('id="sim-form"')[1].split("</form>")[0]  # no 401-option selects
    spec = engine_framework(siak_pemdi.framework)
    current = stage_values([siak_pemdi.pk])[siak_pemdi.pk]
    typed = {**current, "1": Decimal("2.37"), "2": Decimal("5.00")}
    partial = simulate(client, siak_pemdi, {"1": "2,37", "2": "5.00"})
    assert shown(partial) == engine_view(spec, typed)
    # Each row's band comes back with the change (out of band): 2,37 lies in level 2's band.
    band = re.search(r'<td id="sim-band-1"[^>]*hx-swap-oob="true">([^<]*)', partial)
    assert band and band.group(1).strip() == "Tingkat 2: 1,50–2,49"  # noqa: RUF001
    refused = simulate(client, siak_pemdi, {"1": "2.375"})
    assert "Isi 1,00–5,00 dengan langkah 0,01; nilai saat ini yang dihitung." in refused  # noqa: RUF001
    assert shown(refused) == engine_view(spec, current)


@pytest.mark.django_db
def test_pemdi_follow_ups_name_the_target_value_not_a_level(client: Client, siak_pemdi: Evaluation) -> None:
    login(client, "sekda.siak")
    steps = client.get(reverse("scoring:plan", args=[siak_pemdi.pk]), {"target": "3,00"}).context["steps"]
    items = create_followups(siak_pemdi, steps[:2], get_user_model().objects.get(username="sekda.siak"), None)
    assert len(items) == 2
    assert all(re.search(r": naik ke nilai \d,\d\d?$", item.title) for item in items), [i.title for i in items]
