"""The demo instansi's letterheads and a placeholder emblem drawn for the demo.

The emblem is NOT a regional coat of arms: a plain shield with the region's initial, in two
colours per instansi, so that the documents show where an emblem goes. Addresses and contacts
are illustrative (marked "(demo)" where they could be mistaken for real numbers).
"""

from __future__ import annotations

from typing import Any

SHIELD = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 240" width="200" height="240">
<path d="M100 6 L190 36 L190 120 C190 180 150 218 100 234 C50 218 10 180 10 120 L10 36 Z"
 fill="{field}" stroke="{rim}" stroke-width="8"/>
<path d="M100 30 L168 52 L168 118 C168 164 138 194 100 208 C62 194 32 164 32 118 L32 52 Z"
 fill="none" stroke="#ffffff" stroke-width="3"/>
<polygon points="100,44 108,66 132,66 113,80 120,102 100,89 80,102 87,80 68,66 92,66" fill="#ffd54a"/>
<rect x="58" y="118" width="84" height="64" rx="8" fill="#ffffff"/>
<path d="M72 168 L88 132 L100 156 L112 140 L128 168 Z" fill="{rim}"/>
</svg>"""

LETTERHEADS: dict[str, dict[str, Any]] = {
    "kabupaten-siak": {
        "heading": "PEMERINTAH KABUPATEN SIAK\nSEKRETARIAT DAERAH",
        "address": "Kompleks Perkantoran Tanjung Agung, Siak Sri Indrapura, Riau 28773",
        "phone": "(0764) 20000 (demo)",
        "website": "siakkab.go.id",
        "email": "setda@siakkab.go.id",
        "number_pattern": "000.8/{n}/Setda-Diskominfo/{tahun}",
        "place": "Siak Sri Indrapura",
        "signer_nip": "19700101 199503 1 001",
        "colours": {"field": "#1b5e20", "rim": "#c62828"},
    },
    "kabupaten-sumedang": {
        "heading": "PEMERINTAH KABUPATEN SUMEDANG\nSEKRETARIAT DAERAH",
        "address": "Jalan Prabu Geusan Ulun Nomor 36, Sumedang, Jawa Barat 45311",
        "phone": "(0261) 20000 (demo)",
        "website": "sumedangkab.go.id",
        "email": "setda@sumedangkab.go.id",
        "number_pattern": "000.8/{n}/Setda/{tahun}",
        "place": "Sumedang",
        "signer_nip": "19720202 199803 1 002",
        "colours": {"field": "#0d47a1", "rim": "#2e7d32"},
    },
}


def emblem_svg(slug: str) -> bytes:
    return SHIELD.format(**LETTERHEADS[slug]["colours"]).encode()
