"""The what-if simulator (the server scores every change with the engine, over htmx), the
improvement plan, saved scenarios and follow-up items, on the demo deployment and the two-instansi world."""

from __future__ import annotations

import io
import random
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Evaluation, Framework
from scoring import engine
from scoring.models import FollowUp, FollowUpStatus, Scenario
from scoring.services import engine_framework, stage_values
from scoring.services_plan import carry_over_followups
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(framework59: Framework) -> Evaluation:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=io.StringIO())
    return Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2022)


def login(client: Client, username: str) -> Client:
    client.force_login(get_user_model().objects.get(username=username))
    return client


def shown(html: str) -> dict[str, Any]:
    """What the result card shows: the index and every group, as engine_view gives them."""

    def out(name: str) -> str:
        found = re.search(rf'data-out="{re.escape(name)}"[^>]*>([^<]*)<', html)
        assert found, name
        return found.group(1).strip()

    def score(name: str) -> dict[str, Any] | None:
        display = out(name)
        return None if display == "–" else {"display": display, "predicate": out(f"{name}-predicate") or None}  # noqa: RUF001

    codes = re.findall(r'data-out="group-([^"]+?)"', html)
    groups = {c: score(f"group-{c}") for c in codes if not c.endswith("-predicate")}
    return {"index": score("index"), "groups": {c: g for c, g in groups.items() if g is not None}}


def simulate(client: Client, evaluation: Evaluation, values: dict[str, Any], query: str = "") -> str:
    """One htmx change: every field as the page sends it; the partial the server answers."""
    params = {f"i{k}": str(v) for k, v in values.items()}
    url = reverse("scoring:simulator", args=[evaluation.pk]) + query
    response = client.get(url, params, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def engine_view(spec: engine.Framework, levels: dict[str, Any], basis: str = "exact") -> dict[str, Any]:
    result = engine.score(spec, levels, engine.PredicateBasis(basis))

    def show(s: engine.Score) -> dict[str, Any]:
        return {"display": str(s.display).replace(".", ","), "predicate": s.predicate}

    return {
        "index": show(result.index) if result.index else None,
        "groups": {code: show(s) for code, s in result.groups.items()},
    }


def vectors(keys: list[str], current: dict[str, int]) -> list[dict[str, int]]:
    rng = random.Random(59)  # noqa: S311
    found = [current, dict.fromkeys(keys, 1), dict.fromkeys(keys, 5), dict.fromkeys(keys[:20], 3)]
    found += [{k: rng.randint(1, 5) for k in keys} for _ in range(8)]
    return found


def test_every_change_is_scored_by_the_engine_on_the_server(client: Client, demo: Evaluation) -> None:
    login(client, "verifikator.siak")
    spec = engine_framework(demo.framework)
    current = {k: int(v) for k, v in stage_values([demo.pk])[demo.pk].items()}
    for case in vectors(list(spec.keys), current):
        # Fields left out of a vector are emptied ("Belum dinilai"), as the page sends them.
        html = simulate(client, demo, {k: case.get(k, "") for k in spec.keys})
        expected = engine_view(spec, case)
        assert shown(html) == {"index": expected["index"], "groups": expected["groups"]}
    assert engine_view(spec, current)["index"] == {"display": "2,35", "predicate": "Cukup"}
    # The rounded basis (2023 practice) reads the predikat from the displayed figure.
    Evaluation.objects.filter(pk=demo.pk).update(predicate_basis="rounded")
    case = vectors(list(spec.keys), current)[5]
    assert shown(simulate(client, demo, case))["index"] == engine_view(spec, case, "rounded")["index"]


def test_a_change_costs_a_fixed_number_of_queries(client: Client, demo: Evaluation) -> None:
    login(client, "sekda.siak")
    simulate(client, demo, {"1": 5})  # warms the engine cache, as any earlier page view has
    with CaptureQueriesContext(connection) as queries:
        html = simulate(client, demo, {"1": 5, "2": 4, "3": 1})
    assert 'data-testid="sim-index"' in html
    assert len(queries) == 8, [q["sql"] for q in queries.captured_queries]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("scoring:simulator", args=[demo.pk]))
    assert response.status_code == 200
    assert len(queries) == 9, [q["sql"] for q in queries.captured_queries]  # bench/simulator_bench.py


