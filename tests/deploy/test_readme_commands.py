"""Every shell command README.md shows runs as written on a fresh copy of the repository after `make setup`.

The copy holds the files a clone would (tracked plus new, not ignored: no database, no static
files, no .env.dev) and borrows the installed virtualenv (its parts linked, its own `.installed`
stamp) and the test-only npm packages, so `make setup` and `make run` run as written and skip only
the pip and npm installs. The environment carries no DEBUG and no SECRET_KEY, as a
newcomer's shell would not. The database is PostgreSQL (a database of its own), so CI runs this
in its PostgreSQL pass; Celery stays in-process, the README's default.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require_service

pytestmark = pytest.mark.services

ROOT = Path(settings.BASE_DIR)
# Commands the test does not run as written, and why. Any other README command must run.
NOT_RUN = {
    "make test": "the suite itself; CI runs it as its own step",
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/spbe REDIS_URL=redis://127.0.0.1:6379/0 make run": (
        "names a fixed database and port 8000; this test runs `make run` on a database of its own"
    ),
    "docker compose exec": "needs a Docker engine (.ci/run validates docker-compose.yml)",
    "docker compose run": "needs a Docker engine (.ci/run validates docker-compose.yml)",
}
# What the README says a command prints (its "# ..." line below), checked in the output.
EXPECTED = {
    "--framework permenpanrb-8-2026": '"index": "2.40", "predicate": "Cukup"',
    "--framework permenpanrb-59-2020": '"index": "2.51", "predicate": "Cukup"',
    "scripts/api_example.py": "Kabupaten Siak 2022: 2.35 Cukup",
}
SETUP_SECONDS = 900
COMMAND_SECONDS = 300


def readme_commands() -> list[str]:
    """The commands of README.md's ```sh blocks: continuation lines joined, comment lines dropped."""
    blocks = re.findall(r"^```sh\n(.*?)^```", (ROOT / "README.md").read_text(), flags=re.S | re.M)
    commands: list[str] = []
    for block in blocks:
        joined = re.sub(r"\\\n\s*", "", block)
        commands += [line.strip() for line in joined.splitlines() if line.strip() and not line.startswith("#")]
    return commands


def skipped(command: str) -> bool:
    return any(command.startswith(prefix) for prefix in NOT_RUN)


