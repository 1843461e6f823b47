"""Real processes for fault tests: a private PostgreSQL, a gunicorn portal, an HTTP client.

The shared PostgreSQL and Redis of the machine are never touched: a test that stops a
database stops its own, started here on a free loopback port. Every wait is bounded.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

from django.conf import settings

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {seconds} s")


class PrivatePostgres:
    """A throw-away cluster in `root`, owned by the postgres OS user when we run as root."""

    def __init__(self) -> None:
        # Not under pytest's tmp directory: the postgres user cannot enter root's 0700 folders.
        self.root, self.port = Path(tempfile.mkdtemp(prefix="spbe-pg-")), free_port()
        self.data, self.socket_dir = self.root / "data", self.root / "run"
        self.as_owner: list[str] = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *command: str, timeout: float = 120) -> None:
        run = subprocess.run([*self.as_owner, *command], capture_output=True, text=True, timeout=timeout)
        assert run.returncode == 0, f"{command[0]} failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}"

    def init(self) -> PrivatePostgres:
        self.socket_dir.mkdir(exist_ok=True)
        if self.as_owner:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w",
                  "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def restart(self) -> None:
        self.stop()
        self.start()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        self._run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)


def portal_env(database_url: str, media_root: Path, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off), plain http on loopback, tasks in-process unless REDIS_URL is given."""
    return {
        **os.environ, "DEBUG": "0", "DATABASE_URL": database_url, "REDIS_URL": "", "MEDIA_ROOT": str(media_root),
        "SECRET_KEY": "fault-test-secret-key-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "DJANGO_SETTINGS_MODULE": "spbe_portal.settings",
        **extra,
    }  # fmt: skip


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    run = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                         capture_output=True, text=True, timeout=timeout)  # fmt: skip
    assert run.returncode == 0, f"manage.py {' '.join(args)} failed:\n{run.stderr[-3000:]}"
    return run.stdout


class Portal:
    """gunicorn with one worker, so every request reuses the same database connection."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "spbe_portal.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--timeout", "30", "--access-logfile", "-"],
            cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.log = log
        try:
            wait_until(lambda: self.alive() and Browser(self.base).get("/healthz")[0] in {200, 503}, 60, "gunicorn")
        except AssertionError:
            self.close()
            raise AssertionError(f"the portal did not start:\n{log.read_text()[-3000:]}") from None

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


class Browser:
    """Cookies and CSRF like a browser; answers (status, body, headers), never raises on 4xx/5xx."""

    def __init__(self, base: str) -> None:
        self.base, self.cookies = base, CookieJar()
        self.raw = b""  # the last response's body, undecoded
        self.opener = build_opener(HTTPCookieProcessor(self.cookies))

    def request(self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None,
                timeout: float = 20) -> tuple[int, str, Any]:  # fmt: skip
        body = None
        if data is not None:
            body = urlencode({"csrfmiddlewaretoken": self.csrf(), **data}).encode()
        request = Request(self.base + path, data=body, headers=headers or {})  # noqa: S310  (our own http://127.0.0.1)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                self.raw = response.read()
                return response.status, self.raw.decode(errors="replace"), response.headers
        except HTTPError as error:
            self.raw = error.read()
            return error.code, self.raw.decode(errors="replace"), error.headers
        except (URLError, ConnectionError):
            return 0, "", {}

    def get(self, path: str) -> tuple[int, str, Any]:
        return self.request(path)

    def post(self, path: str, data: dict[str, str], headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
        return self.request(path, data, headers)

    def csrf(self) -> str:
        return next((c.value or "" for c in self.cookies if c.name.endswith("csrftoken")), "")

    def login(self, username: str, password: str) -> None:
        status, page, _ = self.get("/accounts/login/")
        assert status == 200, page[:500]
        status, page, _ = self.post("/accounts/login/", {"username": username, "password": password})
        assert status == 200 and "Keluar" in page, f"login failed ({status}): {page[:800]}"


def field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    assert found, f"no field {name}"
    return found.group(1)
