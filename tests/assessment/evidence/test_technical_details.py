"""Checksums and file types sit behind a "Detail teknis" toggle (issue 14 item 17), on the answer
page and the evidence page alike: the file's name and version stay up front."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessment.services import evidence as library
from tests.assessment.evidence.conftest import Place, add_pdf

pytestmark = pytest.mark.django_db


def outside_details(page: str) -> str:
    return re.sub(r"<details.*?</details>", "", page, flags=re.S)


@pytest.mark.parametrize("name", ["assessment:answer", "assessment:evidence-detail"])
def test_opd_staff_find_sha256_and_mime_type_only_behind_the_toggle(client: Client, place: Place, name: str) -> None:
    evidence = add_pdf(place)
    library.attach(place.answer, evidence, place.users["opd_a"])
    version = evidence.versions.get()
    client.force_login(place.users["opd_a"])
    target = place.answer.pk if name == "assessment:answer" else evidence.pk
    page = client.get(reverse(name, args=[target])).content.decode()
    toggle = re.search(r'<details[^>]*data-testid="technical-details">(.*?)</details>', page, flags=re.S)
    assert toggle is not None
    assert "Detail teknis" in toggle.group(1)
    assert version.sha256 in toggle.group(1) and "application/pdf" in toggle.group(1)
    rest = outside_details(page)
    assert "laporan.pdf" in rest
    assert version.sha256[:12] not in rest and "SHA-256" not in rest and "application/pdf" not in rest
