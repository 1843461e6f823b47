"""Evidence items as the unit of work (frameworks whose levels list items: Pemdi 2026.2).

The OPD assigns files of the answer to items; the reviewer gives each item a verdict. The pure
rule in `assessment.items` derives what the national application shows: which items are rejected
automatically and which level the accepted items support. The value itself is the reviewer's,
inside that level's band (the framework's `value_rule`, data, not code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import items as rule
from assessment.models import (
    Answer,
    AnswerItem,
    Evidence,
    EvidenceItem,
    ItemEvidence,
    ItemVerdict,
    RevisionType,
    ScaleLevel,
)
from assessment.services.answers import edit_blocker, evidence_changed
from assessment.services.evaluations import WorkflowError


@dataclass
class ItemRow:
    item: EvidenceItem
    work: AnswerItem | None
    files: list[Evidence]
    state: str  # "" / diterima / revisi / ditolak_otomatis
    revision_type: str = ""
    note: str = ""


@dataclass
class LevelItems:
    level: int
    rows: list[ItemRow] = field(default_factory=list)


@dataclass
class ItemSummary:
    levels: list[LevelItems]
    supported: int  # the highest level whose items, and those of all levels below, are accepted
    required: int
    uploaded: int
    accepted: int
    in_revision: int  # revisi by hand or ditolak otomatis

    @property
    def has_items(self) -> bool:
        return self.required > 0


def summary(answer: Answer) -> ItemSummary:
    """The answer's items per level with their state (3 queries)."""
    items = list(EvidenceItem.objects.filter(level__indicator=answer.indicator).select_related("level"))
    works = {w.item_id: w for w in AnswerItem.objects.filter(answer=answer)}
    files: dict[int, list[Evidence]] = {}
    for link in ItemEvidence.objects.filter(answer_item__answer=answer).select_related("evidence"):
        files.setdefault(link.answer_item_id, []).append(link.evidence)
    by_level: dict[int, list[tuple[str, str]]] = {}
    for item in items:
        work = works.get(item.pk)
        by_level.setdefault(item.level.level, []).append((item.code, work.verdict if work else ""))
    states = {s.code: s for s in rule.item_states(by_level)}
    levels: dict[int, LevelItems] = {}
    for item in sorted(items, key=lambda i: (i.level.level, i.position)):
        work = works.get(item.pk)
        state = states[item.code]
        row = ItemRow(item, work, files.get(work.pk, []) if work else [], state.verdict)
        if state.auto_rejected:
            row.note = rule.AUTO_NOTE
        elif work is not None and work.verdict == ItemVerdict.REVISION:
            row.revision_type, row.note = work.revision_type, work.verdict_note
        levels.setdefault(item.level.level, LevelItems(item.level.level)).rows.append(row)
    rows = [r for level in levels.values() for r in level.rows]
    return ItemSummary(
        levels=list(levels.values()),
        supported=rule.supported_level({lv: [v for _, v in pairs] for lv, pairs in by_level.items()}),
        required=len(rows),
        uploaded=sum(1 for r in rows if r.files),
        accepted=sum(1 for r in rows if r.state == rule.ACCEPTED),
        in_revision=sum(1 for r in rows if r.state in {rule.REVISION, rule.AUTO_REJECTED}),
    )


def proposed_value(answer: Answer, supported: int) -> Decimal | None:
    """The lower edge of the supported level's band: what the page proposes to the reviewer."""
    band = ScaleLevel.objects.filter(scale=answer.indicator.scale, level=supported).first()
    return band.lower if band is not None else None


def _item(answer: Answer, code: str) -> EvidenceItem:
    item = EvidenceItem.objects.filter(level__indicator=answer.indicator, code=code).first()
    if item is None:
        raise WorkflowError(_("Butir bukti %(code)s tidak ada pada indikator ini.") % {"code": code})
    return item


@transaction.atomic
def attach(answer: Answer, code: str, evidence: Evidence, user: AbstractBaseUser) -> AnswerItem:
    """Put a file of the instansi's library on an item; an item in revision goes back to review."""
    answer = Answer.objects.select_for_update().select_related("evaluation", "indicator").get(pk=answer.pk)
    blocker = edit_blocker(answer)
    if blocker:
        raise WorkflowError(blocker)
    if evidence.instansi_id != answer.evaluation.instansi_id:
        raise WorkflowError(_("Bukti dukung ini bukan milik instansi Anda."))
    work, _created = AnswerItem.objects.get_or_create(answer=answer, item=_item(answer, code))
    ItemEvidence.objects.get_or_create(answer_item=work, evidence=evidence, defaults={"added_by_id": user.pk})
    if work.verdict == ItemVerdict.REVISION:
        # The fix is judged afresh; the revision verdict stays in the row's history.
        work.verdict, work.revision_type = ItemVerdict.NONE, RevisionType.NONE
        work._history_user = user  # type: ignore[attr-defined]
        work.save()
    evidence_changed(answer, user)
    return work


# The note travels in the hand-off index (one CSV cell per item); a paragraph is plenty.
ITEM_NOTE_MAX_CHARS = 2_000


@transaction.atomic
def set_note(answer: Answer, code: str, note: str, user: AbstractBaseUser) -> AnswerItem:
    """The OPD's note on one item, for the reviewer and the hand-off; refused like any other edit."""
    answer = Answer.objects.select_for_update().select_related("evaluation", "indicator").get(pk=answer.pk)
    blocker = edit_blocker(answer)
    if blocker:
        raise WorkflowError(blocker)
    note = note.strip()
    if len(note) > ITEM_NOTE_MAX_CHARS:
        raise WorkflowError(
            _("Catatan butir paling banyak %(max)s karakter; yang Anda tulis %(n)s karakter.")
            % {"max": f"{ITEM_NOTE_MAX_CHARS:,}".replace(",", "."), "n": f"{len(note):,}".replace(",", ".")}
        )
    work, _created = AnswerItem.objects.get_or_create(answer=answer, item=_item(answer, code))
    if work.note != note:
        work.note = note
        work._history_user = user  # type: ignore[attr-defined]
        work.save()
    return work


