"""Load for the node-loss test (tests/deploy/test_multinode.py): OPD staff browsing and uploading.

Runs against nginx on loopback only. Every user shares one logged-in session, reads the evidence library
and uploads a small PDF; uploads write an object and rows, which the test checks afterwards.
"""

from __future__ import annotations

import os

from locust import HttpUser, between, task

with open(os.environ["LOAD_PDF"], "rb") as handle:  # a valid PDF written by the test
    PDF = handle.read()


class OpdStaff(HttpUser):
    wait_time = between(0.2, 0.8)

    def on_start(self) -> None:
        # One session logged in by the test: 50 password hashes would measure PBKDF2, not nodes.
        self.client.cookies.set("sessionid", os.environ["LOAD_SESSION"])
        self.client.cookies.set("csrftoken", os.environ["LOAD_CSRF"])

    def _csrf(self) -> str:
        return str(self.client.cookies.get("csrftoken", ""))

    @task(4)
    def library(self) -> None:
        self.client.get("/bukti/")

    @task(1)
    def upload(self) -> None:
        data = {"kind": "file", "title": "Beban", "document_date": "2026-01-15", "csrfmiddlewaretoken": self._csrf()}
        self.client.post("/bukti/unggah/", data=data, files={"file": ("beban.pdf", PDF, "application/pdf")})
