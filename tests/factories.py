"""factory_boy factories: instansi -> OPD -> user/membership -> evaluation -> answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model

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

PASSWORD = "correct-horse-battery-staple"


class InstansiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instansi
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kabupaten Uji {n}")
    slug = factory.Sequence(lambda n: f"kabupaten-uji-{n}")
    kind = InstansiKind.KABUPATEN


class OpdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opd

    instansi = factory.SubFactory(InstansiFactory)
    code = factory.Sequence(lambda n: f"opd-{n}")
    short_name = factory.Sequence(lambda n: f"OPD {n}")
    name = factory.LazyAttribute(lambda o: f"Perangkat Daerah {o.short_name}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self: Any, create: bool, _extracted: Any, **_kwargs: Any) -> None:
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    instansi = factory.SubFactory(InstansiFactory)
    role = Role.SEKDA
    opd = None


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    instansi = factory.SubFactory(InstansiFactory)
    framework: Any = None
    year = 2024
    status = EvaluationStatus.OPEN


def answer_all(evaluation: Evaluation, levels: dict[int, int], stage: str = Stage.MANDIRI) -> None:
    """Give `evaluation` a value per indicator number at `stage` (creating answers as needed)."""
    for indicator in evaluation.framework.indicators.filter(number__in=levels):
        answer, _ = Answer.objects.get_or_create(
            evaluation=evaluation, indicator=indicator, defaults={"status": AnswerStatus.APPROVED}
        )
        StageValue.objects.update_or_create(
            answer=answer, stage=stage, defaults={"value": Decimal(levels[indicator.number])}
        )


def finalised(framework: Framework, levels: dict[int, int], **kwargs: Any) -> Evaluation:
    evaluation = EvaluationFactory(framework=framework, status=EvaluationStatus.FINALISED, **kwargs)
    answer_all(evaluation, levels, Stage.VERIFIKASI)
    return evaluation
