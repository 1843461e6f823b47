"""Capabilities: a link is shown exactly when the page it opens lets the role in.

For every role, each page link on the worklist, the ranking (home) and the progress page answers
200, and every page among the checked targets that answers 200 is linked from the pages that
offer it. The role → capability mapping itself is `assessment/capabilities.py`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from assessment.capabilities import Capabilities, Capability
from assessment.models import AssessorAssignment, EvaluationStatus, Membership, Role, Stage
from tests.conftest import levels_59
from tests.factories import MembershipFactory, UserFactory, answer_all
from tests.world import World

pytestmark = pytest.mark.django_db

ROLES = ["opd.bkpsdm", "opd.diskominfo", "verifikator", "sekda", "admin", "koordinator", "asesor"]
HREF = re.compile(r'<a [^>]*href="([^"#]+)"')
SKIP = {"logout", "set_language", "static"}  # not pages: a POST, the language switch


def with_assessor(world: World) -> World:
    user = MembershipFactory(user=UserFactory(username="asesor.a"), instansi=world.a.instansi, role=Role.ASESOR).user
    today = timezone.localdate()
    AssessorAssignment.objects.create(assessor=user, evaluation=world.evaluation, starts_on=today - timedelta(days=1),
                                      ends_on=today + timedelta(days=30))  # fmt: skip
    world.a.users["asesor"] = user
    return world


def finalise(world: World) -> None:
    """Every indicator valued and the evaluation final: the ranking (home) then lists it, with its links."""
    evaluation = world.evaluation
    answer_all(evaluation, levels_59(3), Stage.VERIFIKASI)
    evaluation.status, evaluation.finalised_by = EvaluationStatus.FINALISED, world.a.users["sekda"]
    evaluation.finalised_at = timezone.now()
    evaluation.save(update_fields=["status", "finalised_by", "finalised_at"])


def links(html: str) -> set[str]:
    """The portal page links of a page (paths only; anchors and query-only links left out)."""
    found = set()
    for href in HREF.findall(html):
        path = urlsplit(href.replace("&amp;", "&")).path
        if not path.startswith("/"):
            continue
        try:
            name = resolve(path).url_name or ""
        except Resolver404:
            continue
        if name not in SKIP:
            found.add(path)
    return found


def pages(world: World) -> list[str]:
    return [
        reverse("assessment:worklist"),
        reverse("home"),
        reverse("scoring:evaluation", args=[world.evaluation.pk]),
    ]


@pytest.mark.parametrize("finalised", [False, True], ids=["open", "finalised"])
@pytest.mark.parametrize("role", ROLES)
def test_every_link_shown_answers_200(client: Client, world: World, role: str, finalised: bool) -> None:
    with_assessor(world)
    if finalised:
        finalise(world)
    client.force_login(world.a.users[role])
    shown: set[str] = set()
    for page in pages(world):
        response = client.get(page)
        if response.status_code == 200:
            shown |= links(response.content.decode())
    assert shown
    # The brand link ("/") sends an assessor on to their assignments: followed, it must end in 200.
    refused = {path: status for path in sorted(shown) if (status := client.get(path, follow=True).status_code) != 200}
    assert refused == {}, f"{role} is shown links it cannot open"


def targets(world: World) -> dict[str, tuple[str, list[str]]]:
    """A page a role may or may not open → the pages that link to it when it may."""
    evaluation = world.evaluation.pk
    worklist, home, progress = pages(world)
    return {
        "progress": (reverse("scoring:evaluation", args=[evaluation]), [worklist]),
        "reports": (reverse("reports:evaluation", args=[evaluation]), [worklist, progress]),
        "review queue": (reverse("assessment:review-queue"), [worklist, progress]),
        "official stages": (reverse("assessment:stage-record", args=[evaluation, "dokumen"]), [progress]),
        "official results import": (reverse("scoring:import"), [home]),
        "management": (reverse("assessment:manage"), [home]),
        "Excel questionnaire import": (reverse("exchange:import", args=[evaluation]), [worklist]),
    }


@pytest.mark.parametrize("role", ROLES)
def test_a_page_the_role_may_open_is_linked_and_no_other(client: Client, world: World, role: str) -> None:
    with_assessor(world)
    client.force_login(world.a.users[role])
    html = {page: client.get(page) for page in pages(world)}
    for what, (target, on) in targets(world).items():
        allowed = client.get(target).status_code == 200
        for page in on:
            response = html[page]
            if response.status_code != 200:
                continue  # the page itself is closed to the role (an assessor's worklist)
            shown = target in links(response.content.decode())
            assert shown == allowed, (
                f"{role}: {what} {'allowed but not linked' if allowed else 'linked but refused'} on {page}"
            )


def test_the_reports_link_on_the_ranking_follows_the_report_page(client: Client, world: World) -> None:
    finalise(world)
    target = reverse("reports:evaluation", args=[world.evaluation.pk])
    for role in ["opd.bkpsdm", "verifikator", "sekda", "admin", "koordinator"]:
        client.force_login(world.a.users[role])
        allowed = client.get(target).status_code == 200
        assert (target in links(client.get(reverse("home")).content.decode())) == allowed, role


@pytest.mark.parametrize("role", list(Role))
def test_capabilities_are_derived_without_a_query(role: Role, django_assert_num_queries: object) -> None:
    member = Membership(role=role)
    with django_assert_num_queries(0):  # type: ignore[operator]
        can = Capabilities.of(member)
    assert can.assess == (role == Role.ASESOR)


def test_every_capability_can_be_required_by_name() -> None:
    from dataclasses import fields
    from typing import get_args

    assert set(get_args(Capability)) == {f.name for f in fields(Capabilities)}


def test_no_template_asks_a_role() -> None:
    from pathlib import Path

    from django.conf import settings

    asked = [
        f"{path}:{number}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\.role\s*(==|!=|in\b)|role ==", line)
    ]
    assert asked == []
