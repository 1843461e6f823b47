"""Letterhead, emblem, document numbers and index targets (use cases; the models are in models/identity.py).

Emblems: a PNG is decoded and re-encoded by Pillow; an SVG is rasterised by CairoSVG with a URL
fetcher that refuses everything (no external image, stylesheet or file reaches the renderer)
and without XML entities (CairoSVG's safe mode). Only the resulting PNG is stored, so a PDF
never sees the uploaded markup. A refused upload stores nothing.
"""

from __future__ import annotations

import io
import string
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from assessment import in_force
from assessment.models import Evaluation, Framework, Instansi, Opd
from assessment.models.identity import DocumentNumber, IndexTarget, Letterhead
from spbe_portal import formatting

MAX_EMBLEM_BYTES = 2 * 1024 * 1024
EMBLEM_PIXELS = 512  # the longer side of the stored PNG: sharp at 2,5 cm on paper
PLACEHOLDERS = {"n", "tahun", "bulan"}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


class IdentityError(ValueError):
    """A refused emblem or pattern; the message is for the user (Indonesian)."""


def _refuse_fetch(_url: str, _resource_type: str) -> Any:
    raise IdentityError("SVG lambang tidak boleh merujuk berkas atau alamat lain.")


def _rasterise_svg(data: bytes) -> Image.Image:
    from cairosvg.surface import PNGSurface  # CairoSVG loads cairo at import: only uploads pay it

    try:
        png = PNGSurface.convert(bytestring=data, unsafe=False, url_fetcher=_refuse_fetch, output_width=EMBLEM_PIXELS)
    except IdentityError:
        raise
    except Exception as error:  # malformed XML, entities (refused in safe mode), unsupported content
        raise IdentityError("Berkas SVG lambang tidak dapat dibaca.") from error
    return Image.open(io.BytesIO(png))


def emblem_png(data: bytes) -> bytes:
    """The PNG the portal stores for an uploaded emblem (PNG or SVG), or IdentityError."""
    if len(data) > MAX_EMBLEM_BYTES:
        raise IdentityError("Berkas lambang paling besar 2 MB.")
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    image: Image.Image
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            image = Image.open(io.BytesIO(data))
            image.verify()  # a truncated or corrupt file fails here
            image = Image.open(io.BytesIO(data))
        elif head.startswith(b"<?xml") or b"<svg" in head:
            image = _rasterise_svg(data)
        else:
            raise IdentityError("Lambang harus berkas PNG atau SVG.")
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise IdentityError("Berkas lambang rusak atau terlalu besar ukurannya.") from error
    image = image.convert("RGBA")  # also drops the file's metadata chunks
    image.thumbnail((EMBLEM_PIXELS, EMBLEM_PIXELS))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def check_pattern(pattern: str) -> str:
    """A number pattern uses {n} once and only the placeholders {tahun} and {bulan} besides."""
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(pattern) if name is not None]
    except ValueError as error:
        raise IdentityError("Pola nomor tidak valid: kurung kurawal tidak berpasangan.") from error
    names = [name for name, _, _ in fields]
    if names.count("n") != 1:
        raise IdentityError("Pola nomor harus memuat {n} (nomor urut) tepat satu kali.")
    unknown = sorted({name for name in names if name not in PLACEHOLDERS} | {name for name, s, c in fields if s or c})
    if unknown:
        raise IdentityError(
            "Pola nomor hanya boleh memakai {n}, {tahun} dan {bulan}; tidak dikenal: " + ", ".join(unknown) + "."
        )
    return pattern


@transaction.atomic
def save_letterhead(instansi: Instansi, emblem: bytes | None = None, **fields: str) -> Letterhead:
    """Save the lines (and a new emblem, if given). The emblem is checked before anything is written."""
    png = emblem_png(emblem) if emblem is not None else None
    if "number_pattern" in fields:
        check_pattern(fields["number_pattern"].strip())
    letterhead, _ = Letterhead.objects.select_for_update().get_or_create(instansi=instansi)
    for name, value in fields.items():
        setattr(letterhead, name, value.strip())
    old = letterhead.emblem.name if png is not None else ""
    if png is not None:
        letterhead.emblem.save("lambang.png", ContentFile(png), save=False)
    letterhead.save()
    if old:
        storage = letterhead.emblem.storage
        transaction.on_commit(lambda: storage.delete(old))
    return letterhead


@transaction.atomic
def set_index_target(instansi: Instansi, year: int, target: Decimal | None, basis: str = "") -> IndexTarget | None:
    """Set the instansi's target index for `year`, or remove it (`target` None).

    The target is an index of the framework that year's evaluation uses (or, before there is one,
    the framework in force that year), so it must lie on that framework's scale.
    """
    if target is None:
        IndexTarget.objects.filter(instansi=instansi, year=year).delete()
        return None
    framework = target_framework(instansi, year)
    if framework is not None and not framework.value_min <= target <= framework.value_max:
        raise IdentityError(
            _("Target %(target)s tidak mungkin: indeks %(framework)s berkisar %(low)s sampai %(high)s.")
            % {
                "target": formatting.number(target, 2),
                "framework": framework.short_name,
                "low": formatting.number(framework.value_min, 2),
                "high": formatting.number(framework.value_max, 2),
            }
        )
    found, _created = IndexTarget.objects.update_or_create(
        instansi=instansi, year=year, defaults={"target": target, "basis": basis.strip()}
    )
    return found


def target_framework(instansi: Instansi, year: int) -> Framework | None:
    """The framework whose index a target for `year` is stated in."""
    evaluation = Evaluation.objects.filter(instansi=instansi, year=year).select_related("framework").first()
    if evaluation is not None:
        return evaluation.framework
    return in_force.default_for(year, list(Framework.objects.filter(is_current=True)))


def number_key(kind: str, opd: Opd | None, target: str = "") -> str:
    return f"{kind}:{opd.pk if opd else ''}:{target}"[:120]


def assign_number(evaluation: Evaluation, kind: str, opd: Opd | None = None, target: str = "") -> str:
    """The document's number: the one it got at its first build, else the next of this year's."""
    key = number_key(kind, opd, target)
    existing = DocumentNumber.objects.filter(evaluation=evaluation, key=key).values_list("text", flat=True).first()
    if existing:
        return existing
    now = timezone.localtime()
    try:
        with transaction.atomic():
            # The instansi row is the lock: two builds at once take consecutive numbers, not the same.
            Instansi.objects.select_for_update().filter(pk=evaluation.instansi_id).first()
            letterhead = Letterhead.objects.filter(instansi_id=evaluation.instansi_id).first()
            pattern = letterhead.number_pattern if letterhead else Letterhead._meta.get_field("number_pattern").default
            taken = DocumentNumber.objects.filter(instansi_id=evaluation.instansi_id, year=now.year)
            sequence = (taken.aggregate(last=Max("sequence"))["last"] or 0) + 1
            text = check_pattern(pattern).format(n=sequence, tahun=now.year, bulan=ROMAN[now.month - 1])
            DocumentNumber.objects.create(
                instansi_id=evaluation.instansi_id, year=now.year, sequence=sequence, text=text,
                evaluation=evaluation, key=key,
            )  # fmt: skip
    except IntegrityError:  # the same document numbered by a concurrent build: keep that number
        return DocumentNumber.objects.get(evaluation=evaluation, key=key).text
    return text