def test_a_refused_figure_is_explained_and_the_current_value_counts(client: Client, demo: Evaluation) -> None:
    login(client, "sekda.siak")
    for typed in ("7", "abc", "2.5", "NaN", "-Infinity", "1e999999"):
        html = simulate(client, demo, {"1": typed})
        assert "Isi 1–5 dengan langkah 1; nilai saat ini yang dihitung." in html  # noqa: RUF001
        assert 'data-testid="sim-index">2,35<' in html


def test_the_page_uses_labelled_number_fields_and_no_script_of_its_own(client: Client, demo: Evaluation) -> None:
    response = login(client, "opd.bkpsdm.siak").get(reverse("scoring:simulator", args=[demo.pk]))
    html = response.content.decode()
    assert 'data-testid="sim-index">2,35<' in html
    fields = re.findall(r'<input type="number"[^>]*>', html)
    assert len(fields) == 47 and all('step="1"' in f and 'min="1"' in f and 'max="5"' in f for f in fields)
    assert html.count('<label class="visually-hidden" for="sim-') == 47
    assert "hx-get=" in html and "simulator.js" not in html and "<script>" not in html
    assert "Simpan skenario" not in html  # OPD staff: read-only
    assert not (Path(settings.BASE_DIR) / "static" / "js" / "simulator.js").exists()


def test_plan_for_siak_toward_baik_reaches_it_in_the_engine_and_in_the_simulator(
    client: Client, demo: Evaluation
) -> None:
    login(client, "sekda.siak")
    response = client.get(reverse("scoring:plan", args=[demo.pk]))  # default: the next band, Baik 2,60
    assert response.status_code == 200
    steps = response.context["steps"]
    assert response.context["target"] == Decimal("2.6") and response.context["reached"]
    assert [s.gain for s in steps] == sorted((s.gain for s in steps), reverse=True)
    first = steps[0]
    assert first.criterion and first.criterion == first.indicator.levels.get(level=int(first.step.after)).criterion
    html = response.content.decode()
    assert f'data-testid="gain-{first.step.key}">+0,' in html
    link = response.context["simulate"]
    assert f"?naik={link}" in html
    spec = engine_framework(demo.framework)
    current = {k: int(v) for k, v in stage_values([demo.pk])[demo.pk].items()}
    raised = {**current, **{s.step.key: int(s.step.after) for s in steps}}  # the plan's steps applied
    after = engine.score(spec, raised).index
    assert after is not None and after.display >= Decimal("2.60") and after.predicate == "Baik"
    # The simulator applies ?naik= with the engine's own step: its figure and fields are the plan's.
    page = client.get(reverse("scoring:simulator", args=[demo.pk]) + f"?naik={link}").content.decode()
    assert shown(page)["index"] == {"display": str(after.display).replace(".", ","), "predicate": "Baik"}
    for s in steps:
        assert f'name="i{s.step.key}" data-key="{s.step.key}"' in page
        assert re.search(rf'id="sim-{s.step.key}"[^>]*value="{int(s.step.after)}"', page)


@pytest.mark.parametrize(
    ("target", "expected"),
    [("Baik", Decimal("2.6")), ("sangat baik", Decimal("3.5")), ("3,00", Decimal("3.00")), ("3.00", Decimal("3.00"))],
)
def test_plan_targets_by_name_or_figure(client: Client, demo: Evaluation, target: str, expected: Decimal) -> None:
    response = login(client, "verifikator.siak").get(reverse("scoring:plan", args=[demo.pk]), {"target": target})
    assert response.status_code == 200 and response.context["error"] is None
    assert response.context["target"] == expected
    reached = response.context["steps"][-1].step.index_after >= expected
    assert reached == response.context["reached"] == (expected < Decimal("3.5"))  # 3,50 needs more than one step each
    if not reached:
        assert "belum mencapai target" in response.content.decode()


