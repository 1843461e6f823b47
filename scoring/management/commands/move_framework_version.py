"""manage.py move_framework_version --to 2026.2 [--apply]: open evaluations onto a corrected version.

Without --apply it prints the plan (which evaluations move, how many answers, which finalised ones
stay) and changes nothing, so the move can be reviewed first. With --apply it moves them in one
transaction: answers and follow-ups point to the new version's indicators (by code), and stored
results of the old version for those evaluations are dropped (they are recomputed on the next
read). Answers, stage values, evidence links, reviews and history rows are kept as they are.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from assessment.models import Indicator
from assessment.services.evaluations import WorkflowError
from assessment.services.framework_versions import move_open_evaluations, plan_move
from scoring.models import FollowUp, StoredResult


class Command(BaseCommand):
    help = "Move open evaluations to another version of their framework (texts corrected, same structure)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", default="permenpanrb-8-2026", help="framework code")
        parser.add_argument("--to", required=True, dest="version", help="target version, e.g. 2026.2")
        parser.add_argument("--apply", action="store_true", help="move them (default: only print the plan)")

    def handle(self, *_args: Any, code: str, version: str, apply: bool, **_options: Any) -> None:
        try:
            plan = plan_move(code, version)
        except WorkflowError as error:
            raise CommandError(str(error), returncode=2) from error
        for evaluation in plan.evaluations:
            self.stdout.write(f"move: {evaluation} (v{evaluation.framework.version} -> v{version})")
        for evaluation in plan.finalised_kept:
            self.stdout.write(f"keep (final): {evaluation} (v{evaluation.framework.version})")
        self.stdout.write(f"{len(plan.evaluations)} evaluations, {plan.answers} answers to move")
        if not apply:
            self.stdout.write("dry run: nothing changed (add --apply to move)")
            return
        ids = [e.pk for e in plan.evaluations]
        with transaction.atomic():
            moved = move_open_evaluations(plan, None)
            codes = dict(Indicator.objects.filter(framework=plan.target).values_list("code", "pk"))
            for follow_up in (
                FollowUp.objects.filter(evaluation_id__in=ids)
                .exclude(indicator__framework=plan.target)
                .select_related("indicator")
            ):
                FollowUp.objects.filter(pk=follow_up.pk).update(indicator_id=codes[follow_up.indicator.code])
            StoredResult.objects.filter(evaluation_id__in=ids).exclude(framework=plan.target).delete()
        self.stdout.write(f"moved {moved} evaluations to v{version}")
