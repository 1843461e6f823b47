"""spbe_export: one evaluation, with everything needed to restore it elsewhere, as one zip file."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path, PurePath
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from archive.format import DATA, FORMAT, FORMAT_VERSION, MANIFEST, ArchiveError, Keys, dump, encode
from assessment.models import (
    Answer,
    AnswerEvidence,
    Evaluation,
    Evidence,
    EvidenceVersion,
    Indicator,
    Membership,
    Opd,
    Review,
    StageValue,
)
from scoring.models import FollowUp, Scenario

HISTORY_SKIP = ("history_id", "m2m_history_id")


def history_model(model: type[models.Model]) -> Any:
    return model.history.model  # type: ignore[attr-defined]


def contributors_history_model() -> Any:
    return apps.get_model("assessment", "HistoricalAnswer_contributors")


def ordered(queryset: Any, *fields: str) -> list[Any]:
    return list(queryset.order_by(*fields))


class Collector:
    """Reads one evaluation and assigns every row its natural key."""

    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        self.keys = Keys()
        self.user_ids: set[int] = set()
        instansi = evaluation.instansi
        for opd in instansi.opds.all():
            self.keys.add(Opd, opd.pk, opd.code)
        for pk, code in Indicator.objects.filter(framework=evaluation.framework).values_list("pk", "code"):
            self.keys.add(Indicator, pk, code)
        for pk, username in get_user_model().objects.values_list("pk", "username"):
            self.keys.add(get_user_model(), pk, username)
        self._read_rows()

    def _read_rows(self) -> None:
        evaluation, keys = self.evaluation, self.keys
        code = keys.to_key[Indicator]
        self.answers = ordered(evaluation.answers.all(), "indicator__number", "pk")
        self.answer_history = ordered(
            history_model(Answer).objects.filter(evaluation=evaluation), "history_date", "history_id"
        )
        for row in [*self.answers, *self.answer_history]:
            keys.add(Answer, row.id, code[row.indicator_id])
        answer_ids = list(keys.to_key[Answer])
        self.stage_values = ordered(
            StageValue.objects.filter(answer__evaluation=evaluation), "answer__indicator__number", "stage"
        )
        self.stage_history = ordered(
            history_model(StageValue).objects.filter(answer_id__in=answer_ids), "history_date", "history_id"
        )
        for row in [*self.stage_values, *self.stage_history]:
            keys.add(StageValue, row.id, [keys.key(Answer, row.answer_id), row.stage])
        self.links = ordered(
            AnswerEvidence.objects.filter(answer__evaluation=evaluation), "answer__indicator__number", "added_at", "pk"
        )
        self.link_history = ordered(
            history_model(AnswerEvidence).objects.filter(answer_id__in=answer_ids), "history_date", "history_id"
        )
        evidence_ids = {row.evidence_id for row in [*self.links, *self.link_history]}
        self.evidence = ordered(
            Evidence.objects.filter(pk__in=evidence_ids, instansi=evaluation.instansi), "created_at", "pk"
        )
        for number, evidence in enumerate(self.evidence, start=1):
            keys.add(Evidence, evidence.pk, number)
        for row in [*self.links, *self.link_history]:
            keys.add(AnswerEvidence, row.id, [keys.key(Answer, row.answer_id), keys.key(Evidence, row.evidence_id)])
        self.versions = ordered(
            EvidenceVersion.objects.filter(evidence__in=self.evidence), "evidence__created_at", "evidence_id", "number"
        )
        self.evidence_history = ordered(
            history_model(Evidence).objects.filter(id__in=[e.pk for e in self.evidence]), "history_date", "history_id"
        )
        self.evaluation_history = ordered(
            history_model(Evaluation).objects.filter(id=evaluation.pk), "history_date", "history_id"
        )
        for position, row in enumerate(self.answer_history):
            keys.add(history_model(Answer), row.history_id, position)
        self.contributor_history = ordered(
            contributors_history_model().objects.filter(history__in=[r.history_id for r in self.answer_history]),
            "history__history_date", "history_id", "opd__code", "m2m_history_id",
        )  # fmt: skip
        self.reviews = ordered(
            Review.objects.filter(answer__evaluation=evaluation), "answer__indicator__number", "decided_at", "pk"
        )
        self.scenarios = ordered(Scenario.objects.filter(evaluation=evaluation), "created_at", "pk")
        self.follow_ups = ordered(FollowUp.objects.filter(evaluation=evaluation), "created_at", "pk")
        for position, follow_up in enumerate(self.follow_ups):
            keys.add(FollowUp, follow_up.pk, position)

    def row(self, obj: models.Model, skip: tuple[str, ...] = ("id",)) -> dict[str, Any]:
        for field in obj._meta.concrete_fields:
            if field.is_relation and field.related_model is get_user_model():
                pk = getattr(obj, field.attname)
                if pk is not None:
                    self.user_ids.add(pk)
        return encode(obj, self.keys, skip)

    def history(self, rows: list[Any], tracked: type[models.Model] | None) -> list[dict[str, Any]]:
        encoded = []
        for row in rows:
            data = self.row(row, skip=(*HISTORY_SKIP, "id"))
            if tracked is not None:
                data["id"] = self.keys.key(tracked, row.id)
            encoded.append(data)
        return encoded

    def review(self, review: Review) -> dict[str, Any]:
        data = self.row(review)
        snapshot = dict(review.snapshot)
        # The snapshot names evidence by database id: written as the archive's evidence number.
        snapshot["evidence"] = [
            {**item, "id": self.keys.key(Evidence, item.get("id"))} for item in review.snapshot.get("evidence", [])
        ]
        data["snapshot"] = snapshot
        return data

    def version(self, version: EvidenceVersion) -> dict[str, Any]:
        data = self.row(version)
        data["file"] = archive_path(self.keys.key(Evidence, version.evidence_id), version)
        return data

    def users(self) -> list[dict[str, Any]]:
        instansi = self.evaluation.instansi
        members = {m.user_id: m for m in Membership.objects.filter(instansi=instansi).select_related("opd")}
        people = get_user_model().objects.filter(pk__in=self.user_ids | set(members)).order_by("username")
        listed = []
        for user in people:
            member = members.get(user.pk)
            listed.append({
                "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
                "email": user.email, "is_active": user.is_active,
                "role": member.role if member else None, "opd": member.opd.code if member and member.opd else None,
            })  # fmt: skip
        return listed

    def document(self) -> dict[str, Any]:
        evaluation, instansi = self.evaluation, self.evaluation.instansi
        through = Answer.contributors.through
        contributors = ordered(
            through.objects.filter(answer__evaluation=evaluation), "answer__indicator__number", "opd__code"
        )
        data: dict[str, Any] = {
            "instansi": {
                "slug": instansi.slug, "name": instansi.name, "kind": instansi.kind, "is_demo": instansi.is_demo,
                "coordinator": instansi.coordinator.slug if instansi.coordinator else None,
            },
            "opds": [
                {"code": o.code, "name": o.name, "short_name": o.short_name}
                for o in instansi.opds.order_by("code")
            ],
            "evaluation": self.row(evaluation),
            "answers": [self.row(a) for a in self.answers],
            "answer_contributors": [
                [self.keys.key(Answer, c.answer_id), self.keys.key(Opd, c.opd_id)] for c in contributors
            ],
            "stage_values": [self.row(v) for v in self.stage_values],
            "evidence": [{**self.row(e), "ref": self.keys.key(Evidence, e.pk)} for e in self.evidence],
            "evidence_versions": [self.version(v) for v in self.versions],
            "answer_evidence": [self.row(link) for link in self.links],
            "reviews": [self.review(r) for r in self.reviews],
            "scenarios": [self.row(s) for s in self.scenarios],
            "follow_ups": [self.row(f) for f in self.follow_ups],
            "history": {
                "evaluation": self.history(self.evaluation_history, None),
                "answer": self.history(self.answer_history, Answer),
                "answer_contributors": self.history(self.contributor_history, None),
                "stage_value": self.history(self.stage_history, StageValue),
                "evidence": self.history(self.evidence_history, Evidence),
                "answer_evidence": self.history(self.link_history, AnswerEvidence),
            },
        }  # fmt: skip
        data["users"] = self.users()  # last: every section above has named its users
        return data


def archive_path(evidence_number: int, version: EvidenceVersion) -> str:
    suffix = PurePath(version.file.name or "").suffix.lower()
    return f"files/evidence/{evidence_number}/{version.number}{suffix}"


def export_evaluation(evaluation: Evaluation, output: Path) -> dict[str, Any]:
    """Write the archive to `output` (through a temporary file, so a failure leaves nothing)."""
    collector = Collector(evaluation)
    data = collector.document()
    payload = dump(data)
    partial = output.with_name(output.name + ".partial")
    files = []
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(DATA, payload)
            for version in collector.versions:
                path = archive_path(collector.keys.key(Evidence, version.evidence_id), version)
                files.append(_add_file(archive, version, path))
            manifest = _manifest(evaluation, data, payload, files)
            archive.writestr(MANIFEST, dump(manifest))
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _add_file(archive: zipfile.ZipFile, version: EvidenceVersion, path: str) -> dict[str, Any]:
    try:
        with default_storage.open(version.file.name or "", "rb") as source, archive.open(path, "w") as target:
            digest, size = _copy(source, target)
    except OSError:
        raise ArchiveError(f"Berkas bukti {version.file.name} ({version}) tidak ada di penyimpanan.") from None
    if digest != version.sha256:
        raise ArchiveError(f"Berkas bukti {version.file.name} ({version}) tidak cocok dengan checksum-nya.")
    return {"path": path, "sha256": digest, "size": size}


def _copy(source: Any, target: Any) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: source.read(1 << 20), b""):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _manifest(
    evaluation: Evaluation, data: dict[str, Any], payload: bytes, files: list[dict[str, Any]]
) -> dict[str, Any]:
    framework = evaluation.framework
    history = data["history"]
    counts = {name: len(rows) for name, rows in data.items() if isinstance(rows, list)}
    counts.update({f"history.{name}": len(rows) for name, rows in history.items()})
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "framework": {
            "code": framework.code, "version": framework.version,
            "checksum": framework.checksum, "structure_hash": framework.structure_hash,
        },
        "instansi": data["instansi"]["slug"],
        "year": evaluation.year,
        "counts": dict(sorted(counts.items())),
        "data_sha256": hashlib.sha256(payload).hexdigest(),
        "files": files,
        "passwords": "not exported: restored accounts get no usable password",
    }  # fmt: skip
