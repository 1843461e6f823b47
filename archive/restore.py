"""spbe_import: restore an archived evaluation into a deployment that does not have it yet.

Everything is checked before anything is written: the format, the data checksum, every file's
checksum, the framework (same code, version and structure), that the evaluation is not there
yet, and that no archived username belongs to another instansi here. Then the rows and files
are written in one transaction; the files are removed again if it fails.

Rows are inserted with bulk_create, which sends no signals: the audit trail is the archived
one, not a new "created by the import" entry per row.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path, PurePath
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import models, transaction

from archive.format import DATA, FORMAT, FORMAT_VERSION, MANIFEST, ArchiveError, Keys, decode, sha256_of
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
from assessment.models.evidence import evidence_path
from scoring.models import FollowUp, Scenario


def read_checked(archive: zipfile.ZipFile) -> tuple[dict[str, Any], dict[str, Any]]:
    """The manifest and the data, once every checksum in the archive has been verified."""
    names = set(archive.namelist())
    if MANIFEST not in names or DATA not in names:
        raise ArchiveError("Berkas ini bukan arsip evaluasi SPBE: manifest.json atau data.json tidak ada.")
    manifest = json.loads(archive.read(MANIFEST))
    if manifest.get("format") != FORMAT:
        raise ArchiveError("Berkas ini bukan arsip evaluasi SPBE (format tidak dikenal).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"Versi format arsip {manifest.get('format_version')} tidak didukung; "
            f"portal ini membaca versi {FORMAT_VERSION}."
        )
    payload = archive.read(DATA)
    if hashlib.sha256(payload).hexdigest() != manifest.get("data_sha256"):
        raise ArchiveError("data.json tidak cocok dengan checksum di manifest: arsip rusak atau diubah.")
    data = json.loads(payload)
    versions = {row["file"]: row for row in data["evidence_versions"]}
    listed = {entry["path"]: entry for entry in manifest["files"]}
    if set(versions) != set(listed):
        raise ArchiveError("Daftar berkas di manifest tidak sama dengan versi bukti di data.json.")
    for path, entry in listed.items():
        if path not in names:
            raise ArchiveError(f"Berkas {path} tidak ada di dalam arsip.")
        with archive.open(path) as stream:
            digest, size = sha256_of(stream)
        if digest != entry["sha256"] or digest != versions[path]["sha256"] or size != entry["size"]:
            raise ArchiveError(f"Checksum berkas {path} tidak cocok: arsip rusak atau diubah. Tidak ada yang diimpor.")
    return manifest, data


def check_target(manifest: dict[str, Any], data: dict[str, Any]) -> Framework:
    """The framework to restore onto; refuses an evaluation that exists or a username clash."""
    wanted = manifest["framework"]
    framework = Framework.objects.filter(code=wanted["code"], version=wanted["version"]).first()
    if framework is None:
        raise ArchiveError(
            f"Kerangka {wanted['code']} versi {wanted['version']} belum dimuat di portal ini; "
            "jalankan `manage.py load_framework` dulu."
        )
    if framework.structure_hash != wanted["structure_hash"]:
        raise ArchiveError(
            f"Struktur kerangka {wanted['code']} versi {wanted['version']} di portal ini berbeda dari arsip."
        )
    slug, year = manifest["instansi"], manifest["year"]
    if Evaluation.objects.filter(instansi__slug=slug, year=year).exists():
        raise ArchiveError(f"Evaluasi {slug} tahun {year} sudah ada di portal ini; impor dibatalkan tanpa perubahan.")
    members = Membership.objects.select_related("instansi")
    for person in data["users"]:
        membership = members.filter(user__username=person["username"]).first()
        if person["role"] and membership is not None and membership.instansi.slug != slug:
            raise ArchiveError(
                f"Pengguna {person['username']} sudah ada di portal ini sebagai anggota {membership.instansi.slug}; "
                "impor dibatalkan tanpa perubahan."
            )
    return framework


def restore(path: Path) -> Evaluation:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"Arsip {path} tidak dapat dibuka: {error}") from None
    with archive:
        manifest, data = read_checked(archive)
        framework = check_target(manifest, data)
        written: list[str] = []
        try:
            with transaction.atomic():
                return Restorer(archive, data, framework, written).run()
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise


class Restorer:
    def __init__(
        self, archive: zipfile.ZipFile, data: dict[str, Any], framework: Framework, written: list[str]
    ) -> None:
        self.archive, self.data, self.framework, self.written = archive, data, framework, written
        self.keys = Keys()
        self.implied: dict[type, int] = {Framework: framework.pk}

    def insert(self, model: type[models.Model], rows: list[dict[str, Any]], pop: tuple[str, ...] = ()) -> list[Any]:
        objs = [decode(model, {k: v for k, v in row.items() if k not in pop}, self.keys, self.implied) for row in rows]
        return self.insert_objects(model, objs)

    def insert_objects(self, model: type[models.Model], objs: list[Any]) -> list[Any]:
        # bulk_create stamps auto_now(_add) fields with the current time: put the archived times back.
        stamped = [
            f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        times = [[getattr(obj, f.attname) for f in stamped] for obj in objs]
        created = model._default_manager.bulk_create(objs)
        if stamped and created:
            for obj, values in zip(created, times, strict=True):
                for field, value in zip(stamped, values, strict=True):
                    setattr(obj, field.attname, value)
            model._default_manager.bulk_update(created, [f.name for f in stamped])
        return list(created)

    def run(self) -> Evaluation:
        data, keys = self.data, self.keys
        instansi = self.instansi()
        self.people(instansi)
        for pk, code in Indicator.objects.filter(framework=self.framework).values_list("pk", "code"):
            keys.add(Indicator, pk, code)
        evaluation: Evaluation = self.insert(Evaluation, [data["evaluation"]])[0]
        self.implied[Evaluation] = evaluation.pk
        for answer, row in zip(self.insert(Answer, data["answers"]), data["answers"], strict=True):
            keys.add(Answer, answer.pk, row["indicator"])
        through = Answer.contributors.through
        pairs = data["answer_contributors"]
        rows = through.objects.bulk_create(
            through(answer_id=keys.id(Answer, a), opd_id=keys.id(Opd, o)) for a, o in pairs
        )
        for row, pair in zip(rows, pairs, strict=True):
            keys.add(through, row.pk, pair)
        for value, row in zip(self.insert(StageValue, data["stage_values"]), data["stage_values"], strict=True):
            keys.add(StageValue, value.pk, [row["answer"], row["stage"]])
        self.evidence()
        for link, row in zip(
            self.insert(AnswerEvidence, data["answer_evidence"]), data["answer_evidence"], strict=True
        ):
            keys.add(AnswerEvidence, link.pk, [row["answer"], row["evidence"]])
        reviews = [decode(Review, row, keys, self.implied) for row in data["reviews"]]
        for review in reviews:
            review.snapshot = {
                **review.snapshot,
                "evidence": [
                    {**item, "id": keys.id(Evidence, item["id"])} for item in review.snapshot.get("evidence", [])
                ],
            }
        self.insert_objects(Review, reviews)
        self.insert(Scenario, data["scenarios"])
        follow_ups = self.insert(FollowUp, data["follow_ups"], pop=("carried_from",))
        self.relink(follow_ups, data["follow_ups"], FollowUp)
        self.history(evaluation)
        return evaluation

    def instansi(self) -> Instansi:
        row = self.data["instansi"]
        instansi = Instansi.objects.filter(slug=row["slug"]).first()
        if instansi is None:
            coordinator = Instansi.objects.filter(slug=row["coordinator"]).first() if row["coordinator"] else None
            instansi = Instansi.objects.create(
                slug=row["slug"], name=row["name"], kind=row["kind"], is_demo=row["is_demo"], coordinator=coordinator
            )
        self.implied[Instansi] = instansi.pk
        for opd_row in self.data["opds"]:
            opd, _ = Opd.objects.get_or_create(
                instansi=instansi,
                code=opd_row["code"],
                defaults={"name": opd_row["name"], "short_name": opd_row["short_name"]},
            )
            self.keys.add(Opd, opd.pk, opd.code)
        return instansi

    def people(self, instansi: Instansi) -> None:
        """Archived people, matched by username; new accounts get no usable password."""
        user_model = get_user_model()
        for person in self.data["users"]:
            user = user_model.objects.filter(username=person["username"]).first()
            if user is None:
                user = user_model(
                    username=person["username"], first_name=person["first_name"], last_name=person["last_name"],
                    email=person["email"], is_active=person["is_active"],
                )  # fmt: skip
                user.set_unusable_password()
                user.save()
            if person["role"] and not Membership.objects.filter(user=user).exists():
                opd = Opd.objects.get(instansi=instansi, code=person["opd"]) if person["opd"] else None
                Membership.objects.create(user=user, instansi=instansi, role=person["role"], opd=opd)
            self.keys.add(user_model, user.pk, user.username)

    def evidence(self) -> None:
        rows = self.data["evidence"]
        created = self.insert(Evidence, rows, pop=("ref", "carried_from"))
        for evidence, row in zip(created, rows, strict=True):
            self.keys.add(Evidence, evidence.pk, row["ref"])
        self.relink(created, rows, Evidence)
        versions = []
        for row in self.data["evidence_versions"]:
            version = decode(EvidenceVersion, {k: v for k, v in row.items() if k != "file"}, self.keys, self.implied)
            version.file.name = self.write_file(row["file"])
            versions.append(version)
        self.insert_objects(EvidenceVersion, versions)

    def write_file(self, path: str) -> str:
        name = evidence_path(None, PurePath(path).name)  # type: ignore[arg-type]
        with self.archive.open(path) as stream:
            stored = default_storage.save(name, stream)
        self.written.append(stored)
        return stored

    def relink(self, objs: list[Any], rows: list[dict[str, Any]], model: type[models.Model]) -> None:
        """`carried_from` may name a row inserted after it: set once all rows exist."""
        if model is FollowUp:
            for position, obj in enumerate(objs):
                self.keys.add(FollowUp, obj.pk, position)
        for obj, row in zip(objs, rows, strict=True):
            obj.carried_from_id = self.keys.to_id.get(model, {}).get(row.get("carried_from"))
        model._default_manager.bulk_update(objs, ["carried_from"])

    def history(self, evaluation: Evaluation) -> None:
        history = self.data["history"]
        tracked: list[tuple[str, type[models.Model] | None]] = [
            ("evaluation", Evaluation), ("answer", Answer), ("stage_value", StageValue),
            ("evidence", Evidence), ("answer_evidence", AnswerEvidence),
        ]  # fmt: skip
        for section, model in tracked:
            historical = model.history.model  # type: ignore[union-attr]
            objs = []
            for row in history[section]:
                obj = decode(historical, {k: v for k, v in row.items() if k != "id"}, self.keys, self.implied)
                obj.id = evaluation.pk if model is Evaluation else self.keys.id(model, row["id"])  # type: ignore[arg-type]
                objs.append(obj)
            created = self.insert_objects(historical, objs)
            if model is Answer:
                for position, obj in enumerate(created):
                    self.keys.add(historical, obj.history_id, position)
        # The through row's id is not archived (it means nothing elsewhere): the live row's, if any.
        contributors = apps.get_model("assessment", "HistoricalAnswer_contributors")
        objs = [decode(contributors, row, self.keys, self.implied) for row in history["answer_contributors"]]
        for obj, row in zip(objs, history["answer_contributors"], strict=True):
            obj.id = self.keys.id(Answer.contributors.through, [row["answer"], row["opd"]])
        self.insert_objects(contributors, objs)
