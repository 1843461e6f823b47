"""Importing a filled questionnaire workbook (the layout of the Excel export) as drafts.

Rules (docs/api.md, "Excel import"):
* the workbook is read, checked and shown as a preview first; nothing is written until the
  user applies it, and nothing at all when any row has an error;
* only the OPD's own answers (lead or contributing OPD, as on the answer page) are filled, and
  only as drafts, through `assessment.services.answers.save_draft` (never submitted);
* a blank level or explanation cell leaves the stored one as it is: an import fills, it never erases;
* a level is read and checked by the answer page's rule (`assessment.values`), at the framework's
  places; an externally fed indicator's value is never typed (the workbook has no source column):
  a changed one is refused, an unchanged one keeps its source figure;
* a row of another OPD's indicator is an error when it would change something, and is ignored
  when it matches what is stored (a whole-instansi export can be filled and sent back);
* after the deadline or once the evaluation is final the whole file is refused; an answer under
  review or already approved is skipped with the reason (approving again is the reviewer's call,
  and an import must not void approvals in bulk);
* applying re-checks each answer's version: if anything changed since the preview, nothing is
  written and the user uploads again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment import tabular, values
from assessment.access import values_visible
from assessment.capabilities import Capabilities
from assessment.models import Answer, AnswerStatus, Evaluation, Membership, Stage, StageValue
from assessment.services import answers as workflow
from assessment.services.evaluations import WorkflowError
from spbe_portal.numbers import parse_int

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
NUMBER, LEVEL, EXPLANATION = "No", "level", "Penjelasan"


@dataclass(frozen=True)
class Change:
    row: int
    answer_id: int
    number: int
    name: str
    version: int
    old_value: str | None
    new_value: str | None
    old_explanation: str
    new_explanation: str
    source_value: str | None = None  # an externally fed value's figure, kept as stored

    @property
    def value_changed(self) -> bool:
        return self.old_value != self.new_value

    @property
    def explanation_changed(self) -> bool:
        return self.old_explanation != self.new_explanation


@dataclass(frozen=True)
class Note:
    row: int
    message: str


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    skipped: list[Note] = field(default_factory=list)
    errors: list[Note] = field(default_factory=list)
    unchanged: int = 0

    @property
    def can_apply(self) -> bool:
        return not self.errors and bool(self.changes)

    def to_session(self) -> list[dict[str, Any]]:
        return [asdict(c) for c in self.changes]


class ImportRefused(Exception):  # noqa: N818  (the message is shown as it is)
    """The whole file cannot be imported now (locked evaluation, unreadable file)."""


def _header_names() -> dict[str, str]:
    with translation.override("id"):
        return {NUMBER.lower(): NUMBER, str(Stage.MANDIRI.label).lower(): LEVEL, EXPLANATION.lower(): EXPLANATION}


def _text(raw: Any) -> str:
    # The export writes formula-like text with a leading apostrophe; take it off again.
    return tabular.unescape(raw)


def _value(raw: Any, evaluation: Evaluation) -> Decimal:
    """The answer page's rule (assessment/values.py), at the framework's places: the export writes a
    finer exact value as a formula, which the import refuses."""
    framework = evaluation.framework
    value = values.read_value(raw, framework)
    if value is None:
        raise values.ValueRefused(_("Tulis angka seperti %(example)s (koma sebagai pemisah desimal).")
                                  % {"example": values.comma(framework.value_min, framework.value_places)},
                                  "invalid")  # fmt: skip
    return values.on_step(value, framework.value_places)


def _shown(value: Decimal | None, places: int) -> str | None:
    return None if value is None else f"{value.quantize(Decimal(1).scaleb(-places)):f}"


def lock_reason(evaluation: Evaluation) -> str | None:
    if evaluation.is_finalised:
        return _("Evaluasi ini sudah final dan terkunci; tidak ada jawaban yang dapat diimpor.")
    if evaluation.deadline_passed(timezone.now()):
        return _("Tenggat pengisian telah lewat; tidak ada jawaban yang dapat diimpor.")
    return None


def _rows(data: bytes) -> tuple[dict[str, int], list[tuple[int, list[Any]]]]:
    try:  # the one tabular reader (assessment/tabular.py); formulas kept as text, to be refused
        table = tabular.read(data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, sheet="Indikator", formulas=True)
    except tabular.TableError as error:
        if error.kind == "size":
            raise ImportRefused(_("Berkas lebih dari 5 MB; unggah lembar kerja kuesioner saja.")) from error
        if error.kind == "rows":
            raise ImportRefused(_("Lembar kerja lebih dari %(n)s baris.") % {"n": MAX_ROWS}) from error
        if error.kind != "empty":
            raise ImportRefused(_("Berkas ini bukan lembar kerja Excel (.xlsx) yang dapat dibaca.")) from error
        table = tabular.Table([], [])
    columns = table.columns(_header_names())
    missing = [k for k in (NUMBER, LEVEL, EXPLANATION) if k not in columns]
    if missing:
        label = {NUMBER: "No", LEVEL: str(Stage.MANDIRI.label), EXPLANATION: "Penjelasan"}
        raise ImportRefused(
            _("Baris 1: kolom %(columns)s tidak ditemukan; gunakan tata letak ekspor Excel.")
            % {"columns": ", ".join(f"“{label[k]}”" for k in missing)}
        )
    return columns, table.rows


def _cell(cells: list[Any], columns: dict[str, int], key: str) -> Any:
    return cells[columns[key]] if columns[key] < len(cells) else None


def read_plan(evaluation: Evaluation, member: Membership, data: bytes) -> Plan:
    """Check every row of the workbook against the stored answers; writes nothing."""
    reason = lock_reason(evaluation)
    if reason:
        raise ImportRefused(reason)
    columns, body = _rows(data)
    answers = {
        a.indicator.number: a for a in evaluation.answers.select_related("indicator").prefetch_related("contributors")
    }
    rows = StageValue.objects.filter(answer__evaluation=evaluation, stage=Stage.MANDIRI)
    claimed, sources = {}, {}
    for answer_id, stored, source in rows.values_list("answer_id", "value", "source_value"):
        claimed[answer_id], sources[answer_id] = stored, source
    # Another OPD's draft or returned answer is not this member's to know (`access.values_visible`):
    # its row is compared with blanks, so any content is refused whether or not it matches.
    visible = values_visible(member)
    hidden = set() if visible is None else set(evaluation.answers.exclude(visible).values_list("pk", flat=True))
    places = evaluation.framework.value_places
    plan, seen = Plan(), set()
    for row, cells in body:
        number_cell, level_cell, text_cell = (_cell(cells, columns, k) for k in (NUMBER, LEVEL, EXPLANATION))
        number = number_cell if isinstance(number_cell, int) and not isinstance(number_cell, bool) else None
        if number is None and isinstance(number_cell, str):
            number = parse_int(number_cell)
        if number is None or number not in answers:
            plan.errors.append(Note(row, _("No “%(no)s” bukan indikator kerangka ini.") % {"no": number_cell}))
            continue
        if number in seen:
            plan.errors.append(Note(row, _("Indikator %(n)s muncul lebih dari sekali.") % {"n": number}))
            continue
        seen.add(number)
        answer = answers[number]
        known_explanation = "" if answer.pk in hidden else answer.explanation
        old_value = None if answer.pk in hidden else _shown(claimed.get(answer.pk), places)
        new_value = old_value
        if level_cell is not None and str(level_cell).strip() != "":
            if isinstance(level_cell, str) and level_cell.startswith("="):
                plan.errors.append(
                    Note(row, _("Indikator %(n)s: rumus tidak diterima sebagai tingkat.") % {"n": number})
                )
                continue
            try:
                new_value = _shown(_value(level_cell, evaluation), places)
            except values.ValueRefused as refused:
                bounds = {"low": _shown(evaluation.framework.value_min, places),
                          "high": _shown(evaluation.framework.value_max, places)}  # fmt: skip
                message = _("Indikator %(n)s: tingkat “%(v)s” tidak valid (%(low)s sampai %(high)s).")
                plan.errors.append(Note(row, f"{message % {'n': number, 'v': level_cell, **bounds}} {refused}"))
                continue
        text = _text(text_cell)
        new_explanation = text if text.strip() else known_explanation
        if new_value == old_value and new_explanation == known_explanation:
            plan.unchanged += 1
            continue
        if not workflow_access(member, answer):
            plan.errors.append(
                Note(row, _("Indikator %(n)s bukan tugas OPD Anda; barisnya tidak boleh diubah.") % {"n": number})
            )
            continue
        if answer.status == AnswerStatus.SUBMITTED:
            plan.skipped.append(Note(row, _("Indikator %(n)s sedang diperiksa verifikator; dilewati.") % {"n": number}))
            continue
        if answer.status == AnswerStatus.APPROVED:
            plan.skipped.append(
                Note(
                    row,
                    _("Indikator %(n)s sudah disetujui; ubah lewat halaman jawabannya bila perlu. Dilewati.")
                    % {"n": number},
                )
            )
            continue
        source = sources.get(answer.pk) if new_value == old_value else None
        try:  # the one value rule: a fed value comes with its figure, or not at all
            values.check_claim(answer.indicator, evaluation.framework,
                               None if new_value is None else Decimal(new_value), source)  # fmt: skip
        except values.ValueRefused as refused:
            plan.errors.append(Note(row, _("Indikator %(n)s: %(reason)s") % {"n": number, "reason": refused}))
            continue
        plan.changes.append(Change(row, answer.pk, number, answer.indicator.name, answer.version, old_value, new_value,
                                   answer.explanation, new_explanation,
                                   None if source is None else f"{source:f}"))  # fmt: skip
    return plan


def workflow_access(member: Membership, answer: Answer) -> bool:
    """The answer page's rule: OPD staff of the lead or a contributing OPD (contributors prefetched)."""
    if not Capabilities.of(member).answer or member.opd_id is None:
        return False
    if member.instansi_id != answer.evaluation.instansi_id:
        return False
    return answer.lead_opd_id == member.opd_id or any(o.pk == member.opd_id for o in answer.contributors.all())


