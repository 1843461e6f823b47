"""Loading the demo deployment; idempotent, so `make run` can call it every time."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from assessment.demo import DEMO_INSTANSI, DEMO_PASSWORD, OPDS, ROLE_OF, DemoInstansi
from assessment.models import (
    Answer,
    AnswerStatus,
    Evaluation,
    EvaluationStatus,
    Framework,
    Instansi,
    InstansiKind,
    Membership,
    Opd,
    Role,
    Stage,
    StageValue,
)

WIB = ZoneInfo("Asia/Jakarta")


@transaction.atomic
def load_demo(framework: Framework) -> list[str]:
    """Create or refresh the demo instansi, accounts and the finalised 2022 evaluations.

    Returns the demo account names. Existing demo rows are brought back to the demo state;
    nothing outside the demo instansi is touched.
    """
    accounts: list[str] = []
    for demo in DEMO_INSTANSI:
        instansi, _ = Instansi.objects.update_or_create(
            slug=demo.slug, defaults={"name": demo.name, "kind": InstansiKind.KABUPATEN, "is_demo": True}
        )
        opds = {
            code: Opd.objects.update_or_create(
                instansi=instansi, code=code, defaults={"short_name": short, "name": name}
            )[0]
            for code, short, name in OPDS
        }
        accounts += _load_people(demo, instansi, opds)
        _load_2022(demo, instansi, opds, framework)
    return accounts


def _load_people(demo: DemoInstansi, instansi: Instansi, opds: dict[str, Opd]) -> list[str]:
    user_model = get_user_model()
    names = []
    for account, full_name in demo.people.items():
        username = f"{account}.{demo.suffix}"
        first, _, last = full_name.partition(" ")
        user, created = user_model.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@demo.spbe.invalid"
        user.is_active = True
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        if account.startswith("opd."):
            role, opd = Role.OPD, opds[account.removeprefix("opd.")]
        else:
            role, opd = Role(ROLE_OF[account]), None
        Membership.objects.update_or_create(user=user, defaults={"instansi": instansi, "role": role, "opd": opd})
        names.append(username)
    return names


def _load_2022(demo: DemoInstansi, instansi: Instansi, opds: dict[str, Opd], framework: Framework) -> None:
    user_model = get_user_model()
    sekda = user_model.objects.get(username=f"sekda.{demo.suffix}")
    verifier = user_model.objects.get(username=f"verifikator.{demo.suffix}")
    evaluation, _ = Evaluation.objects.update_or_create(
        instansi=instansi,
        year=2022,
        defaults={"framework": framework, "status": EvaluationStatus.FINALISED, "is_demo": True,
                  "deadline": datetime(2022, 8, 31, 23, 59, tzinfo=WIB), "finalised_by": sekda,
                  "finalised_at": datetime(2022, 9, 2, 10, 30, tzinfo=WIB)},
    )  # fmt: skip
    indicators = list(framework.indicators.order_by("number"))
    if len(indicators) != len(demo.verified_2022):
        raise ValueError(f"demo levels cover {len(demo.verified_2022)} indicators, {framework} has {len(indicators)}")
    for indicator, level in zip(indicators, demo.verified_2022, strict=True):
        claimed = demo.claimed_2022.get(indicator.number, level)
        answer, _ = Answer.objects.update_or_create(
            evaluation=evaluation,
            indicator=indicator,
            defaults={"status": AnswerStatus.APPROVED, "lead_opd": opds.get(indicator.extra.get("suggested_opd", "")),
                      "explanation": f"FAKTA: dokumen pendukung indikator {indicator.number} tahun 2022 (data demo). "
                                     f"ANALISIS: memenuhi kriteria tingkat {claimed}."},
        )  # fmt: skip
        StageValue.objects.update_or_create(answer=answer, stage=Stage.MANDIRI, defaults={"value": Decimal(claimed)})
        note = (
            ""
            if claimed == level
            else f"Bukti belum memenuhi kriteria tingkat {claimed}; diverifikasi tingkat {level}."
        )
        StageValue.objects.update_or_create(
            answer=answer,
            stage=Stage.VERIFIKASI,
            defaults={"value": Decimal(level), "note": note, "recorded_by": verifier},
        )
