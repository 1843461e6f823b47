"""Build frameworks/permenpanrb-59-2020.json from the regulation and guideline data.

Run from the project root, with the shared data beside it:

    python scripts/build_framework_59.py ../shared/spbe

The output is committed; rerun this only when the source data changes, then bump "version".
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "frameworks" / "permenpanrb-59-2020.json"
# Which OPD usually leads each indicator in a Pemda, by OPD code; the portal's bulk assignment
# starts from this (an editorial default, not part of the regulation).
SUGGESTED_OPD = {
    **dict.fromkeys(range(1, 48), "diskominfo"),
    13: "bappeda", 14: "bagian-organisasi", 25: "bkpsdm", 29: "inspektorat", 30: "inspektorat",
    31: "inspektorat", 32: "bappeda", 33: "bpkad", 34: "bpkad", 35: "bagian-pbj", 36: "bkpsdm",
    37: "dispursip", 38: "bpkad", 39: "inspektorat", 40: "bagian-organisasi", 41: "bkpsdm",
    44: "bagian-hukum", 45: "dpmptsp", 46: "disdukcapil", 47: "dinkes",
}  # fmt: skip
SCALES = {
    "proses": ("kapabilitas_proses", "Kapabilitas Proses"),
    "layanan": ("kapabilitas_layanan", "Kapabilitas Layanan"),
}


def num(value: float) -> str:
    """A weight as a decimal string; str() of the JSON float keeps its written digits."""
    return format(Decimal(str(value)).normalize(), "f")


def main(source: Path) -> None:
    reg = json.loads((source / "permenpanrb-59-2020.json").read_text())
    guide = {i["number"]: i for i in json.loads((source / "pedoman-3-2024-kriteria.json").read_text())["indicators"]}

    def indicator(raw: dict[str, Any]) -> dict[str, Any]:
        g = guide[raw["number"]]
        return {
            "number": raw["number"],
            "code": raw["code"],
            "name": raw["name"],
            "weight": num(raw["weight"]),
            "question": raw["pertanyaan"],
            "description": g["deskripsi"],
            "assessment_rule": g["ketentuan_penilaian"],
            "evidence_examples": g["contoh_bukti_dukung"],
            "suggested_opd": SUGGESTED_OPD[raw["number"]],
            "levels": {
                level: {
                    "criterion": text,
                    "fulfilment": g["levels"][level]["kriteria_pemenuhan_level"],
                    "evidence": g["levels"][level]["kriteria_bukti_dukung"],
                }
                for level, text in raw["kriteria_tingkat"].items()
            },
        }

    groups = [
        {
            "code": d["code"],
            "number": d["number"],
            "kind": "domain",
            "name": d["name"],
            "weight": num(d["weight"]),
            "groups": [
                {
                    "code": a["code"],
                    "number": a["number"],
                    "kind": "aspect",
                    "name": a["name"],
                    "weight": num(a["weight"]),
                    "level_scale": a["capability_model"],
                    "indicators": [indicator(i) for i in a["indicators"]],
                }
                for a in d["aspects"]
            ],
        }
        for d in reg["domains"]
    ]
    out = {
        "format": 1,
        "code": "permenpanrb-59-2020",
        "version": "2020.1",
        "name": "Pemantauan dan Evaluasi SPBE (PermenPANRB 59/2020)",
        "short_name": "Indeks SPBE",
        "subject": "Sistem Pemerintahan Berbasis Elektronik (SPBE)",  # the reports' title pages
        "regulation": reg["framework"]["regulation"],
        "status_note": reg["framework"]["status_note"],
        "in_force": {"revoked_by": "permenpanrb-8-2026"},  # replaced by Pemdi from its first year
        "provisional": False,
        "unverified": [],
        "values": {"kind": "level", "min": "1", "max": "5", "places": 0},
        "rounding": {"places": 2, "mode": "half-up", "predicate_basis": "exact"},
        "group_kinds": [{"kind": "domain", "label": "Domain"}, {"kind": "aspect", "label": "Aspek"}],
        "level_scales": [
            {
                "code": code,
                "name": label,
                "levels": [
                    {"level": lv["level"], "name": lv["name"], "description": lv["criteria"]}
                    for lv in reg["level_scales"][key]["levels"]
                ],
            }
            for code, (key, label) in SCALES.items()
        ],
        "predicates": [
            {
                "name": p["name"],
                "lower": num(p["min"]),
                "upper": num(p["max"]),
                "lower_inclusive": p["min_inclusive"],
                "upper_inclusive": p["max_inclusive"],
            }
            for p in reg["predicates"]
        ],
        "groups": groups,
        "national_results": [{"year": r["year"], "index": num(r["indeks"])} for r in reg["national_results"]["series"]],
        # Where the national figures come from: the reports name it beside the national index.
        "national_results_source": reg["national_results"]["source"],
        "sources": [
            reg["framework"]["source"],
            reg["predicates_source"],
            json.loads((source / "pedoman-3-2024-kriteria.json").read_text())["source"],
        ],
    }
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/spbe"))
