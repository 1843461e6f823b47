"""Benchmark data at national scale: `manage.py seed_national --instansi 700 --opds 30 --years 3`.

For `make bench` only (bench/national.py runs it on a scratch database); never run it on a
portal in use. It writes, deterministically (seeded random):

  * instansi of mixed kinds (provinsi first, as coordinators of kabupaten and kota), each with
    OPDs, one operator per OPD, an admin, a sekda and verifikators (about 25,000 users at 700 x 30);
    passwords are unusable hashes written as text, because hashing 25,000 passwords would take
    longer than everything else together;
  * one evaluation per year with every indicator of the framework answered: past years finalised
    (self-assessment and verification values, reviews), the current year open with a mix of
    drafts, submissions, returns and approvals;
  * about three evidence items per answered indicator, each with a version and a link, and a
    creation row in the history of every audited model (as simple-history's bulk helper writes);

Evidence files are small real files (a one-page PDF and a PNG made by Pillow), two per instansi,
shared by that instansi's versions: 300,000 separate files would cost minutes of file-system
work and gigabytes of blocks and test nothing the pages do, which never read file contents; the
upload path is exercised with real files by the load test.

On PostgreSQL rows are written with COPY (ids assigned here, sequences reset afterwards), one
transaction per batch of instansi; other databases get bulk_create with the same rows.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from assessment.models import (
    Answer,
    AnswerEvidence,
    Evaluation,
    Evidence,
    EvidenceVersion,
    Framework,
    Indicator,
    Instansi,
    Membership,
    Opd,
    Review,
    StageValue,
)

SLUG_PREFIX = "nasional-"
OPD_NAMES = [
    "Dinas Komunikasi dan Informatika", "Badan Perencanaan Pembangunan Daerah", "Sekretariat Daerah",
    "Inspektorat", "Badan Kepegawaian dan Pengembangan SDM", "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Penanaman Modal dan PTSP", "Dinas Kesehatan",
    "Dinas Pendidikan", "Dinas Sosial", "Dinas Perhubungan", "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Lingkungan Hidup", "Dinas Perindustrian dan Perdagangan", "Dinas Pertanian", "Dinas Pariwisata",
    "Dinas Koperasi dan UKM", "Dinas Tenaga Kerja", "Dinas Perumahan dan Kawasan Permukiman",
    "Badan Pendapatan Daerah", "Badan Penanggulangan Bencana Daerah", "Satuan Polisi Pamong Praja",
    "Dinas Pemberdayaan Masyarakat dan Desa", "Dinas Perpustakaan dan Kearsipan", "Dinas Ketahanan Pangan",
    "Dinas Pemuda dan Olahraga", "Dinas Perikanan", "Badan Kesatuan Bangsa dan Politik", "RSUD",
]  # fmt: skip
STATUS_MIX = ["draft"] * 3 + ["submitted"] * 3 + ["returned"] + ["approved"] * 3  # the current year


def _copy_text(value: object) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    text = value.isoformat() if isinstance(value, datetime | date) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Writer:
    """Rows per model, with ids handed out here, flushed by COPY (PostgreSQL) or bulk_create."""

    def __init__(self) -> None:
        self.rows: dict[type[models.Model], list[dict[str, Any]]] = {}
        self.next_id: dict[type[models.Model], int] = {}
        self.written: dict[str, int] = {}
        self.history_models: dict[type[models.Model], type[models.Model]] = {}

    def add(self, model: type[models.Model], **row: Any) -> int:
        if "id" not in row and "history_id" not in row:
            if model not in self.next_id:
                self.next_id[model] = (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1
            row["id"] = self.next_id[model]
            self.next_id[model] += 1
        self.rows.setdefault(model, []).append(row)
        return int(row.get("id", 0))

    def history(
        self, model: type[models.Model], row_id: int, when: datetime, user: int | None, row: dict[str, Any],
        change: str = "+",
    ) -> None:  # fmt: skip
        """A history row as simple-history writes it: the row's fields, when, who and the kind of change."""
        if model not in self.history_models:  # the manager descriptor is costly: look it up once
            self.history_models[model] = model.history.model  # type: ignore[attr-defined]
        history_model = self.history_models[model]
        self.add(history_model, id=row_id, history_date=when, history_change_reason=None, history_type=change,
                 history_user_id=user, history_id=self._history_id(history_model), **row)  # fmt: skip

    def _history_id(self, history_model: type[models.Model]) -> int:
        if history_model not in self.next_id:
            self.next_id[history_model] = (history_model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self.next_id[history_model] += 1
        return self.next_id[history_model] - 1

    def flush(self) -> None:
        for model, rows in self.rows.items():
            if not rows:
                continue
            fields = list(model._meta.concrete_fields)
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                # A column the seeder does not set gets the field's default, as bulk_create would give it.
                defaults = {f.attname: f.get_default() for f in fields}
                for row in rows:
                    buffer.write("\t".join(_copy_text(row.get(f.attname, defaults[f.attname])) for f in fields))
                    buffer.write("\n")
                buffer.seek(0)
                columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
                with connection.cursor() as cursor:
                    cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", buffer)
            else:
                model._default_manager.bulk_create([model(**row) for row in rows], batch_size=500)
            self.written[model._meta.db_table] = self.written.get(model._meta.db_table, 0) + len(rows)
        self.rows = {}

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_id))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@dataclass(frozen=True)
class Place:
    """One instansi's ids, as the evaluations of every year need them."""

    instansi: int
    opds: list[int]
    people: dict[str, list[int]]
    files: list[tuple[str, str, int, str, str]]
    ability: float


