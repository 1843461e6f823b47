"""Issue 19: where the framework has evidence items, an official stage's finding is recorded per item
(verdict and note) by the admin, the reviewer or the assigned assessor, under their name; it changes
neither the reviewer's verdict on the item nor any value."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from assessment.models import AnswerItem, ItemVerdict, Role, Stage, StageItemNote, StageValue
from assessment.services import assessors
from tests.assessment.items.test_item_workflow import i2, side  # noqa: F401  (fixture)
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)
from tests.factories import MembershipFactory, UserFactory
from tests.world import Side, make_side

pytestmark = pytest.mark.django_db


def assessor_for(side: Side, username: str = "asesor.ugm") -> Client:  # noqa: F811
    user = MembershipFactory(user=UserFactory(username=username), instansi=side.instansi, role=Role.ASESOR).user
    evaluation = i2(side).evaluation
    superuser = UserFactory(username=f"op-{username}", is_superuser=True, is_staff=True)
    today = timezone.localdate()
    assessors.assign(superuser, user, evaluation, today - timedelta(days=1), today + timedelta(days=10))
    client = Client()
    client.force_login(user)
    return client


def test_the_assessor_records_a_finding_per_item_under_their_name(side: Side) -> None:  # noqa: F811
    answer = i2(side)
    client = assessor_for(side)
    stage_page = client.get(f"/penilaian/evaluasi/{answer.evaluation_id}/tahap/interviu/").content.decode()
    url = f"/penilaian/jawaban/{answer.pk}/tahap/interviu/butir/"
    assert url in stage_page  # the stage page links each indicator's items
    page = client.get(url)
    assert page.status_code == 200 and "I2-L1-01" in page.content.decode()
    items = {item.code: item for item in page.context["form"].items}
    response = client.post(url, {
        f"verdict-{items['I2-L1-01'].pk}": "diterima", f"note-{items['I2-L1-01'].pk}": "SK ditunjukkan saat wawancara.",
        f"verdict-{items['I2-L2-01'].pk}": "revisi", f"note-{items['I2-L2-01'].pk}": "Notulen rapat tidak ada.",
    })  # fmt: skip
    assert response.status_code == 302
    notes = {n.answer_item.item.code: n for n in StageItemNote.objects.select_related("answer_item__item")}
    assert {code: (n.stage, n.verdict, n.note) for code, n in notes.items()} == {
        "I2-L1-01": (Stage.INTERVIU, ItemVerdict.ACCEPTED, "SK ditunjukkan saat wawancara."),
        "I2-L2-01": (Stage.INTERVIU, ItemVerdict.REVISION, "Notulen rapat tidak ada."),
    }
    assessor_id = page.wsgi_request.user.pk
    assert all(n.recorded_by_id == assessor_id for n in notes.values())
    assert all(n.history.latest().history_user_id == assessor_id for n in notes.values())  # the audit trail
    # The reviewer's verdict on the item and every value are untouched.
    assert set(AnswerItem.objects.filter(answer=answer).values_list("verdict", flat=True)) == {""}
    assert not StageValue.objects.filter(answer=answer, stage=Stage.INTERVIU).exists()
    # Shown again on the page; clearing both fields removes the finding (kept in the history).
    assert "Notulen rapat tidak ada." in client.get(url).content.decode()
    client.post(url, {f"verdict-{items['I2-L2-01'].pk}": "", f"note-{items['I2-L2-01'].pk}": "",
                      f"verdict-{items['I2-L1-01'].pk}": "diterima",
                      f"note-{items['I2-L1-01'].pk}": "SK ditunjukkan saat wawancara."})  # fmt: skip
    assert list(StageItemNote.objects.values_list("answer_item__item__code", flat=True)) == ["I2-L1-01"]
    assert StageItemNote.history.filter(history_type="-").count() == 1


def test_others_get_404_and_a_bad_stage_is_404(side: Side) -> None:  # noqa: F811
    answer = i2(side)
    url = f"/penilaian/jawaban/{answer.pk}/tahap/interviu/butir/"
    opd = Client()
    opd.force_login(side.users["opd.diskominfo"])
    assert opd.get(url).status_code == 404  # OPD staff do not record official stages
    stranger = make_side("lain")
    unassigned = MembershipFactory(user=UserFactory(username="asesor.lain"), instansi=stranger.instansi,
                                   role=Role.ASESOR).user  # fmt: skip
    outsider = Client()
    outsider.force_login(unassigned)
    assert outsider.get(url).status_code == 404  # an assessor not assigned to this evaluation
    reviewer = Client()
    reviewer.force_login(side.users["verifikator"])
    assert reviewer.get(url).status_code == 200
    assert reviewer.get(f"/penilaian/jawaban/{answer.pk}/tahap/mandiri/butir/").status_code == 404
    assert not StageItemNote.objects.exists()


def test_recording_findings_reads_the_items_and_their_work_rows_once(side: Side) -> None:  # noqa: F811
    """The page's items go down to the service, and the answer's work rows are read in one query,
    however many items get a finding (they used to be read twice and looked up once per item)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answer = i2(side)
    client = assessor_for(side)
    url = f"/penilaian/jawaban/{answer.pk}/tahap/interviu/butir/"
    items = client.get(url).context["form"].items
    for item in items:
        AnswerItem.objects.get_or_create(answer=answer, item=item)
    data = {f"verdict-{item.pk}": "diterima" for item in items} | {f"note-{item.pk}": "Ada." for item in items}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302 and StageItemNote.objects.count() == len(items) > 2
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert sum('FROM "assessment_evidenceitem"' in sql for sql in selects) == 1
    assert sum('FROM "assessment_answeritem"' in sql for sql in selects) == 1