@pytest.mark.parametrize("target", ["Luar Biasa", "9", "0,5", "NaN", "3,0,0"])
def test_an_invalid_target_is_explained_in_indonesian(client: Client, demo: Evaluation, target: str) -> None:
    response = login(client, "verifikator.siak").get(reverse("scoring:plan", args=[demo.pk]), {"target": target})
    assert response.status_code == 200
    assert response.context["steps"] == []
    assert "Target" in response.context["error"]
    assert response.context["error"] in response.content.decode()


def test_a_named_scenario_is_saved_listed_and_loaded(client: Client, demo: Evaluation) -> None:
    login(client, "sekda.siak")
    current = {k: int(v) for k, v in stage_values([demo.pk])[demo.pk].items()}
    posted = {f"i{k}": str(v) for k, v in current.items()} | {"i1": "5", "name": "Domain 1 penuh"}
    response = client.post(reverse("scoring:scenario-save", args=[demo.pk]), posted)
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?skenario={scenario.pk}")
    assert scenario.levels["1"] == 5 and scenario.levels["2"] == current["2"]
    page = client.get(reverse("scoring:simulator", args=[demo.pk]), {"skenario": scenario.pk}).content.decode()
    assert re.search(r'id="sim-1"[^>]*value="5"', page)  # the scenario's value in the field
    assert current["1"] != 5 and 'data-testid="sim-band-1" class="small table-warning"' in page  # marked changed
    assert shown(page)["index"] == engine_view(engine_framework(demo.framework), {**current, "1": 5})["index"]
    page = client.get(reverse("scoring:simulator", args=[demo.pk])).content.decode()
    assert "Domain 1 penuh" in page
    assert stage_values([demo.pk])[demo.pk] == {k: Decimal(v) for k, v in current.items()}  # nothing else saved


def test_invalid_levels_or_a_missing_name_save_nothing(client: Client, demo: Evaluation) -> None:
    login(client, "sekda.siak")
    url = reverse("scoring:scenario-save", args=[demo.pk])
    client.post(url, {"name": "x", "i1": "7"})
    client.post(url, {"name": "x", "i1": "abc"})
    client.post(url, {"name": "", "i1": "3"})
    assert not Scenario.objects.exists()


def test_scenarios_are_scoped_and_saving_is_for_staff(client: Client, world: World) -> None:
    other = Evaluation.objects.get(instansi=world.b.instansi)
    theirs = Scenario.objects.create(evaluation=other, name="B", levels={})
    client.force_login(world.a.users["sekda"])
    url = reverse("scoring:simulator", args=[world.evaluation.pk])
    assert client.get(url, {"skenario": theirs.pk}).status_code == 404
    assert client.get(url, {"skenario": "x"}).status_code == 404
    assert client.get(reverse("scoring:simulator", args=[other.pk]), {"skenario": theirs.pk}).status_code == 404
    client.force_login(world.a.users["opd.bkpsdm"])
    assert client.get(url).status_code == 200
    assert client.post(reverse("scoring:scenario-save", args=[world.evaluation.pk]), {"name": "x"}).status_code == 403
    client.force_login(world.b.users["sekda"])
    assert client.post(reverse("scoring:scenario-save", args=[world.evaluation.pk]), {"name": "x"}).status_code == 404
    assert Scenario.objects.count() == 1


def make_followups(client: Client, demo: Evaluation) -> list[FollowUp]:
    login(client, "sekda.siak")
    steps = client.get(reverse("scoring:plan", args=[demo.pk])).context["steps"]
    keys = [s.step.key for s in steps[:3]]
    response = client.post(
        reverse("scoring:plan-followups", args=[demo.pk]), {"target": "", "steps": keys, "due_date": "2026-12-31"}
    )
    assert response.status_code == 302
    return list(FollowUp.objects.order_by("pk"))


