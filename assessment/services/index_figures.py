"""The published index figure an answer's evidence cites (IKASANDI for Pemdi I10-I12).

The OPD enters BSSN's figure and its measurement date; the pages show the level whose band holds
it and flag a figure older than the framework's `max_age_months` before the evaluation's
reference date. The figure is evidence, not the value: it changes no score
(`assessment.index_reference`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.index_reference import IndexReference, Reading, read, reference_of
from assessment.models import Answer, Evaluation, IndexFigure
from assessment.services.answers import edit_blocker
from assessment.services.evaluations import WorkflowError


def reference_date(evaluation: Evaluation) -> date:
    """What "12 months old" is measured from: the evaluation's deadline (its WIB day) when it has
    one, else the last day of its year, so the flag does not drift with the day the page is read."""
    if evaluation.deadline is not None:
        return timezone.localdate(evaluation.deadline)
    return date(evaluation.year, 12, 31)


@dataclass(frozen=True)
class IndexView:
    reference: IndexReference
    row: IndexFigure | None
    reading: Reading | None


def index_view(answer: Answer) -> IndexView | None:
    """None unless the indicator cites a published index; 1 query."""
    reference = reference_of(answer.indicator.extra)
    if reference is None:
        return None
    row = IndexFigure.objects.filter(answer=answer).first()
    reading = None
    if row is not None:
        reading = read(reference, row.figure, row.measured_on, reference_date(answer.evaluation))
    return IndexView(reference, row, reading)


@transaction.atomic
def record(answer: Answer, figure: Decimal | None, measured_on: date | None, user: AbstractBaseUser) -> None:
    """Store (or, with no figure, remove) the figure; refused like any other edit of the answer."""
    answer = Answer.objects.select_for_update().select_related("evaluation", "indicator").get(pk=answer.pk)
    reference = reference_of(answer.indicator.extra)
    if reference is None:
        raise WorkflowError(_("Indikator ini tidak memakai angka indeks instansi lain sebagai bukti."))
    blocker = edit_blocker(answer)
    if blocker:
        raise WorkflowError(blocker)
    row = IndexFigure.objects.filter(answer=answer).first()
    if figure is None:
        if row is not None:
            row._history_user = user  # type: ignore[attr-defined]
            row.delete()
        return
    if measured_on is None:
        raise WorkflowError(_("Isi tanggal pengukuran angka itu."))
    row = row or IndexFigure(answer=answer)
    row.figure, row.measured_on, row.recorded_by_id = figure, measured_on, user.pk
    row._history_user = user  # type: ignore[attr-defined]
    row.save()
