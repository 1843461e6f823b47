"""An evaluation with a history worth archiving: every stage, review rounds, evidence versions,
a detached link and a deleted stage value (history of rows that no longer exist)."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.models import AnswerEvidence, Decision, Evaluation, Stage
from assessment.services import answers as workflow
from assessment.services import evidence as library
from assessment.services.stages import record_stage
from assessment.uploads import check_upload
from scoring.models import FollowUp, Scenario
from tests.assessment.evidence import corpus
from tests.world import World


def upload(name: str, content: bytes) -> Any:
    return check_upload(SimpleUploadedFile(name, content))


def fill(world: World) -> Evaluation:
    a, answer, other = world.a, world.answer, world.other_answer
    staff, diskominfo, reviewer = a.users["opd.bkpsdm"], a.users["opd.diskominfo"], a.users["verifikator"]
    answer.contributors.add(a.diskominfo)
    workflow.save_draft(answer, staff, value=Decimal(3), explanation="FAKTA: ada SOP.", seen_version=0)
    report = library.add_file(
        instansi=a.instansi, opd=a.bkpsdm, user=staff, title="SOP kepegawaian", document_date=date(2026, 1, 15),
        upload=upload("sop.pdf", corpus.pdf()), answer=answer,
    )  # fmt: skip
    library.add_version(report, staff, upload("sop-revisi.pdf", corpus.pdf(b"/Lang (id)")))
    photo = library.add_file(
        instansi=a.instansi, opd=a.bkpsdm, user=staff, title="Foto ruang server", document_date=None,
        upload=upload("ruang.png", corpus.image()), answer=answer,
    )  # fmt: skip
    library.detach(AnswerEvidence.objects.get(answer=answer, evidence=photo), staff)
    library.add_link(
        instansi=a.instansi, opd=a.bkpsdm, user=staff, title="Aplikasi SIMPEG", url="https://simpeg.example.go.id",
        access_note="akun demo: tamu", document_date=None, answer=answer,
    )  # fmt: skip
    answer.refresh_from_db()
    workflow.submit(answer, staff, seen_version=answer.version)
    answer.refresh_from_db()
    workflow.decide(answer, reviewer, decision=Decision.RETURNED, reason="Lengkapi analisis.", verified_value=None,
                    seen_version=answer.version)  # fmt: skip
    answer.refresh_from_db()
    workflow.save_draft(answer, staff, value=Decimal(4), explanation="FAKTA: ada SOP. ANALISIS: dipakai.",
                        seen_version=answer.version)  # fmt: skip
    answer.refresh_from_db()
    workflow.submit(answer, staff, seen_version=answer.version)
    answer.refresh_from_db()
    workflow.decide(answer, reviewer, decision=Decision.APPROVED, reason="Turun satu tingkat.",
                    verified_value=Decimal(3), seen_version=answer.version)  # fmt: skip
    workflow.save_draft(other, diskominfo, value=Decimal(2), explanation="Belum ada.", seen_version=0)
    other.refresh_from_db()
    workflow.save_draft(other, diskominfo, value=None, explanation="Belum ada.", seen_version=other.version)
    evaluation = world.evaluation
    record_stage(evaluation, Stage.DOKUMEN, {answer.pk: (Decimal("3.50"), "dokumen lengkap")}, a.users["admin"])
    Scenario.objects.create(evaluation=evaluation, name="Target 2027", levels={"36": 5}, created_by=a.users["sekda"])
    FollowUp.objects.create(instansi=a.instansi, evaluation=evaluation, indicator=answer.indicator,
                            title="Perbarui SOP", owner_opd=a.bkpsdm, created_by=a.users["sekda"])  # fmt: skip
    return evaluation


def contents(path: Path) -> dict[str, Any]:
    """What must survive a round trip: the data, and each file's checksum under its archive name."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        data = json.loads(archive.read("data.json"))
    files = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    return {"data": data, "files": files, "counts": manifest["counts"]}


@pytest.fixture
def filled(world: World) -> Evaluation:
    return fill(world)
