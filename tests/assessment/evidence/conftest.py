"""A small instansi for evidence tests: two OPDs, one user per role, an open evaluation, and a
second instansi whose users must see nothing of the first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessment.models import (
    Answer,
    Evaluation,
    Evidence,
    EvidenceVersion,
    Framework,
    FrameworkGroup,
    Indicator,
    Instansi,
    LevelScale,
    Opd,
    Role,
)
from assessment.services import evidence as library
from assessment.services.evaluations import create_evaluation
from assessment.uploads import CheckedUpload, check_upload
from spbe_portal.storage import walk
from tests.assessment.evidence import corpus
from tests.factories import InstansiFactory, MembershipFactory, OpdFactory, UserFactory


@dataclass
class Place:
    instansi: Instansi
    opd_a: Opd
    opd_b: Opd
    users: dict[str, User]  # "admin", "sekda", "verifikator", "opd_a", "opd_b"
    evaluation: Evaluation
    answer: Answer  # indicator 1, led by opd_a
    answer_b: Answer  # indicator 2, led by opd_b


def small_framework() -> Framework:
    """Three indicators: enough for answers, far quicker to build than the 47 of 59/2020."""
    framework = Framework.objects.create(
        code="uji-bukti", version="1", name="Kerangka uji", short_name="Uji", value_kind="level",
        value_min=Decimal(1), value_max=Decimal(5),
    )  # fmt: skip
    scale = LevelScale.objects.create(framework=framework, code="tingkat", name="Tingkat")
    group = FrameworkGroup.objects.create(framework=framework, code="D1", kind="domain", name="Domain", weight=1)
    for number in (1, 2, 3):
        Indicator.objects.create(
            framework=framework, group=group, scale=scale, number=number, code=f"I{number}",
            name=f"Indikator uji {number}", weight=Decimal("0.3"),
        )  # fmt: skip
    return framework


def make_place(framework: Framework, tag: str, year: int = 2026) -> Place:
    instansi = InstansiFactory(name=f"Kabupaten {tag}", slug=f"kabupaten-{tag}")
    opd_a = OpdFactory(instansi=instansi, code="bkpsdm", short_name="BKPSDM")
    opd_b = OpdFactory(instansi=instansi, code="dinkes", short_name="Dinkes")
    users: dict[str, User] = {}
    for role in (Role.ADMIN, Role.SEKDA, Role.VERIFIKATOR):
        users[role.value] = MembershipFactory(
            user=UserFactory(username=f"{role}.{tag}"), instansi=instansi, role=role
        ).user
    for key, opd in (("opd_a", opd_a), ("opd_b", opd_b)):
        users[key] = MembershipFactory(
            user=UserFactory(username=f"{key}.{tag}"), instansi=instansi, role=Role.OPD, opd=opd
        ).user
    evaluation = create_evaluation(instansi, framework, year, None, "exact")
    answer = evaluation.answers.get(indicator__number=1)
    answer_b = evaluation.answers.get(indicator__number=2)
    Answer.objects.filter(pk=answer.pk).update(lead_opd=opd_a)
    Answer.objects.filter(pk=answer_b.pk).update(lead_opd=opd_b)
    answer.refresh_from_db()
    answer_b.refresh_from_db()
    return Place(instansi, opd_a, opd_b, users, evaluation, answer, answer_b)


@pytest.fixture
def place(db: None) -> Place:
    del db  # requested for database access
    return make_place(small_framework(), "siak")


@pytest.fixture
def elsewhere(place: Place) -> Place:
    """Another instansi on the same deployment (same framework)."""
    return make_place(place.evaluation.framework, "lain")


def checked(name: str, content: bytes) -> CheckedUpload:
    return check_upload(SimpleUploadedFile(name, content))


def add_pdf(place: Place, *, user: str = "opd_a", title: str = "Laporan", when: date | None = None) -> Evidence:
    """A PDF in the library, owned by opd_a (the OPD of `user` when that is OPD staff)."""
    return library.add_file(
        instansi=place.instansi, opd=place.opd_a, user=place.users[user], title=title,
        document_date=when or date(2026, 1, 15), upload=checked("laporan.pdf", corpus.pdf()),
    )  # fmt: skip


def latest(evidence: Evidence) -> EvidenceVersion:
    return evidence.versions.order_by("-number")[0]


@pytest.fixture(autouse=True)
def _both_backends(storage_backend: str) -> str:
    """Every evidence test runs on the filesystem and on the S3 server (tests/s3.py)."""
    return storage_backend


@dataclass(frozen=True, order=True)
class Stored:
    """One stored object, on disk or in the bucket."""

    path: str  # the storage name, e.g. "evidence/<uuid>.pdf"

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def stem(self) -> str:
        return PurePosixPath(self.path).stem

    def read_bytes(self) -> bytes:
        with default_storage.open(self.path, "rb") as handle:
            return bytes(handle.read())


def media_files() -> list[Stored]:
    """What the default storage holds (MEDIA_ROOT or the test's bucket)."""
    return sorted(Stored(name) for name in walk(default_storage))


def upload(client: Client, name: str, content: bytes, *, query: str = "", **fields: Any) -> Any:
    data = {"kind": "file", "title": "Dokumen uji", "document_date": "2026-01-15", **fields}
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(reverse("assessment:evidence-upload") + query, data)
