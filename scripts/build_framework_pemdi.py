"""Build frameworks/pemdi-8-2026.json from the shared, provisional Pemdi 8/2026 data.

Run from the project root, with the shared data beside it:

    python scripts/build_framework_pemdi.py ../shared/spbe

The source rests on secondary sources (the regulation's own text was not obtained), so the
output carries `"provisional": true` and the source's list of unverified values; the portal
shows both wherever the framework is used. The output is committed; rerun this only when the
source data changes, then bump "version" (evaluations keep the version they were scored with).
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "frameworks" / "pemdi-8-2026.json"
# Which OPD usually leads each indicator in a Pemda, by OPD code (an editorial default, as for
# 59/2020; the portal's bulk assignment starts from it).
SUGGESTED_OPD = {
    **dict.fromkeys(range(1, 21), "diskominfo"),
    1: "bappeda", 3: "bkpsdm", 6: "bappeda", 9: "inspektorat", 15: "bagian-organisasi",
    19: "dpmptsp", 20: "bagian-organisasi",
}  # fmt: skip
# Piecewise-linear conversion of each externally fed index to an indicator value 1,00-5,00:
# (source value, indicator value) break points. SDI follows the Modul Indikator 5 examples
# (SDI 25 -> 2,00; SDI 68,75 -> 3,75); the others are the source's band edges with a linear
# mapping inside each band assumed, as for SDI (listed as unverified).
SDI_POINTS = [["0", "1.00"], ["12.5", "1.50"], ["37.5", "2.50"], ["62.5", "3.50"], ["75", "4.00"], ["100", "5.00"]]
EXTERNAL = {
    5: {"short": "Indeks SDI", "points": SDI_POINTS},
    6: {"short": "Indeks SJIG", "points": [["1", "1.00"], ["5", "5.00"]]},
    7: {"short": "IPS (EPSS)", "points": [["1", "1.00"], ["1.8", "1.50"], ["2.6", "2.50"], ["3.5", "3.50"],
                                           ["4.2", "4.00"], ["5", "5.00"]]},
    18: {"short": "Indeks SDI aspek Interoperabilitas", "points": SDI_POINTS},
}  # fmt: skip
MISSING_EXTERNAL_VALUE = "1.00"  # S3: "Asumsi nilai dari indikator yang menggunakan indeks lain = 1"


def num(value: float) -> str:
    """A number as a decimal string; str() of the JSON float keeps its written digits."""
    return format(Decimal(str(value)).normalize(), "f")


def external(raw: dict[str, Any]) -> dict[str, Any] | None:
    spec = EXTERNAL.get(raw["number"])
    if spec is None:
        return None
    source = raw["external_index"]
    points = spec["points"]
    return {
        "index": source["index"],
        "short_name": spec["short"],
        "agency": source["pembina"],
        "source_min": points[0][0],
        "source_max": points[-1][0],
        "points": points,
        "missing_value": MISSING_EXTERNAL_VALUE,
        "basis": source["conversion"],
        "confidence": source["confidence"],
    }


def indicator(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": raw["number"],
        "code": raw["code"],
        "name": raw["name"],
        "weight": num(raw["weight"]),
        "question": "",
        "description": raw["deskripsi_unverified"],
        "assessment_rule": raw["kriteria_source"],
        "evidence_examples": "",
        "suggested_opd": SUGGESTED_OPD[raw["number"]],
        "assessor_code": raw["assessor_code"],
        "value_source": raw["value_source"],
        "levels": {
            level: {"criterion": text["kriteria"], "fulfilment": f"Rentang nilai {text['rentang']}",
                    "evidence": text["bukti_diharapkan"]}
            for level, text in raw["kriteria_ringkas_unverified"].items()
        },
    }  # fmt: skip
    feed = external(raw)
    if feed is not None:
        out["external"] = feed
        out["evidence_examples"] = f"Angka {feed['short_name']} yang diterbitkan {feed['agency']}."
    return out


def level(raw: dict[str, Any], *, last: bool) -> dict[str, Any]:
    """A level with its value band, lower-inclusive (S1/S2); the top band is closed at 5,00."""
    return {
        "level": raw["level"],
        "name": raw["names"]["id"],
        "description": raw["description_unverified"],
        "lower": num(raw["min"]),
        "upper": num(raw["max"]),
        "upper_inclusive": last,
    }


def main(source: Path) -> None:
    data = json.loads((source / "pemdi-8-2026.json").read_text())
    fw = data["framework"]
    levels = data["levels"]
    out = {
        "format": 1,
        "code": "permenpanrb-8-2026",
        "version": "2026.1",
        "name": "Evaluasi Kinerja Pemerintah Digital (PermenPANRB 8/2026)",
        "short_name": "Indeks Pemdi",
        "subject": "Pemerintah Digital (Pemdi)",  # the reports' title pages and roles
        "regulation": fw["regulation"],
        "status_note": data["status"],
        "in_force": {"from_year": 2026},  # the first evaluation year under 8/2026
        "provisional": True,
        "unverified": data["unverified"],
        "values": {"kind": "decimal", "min": "1", "max": "5", "places": 2},
        "rounding": {"places": 2, "mode": "half-up", "predicate_basis": "exact"},
        "group_kinds": [{"kind": "aspect", "label": "Aspek"}],
        "level_scales": [
            {
                "code": "kematangan",
                "name": "Tingkat Kematangan Pemerintah Digital",
                "levels": [level(lv, last=lv["level"] == len(levels)) for lv in levels],
            }
        ],
        "predicates": [
            {
                "name": p["name"],
                "lower": num(p["min"]),
                "upper": num(p["max"]),
                "lower_inclusive": p["min_inclusive"],
                "upper_inclusive": p["max_inclusive"],
            }
            for p in data["predicates"]
        ],
        "groups": [
            {
                "code": a["code"],
                "number": a["number"],
                "kind": "aspect",
                "name": a["name"],
                "weight": num(a["weight"]),
                "level_scale": "kematangan",
                "indicators": [indicator(i) for i in a["indicators"]],
            }
            for a in data["aspects"]
        ],
        "national_results": [],
        "sources": [f"{key}: {text}" for key, text in data["sources"].items()] + [data["predicates_source"]],
    }
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/spbe"))
