"""Stored files, whichever backend holds them: the local filesystem or an S3-compatible bucket.

Everything the portal stores goes through Django's storage API; this module adds the three
things that API leaves out and the portal needs on both backends:
- `open_stream` reads an object in chunks, so a download's memory does not grow with the file
  (django-storages' `S3File` would first copy the whole object);
- `digest` hashes a stored object while streaming it, so a writer can check that the store holds
  exactly the bytes it hashed (`save_verified`);
- `walk` lists every stored name, for the orphan check and the disk-to-bucket migration.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import Storage

CHUNK = 64 * 1024


class StoredFileMismatchError(Exception):
    """The store does not hold the bytes that were written (a truncated or altered object)."""


def is_s3(storage: Storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def open_stream(storage: Storage, name: str) -> tuple[IO[bytes], int]:
    """A readable stream of the object and its size; FileNotFoundError when it is missing.

    On S3 this is the HTTP body of one GET, read chunk by chunk by whoever consumes it.
    """
    if is_s3(storage):
        from botocore.exceptions import ClientError
        from storages.utils import clean_name

        s3: Any = storage
        key = s3._normalize_name(clean_name(name))
        try:
            answer = s3.connection.meta.client.get_object(Bucket=s3.bucket_name, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise FileNotFoundError(name) from None
            raise
        return answer["Body"], int(answer["ContentLength"])
    handle = storage.open(name, "rb")
    return handle, storage.size(name)


def iter_chunks(handle: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := handle.read(CHUNK):
            yield chunk
    finally:
        handle.close()


def digest(storage: Storage, name: str) -> tuple[str, int]:
    """SHA-256 (hex) and size of a stored object, read in chunks."""
    handle, _ = open_stream(storage, name)
    sha, size = hashlib.sha256(), 0
    for chunk in iter_chunks(handle):
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


def verify(storage: Storage, name: str, sha256: str, size: int) -> None:
    """Raise StoredFileMismatchError unless the store holds exactly `size` bytes hashing to `sha256`."""
    stored_sha, stored_size = digest(storage, name)
    if stored_sha != sha256 or stored_size != size:
        raise StoredFileMismatchError(
            f"{name}: stored {stored_size} bytes {stored_sha}, expected {size} bytes {sha256}"
        )


def save_verified(storage: Storage, name: str, content: File[bytes], sha256: str, size: int) -> str:
    """Store `content` under `name` (or the name the storage chose), check it, and return the name.

    A mismatch deletes what was written before raising, so a failed write leaves no object.
    """
    saved = storage.save(name, content)
    try:
        verify(storage, saved, sha256, size)
    except BaseException:
        storage.delete(saved)
        raise
    return saved


def walk(storage: Storage, prefix: str = "") -> Iterator[str]:
    """Every stored file name under `prefix` (a folder path without a trailing slash, or "")."""
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for file_name in files:
        yield f"{prefix}/{file_name}" if prefix else file_name
    for folder in folders:
        yield from walk(storage, f"{prefix}/{folder}" if prefix else folder)
