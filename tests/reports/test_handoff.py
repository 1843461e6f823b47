"""The hand-off ZIP for eval.spbe.go.id: laid out by item code, built by the report worker, its
index lists every item with its files, and the checksums match the stored files."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.catalog import read_framework_file
from assessment.models import Answer, AnswerItem, EvidenceItem, EvidenceVersion, Membership
from assessment.services import evidence as library
from assessment.services import items as item_service
from assessment.services.evaluations import create_evaluation
from assessment.services.frameworks import load_framework
from assessment.uploads import check_upload
from reports.models import ReportStatus
from reports.services import request_report
from reports.tasks import build_report
from tests.assessment.evidence import corpus
from tests.assessment.pemdi.conftest import FRAMEWORK_DIR, pemdi  # noqa: F401  (fixture)
from tests.world import make_side

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("pemdi")
def test_the_handoff_zip_follows_item_codes_and_its_checksums_match() -> None:
    v2 = load_framework(read_framework_file(FRAMEWORK_DIR / "pemdi-8-2026.2.json")).framework
    side = make_side("ho")
    evaluation = create_evaluation(side.instansi, v2, 2026, None, "exact")
    answer = Answer.objects.get(evaluation=evaluation, indicator__number=2)
    staff = side.users["opd.diskominfo"]
    sk = library.add_file(instansi=side.instansi, opd=side.diskominfo, user=staff, title="SK Tim", document_date=None,
                          upload=check_upload(SimpleUploadedFile("sk tim.pdf", corpus.pdf())), answer=answer)  # fmt: skip
    portal = library.add_link(instansi=side.instansi, opd=side.diskominfo, user=staff, title="Portal",
                              url="https://layanan.example.go.id", access_note="", document_date=None, answer=answer)  # fmt: skip
    item_service.attach(answer, "I2-L1-01", sk, staff)
    item_service.attach(answer, "I2-L1-02", sk, staff)  # one file backs two items
    item_service.attach(answer, "I2-L2-01", portal, staff)
    AnswerItem.objects.filter(answer=answer, item__code="I2-L1-01").update(note="Halaman 3, pasal 2.")

    report, _ = request_report(Membership.objects.get(user=side.users["sekda"]), evaluation, "serah-terima")
    build_report(report.pk)  # the worker's task, run here whether or not a broker is configured
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.reason
    with report.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = set(archive.namelist())
        index = list(csv.DictReader(io.StringIO(archive.read("indeks.csv").decode("utf-8-sig"))))
        stored = EvidenceVersion.objects.get(evidence=sk)
        path = f"I2/I2-L1-01/{sk.pk}-sk tim.pdf"
        assert {path, f"I2/I2-L1-02/{sk.pk}-sk tim.pdf", "indeks.csv"} <= names
        assert hashlib.sha256(archive.read(path)).hexdigest() == stored.sha256
    # Every item of the framework is listed, with or without files.
    assert {row["Kode butir"] for row in index} == set(
        EvidenceItem.objects.filter(level__indicator__framework=v2).values_list("code", flat=True)
    )
    by_code = {row["Kode butir"]: row for row in index}
    assert (
        by_code["I2-L1-01"]["SHA-256"] == stored.sha256 and by_code["I2-L1-01"]["Catatan OPD"] == "Halaman 3, pasal 2."
    )
    assert by_code["I2-L1-01"]["Masalah"] == ""
    assert by_code["I2-L2-01"]["Tautan"] == "https://layanan.example.go.id"
    assert by_code["I2-L3-01"]["Berkas dalam ZIP"] == ""
