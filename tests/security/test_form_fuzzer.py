"""Every form and htmx endpoint survives hostile input: no 500, whoever posts what.

The forms are found, not listed: every named URL of the resolver (outside /api/, which
schemathesis covers in tests/api/test_live.py, and the Django admin) is opened as each role of the
permission matrix's world, with ids from the matrix's routes; every `<form method="post">` and
every `hx-post` on the page is one target, posted to as each role that could open the page.
POST-only routes of the matrix are targets too, for the roles the matrix lets in. Values come
from hypothesis strategies: huge and non-ASCII numbers, NUL bytes, 1 MB strings, right-to-left
text, hostile file names; fields go missing or come twice. Bounded: a fixed number of examples
per target and role, derandomized, so a run takes a few minutes and is repeatable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.test_permission_matrix import MATRIX, ROLES, matrix_world
from tests.world import World

__all__ = ["matrix_world"]  # the fixture, imported for this module
pytestmark = pytest.mark.django_db
EXAMPLES = 6
SKIPPED_PREFIXES = ("/api/", "/admin/", "/static/", "/accounts/logout/")

HOSTILE_TEXT = st.sampled_from([
    "1e30", "9" * 40, "1e300", "-1", "NaN", "Infinity", "\u00b2", "\u0661\u0662", "\u0663", "0x10", "2,3,5",
    "\x00", "a\x00b", "x" * 1_000_000, "\u202eexe.pdf", "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd",
    "<script>alert(1)</script>", "../../etc/passwd", "' OR 1=1 --", "", " ", "999999999999", "2,35", "3",
    "bukan-url", "//evil.example/", "https://evil.example/", "{}", "[]", "true", "\ud7ff", "\U0001f600" * 50,
])  # fmt: skip
HOSTILE_NAMES = st.sampled_from(["laporan</script>.pdf", "\u202efdp.exe", "a\x00.pdf", "x" * 300 + ".pdf", ".pdf"])


@dataclass
class Target:
    method: str
    path: str
    fields: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)


class FormFinder(HTMLParser):
    """The post targets of one page: forms (their fields) and hx-post attributes."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.found: list[Target] = []
        self.current: Target | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        hx_post = values.get("hx-post")
        if tag == "form" and (values.get("method", "").lower() == "post" or hx_post):
            self.current = Target("post", hx_post or values.get("action") or self.page)
            self.found.append(self.current)
        elif hx_post:
            self.found.append(Target("post", hx_post, {values["name"]} if values.get("name") else set()))
        if self.current is not None and tag in ("input", "select", "textarea", "button") and values.get("name"):
            (self.current.files if values.get("type") == "file" else self.current.fields).add(values["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


def named_routes(patterns: list[URLPattern | URLResolver], namespace: str = "") -> list[tuple[str, int]]:
    """(name, number of URL arguments) of every named route, namespaces included."""
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += named_routes(pattern.url_patterns, inner)
        elif pattern.name:
            found.append((f"{namespace}{pattern.name}", len(pattern.pattern.regex.groupindex)))
    return found


def pages(world: World) -> list[str]:
    paths = set()
    for name, arguments in named_routes(get_resolver().url_patterns):
        if name.startswith(("admin:", "api:")):
            continue
        route = MATRIX.get(name)
        try:
            path = reverse(name, args=[route.target(world), *route.extra]) if route else reverse(name)
        except NoReverseMatch:
            assert arguments, name  # only a route that needs arguments the matrix does not give is skipped
            continue
        if not path.startswith(SKIPPED_PREFIXES):
            paths.add(path)
    return sorted(paths)


def discover(world: World) -> dict[tuple[str, str], Target]:
    targets: dict[tuple[str, str], Target] = {}
    for role in ROLES:
        client = Client()
        client.force_login(world.a.users[role])
        for page in pages(world):
            response = client.get(page)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            finder = FormFinder(page)
            finder.feed(response.content.decode(errors="replace"))
            for found in finder.found:
                action = urlsplit(found.path).path or page
                if action.startswith(SKIPPED_PREFIXES) or not action.startswith("/"):
                    continue
                target = targets.setdefault((found.method, action), Target(found.method, action))
                target.fields |= found.fields
                target.files |= found.files
                target.roles.add(role)
    for name, route in MATRIX.items():  # POST-only routes have no page of their own to be found on
        if route.method == "post":
            path = reverse(name, args=[route.target(world), *route.extra])
            target = targets.setdefault(("post", path), Target("post", path))
            target.fields |= {k for k, v in route.data(world).items() if not hasattr(v, "read")}
            target.roles |= set(route.allowed)
    return targets


@st.composite
def hostile_posts(draw: st.DrawFn, target: Target) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in sorted(target.fields | {"version", "id", "next"}):
        if draw(st.booleans()) and draw(st.booleans()):
            continue  # missing
        value = draw(HOSTILE_TEXT)
        data[name] = [value, draw(HOSTILE_TEXT)] if draw(st.integers(0, 5)) == 0 else value  # duplicated
    for name in sorted(target.files):
        data[name] = SimpleUploadedFile(draw(HOSTILE_NAMES), draw(st.binary(max_size=64)))
    return data


def test_no_form_answers_500_to_hostile_input(matrix_world: World, capsys: pytest.CaptureFixture[str]) -> None:
    targets = discover(matrix_world)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    cases = 0

    def fuzz(target: Target, role: str) -> None:
        client = Client(raise_request_exception=False)

        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                             suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(data=hostile_posts(target))
        def post(data: dict[str, Any]) -> None:
            nonlocal cases
            cases += 1
            client.force_login(matrix_world.a.users[role])  # a form may have logged the user out
            for htmx in (False, True):
                headers: dict[str, Any] = {"HTTP_HX_REQUEST": "true"} if htmx else {}
                response = client.post(target.path, data, **headers)
                statuses[response.status_code] += 1
                if response.status_code >= 500:
                    shown = {k: repr(v)[:60] for k, v in data.items()}
                    failures.append(f"{role} POST {target.path} htmx={htmx} {shown} -> {response.status_code}")

        post()

    for target in sorted(targets.values(), key=lambda t: t.path):
        for role in sorted(target.roles):
            fuzz(target, role)
    with capsys.disabled():  # the counts show in CI's log, passed or not
        print(f"\nform fuzzer: {len(targets)} forms and endpoints, {cases} cases, {sum(statuses.values())} posts, "
              f"statuses {dict(sorted(statuses.items()))}, server errors {len(failures)}")  # fmt: skip
    assert len(targets) >= 25, sorted(targets)  # the walk found the portal's forms
    assert not failures, "\n".join(failures[:30])
