"""The demo deployment: two kabupaten, their OPDs, one account per role, and a finalised 2022.

All of it is labelled demo data (Instansi.is_demo, Evaluation.is_demo). The 2022 level vectors
reproduce the figures users quote: Kabupaten Siak 2,35 and Kabupaten Sumedang 3,87 (verified
stage), with the self-assessed claims a little higher, as they usually are.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "demo-spbe-2026"  # noqa: S105  (published in the README on purpose)

OPDS: list[tuple[str, str, str]] = [
    ("diskominfo", "Diskominfo", "Dinas Komunikasi dan Informatika"),
    ("bappeda", "Bappeda", "Badan Perencanaan Pembangunan Daerah"),
    ("bkpsdm", "BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
    ("bpkad", "BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah"),
    ("inspektorat", "Inspektorat", "Inspektorat Daerah"),
    ("bagian-organisasi", "Bagian Organisasi", "Bagian Organisasi Sekretariat Daerah"),
    ("bagian-hukum", "Bagian Hukum", "Bagian Hukum Sekretariat Daerah"),
    ("bagian-pbj", "Bagian PBJ", "Bagian Pengadaan Barang dan Jasa Sekretariat Daerah"),
    ("dpmptsp", "DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("disdukcapil", "Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("dispursip", "Dispursip", "Dinas Perpustakaan dan Kearsipan"),
    ("dinkes", "Dinkes", "Dinas Kesehatan"),
    ("disdik", "Disdik", "Dinas Pendidikan"),
    ("bapenda", "Bapenda", "Badan Pendapatan Daerah"),
]


@dataclass(frozen=True)
class DemoInstansi:
    slug: str
    name: str
    suffix: str
    people: dict[str, str]  # account -> full name
    verified_2022: list[int]  # levels of indicators 1..N in the verified stage
    claimed_2022: dict[int, int]  # indicators whose self-assessed level differed


SIAK = DemoInstansi(
    slug="kabupaten-siak",
    name="Kabupaten Siak",
    suffix="siak",
    people={
        "admin": "Rahmat Hidayat",
        "sekda": "Drs. Arfan Usman, M.Si.",
        "verifikator": "Dewi Kartika Sari",
        "opd.bkpsdm": "Yusuf Maulana",
        "opd.diskominfo": "Nur Aisyah",
    },
    verified_2022=[
        3,
        3,
        2,
        3,
        2,
        2,
        3,
        2,
        2,
        3,
        2,
        3,
        2,
        2,
        3,
        2,
        2,
        2,
        2,
        2,
        2,
        1,
        2,
        1,
        2,
        1,
        2,
        2,
        1,
        1,
        2,
        3,
        3,
        3,
        3,
        3,
        2,
        3,
        3,
        2,
        3,
        3,
        2,
        3,
        2,
        2,
        3,
    ],
    claimed_2022={22: 2, 29: 2, 37: 3},
)

SUMEDANG = DemoInstansi(
    slug="kabupaten-sumedang",
    name="Kabupaten Sumedang",
    suffix="sumedang",
    people={
        "admin": "Asep Supriatna",
        "sekda": "Dr. Herman Suryatman, M.Si.",
        "verifikator": "Rina Marlina",
        "opd.bkpsdm": "Dadang Kurniawan",
        "opd.diskominfo": "Siti Nurjanah",
    },
    verified_2022=[
        4,
        4,
        4,
        4,
        4,
        3,
        4,
        4,
        3,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        3,
        4,
        4,
        4,
        3,
        3,
        3,
        4,
        3,
        3,
        3,
        3,
        3,
        3,
        4,
        4,
        4,
        4,
        5,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        5,
        4,
        4,
        4,
    ],
    claimed_2022={6: 4, 22: 4},
)

DEMO_INSTANSI = [SIAK, SUMEDANG]
ROLE_OF = {"admin": "admin", "sekda": "sekda", "verifikator": "verifikator"}

# The open evaluation of the current cycle, partly filled so that every demo account finds work:
# indicator number -> (state, self-assessed level, verified level or None).
OPEN_YEAR = 2026
OPEN_FILL: dict[int, tuple[str, int, int | None]] = {
    1: ("approved", 3, 3), 2: ("approved", 3, 3), 3: ("approved", 3, 2), 4: ("approved", 3, 3),
    5: ("approved", 2, 2), 6: ("approved", 3, 3), 7: ("submitted", 3, None), 8: ("submitted", 4, None),
    9: ("submitted", 2, None), 11: ("returned", 3, None), 15: ("draft", 3, None), 16: ("draft", 2, None),
    25: ("draft", 3, None), 32: ("approved", 3, 3), 33: ("submitted", 3, None), 36: ("submitted", 4, None),
}  # fmt: skip

# The 2026 cycle runs on Pemdi 8/2026 (PermenPANRB 8/2026 revokes 59/2020). An instansi holds one
# evaluation per year, so where that framework is loaded Siak's 2026 evaluation is a Pemdi one,
# seeded from its SPBE history by the carry-over mapping, while Sumedang keeps its 2026 cycle on
# 59/2020 (a region that has not switched yet; the workflow journeys run on it too). Without the
# Pemdi framework loaded, both stay on 59/2020 as before.
PEMDI_CODE = "permenpanrb-8-2026"
OPEN_SUCCESSOR = {"kabupaten-siak": PEMDI_CODE}
# Pemdi indicator number -> (state, self-assessed value, verified value or None); decimals.
PEMDI_FILL: dict[int, tuple[str, str, str | None]] = {
    1: ("approved", "2.75", "2.60"), 2: ("approved", "2.40", "2.40"), 4: ("approved", "2.10", "2.10"),
    13: ("submitted", "2.80", None), 14: ("submitted", "3.20", None), 16: ("returned", "2.60", None),
}  # fmt: skip
# Evidence links of Siak 2022 that the carry-over offers again: indicator -> (title, url).
DEMO_LINKS_2022: dict[int, tuple[str, str]] = {
    15: ("Katalog aplikasi Pemkab Siak 2022 (data demo)", "https://siakkab.go.id/"),
    31: ("Laporan audit keamanan SPBE 2022 (data demo)", "https://siakkab.go.id/"),
    23: ("Portal Satu Data Kabupaten Siak (data demo)", "https://siakkab.go.id/"),
}
