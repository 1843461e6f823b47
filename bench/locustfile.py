"""The load test's people: OPD staff, Sekda and verifikator, on loopback (run by bench/national.py).

Each simulated user takes one real person prepared by bench/measure.py (a logged-in session and
that person's own answers, read from BENCH_ACTORS), so two users never edit the same answer.
The mix: OPD staff open the questionnaire, autosave and upload evidence; the Sekda watches the
dashboard and asks for a report; the verifikator opens the queue and decides. Think time
0.5-1.5 s, as in ../shared/notes/engineering.md §3.1.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import re
from datetime import UTC, datetime
from typing import Any

from locust import HttpUser, between, task

ACTORS: dict[str, list[dict[str, Any]]] = json.loads(open(os.environ["BENCH_ACTORS"]).read())  # noqa: SIM115
NEXT = {kind: itertools.cycle(people) for kind, people in ACTORS.items()}
CSRF = "benchcsrf" + "0" * 23  # a 32-character secret: Django accepts it unmasked in the header
VERSION = re.compile(r'name="version" value="(\d+)"')
TODAY = datetime.now(UTC).date().isoformat()  # a document date that is never in the future
# Each run decides its own share of the submitted answers (run PART of PARTS).
PART, PARTS = int(os.environ.get("BENCH_PART", "0")), int(os.environ.get("BENCH_PARTS", "1"))
for reviewer in ACTORS["reviewer"]:
    reviewer["answers"] = reviewer["answers"][PART::PARTS]


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "steelblue").save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()


class Person(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.me = next(NEXT[self.kind])
        self.client.cookies.set("sessionid", self.me["session"])
        self.client.cookies.set("csrftoken", CSRF)

    def post(self, path: str, name: str, **kwargs: Any) -> Any:
        return self.client.post(path, name=name, headers={"X-CSRFToken": CSRF}, allow_redirects=False, **kwargs)


class OpdStaff(Person):
    weight = 6
    kind = "opd"

    def on_start(self) -> None:
        super().on_start()
        self.answer = random.choice(self.me["answers"])
        self.version: int | None = None

    @task(3)
    def questionnaire(self) -> None:
        self.client.get("/penilaian/", name="worklist")
        self.answer = random.choice(self.me["answers"])
        page = self.client.get(f"/penilaian/jawaban/{self.answer}/", name="indicator page")
        found = VERSION.search(page.text)
        self.version = int(found[1]) if found else None

    @task(3)
    def autosave(self) -> None:
        if self.version is None:
            return self.questionnaire()
        data = {"value": str(random.randint(1, 5)), "explanation": f"Fakta dan analisis {random.random()}",
                "version": str(self.version)}  # fmt: skip
        headers = {"X-CSRFToken": CSRF, "HX-Request": "true"}
        path = f"/penilaian/jawaban/{self.answer}/simpan/"
        with self.client.post(path, data=data, name="autosave", headers=headers, catch_response=True) as response:
            found = VERSION.search(response.text)
            if response.status_code != 200 or (not found and "data-conflict" not in response.text):
                response.failure(f"autosave: HTTP {response.status_code}")
            self.version = int(found[1]) if found else None  # a conflict (after an upload): reload the page
        return None

    @task(1)
    def upload(self) -> None:
        data = {"kind": "file", "title": "Tangkapan layar layanan", "document_date": TODAY}
        with self.client.post(f"/bukti/unggah/?jawaban={self.answer}", data=data, files={"file": ("layar.png", PNG)},
                              name="upload", headers={"X-CSRFToken": CSRF}, allow_redirects=False,
                              catch_response=True) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"upload: HTTP {response.status_code}")
        self.version = None


class Sekda(Person):
    weight = 3
    kind = "sekda"

    @task(5)
    def dashboard(self) -> None:
        self.client.get(f"/indeks/evaluasi/{self.me['evaluation']}/", name="dashboard")

    @task(1)
    def report(self) -> None:
        if random.random() < 0.2:  # weight 0.2 of the dashboard's 1
            self.post(f"/laporan/evaluasi/{self.me['finalised']}/minta/", "report request", data={"kind": "hasil"})


class Verifikator(Person):
    weight = 1
    kind = "reviewer"

    @task(2)
    def queue(self) -> None:
        self.client.get("/penilaian/periksa/", name="review queue")

    @task(1)
    def decide(self) -> None:
        if not self.me["answers"]:
            return self.queue()
        pk, version, claimed = self.me["answers"].pop()
        data = {"decision": "approved", "reason": "", "verified_value": claimed, "version": str(version)}
        with self.client.post(
            f"/penilaian/periksa/{pk}/", data=data, name="review decision", headers={"X-CSRFToken": CSRF},
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"review decision: HTTP {response.status_code}")
        return None
