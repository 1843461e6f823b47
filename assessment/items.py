"""The evidence-item rule of the national application (eval.spbe.go.id), as a pure function.

Every level of a Pemdi indicator names numbered evidence items (I13-L2-01 ...). Each item gets a
verdict: *diterima*, or *revisi* with a type (*tidak tepat*, *belum diunggah*). The third type,
*ditolak otomatis*, is never given by hand: an item is rejected automatically exactly when some
level below it is not fully accepted ("Otomatis ditolak karena tingkat kematangan sebelumnya
ditolak"). The level the items support is the highest level L such that every level 1..L has all
its items accepted. A level without items (a gap in the Modul, e.g. I9 level 3) cannot be
accepted, so nothing above it counts: claiming it needs the source's missing text, not a guess.
No Django here; `assessment.services.items` maps rows in and out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ACCEPTED = "diterima"
REVISION = "revisi"
AUTO_REJECTED = "ditolak_otomatis"
AUTO_NOTE = "Otomatis ditolak karena tingkat kematangan sebelumnya ditolak."


@dataclass(frozen=True)
class ItemState:
    code: str
    level: int
    verdict: str  # "" (not judged yet), ACCEPTED, REVISION or AUTO_REJECTED (derived)
    auto_rejected: bool


def fully_accepted(verdicts: Sequence[str]) -> bool:
    return bool(verdicts) and all(v == ACCEPTED for v in verdicts)


def supported_level(levels: Mapping[int, Sequence[str]]) -> int:
    """The highest level whose items, and all items of every level below, are accepted; 0 if none."""
    reached = 0
    for level in sorted(levels):
        if level != reached + 1 or not fully_accepted(levels[level]):
            break
        reached = level
    return reached


def item_states(levels: Mapping[int, Sequence[tuple[str, str]]]) -> list[ItemState]:
    """Each item's effective state from the hand-given verdicts `{level: [(code, verdict), ...]}`."""
    verdicts = {level: [v for _, v in items] for level, items in levels.items()}
    states = []
    for level in sorted(levels):
        blocked = any(not fully_accepted(verdicts.get(below, ())) for below in range(1, level))
        for code, verdict in levels[level]:
            states.append(ItemState(code, level, AUTO_REJECTED if blocked else verdict, blocked))
    return states
