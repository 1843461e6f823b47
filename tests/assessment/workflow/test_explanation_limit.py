"""Penjelasan has a length limit (issue 14 item 17): told before it is reached, enforced by the form
and by save_draft, and a refused save keeps the text on the page."""

from __future__ import annotations

import pytest
from django.test import Client

from assessment.models import Answer
from assessment.models.evaluation import EXPLANATION_MAX_CHARS
from assessment.services import answers as answers_service
from assessment.services.evaluations import WorkflowError
from tests.assessment.workflow.test_answer_views import save, url
from tests.world import World

pytestmark = pytest.mark.django_db


def test_the_page_says_the_limit_and_carries_the_counter(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    page = client.get(url(world)).content.decode()
    assert "Paling banyak 10.000 karakter." in page
    textarea = page[page.index("<textarea") : page.index(">", page.index("<textarea"))]
    assert f'data-max-chars="{EXPLANATION_MAX_CHARS}"' in textarea and "js/char-counter." in page
    assert 'maxlength="10000"' not in page  # the browser must not cut a paste silently


def test_a_save_over_the_limit_is_refused_with_the_text_kept(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    text = "FAKTA: " + "x" * EXPLANATION_MAX_CHARS
    response = save(client, world, 0, text=text)
    body = response.content.decode()  # type: ignore[attr-defined]
    assert "Penjelasan paling banyak 10.000 karakter; yang Anda tulis 10.007 karakter." in body
    # Autosave swaps only the status line, so the textarea keeps the text; a plain post redraws it.
    page = client.post(url(world, "simpan/"), {"value": "3", "explanation": text, "version": 0}).content.decode()
    assert "yang Anda tulis 10.007 karakter" in page and text + "</textarea>" in page
    answer = Answer.objects.get(pk=world.answer.pk)
    assert (answer.version, answer.explanation) == (0, "")
    exactly = "y" * EXPLANATION_MAX_CHARS
    assert save(client, world, 0, text=exactly).status_code == 200  # type: ignore[attr-defined]
    assert Answer.objects.get(pk=world.answer.pk).explanation == exactly


def test_save_draft_refuses_more_than_the_limit_from_any_entry_point(world: World) -> None:
    user = world.a.users["opd.bkpsdm"]
    with pytest.raises(WorkflowError, match=r"Penjelasan paling banyak 10\.000 karakter; yang Anda tulis 10\.001"):
        answers_service.save_draft(
            world.answer, user, value=None, explanation="z" * (EXPLANATION_MAX_CHARS + 1), seen_version=0
        )
    assert Answer.objects.get(pk=world.answer.pk).version == 0
