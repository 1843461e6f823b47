"""Evidence upload and download of a 20 MB file: filesystem versus the S3 backend, in one run.

With several sizes (`--mb 20,60`, the default) every size is measured on both backends and the
ratio is taken at the first; the peaks must not grow with the size (uploads and downloads are
streamed through temporary files and 64 kB chunks).

Each measurement runs in a fresh gunicorn (one sync worker, DEBUG off) on its own SQLite
database, against MEDIA_ROOT or a moto S3 server process on loopback (tests/s3.py). The worker's
peak resident memory (VmHWM) is read after a warm-up request and again after the transfers, so
the difference is what the transfer itself cost. Writes bench/out/storage_results.json.

    .venv/bin/python bench/storage_bench.py [--mb 20,60] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
PY = sys.executable

SETUP = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from assessment.models import Role
from tests.factories import InstansiFactory, MembershipFactory, OpdFactory, UserFactory
instansi = InstansiFactory(name="Kabupaten Bangku", slug="kabupaten-bangku")
user = MembershipFactory(user=UserFactory(username="opd.bangku"), instansi=instansi, role=Role.OPD,
                         opd=OpdFactory(instansi=instansi, code="bkpsdm")).user
store = SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
print(store.session_key)
"""


def big_pdf(size: int) -> bytes:
    """A valid PDF of about `size` bytes: the padding is an unreferenced stream object."""
    from tests.assessment.evidence import corpus

    padding = os.urandom(size - 2000)
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(padding), padding)
    return corpus.pdf(b"", stream)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hwm_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


class Gunicorn:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "spbe_portal.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
             "--timeout", "120"],
            # Its log beside the run's database, to see why a worker died (a broken static manifest).
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=(Path(env["MEDIA_ROOT"]).parent / "gunicorn.log").open("ab"),
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code in {200, 503}:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        pid = self.process.pid
        self.worker = int(Path(f"/proc/{pid}/task/{pid}/children").read_text().split()[0])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def upload(client: requests.Session, base: str, content: bytes, title: str) -> None:
    data = {"kind": "file", "title": title, "document_date": "2026-01-15",
            "csrfmiddlewaretoken": client.cookies.get("csrftoken", "")}  # fmt: skip
    answer = client.post(f"{base}/bukti/unggah/", data=data, files={"file": ("besar.pdf", content)}, timeout=300)
    if answer.status_code != 200 or title not in answer.text:
        raise RuntimeError(f"upload refused ({answer.status_code}): {answer.text[:300]}")


def measure(env: dict[str, str], session_key: str, content: bytes, small: bytes, runs: int) -> dict[str, Any]:
    cookies = {"sessionid": session_key}
    # Uploads in one process, downloads in a fresh one, so each peak is its own.
    node = Gunicorn(env)
    client = requests.Session()
    client.cookies.update(cookies)
    client.get(f"{node.base}/bukti/unggah/", timeout=30)
    # Warm-up: one small upload loads what every upload needs (pypdf, the S3 client's models).
    upload(client, node.base, small, "Pemanasan")
    before = hwm_kib(node.worker)
    uploads = []
    for run in range(runs):
        start = time.perf_counter()
        upload(client, node.base, content, f"Bangku {run}")
        uploads.append(time.perf_counter() - start)
    upload_peak = hwm_kib(node.worker) - before
    node.stop()

    ids = (
        "from assessment.models import EvidenceVersion as V; "
        "print(V.objects.latest('pk').pk, V.objects.earliest('pk').pk)"
    )
    version, small_version = subprocess.run(
        [PY, "manage.py", "shell", "-c", ids],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()[-2:]  # fmt: skip
    node = Gunicorn(env)
    client.get(f"{node.base}/bukti/", timeout=30)
    client.get(f"{node.base}/bukti/versi/{small_version}/unduh/", timeout=30)  # warm-up: the S3 client
    before = hwm_kib(node.worker)
    downloads = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = client.get(f"{node.base}/bukti/versi/{version}/unduh/", timeout=300)
        downloads.append(time.perf_counter() - start)
        assert answer.content == content or hashlib.sha256(answer.content).digest() == hashlib.sha256(content).digest()
    download_peak = hwm_kib(node.worker) - before
    node.stop()
    return {
        "upload_s": statistics.median(uploads), "download_s": statistics.median(downloads),
        "upload_peak_mib": upload_peak / 1024, "download_peak_mib": download_peak / 1024,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", default="20,60", help="file sizes in MB; the first one gives the ratio")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spbe_portal.settings")
    from tests.s3 import MotoServer

    sizes = [int(mb) for mb in args.mb.split(",")]
    results: dict[str, Any] = {"mb": sizes[0], "sizes": {}, "runs": args.runs}
    server = MotoServer().start()
    try:
        for backend in ("filesystem", "s3"):
            folder = Path(tempfile.mkdtemp(prefix="spbe-storage-bench-"))
            keep = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            env = {
                **keep, "DEBUG": "0", "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "REDIS_URL": "",
                "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "MEDIA_ROOT": str(folder / "media"),
                "EVIDENCE_MAX_MB": str(max(sizes) + 1),
            }  # fmt: skip
            if backend == "s3":
                env.update(server.env(server.new_bucket()))
            subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
            session_key = subprocess.run(
                [PY, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True, check=True
            ).stdout.split()[-1]
            for mb in sizes:
                content = big_pdf(mb * 1_000_000)
                row = measure(env, session_key, content, big_pdf(200_000), args.runs)
                results["sizes"].setdefault(str(mb), {})[backend] = {"bytes": len(content), **row}
            results[backend] = results["sizes"][str(sizes[0])][backend]
            shutil.rmtree(folder)  # kept after a failure: its gunicorn.log says why
    finally:
        server.stop()
    fs, s3 = results["filesystem"], results["s3"]
    results["ratio_upload"] = s3["upload_s"] / fs["upload_s"]
    results["ratio_download"] = s3["download_s"] / fs["download_s"]
    OUT.mkdir(exist_ok=True)
    (OUT / "storage_results.json").write_text(json.dumps(results, indent=2))
    print(f"Median of {args.runs}; peak = growth of the worker's VmHWM")
    print("| file | backend | upload | download | upload peak | download peak |")
    print("|---|---|---|---|---|---|")
    for mb, by_backend in results["sizes"].items():
        for backend, r in by_backend.items():
            print(f"| {mb} MB | {backend} | {r['upload_s']:.2f} s | {r['download_s']:.2f} s | "
                  f"{max(r['upload_peak_mib'], 0):.1f} MiB | {max(r['download_peak_mib'], 0):.1f} MiB |")  # fmt: skip
    print(f"S3 / filesystem at {sizes[0]} MB: upload {results['ratio_upload']:.2f}x, "
          f"download {results['ratio_download']:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