class ImportConflict(Exception):  # noqa: N818
    """Something changed since the preview; nothing was written."""


@transaction.atomic
def apply_plan(
    evaluation: Evaluation, member: Membership, user: AbstractBaseUser, changes: list[dict[str, Any]]
) -> int:
    """Save each previewed change as a draft, all or nothing."""
    reason = lock_reason(evaluation)
    if reason:
        raise ImportRefused(reason)
    answers = {
        a.pk: a
        for a in evaluation.answers.select_related("evaluation", "indicator").prefetch_related("contributors")
        .filter(pk__in=[c["answer_id"] for c in changes])
    }  # fmt: skip
    for change in changes:
        answer = answers.get(change["answer_id"])
        if answer is None or not workflow_access(member, answer):
            raise ImportConflict(_("Indikator %(n)s tidak lagi menjadi tugas OPD Anda.") % {"n": change["number"]})
        value = None if change["new_value"] is None else Decimal(change["new_value"])
        source = change.get("source_value")
        try:
            workflow.save_draft(answer, user, value=value, explanation=change["new_explanation"],
                                seen_version=change["version"],
                                source_value=None if source is None else Decimal(source))  # fmt: skip
        except workflow.StaleEditError:
            raise ImportConflict(
                _("Indikator %(n)s diubah orang lain sejak pratinjau; unggah berkasnya lagi.") % {"n": change["number"]}
            ) from None
        except WorkflowError as error:
            raise ImportConflict(_("Indikator %(n)s: %(reason)s") % {"n": change["number"], "reason": error}) from None
    return len(changes)
