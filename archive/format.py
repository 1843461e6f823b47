"""The archive of one evaluation: layout, natural keys, and the generic row encoding.

An archive is a zip file:

- `manifest.json`: format and version, the framework (code, version, checksum, structure hash),
  the instansi and year, row counts, the SHA-256 of `data.json`, and every evidence file with
  its size and SHA-256;
- `data.json`: the rows, with every reference written as a natural key (an OPD's code, a
  username, an indicator's code, an archive-local evidence number), never as a database id, so
  that the same evaluation exported from two databases gives the same bytes;
- `files/evidence/<evidence>/<version><suffix>`: the evidence files.

Rows are encoded field by field from the model's own fields, so a field added to a model
later travels without a change here; a field the importing portal does not know is refused.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.fields.files import FieldFile

from assessment.models import Evaluation, Framework, Instansi

FORMAT = "spbe-evaluation-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"

# Foreign keys to these always point at the archived evaluation's own rows: not written, and
# set to the restored rows on import.
IMPLIED: tuple[type[models.Model], ...] = (Instansi, Framework, Evaluation)


class ArchiveError(Exception):
    """An archive that cannot be written or restored; the message is for the operator."""


def plain(value: Any) -> Any:
    """A JSON value that reads back exactly (Decimal and datetimes as strings)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name
    return value


def dump(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode()


def sha256_of(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def hashable(key: Any) -> Any:
    """JSON gives lists; keys are compared as tuples."""
    return tuple(hashable(part) for part in key) if isinstance(key, list) else key


class Keys:
    """Database ids ↔ natural keys, per model, in both directions.

    On import, a key with no live row (the history of a row deleted before the export) gets a
    negative id of its own: never a real row, and stable within the restored database.
    """

    def __init__(self) -> None:
        self.to_key: dict[type[models.Model], dict[int, Any]] = {}
        self.to_id: dict[type[models.Model], dict[Any, int]] = {}

    def add(self, model: type[models.Model], pk: int, key: Any) -> None:
        self.to_key.setdefault(model, {})[pk] = hashable(key)
        self.to_id.setdefault(model, {}).setdefault(hashable(key), pk)

    def key(self, model: type[models.Model], pk: int | None) -> Any:
        if pk is None:
            return None
        return self.to_key.get(_base(model), {}).get(pk)

    def id(self, model: type[models.Model], key: Any) -> int | None:
        if key is None:
            return None
        ids = self.to_id.setdefault(_base(model), {})
        key = hashable(key)
        if key not in ids:
            ids[key] = -(1 + sum(1 for pk in ids.values() if pk < 0))
        return ids[key]


def _base(model: type[models.Model]) -> type[models.Model]:
    user_model = get_user_model()
    return user_model if issubclass(model, user_model) else model


def encode(obj: models.Model, keys: Keys, skip: tuple[str, ...] = ("id",)) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        if field.is_relation:
            related = field.related_model
            if isinstance(related, type) and issubclass(related, IMPLIED):
                continue
            row[field.name] = keys.key(related, getattr(obj, field.attname))  # type: ignore[arg-type]
        else:
            row[field.name] = plain(field.value_from_object(obj))
    return row


def decode(model: type[models.Model], row: dict[str, Any], keys: Keys, implied: dict[type, int]) -> Any:
    obj = model()
    for name, value in row.items():
        try:
            field: Any = model._meta.get_field(name)
        except Exception:
            raise ArchiveError(f"Arsip memuat kolom {model.__name__}.{name} yang tidak dikenal portal ini.") from None
        if field.is_relation:
            setattr(obj, field.attname, keys.id(field.related_model, value))
        else:
            setattr(obj, field.attname, field.to_python(value))
    for field in model._meta.concrete_fields:
        related = field.related_model if field.is_relation else None
        if isinstance(related, type) and issubclass(related, IMPLIED):
            setattr(obj, field.attname, next(pk for kind, pk in implied.items() if issubclass(related, kind)))
    return obj
