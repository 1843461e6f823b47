"""Issue 17 item 15: a file name with "/" in it is kept whole for display, escaped, never a path.

Django's test client and SimpleUploadedFile cut names at "/" themselves, so the request here is
written by hand, as a browser (or an attacker) sends it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from assessment.models import Evidence, EvidenceVersion
from assessment.services import answers as workflow
from assessment.services import evidence as library
from tests.assessment.evidence import corpus
from tests.assessment.evidence.conftest import Place, media_files

pytestmark = pytest.mark.django_db

NAME = "a</script><script>alert(1)</script>.pdf"
BOUNDARY = "----portal-uji-7d2f"


def raw_upload(client: Client, name: str, content: bytes) -> int:
    fields = {"kind": "file", "title": "Dokumen uji", "document_date": "2026-01-15"}
    body = b""
    for key, value in fields.items():
        body += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
    body += (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    response = client.post(
        reverse("assessment:evidence-upload"), data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    return response.status_code


def test_the_whole_name_is_kept_escaped_on_every_page_and_never_used_as_a_path(client: Client, place: Place) -> None:
    user = place.users["opd_a"]
    client.force_login(user)
    assert raw_upload(client, NAME, corpus.pdf()) == 302
    version = EvidenceVersion.objects.get()
    assert version.original_name == NAME
    # Stored under a generated key: nothing of the name, no folder but evidence/.
    assert re.fullmatch(r"evidence/[0-9a-f-]{36}\.pdf", version.file.name)
    assert [f.name for f in media_files()] == [version.file.name.removeprefix("evidence/")]

    evidence = Evidence.objects.get()
    library.attach(place.answer, evidence, user)
    workflow.save_and_submit(
        place.answer, user, value=Decimal(2), explanation="FAKTA", seen_version=place.answer.version
    )
    pages = {
        "list": (user, reverse("assessment:evidence-list")),
        "detail": (user, reverse("assessment:evidence-detail", args=[evidence.pk])),
        "answer": (user, reverse("assessment:answer", args=[place.answer.pk])),
        "review": (place.users["verifikator"], reverse("assessment:review", args=[place.answer.pk])),
    }
    for where, (who, url) in pages.items():
        client.force_login(who)
        response = client.get(url)
        assert response.status_code == 200, where
        html = response.content.decode()
        assert escape(NAME) in html, where  # whole and escaped
        assert "<script>alert(1)" not in html, where

    download = client.get(reverse("assessment:evidence-download", args=[version.pk]))
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert disposition.startswith('attachment; filename="a__script__script_alert_1___script_.pdf"')
    assert disposition.endswith("filename*=UTF-8''" + quote(NAME, safe=""))


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("laporan/2026.pdf", "laporan/2026.pdf"),
        ("../../etc/passwd.pdf", "../../etc/passwd.pdf"),  # a name only: never joined to a path
        ("C:\\fakepath\\rapat.pdf", "rapat.pdf"),  # a Windows client path loses its folders
        ("lap\x07oran.pdf", "laporan.pdf"),
    ],
)
def test_names_as_sent(client: Client, place: Place, sent: str, kept: str) -> None:
    client.force_login(place.users["opd_a"])
    assert raw_upload(client, sent, corpus.pdf()) == 302
    version = EvidenceVersion.objects.get()
    assert version.original_name == kept
    assert re.fullmatch(r"evidence/[0-9a-f-]{36}\.pdf", version.file.name)


def test_a_name_whose_last_segment_has_no_allowed_suffix_is_refused(client: Client, place: Place) -> None:
    client.force_login(place.users["opd_a"])
    assert raw_upload(client, "x.pdf/", corpus.pdf()) == 200  # the form again, with the reason
    assert EvidenceVersion.objects.count() == 0 and media_files() == []