@transaction.atomic
def detach(link: ItemEvidence, user: AbstractBaseUser) -> None:
    answer = Answer.objects.select_for_update().select_related("evaluation").get(pk=link.answer_item.answer_id)
    blocker = edit_blocker(answer)
    if blocker:
        raise WorkflowError(blocker)
    link._history_user = user  # type: ignore[attr-defined]
    link.delete()
    evidence_changed(answer, user)


@transaction.atomic
def judge(
    answer: Answer, code: str, reviewer: AbstractBaseUser, *, verdict: str, revision_type: str, note: str
) -> AnswerItem:
    """The reviewer's verdict on one item. *Ditolak otomatis* is the rule's, never a hand verdict."""
    answer = Answer.objects.select_for_update().select_related("evaluation", "indicator").get(pk=answer.pk)
    if answer.evaluation.is_finalised:
        raise WorkflowError(_("Evaluasi ini sudah final dan terkunci."))
    if verdict not in {ItemVerdict.ACCEPTED, ItemVerdict.REVISION}:
        raise WorkflowError(_("Pilih diterima atau revisi."))
    if verdict == ItemVerdict.REVISION and revision_type not in {RevisionType.WRONG, RevisionType.MISSING}:
        raise WorkflowError(_("Pilih jenis revisi: tidak tepat atau belum diunggah."))
    if verdict == ItemVerdict.REVISION and not note.strip():
        raise WorkflowError(_("Tuliskan catatan revisi agar OPD tahu apa yang harus diperbaiki."))
    item = _item(answer, code)
    state = next(r for level in summary(answer).levels for r in level.rows if r.item.pk == item.pk)
    if state.state == rule.AUTO_REJECTED:
        raise WorkflowError(
            _("Butir %(code)s ditolak otomatis: tingkat di bawahnya belum diterima seluruhnya.") % {"code": code}
        )
    work, _created = AnswerItem.objects.get_or_create(answer=answer, item=item)
    work.verdict = verdict
    work.revision_type = revision_type if verdict == ItemVerdict.REVISION else RevisionType.NONE
    work.verdict_note = note.strip()
    work.decided_by_id = reviewer.pk
    work.decided_at = timezone.now()
    work._history_user = reviewer  # type: ignore[attr-defined]
    work.save()
    return work


@dataclass
class ItemCounts:
    required: int = 0
    uploaded: int = 0
    accepted: int = 0
    in_revision: int = 0

    def add(self, other: ItemCounts) -> None:
        self.required += other.required
        self.uploaded += other.uploaded
        self.accepted += other.accepted
        self.in_revision += other.in_revision


def item_counts(answers: list[Answer]) -> dict[int, ItemCounts]:
    """Per answer: items required, with files, accepted, in revision (incl. ditolak otomatis); 3 queries."""
    indicator_ids = {a.indicator_id for a in answers}
    items: dict[int, list[tuple[int, int, str]]] = {}
    for pk, indicator_id, level, code in EvidenceItem.objects.filter(level__indicator_id__in=indicator_ids).values_list(
        "pk", "level__indicator_id", "level__level", "code"
    ):
        items.setdefault(indicator_id, []).append((pk, level, code))
    if not items:
        return {}
    ids = [a.pk for a in answers if a.indicator_id in items]
    verdicts = {(a, i): v for a, i, v in AnswerItem.objects.filter(answer_id__in=ids).values_list(
        "answer_id", "item_id", "verdict")}  # fmt: skip
    with_files = set(
        ItemEvidence.objects.filter(answer_item__answer_id__in=ids).values_list(
            "answer_item__answer_id", "answer_item__item_id"
        )
    )
    counts = {}
    for answer in answers:
        own = items.get(answer.indicator_id)
        if not own:
            continue
        by_level: dict[int, list[tuple[str, str]]] = {}
        for pk, level, code in own:
            by_level.setdefault(level, []).append((code, verdicts.get((answer.pk, pk), "")))
        states = rule.item_states(by_level)
        counts[answer.pk] = ItemCounts(
            required=len(own),
            uploaded=sum(1 for pk, _level, _code in own if (answer.pk, pk) in with_files),
            accepted=sum(1 for s in states if s.verdict == rule.ACCEPTED),
            in_revision=sum(1 for s in states if s.verdict in {rule.REVISION, rule.AUTO_REJECTED}),
        )
    return counts


@dataclass
class ItemProgress:
    """An evaluation's item counts per lead OPD and per indicator, for the Sekda's progress page."""

    per_opd: dict[str | None, ItemCounts]  # keyed by the lead OPD's short name, as the page's OPD table
    per_answer: list[tuple[Answer, ItemCounts]]
    total: ItemCounts


def item_progress(evaluation_id: int) -> ItemProgress | None:
    """None when the evaluation's framework has no items (59/2020); 4 queries whatever its size."""
    answers = list(
        Answer.objects.filter(evaluation_id=evaluation_id)
        .select_related("indicator", "lead_opd")
        .order_by("indicator__number")
    )
    counts = item_counts(answers)
    if not counts:
        return None
    progress = ItemProgress({}, [], ItemCounts())
    for answer in answers:
        own = counts.get(answer.pk)
        if own is None:
            continue
        progress.per_answer.append((answer, own))
        name = answer.lead_opd.short_name if answer.lead_opd else None
        progress.per_opd.setdefault(name, ItemCounts()).add(own)
        progress.total.add(own)
    return progress