def _sample_files() -> tuple[bytes, bytes]:
    """A one-page PDF and a small PNG, real files as an OPD would upload them."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (160, 60), "white")
    ImageDraw.Draw(image).text((8, 20), "Bukti dukung SPBE", fill="black")
    pdf, png = io.BytesIO(), io.BytesIO()
    image.save(pdf, "PDF")
    image.save(png, "PNG")
    return pdf.getvalue(), png.getvalue()


class Command(BaseCommand):
    help = "Seed national-scale benchmark data (instansi, OPDs, users, evaluations, evidence, history)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instansi", type=int, default=700)
        parser.add_argument("--opds", type=int, default=30)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--evidence", type=int, default=3, help="evidence items per answered indicator")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--batch", type=int, default=25, help="instansi per transaction")

    def handle(self, *_args: Any, **options: Any) -> None:
        if Instansi.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise CommandError("Data nasional sudah ada di basis data ini; gunakan basis data baru (make bench).")
        framework = Framework.objects.filter(is_current=True).order_by("code").first()
        if framework is None:
            raise CommandError("Belum ada kerangka penilaian; jalankan `manage.py load_framework` dahulu.")
        self.framework = framework
        self.indicators = list(
            Indicator.objects.filter(framework=framework).order_by("number").values_list("pk", flat=True)
        )
        self.levels = (int(framework.value_min), int(framework.value_max))
        self.options = options
        self.now = timezone.now().replace(microsecond=0)
        self.current_year = timezone.localdate().year
        self.years = list(range(self.current_year - options["years"] + 1, self.current_year + 1))
        self.password = "!" + "x" * 40  # unusable: no hasher accepts it, and no hashing is spent
        self.files = _sample_files()
        self.instansi_ids: list[int] = []
        writer = Writer()
        total = options["instansi"]
        for start in range(0, total, options["batch"]):
            with transaction.atomic():
                for number in range(start, min(start + options["batch"], total)):
                    self._instansi(writer, number, total)
                writer.flush()
            self.stdout.write(f"  {min(start + options['batch'], total)}/{total} instansi", ending="\r")
        writer.reset_sequences()
        # Fresh statistics, as after any bulk load: with the planner's estimates from the empty tables,
        # PostgreSQL picks sequential scans over 300,000 evidence rows (measured: 100 ms instead of 0.1 ms).
        with connection.cursor() as cursor:
            for table in writer.written:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        self.stdout.write("")
        for table, count in sorted(writer.written.items()):
            self.stdout.write(f"{table:40} {count:>9,}")

    def _kind(self, number: int, total: int) -> str:
        share = number / total
        if share < 0.05:
            return "provinsi"
        if share < 0.16:
            return "instansi_pusat"
        return "kota" if number % 5 == 0 else "kabupaten"

    def _instansi(self, w: Writer, number: int, total: int) -> None:
        rng = random.Random(self.options["seed"] * 100_003 + number)  # noqa: S311 (deterministic data, not secrets)
        kind = self._kind(number, total)
        provinces = max(1, int(total * 0.05))
        coordinator = self.instansi_ids[number % provinces] if kind in {"kabupaten", "kota"} else None
        label = {"provinsi": "Provinsi", "instansi_pusat": "Kementerian", "kota": "Kota", "kabupaten": "Kabupaten"}
        slug = f"{SLUG_PREFIX}{number:04d}"
        name = f"{label[kind]} Nusantara {number:04d}"
        instansi = w.add(Instansi, name=name, slug=slug, kind=kind, coordinator_id=coordinator, is_demo=False)
        self.instansi_ids.append(instansi)
        opds = [
            w.add(
                Opd,
                instansi_id=instansi,
                code=f"opd-{k:02d}",
                name=f"{OPD_NAMES[k % len(OPD_NAMES)]} {k + 1}",
                short_name=f"OPD {k + 1:02d}",
            )
            for k in range(self.options["opds"])
        ]
        people = self._people(w, number, instansi, opds)
        files = self._files(slug)
        ability = rng.uniform(1.5, 4.5)  # this instansi's typical level
        for year in self.years:
            self._evaluation(w, rng, Place(instansi, opds, people, files, ability), year)

    def _people(self, w: Writer, number: int, instansi: int, opds: list[int]) -> dict[str, list[int]]:
        people: dict[str, list[int]] = {"admin": [], "sekda": [], "verifikator": [], "opd": []}
        for role, count in (("admin", 1), ("sekda", 1), ("verifikator", 3), ("opd", len(opds))):
            for k in range(count):
                user = w.add(
                    get_user_model(), password=self.password, last_login=None, is_superuser=False,
                    username=f"n{number:04d}-{role}-{k:02d}", first_name=role.title(), last_name=f"{number:04d}",
                    email="", is_staff=False, is_active=True, date_joined=self.now,
                )  # fmt: skip
                opd = opds[k] if role == "opd" else None
                w.add(Membership, user_id=user, instansi_id=instansi, role=role, opd_id=opd)
                people[role].append(user)
        return people

    def _files(self, slug: str) -> list[tuple[str, str, int, str, str]]:
        """The instansi's two real files (written once; a rerun on a new database reuses them)."""
        files = []
        for (name, content_type), content in zip(
            (("dokumen.pdf", "application/pdf"), ("tangkapan.png", "image/png")), self.files, strict=True
        ):
            path = f"evidence/nasional/{slug}/{name}"
            if not default_storage.exists(path):
                default_storage.save(path, ContentFile(content))
            files.append((path, name, len(content), hashlib.sha256(content).hexdigest(), content_type))
        return files

    def _evaluation(self, w: Writer, rng: random.Random, place: Place, year: int) -> None:
        zone = timezone.get_current_timezone()
        is_open = year == self.current_year
        created = datetime(year, 2, 1, 9, tzinfo=zone)
        finalised_at = None if is_open else datetime(year, 11, 15, 10, tzinfo=zone)
        sekda = place.people["sekda"][0]
        row = {
            "instansi_id": place.instansi, "framework_id": self.framework.pk, "year": year,
            "status": "open" if is_open else "finalised",
            "deadline": self.now + timedelta(days=60) if is_open else datetime(year, 10, 31, 23, 59, tzinfo=zone),
            "predicate_basis": "exact", "finalised_by_id": None if is_open else sekda, "finalised_at": finalised_at,
            "reopen_reason": "", "is_demo": False, "created_at": created,
        }  # fmt: skip
        evaluation = w.add(Evaluation, **row)
        w.history(Evaluation, evaluation, created, None, row)
        if finalised_at:
            w.history(Evaluation, evaluation, finalised_at, sekda, row, change="~")
        for position, indicator in enumerate(self.indicators):
            self._answer(w, rng, place, year, evaluation, position, indicator, created)

    def _answer(self, w: Writer, rng: random.Random, place: Place, year: int, evaluation: int, position: int,
                indicator: int, created: datetime) -> None:  # fmt: skip
        status = rng.choice(STATUS_MIX) if year == self.current_year else "approved"
        opd = place.opds[position % len(place.opds)]
        operator = place.people["opd"][position % len(place.opds)]
        reviewer = place.people["verifikator"][position % len(place.people["verifikator"])]
        low, high = self.levels
        level = max(low, min(high, round(rng.gauss(place.ability, 0.8))))
        answered = status != "draft" or rng.random() < 0.7
        touched = created + timedelta(days=rng.randint(10, 200), minutes=rng.randint(0, 600))
        decided = touched + timedelta(days=rng.randint(1, 20))
        explanation = (
            f"Fakta: dokumen kebijakan dan laporan layanan {year}. Analisis: kriteria tingkat {level} terpenuhi."
        )
        row = {
            "evaluation_id": evaluation, "indicator_id": indicator, "lead_opd_id": opd, "status": status,
            "explanation": explanation if answered else "", "version": 1, "round": 0 if status == "draft" else 1,
            "submitted_at": None if status == "draft" else touched, "updated_by_id": operator,
            "updated_at": decided if status in {"approved", "returned"} else touched,
        }  # fmt: skip
        answer = w.add(Answer, **row)
        w.history(Answer, answer, touched, operator, row)
        if not answered:
            return
        values = [("mandiri", level, operator, touched)]
        if status == "approved":
            values.append(("verifikasi", max(low, level - rng.choice((0, 0, 1))), reviewer, decided))
        for stage, value, who, when in values:
            row = {"answer_id": answer, "stage": stage, "value": Decimal(value), "note": "", "recorded_by_id": who,
                   "recorded_at": when}  # fmt: skip
            w.history(StageValue, w.add(StageValue, **row), when, who, row)
        if status in {"approved", "returned"}:
            w.add(
                Review, answer_id=answer, round=1, decision=status,
                verified_value=Decimal(level) if status == "approved" else None,
                reason="" if status == "approved" else "Bukti dukung belum menunjukkan penerapan.",
                reviewer_id=reviewer, decided_at=decided, snapshot={"value": str(level)}, voided_at=None,
            )  # fmt: skip
        reviewed = status == "approved"
        for k in range(self.options["evidence"]):
            path, name, size, sha256, content_type = place.files[k % len(place.files)]
            row = {
                "instansi_id": place.instansi, "opd_id": opd, "kind": "file", "url": "", "access_note": "",
                "title": f"Bukti {k + 1} indikator {position + 1} tahun {year}", "document_date": touched.date(),
                "carried_from_id": None, "created_by_id": operator, "created_at": touched,
            }  # fmt: skip
            evidence = w.add(Evidence, **row)
            w.history(Evidence, evidence, touched, operator, row)
            w.add(
                EvidenceVersion, evidence_id=evidence, number=1, file=path, original_name=name, size=size,
                sha256=sha256, content_type=content_type, flag="", uploaded_by_id=operator, uploaded_at=touched,
            )  # fmt: skip
            row = {
                "answer_id": answer, "evidence_id": evidence, "status": "approved" if reviewed else "pending",
                "comment": "", "reviewed_by_id": reviewer if reviewed else None,
                "reviewed_at": decided if reviewed else None, "added_by_id": operator, "added_at": touched,
            }  # fmt: skip
            w.history(AnswerEvidence, w.add(AnswerEvidence, **row), touched, operator, row)
