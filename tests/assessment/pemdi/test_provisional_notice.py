"""Issue 14 item 7: a provisional framework is explained to the user in their language, without source notes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessment.models import Evaluation, Framework, Membership

pytestmark = pytest.mark.django_db

SOURCE_NOTES = ("EVERYTHING in this file", "kriteria_ringkas_unverified", "Band boundary inclusivity", "S1")


@pytest.fixture
def siak_2026(pemdi: Framework) -> Evaluation:
    del pemdi  # requested so the framework is loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2026)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(Membership.objects.get(user__username=username).user)
    return client


def notice(page: str) -> str:
    start = page.index('data-testid="provisional"')
    return page[start : page.index("</details>", start)]


def test_every_page_of_a_pemdi_evaluation_explains_what_is_provisional(siak_2026: Evaluation) -> None:
    answer = siak_2026.answers.get(indicator__number=5)
    pages = [
        signed_in("opd.diskominfo.siak").get(reverse("assessment:worklist")),
        signed_in("opd.diskominfo.siak").get(reverse("assessment:answer", args=[answer.pk])),
        signed_in("sekda.siak").get(reverse("scoring:evaluation", args=[siak_2026.pk])),
    ]
    open_items = len(siak_2026.framework.unverified)
    for response in pages:
        text = notice(response.content.decode())
        assert "Indeks Pemdi bersifat sementara: belum dicocokkan dengan naskah resmi" in text
        assert "Indeks dan predikat yang tampil adalah perkiraan" in text and "Semuanya tersimpan" in text
        assert f"Masih ada {open_items} hal yang sedang diperiksa" in text
        assert not any(note in text for note in SOURCE_NOTES), text


@pytest.mark.usefixtures("siak_2026")
def test_the_explanation_is_english_when_switched() -> None:
    client = signed_in("opd.diskominfo.siak")
    client.post(reverse("set_language"), {"language": "en"})
    text = notice(client.get(reverse("assessment:worklist")).content.decode())
    assert "Indeks Pemdi is provisional" in text and "The index and predicate shown are estimates" in text
    assert "perkiraan" not in text and not any(note in text for note in SOURCE_NOTES)
