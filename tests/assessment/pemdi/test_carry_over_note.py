"""Issue 14 item 9: the carry-over note on the answer page says what happened, and only while drafting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from assessment.models import AnswerEvidence, Evidence, EvidenceKind, EvidenceStatus, Framework
from assessment.services import answers as workflow
from assessment.services.carryover import carry_over
from assessment.services.evaluations import create_evaluation
from tests.factories import finalised
from tests.world import make_side

pytestmark = pytest.mark.django_db


def note(client: Client, answer_pk: int) -> str:
    page = client.get(f"/penilaian/jawaban/{answer_pk}/").content.decode()
    start = page.find('data-testid="suggestion"')
    return "" if start < 0 else page[start : page.index("</div>", start)]


def test_the_note_names_only_evidence_that_is_attached_and_goes_once_submitted(
    pemdi: Framework, framework59: Framework, client: Client
) -> None:
    side = make_side("a")
    spbe = finalised(framework59, dict.fromkeys(range(1, 48), 3), instansi=side.instansi, year=2025)
    report = Evidence.objects.create(instansi=side.instansi, kind=EvidenceKind.LINK, title="Laporan audit 2025",
                                     url="https://example.go.id/audit")  # fmt: skip
    AnswerEvidence.objects.create(
        answer=spbe.answers.get(indicator__number=31), evidence=report, status=EvidenceStatus.APPROVED
    )
    evaluation = create_evaluation(side.instansi, pemdi, 2026, None, "exact")
    carry_over(evaluation, side.users["admin"])
    evaluation.answers.update(lead_opd=side.bkpsdm)
    audit, other = evaluation.answers.get(indicator__number=9), evaluation.answers.get(indicator__number=1)
    assert AnswerEvidence.objects.filter(answer=audit).count() == 1
    assert not AnswerEvidence.objects.filter(answer=other).exists()
    client.force_login(side.users["opd.bkpsdm"])

    assert "1 bukti dukung lama dilampirkan" in note(client, audit.pk)
    assert "Penjelasan lama disalin ke draf" in note(client, audit.pk)
    shown = note(client, other.pk)
    assert "Tidak ada bukti dukung lama yang dilampirkan" in shown and "bukti dukung lama dilampirkan" not in shown

    AnswerEvidence.objects.filter(answer=audit).delete()  # the OPD removed it: the note follows
    workflow.save_draft(audit, side.users["opd.bkpsdm"], value=Decimal("2.50"), explanation="FAKTA baru. ANALISIS.",
                        seen_version=audit.version)  # fmt: skip
    shown = note(client, audit.pk)
    assert "Tidak ada bukti dukung lama" in shown and "Penjelasan lama disalin" not in shown

    audit.refresh_from_db()
    workflow.submit(audit, side.users["opd.bkpsdm"], seen_version=audit.version)
    assert note(client, audit.pk) == ""  # submitted: the drafting note is gone
