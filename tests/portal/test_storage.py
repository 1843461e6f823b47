"""spbe_portal/storage.py on the filesystem and on the S3 server (tests/s3.py)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage

from assessment.models import Evidence, EvidenceVersion
from assessment.services import evidence as library
from assessment.services.evaluations import WorkflowError
from spbe_portal import storage
from tests.assessment.evidence import corpus
from tests.assessment.evidence.conftest import checked, make_place, small_framework

pytestmark = pytest.mark.usefixtures("storage_backend")


class TruncatingStorage(FileSystemStorage):
    """A store that loses the last byte of every file: a failing disk or a cut-off transfer."""

    def _save(self, name: str, content: Any) -> str:
        return str(super()._save(name, ContentFile(content.read()[:-1])))  # type: ignore[misc]  # _save: not in the stubs


def test_streaming_reads_the_whole_object_in_chunks() -> None:
    content = bytes(range(256)) * 1000  # 256 kB: several chunks
    name = default_storage.save("evidence/stream.bin", ContentFile(content))
    handle, size = storage.open_stream(default_storage, name)
    chunks = list(storage.iter_chunks(handle))
    assert size == len(content) and b"".join(chunks) == content
    assert max(len(c) for c in chunks) <= storage.CHUNK and len(chunks) >= len(content) // storage.CHUNK
    assert storage.digest(default_storage, name) == (hashlib.sha256(content).hexdigest(), len(content))


def test_a_missing_object_is_file_not_found() -> None:
    with pytest.raises(FileNotFoundError):
        storage.open_stream(default_storage, "evidence/never-written.pdf")


def test_walk_lists_every_name_under_every_folder() -> None:
    for name in ("evidence/a.pdf", "evidence/b.png", "reports/laporan-1.pdf"):
        default_storage.save(name, ContentFile(b"x"))
    assert sorted(storage.walk(default_storage)) == ["evidence/a.pdf", "evidence/b.png", "reports/laporan-1.pdf"]
    assert sorted(storage.walk(default_storage, "reports")) == ["reports/laporan-1.pdf"]


def test_save_verified_deletes_an_object_that_differs_from_what_was_hashed() -> None:
    content = b"%PDF-1.4 isi"
    with pytest.raises(storage.StoredFileMismatchError):
        storage.save_verified(default_storage, "evidence/x.pdf", ContentFile(content), "0" * 64, len(content))
    assert list(storage.walk(default_storage)) == []
    good = hashlib.sha256(content).hexdigest()
    assert storage.save_verified(default_storage, "evidence/y.pdf", ContentFile(content), good, len(content))


@pytest.mark.django_db
def test_an_upload_the_store_did_not_keep_whole_is_refused_and_leaves_nothing(settings: Any) -> None:
    place = make_place(small_framework(), "siak")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.TruncatingStorage"}}
    with pytest.raises(WorkflowError, match="tidak tersimpan utuh"):
        library.add_file(
            instansi=place.instansi, opd=place.opd_a, user=place.users["opd_a"], title="Laporan",
            document_date=date(2026, 1, 15), upload=checked("laporan.pdf", corpus.pdf()),
        )  # fmt: skip
    assert not Evidence.objects.exists() and not EvidenceVersion.objects.exists()
    assert list(storage.walk(default_storage)) == []