def test_readme_lists_commands_the_test_knows() -> None:
    commands = readme_commands()
    assert any(c.startswith("make run") for c in commands)
    assert sum(not skipped(c) for c in commands) >= 7, commands
    for prefix in NOT_RUN:
        assert any(c.startswith(prefix) for c in commands), f"README no longer shows {prefix!r}: update NOT_RUN"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fresh_database() -> str:
    """A PostgreSQL database of this test's own, dropped and created empty."""
    import dj_database_url
    import psycopg2

    url = os.environ.get("DATABASE_URL", "")
    require_service(url.startswith("postgres"), "PostgreSQL (DATABASE_URL)")
    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_readme"
    admin = psycopg2.connect(
        dbname="postgres", user=config["USER"], password=config["PASSWORD"], host=config["HOST"], port=config["PORT"]
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh copy after `make setup`, and the newcomer's environment to run commands in."""
    database = _fresh_database()
    target = tmp_path_factory.mktemp("clone")
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.split(b"\0")
    present = [name for name in files if name and (ROOT / os.fsdecode(name)).is_file()]
    subprocess.run(["cp", "--parents", "-t", str(target), *map(os.fsdecode, present)], cwd=ROOT, check=True)
    venv, installed = target / ".venv", (ROOT / ".venv").resolve()
    venv.mkdir()
    for part in installed.iterdir():
        if part.name != ".installed":
            (venv / part.name).symlink_to(part)
    (venv / ".installed").touch()  # newer than the copied requirements: make leaves the shared venv alone
    # The same stamp skips scripts/system-deps.sh, which on a real fresh clone also runs `npm ci` for
    # the test-only npm packages (the OpenID Provider the README starts): borrow those installs too.
    for packages in ("tests/oidc/node_modules", "tests/browser/axe/node_modules"):
        if (ROOT / packages).is_dir():
            (target / packages).symlink_to(ROOT / packages)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    for name in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_COOKIES"):
        env.pop(name, None)
    env |= {"DATABASE_URL": database, "REDIS_URL": ""}
    setup = subprocess.run(
        ["make", "setup"], cwd=target, env=env, capture_output=True, text=True,
        timeout=SETUP_SECONDS,
    )  # fmt: skip
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    assert (target / ".env.dev").is_file()
    return target, env


def _run(command: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=COMMAND_SECONDS,
    )  # fmt: skip
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    for marker, text in EXPECTED.items():
        if marker in command:
            assert text in done.stdout, f"{command}\nprinted {done.stdout[-2000:]!r}, README says {text!r}"
    return done.stdout


def _serve(cwd: Path, env: dict[str, str], command: str, url: str) -> subprocess.Popen[bytes]:
    """A README command that serves until stopped, as written, once `url` answers 200."""
    log_path = cwd / f"serve-{_free_port()}.log"
    server = subprocess.Popen(
        ["bash", "-c", command], cwd=cwd, env=env, start_new_session=True,
        stdout=log_path.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + SETUP_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, f"{command} stopped: " + log_path.read_text()[-3000:]
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a loopback URL of ours)
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(2)
    raise AssertionError(f"{command} did not serve within the time limit")


def _stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def test_every_readme_command_runs_as_written(checkout: tuple[Path, dict[str, str]]) -> None:
    cwd, env = checkout
    commands = [c for c in readme_commands() if not skipped(c)]
    port = _free_port()
    servers: list[subprocess.Popen[bytes]] = []
    server: subprocess.Popen[bytes] | None = None
    try:
        for command in commands:
            # Servers run until stopped: started as written, checked to answer, stopped at the end.
            # `make run` takes its port from the environment (PORT), since tests never use 8000.
            if command.startswith("make run"):
                server = _serve(cwd, env | {"PORT": str(port)}, command, f"http://127.0.0.1:{port}/healthz")
                servers.append(server)
            elif command.startswith("node tests/oidc/provider.mjs"):
                issuer = "http://127.0.0.1:9400"  # as the README says; the portal command below names it
                servers.append(_serve(cwd, env, command, f"{issuer}/.well-known/openid-configuration"))
            elif command.startswith("OIDC_PROVIDERS=") and command.endswith("make run"):
                sso_port = _free_port()
                sso = _serve(cwd, env | {"PORT": str(sso_port)}, command, f"http://127.0.0.1:{sso_port}/healthz")
                servers.append(sso)
                with urllib.request.urlopen(f"http://127.0.0.1:{sso_port}/accounts/login/", timeout=30) as page:
                    assert "Masuk dengan SSO uji" in page.read().decode()
            elif "spbe_import" in command:
                # The archive moves to another deployment: a fresh one, migrated and with the frameworks.
                other = env | {"DATABASE_URL": f"sqlite:///{cwd / 'other-deployment.sqlite3'}"}
                _run(".venv/bin/python manage.py migrate --noinput -v0", cwd, other)
                _run(".venv/bin/python manage.py load_framework", cwd, other)
                _run(command, cwd, other)
            elif "api_example.py" in command:
                assert server is not None, "the README shows the API example before `make run`"
                _run(command, cwd, env | {"API_URL": f"http://127.0.0.1:{port}/api/v1"})
            else:
                _run(command, cwd, env)
        # Named in the README's prose rather than in a block.
        assert "evaluasi" in _run(".venv/bin/python manage.py compute_results", cwd, env)
    finally:
        for running in servers:
            _stop(running)
    assert (cwd / "siak-2022.pdf").read_bytes().startswith(b"%PDF")
    assert (cwd / "siak-2022.zip").stat().st_size > 0


def test_production_mode_still_needs_a_real_secret_key(checkout: tuple[Path, dict[str, str]]) -> None:
    """.env.dev serves the checkout's hand-typed commands only: production settings still refuse."""
    cwd, env = checkout
    production = env | {"DEBUG": "0", "ALLOWED_HOSTS": "spbe.example.go.id"}
    done = subprocess.run(
        [".venv/bin/python", "manage.py", "check", "--deploy"], cwd=cwd, env=production, capture_output=True,
        text=True, timeout=COMMAND_SECONDS,
    )  # fmt: skip
    assert done.returncode != 0 and "SECRET_KEY is not set" in done.stderr


def test_what_to_try_table_names_what_the_accounts_have(checkout: tuple[Path, dict[str, str]]) -> None:
    """The README's demo table, checked against the database `make setup` built (Pemdi loaded)."""
    cwd, env = checkout
    query = (
        "from assessment.models import Answer\n"
        "for a in Answer.objects.filter(evaluation__year=2026).select_related('indicator', 'lead_opd',"
        " 'evaluation__instansi', 'evaluation__framework'):\n"
        "    print(a.evaluation.instansi.slug, a.evaluation.framework.code, a.indicator.number,"
        " a.lead_opd.code if a.lead_opd else '-', a.status)\n"
    )
    rows = {
        tuple(line.split()) for line in _run(f'.venv/bin/python manage.py shell -c "{query}"', cwd, env).splitlines()
    }
    siak, sumedang = ("kabupaten-siak", "permenpanrb-8-2026"), ("kabupaten-sumedang", "permenpanrb-59-2020")
    assert (*siak, "3", "bkpsdm", "draft") in rows
    assert (*siak, "5", "diskominfo", "draft") in rows
    assert (*siak, "16", "diskominfo", "returned") in rows
    assert {(*siak, n, "diskominfo", "submitted") for n in ("13", "14")} <= rows
    assert {r[2] for r in rows if r[:2] == siak and r[3] == "bkpsdm"} == {"3"}
    assert {r[2] for r in rows if r[:2] == sumedang and r[3] == "bkpsdm"} == {"25", "36", "41"}
    assert (*sumedang, "11", "diskominfo", "returned") in rows
