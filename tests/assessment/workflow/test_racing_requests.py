"""Issue 14 item 4: autosave, "Simpan draf" and "Ajukan" from two tabs, as real concurrent HTTP requests.

Runs on PostgreSQL against the live server (a threaded WSGI server): four requests built from
the same version leave the barrier together, round after round. None may answer 500, and each
one's outcome must agree with what is stored: a request reported as saved carries the stored
text, a refused one says so and shows its text (the htmx fragment leaves it in the box).
"""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from assessment.models import Answer, AnswerStatus, Decision
from assessment.services import answers as workflow
from tests.conftest import require_service
from tests.world import World

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROUNDS = 8


def tab(live_server: LiveServer, user: Any, answer: Answer) -> tuple[requests.Session, str]:
    """A signed-in browser tab on the answer page: its session and the form's CSRF token."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    page = session.get(f"{live_server.url}/penilaian/jawaban/{answer.pk}/", timeout=30)
    for cookie in page.cookies:  # the server marks them Secure; this test talks plain HTTP
        session.cookies.set(cookie.name, cookie.value)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert page.status_code == 200 and token
    return session, token.group(1)


Call = tuple[tuple[requests.Session, str], str, bool, str]  # (tab, text, htmx, action)


def race(url: str, calls: list[Call], version: int) -> list[tuple[str, bool, int, str]]:
    """Send every call at once (a barrier releases them together); (text, htmx, status, body) each."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, bool, int, str]] = []

    def send(tab: tuple[requests.Session, str], text: str, htmx: bool, action: str) -> None:
        session, token = tab
        data = {"csrfmiddlewaretoken": token, "value": "3", "explanation": text, "version": str(version)}
        if action:
            data["action"] = action
        headers = {"HX-Request": "true"} if htmx else {}
        barrier.wait(timeout=30)
        response = session.post(url, data=data, headers=headers, allow_redirects=False, timeout=60)
        results.append((text, htmx, response.status_code, response.text))

    threads = [threading.Thread(target=send, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return results


def test_racing_autosave_save_and_submit_never_500_and_never_disagree(live_server: LiveServer, world: World) -> None:
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://...)")
    answer, url = world.answer, f"{live_server.url}/penilaian/jawaban/{world.answer.pk}/simpan/"
    first = tab(live_server, world.a.users["opd.bkpsdm"], answer)
    second = tab(live_server, world.a.users["opd.bkpsdm"], answer)
    outcomes: list[bool] = []
    for round_ in range(ROUNDS):
        answer.refresh_from_db()
        version = answer.version
        mine, theirs = f"FAKTA tab 1 putaran {round_}. ANALISIS.", f"FAKTA tab 2 putaran {round_}. ANALISIS."
        calls: list[Call] = [
            (first, mine, True, ""), (first, mine, False, "submit"),
            (second, theirs, True, ""), (second, theirs, False, "save"),
        ]  # fmt: skip
        results = race(url, calls, version)
        assert len(results) == len(calls)
        answer.refresh_from_db()
        stored = answer.explanation
        assert stored in {mine, theirs}
        for text, htmx, status, body in results:
            assert status in {200, 302, 409}, f"round {round_}: {status}"
            saved = ("data-saved" in body) if htmx else status == 302
            refused = ("Tidak tersimpan" in body) if htmx else (status == 409 and text in body)
            assert saved != refused, f"round {round_}: neither saved nor clearly refused: {status} {body[:300]}"
            assert saved == (text == stored), f"round {round_}: reported {saved} but stored {stored!r}"
            outcomes.append(saved)
        # the submission went through exactly when tab 1's text is the one stored
        assert (answer.status == AnswerStatus.SUBMITTED) == (stored == mine)
        if answer.status == AnswerStatus.SUBMITTED:
            submitted = answer.history.filter(status=AnswerStatus.SUBMITTED, round=answer.round).first()
            assert submitted is not None and submitted.explanation == mine
            workflow.decide(answer, world.a.users["verifikator"], decision=Decision.RETURNED, reason="lengkapi",
                            verified_value=None, seen_version=answer.version)  # fmt: skip
    assert any(outcomes) and not all(outcomes)  # both outcomes really happened
