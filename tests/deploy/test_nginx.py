"""The real nginx with deploy/nginx/spbe.conf.template in front of a real gunicorn."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from tests.assessment.evidence import corpus
from tests.assessment.evidence.conftest import add_pdf, latest, make_place, small_framework
from tests.conftest import require_service
from tests.factories import PASSWORD
from tests.faults.stack import Browser, Portal, free_port, portal_env, wait_until
from tests.reports_flow.conftest import database_url

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "spbe.conf.template"


def nginx_conf(folder: Path, listen: int, upstream: int) -> Path:
    """The compose template with this machine's values, inside a minimal main configuration."""
    values = {
        "NGINX_LISTEN": f"127.0.0.1:{listen}", "NGINX_UPSTREAM": f"127.0.0.1:{upstream}",
        "NGINX_MAX_BODY": "1m", "NGINX_STATIC_ROOT": str(settings.STATIC_ROOT),
        "NGINX_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }  # fmt: skip
    server = TEMPLATE.read_text()
    for name, value in values.items():
        server = server.replace("${" + name + "}", value)
    assert "${NGINX" not in server
    (folder / "spbe.conf").write_text(server)
    main = folder / "nginx.conf"
    main.write_text(
        f"daemon off;\nuser root root;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n default_type application/octet-stream;\n"
        f" access_log {folder}/access.log;\n client_body_temp_path {folder}/body;\n proxy_temp_path {folder}/proxy;\n"
        f" fastcgi_temp_path {folder}/fastcgi;\n uwsgi_temp_path {folder}/uwsgi;\n scgi_temp_path {folder}/scgi;\n"
        f" include {folder}/spbe.conf;\n}}\n"
    )
    return main


@pytest.fixture
def stack(tmp_path: Path, settings: Any) -> Iterator[tuple[str, Portal]]:
    require_service(shutil.which("nginx") is not None, "nginx (apt-get install nginx-light)")
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://...)")
    require_service((Path(settings.STATIC_ROOT) / "staticfiles.json").exists(), "collected static files")
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    env = portal_env(database_url(), Path(settings.MEDIA_ROOT), EVIDENCE_X_ACCEL="1")
    portal = Portal(env, tmp_path / "gunicorn.log")
    nginx = None
    try:
        port = free_port()
        nginx = subprocess.Popen(
            ["nginx", "-c", str(nginx_conf(tmp_path, port, portal.port)), "-p", str(tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: Browser(base).get("/healthz")[0] == 200, 30, "nginx")
        yield base, portal
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=15)
        portal.close()


def people(settings: Any) -> tuple[Any, Any]:
    # The test suite hashes with MD5 for speed; gunicorn knows only the production hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    framework = small_framework()
    place, elsewhere = make_place(framework, "siak"), make_place(framework, "lain")
    for user in (place.users["opd_a"], elsewhere.users["admin"]):
        user.set_password(PASSWORD)
        user.save()
    return place, elsewhere


def test_nginx_serves_static_and_evidence_after_the_permission_check(stack: tuple[str, Portal], settings: Any) -> None:
    base, portal = stack
    place, _ = people(settings)
    version = latest(add_pdf(place))

    status, css, headers = Browser(base).get("/static/css/portal.css")
    assert status == 200 and css == (Path(settings.STATIC_ROOT) / "css" / "portal.css").read_text()
    assert headers["X-Content-Type-Options"] == "nosniff"

    for guess in (f"/media/{version.file.name}", f"/_protected/{version.file.name}"):
        assert Browser(base).get(guess)[0] == 404, guess

    owner = Browser(base)
    owner.login("opd_a.siak", PASSWORD)
    url = f"/bukti/versi/{version.pk}/unduh/"
    status, _, headers = owner.get(url)
    assert status == 200 and owner.raw == corpus.pdf()
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith('attachment; filename="laporan.pdf"')
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "X-Accel-Redirect" not in headers

    stranger = Browser(base)
    stranger.login("admin.lain", PASSWORD)
    assert stranger.get(url)[0] == 404

    gunicorn_log = portal.log.read_text()
    assert "/static/" not in gunicorn_log  # nginx answered those itself
    assert url in gunicorn_log  # the download went through the permission check


def test_an_oversized_upload_stops_at_nginx(stack: tuple[str, Portal], settings: Any) -> None:
    base, portal = stack
    people(settings)
    owner = Browser(base)
    owner.login("opd_a.siak", PASSWORD)
    status, page, _ = owner.post("/bukti/unggah/", {"title": "Terlalu besar", "file": "x" * (1_100_000)})
    assert status == 413, page[:300]
    assert "/bukti/unggah/" not in portal.log.read_text()
