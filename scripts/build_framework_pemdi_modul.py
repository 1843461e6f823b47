"""Build frameworks/pemdi-8-2026.2.json: version 2026.1 with the Modul Indikator's own texts.

Run from the project root, with the shared data beside it:

    python scripts/build_framework_pemdi_modul.py ../shared/spbe

Structure (aspects, weights, level bands, predikat bands, conversion tables) is 2026.1's, so the
same values score the same. What changes is the text an OPD works from, taken verbatim from
`pemdi-8-2026-modul.json` (KemenPANRB's "Modul Indikator 1-20" as transcribed by Kab. Aceh
Tengah): per indicator the name and description, per level the criterion (Kriteria), the
condition (Kondisi) and the numbered evidence items (Data Dukung, coded I#-L#-## as
eval.spbe.go.id does). Where the Modul has no text, the 2026.1 text stays and the level carries a
`gap` note saying so. The band text ("fulfilment") is written from the level bands, which are
lower-inclusive: "1,50 sampai kurang dari 2,50", never "1,51-2,50".
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "frameworks" / "pemdi-8-2026.json"
OUT = ROOT / "frameworks" / "pemdi-8-2026.2.json"

GAP_CONDITION = "Modul Indikator tidak memuat teks Kondisi untuk tingkat ini (celah pada sumber)."
GAP_ITEMS = (
    "Modul Indikator tidak menyebut Data Dukung untuk tingkat ini (celah pada sumber); "
    "panduan bukti versi 2026.1 dipertahankan."
)
GAP_CRITERION = (
    "Modul Indikator tidak memuat Kriteria tingkat ini (celah pada sumber); teks versi 2026.1 dipertahankan."
)
# How a published value is derived from the items is not documented (Aceh Tengah's I13 = 7/6 fits
# no simple item-count rule), so the rule is named data a documented one can replace.
VALUE_RULE = {
    "code": "reviewer-within-band",
    "text": "Tingkat ditentukan oleh butir bukti yang diterima; nilai ditetapkan verifikator di dalam rentang "
    "tingkat itu (diusulkan batas bawahnya), seperti asesor nasional.",
    "source": "No documented formula: the 2026 assessor values (e.g. Aceh Tengah I13 = 7/6) do not follow "
    "from item counts; replace this rule when KemenPANRB documents one.",
}

# I10-I12 cite BSSN's IKASANDI as Data Dukung. The figure is evidence, not the value (the 2026
# assessor scored these indicators from the uploaded evidence), so its bands go into a
# non-structural `index_reference`, not the `external` conversion that sets a value: reloading
# the file in place, under evaluations that use 2026.2, stays allowed.
INDEX_MAX_AGE_MONTHS = 12
INDEX_UNVERIFIED = (
    "IKASANDI (I10-I12): the Modul writes each band '1,50 < IKASANDI < 2,50' with no rule for the shared "
    "edges; read lower-inclusive like the value bands. The 12-month freshness of the figure is assessor "
    "practice reported in issue 15, not text of the Modul transcription. I11 has a band for level 5 only."
)


def index_reference(modul: dict[str, Any]) -> dict[str, Any] | None:
    feed = modul.get("external_input")
    if not feed or not feed["index"].startswith("IKASANDI"):
        return None
    return {
        "index": feed["index"].removesuffix(" (BSSN)"),
        "short_name": "IKASANDI",
        "agency": "BSSN",
        "source_min": "0",
        "source_max": "5",
        "bands": [
            {
                "level": b["level"],
                "lower": b["from"],
                "upper": b["to"],
                "upper_inclusive": b["to"] == "5.00",
                "as_written": b["as_written"],
            }
            for b in feed["bands"]
        ],
        "max_age_months": INDEX_MAX_AGE_MONTHS,
        "basis": "Bands: the Modul's Data Dukung per level, read lower-inclusive. The figure is evidence shown "
        "with its band and date; it does not set the value.",
        "note": feed["note"],
    }


def comma(value: str) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}".replace(".", ",")


def band_text(level: dict[str, Any]) -> str:
    if level.get("upper_inclusive"):
        return f"Nilai {comma(level['lower'])} sampai {comma(level['upper'])}"
    return f"Nilai {comma(level['lower'])} sampai kurang dari {comma(level['upper'])}"


def build_levels(old: dict[str, Any], modul: dict[str, Any], bands: dict[int, dict[str, Any]]) -> dict[str, Any]:
    levels: dict[str, Any] = {}
    for entry in modul["levels"]:
        number = entry["level"]
        before = old["levels"][str(number)]
        gaps = []
        criterion = entry["criterion"]
        if criterion is None:
            criterion = before["criterion"]
            gaps.append(GAP_CRITERION)
        if entry["condition"] is None:
            gaps.append(GAP_CONDITION)
        items = entry["evidence_items"] or []
        if not items:
            gaps.append(GAP_ITEMS)
        level: dict[str, Any] = {
            "criterion": criterion,
            "condition": entry["condition"] or "",
            "fulfilment": band_text(bands[number]),
            "evidence": "\n".join(f"{i['code']} {i['text']}" for i in items) if items else before["evidence"],
            "evidence_items": [{"code": i["code"], "text": i["text"]} for i in items],
        }
        if gaps:
            level["gap"] = " ".join(gaps)
        levels[str(number)] = level
    return levels


def main(source: Path) -> None:
    base = json.loads(BASE.read_text())
    modul = json.loads((source / "pemdi-8-2026-modul.json").read_text())
    by_code = {i["code"]: i for i in modul["indicators"]}
    bands = {lv["level"]: lv for lv in base["level_scales"][0]["levels"]}
    out = dict(base)
    out["version"] = "2026.2"
    out["status_note"] = (
        base["status_note"] + " Version 2026.2: per-level criteria, conditions and evidence items verbatim from the "
        "Modul Indikator as transcribed ("
        + modul["source"]["repository"]
        + " "
        + modul["source"]["commit"]
        + "); "
        + modul["source"]["caveat"]
        + "."
    )
    out["unverified"] = [
        *base["unverified"],
        "Modul Indikator texts (2026.2): " + modul["source"]["caveat"] + ".",
        *(f"Modul gap: {gap}" for gap in modul["gaps"]),
        INDEX_UNVERIFIED,
    ]
    out["value_rule"] = VALUE_RULE
    out["level_name_variants"] = modul["level_names"]
    out["verdicts"] = modul["verdicts"]
    groups = []
    for group in base["groups"]:
        indicators = []
        for indicator in group["indicators"]:
            source_indicator = by_code[indicator["code"]]
            built = {
                **indicator,
                "name": source_indicator["name"],
                "description": source_indicator["description"],
                "assessment_rule": "Modul Indikator 1-20 (KemenPANRB, bimtek 22 Jun 2026), transkripsi "
                "Diskominfo Kab. Aceh Tengah; bukan Lampiran peraturan.",
                "levels": build_levels(indicator, source_indicator, bands),
            }
            reference = index_reference(source_indicator)
            if reference is not None:
                built["index_reference"] = reference
            indicators.append(built)
        groups.append({**group, "indicators": indicators})
    out["groups"] = groups
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/spbe"))