def test_selected_plan_steps_become_follow_ups_once(client: Client, demo: Evaluation) -> None:
    items = make_followups(client, demo)
    assert len(items) == 3
    assert all(i.instansi == demo.instansi and i.status == FollowUpStatus.OPEN for i in items)
    assert all(i.due_date and i.due_date.isoformat() == "2026-12-31" for i in items)
    assert all(i.owner_opd == demo.answers.get(indicator=i.indicator).lead_opd for i in items)
    make_followups(client, demo)  # again: the same unfinished items are not duplicated
    assert FollowUp.objects.count() == 3
    # A step that is not in the plan is refused.
    response = client.post(reverse("scoring:plan-followups", args=[demo.pk]), {"steps": ["999"]})
    assert response.status_code == 302 and FollowUp.objects.count() == 3


def test_opd_staff_cannot_create_follow_ups_and_see_only_their_opds(client: Client, demo: Evaluation) -> None:
    items = make_followups(client, demo)
    login(client, "opd.bkpsdm.siak")
    response = client.post(reverse("scoring:plan-followups", args=[demo.pk]), {"steps": [items[0].indicator.number]})
    assert response.status_code == 403
    listed = [item for item, _ in client.get(reverse("scoring:followups")).context["rows"]]
    assert all(i.owner_opd and i.owner_opd.code == "bkpsdm" for i in listed)
    assert {i.pk for i in listed} == {i.pk for i in items if i.owner_opd and i.owner_opd.code == "bkpsdm"}
    login(client, "sekda.sumedang")
    assert client.get(reverse("scoring:followups")).context["rows"] == []
    assert client.post(reverse("scoring:followup", args=[items[0].pk]), {"status": "done"}).status_code == 404


def test_status_update_and_carry_over_into_the_next_year(client: Client, demo: Evaluation) -> None:
    items = make_followups(client, demo)
    response = client.post(reverse("scoring:followup", args=[items[0].pk]), {"status": FollowUpStatus.DONE})
    assert response.status_code == 302
    client.post(reverse("scoring:followup", args=[items[1].pk]), {"status": "bogus"})
    items[0].refresh_from_db()
    items[1].refresh_from_db()
    assert items[0].status == FollowUpStatus.DONE and items[1].status == FollowUpStatus.OPEN
    this_year = Evaluation.objects.get(instansi=demo.instansi, year=2026)
    login(client, "verifikator.siak")
    data = {"source": demo.pk, "target": this_year.pk}
    assert client.post(reverse("scoring:followups-carry"), data).status_code == 404  # admins only
    login(client, "admin.siak")
    assert "Bawa ke tahun berikutnya" in client.get(reverse("scoring:followups")).content.decode()
    client.post(reverse("scoring:followups-carry"), data)
    client.post(reverse("scoring:followups-carry"), data)  # idempotent
    carried = FollowUp.objects.filter(evaluation=this_year)
    assert sorted(c.carried_from_id or 0 for c in carried) == [items[1].pk, items[2].pk]
    assert all(c.indicator.framework == this_year.framework for c in carried)
    assert carry_over_followups(demo, this_year) == []
    with pytest.raises(ValueError, match="tahun berikutnya"):
        carry_over_followups(this_year, demo)


def test_follow_up_list_queries_do_not_grow_with_items(client: Client, demo: Evaluation) -> None:
    items = make_followups(client, demo)
    login(client, "admin.siak")
    url = reverse("scoring:followups")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(20):
        FollowUp.objects.create(
            instansi=demo.instansi, evaluation=demo, indicator=items[0].indicator, title=f"Butir {n}",
            owner_opd=items[n % 3].owner_opd, owner=get_user_model().objects.get(username="sekda.siak"),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
        assert response.status_code == 200
    assert len(response.context["rows"]) == 23
    assert len(many) == len(few)


def test_plan_and_simulator_pages_for_every_role_and_another_instansi(client: Client, world: World) -> None:
    for name in ("scoring:simulator", "scoring:plan"):
        url = reverse(name, args=[world.evaluation.pk])
        for role, user in world.a.users.items():
            client.force_login(user)
            assert client.get(url).status_code == 200, (name, role)
        for role, user in world.b.users.items():
            client.force_login(user)
            assert client.get(url).status_code == 404, (name, role)
