"""Two gunicorn nodes and a Celery worker, each in its own network namespace, behind nginx.

They share PostgreSQL, Redis and the S3 server (tests/deploy/netns.py has the layout). The test
proves that no node keeps state of its own: a file uploaded through A downloads through B, a
report asked for on B is built by the worker and downloaded through A, a lockout counted on A
holds on B, and losing A (SIGKILL, under load) leaves B serving and nothing half-written.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse

from archive.storage_audit import audit, repair
from assessment.models import Evidence, EvidenceVersion
from reports.models import Report, ReportStatus
from tests.assessment.evidence import corpus
from tests.assessment.evidence.conftest import Place, make_place, small_framework
from tests.conftest import require_service
from tests.deploy.netns import Network
from tests.deploy.test_nginx import TEMPLATE
from tests.faults.stack import free_port, wait_until
from tests.reports_flow.conftest import redis_up

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PASSWORD = "kata-sandi-uji-multinode-2026"
NODE_PORT = 8000  # inside each node's own namespace, where nothing else listens


@dataclass
class Stack:
    nginx: str
    node_a: str
    node_b: str
    net: Network
    node_a_log: Path


def nginx_conf(folder: Path, listen: int, nodes: list[str]) -> Path:
    upstream = f"{nodes[0]};\n    server " + ";\n    server ".join(nodes[1:])
    values = {
        "NGINX_LISTEN": f"127.0.0.1:{listen}", "NGINX_UPSTREAM": upstream, "NGINX_MAX_BODY": "21m",
        "NGINX_STATIC_ROOT": str(settings.STATIC_ROOT), "NGINX_MEDIA_ROOT": str(folder / "no-media"),
    }  # fmt: skip
    server = TEMPLATE.read_text()
    for name, value in values.items():
        server = server.replace("${" + name + "}", value)
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


def up(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=3).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def stack(tmp_path: Path, s3_server: Any) -> Iterator[Stack]:
    require_service(os.geteuid() == 0 and shutil.which("ip") is not None, "root and iproute2 (network namespaces)")
    require_service(shutil.which("socat") is not None and shutil.which("nginx") is not None, "socat and nginx")
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://...)")
    require_service(redis_up(), "Redis (REDIS_URL=redis://...)")
    require_service((Path(settings.STATIC_ROOT) / "staticfiles.json").exists(), "collected static files")
    bucket = s3_server.new_bucket()
    net = Network(3).up()
    nginx = None
    try:
        ports = {name: free_port() for name in ("pg", "redis", "s3")}
        db = connection.settings_dict
        net.forward(ports["pg"], int(db["PORT"] or 5432))
        net.forward(ports["redis"], int(settings.REDIS_URL.rsplit(":", 1)[1].split("/")[0]))
        net.forward(ports["s3"], s3_server.port)
        gw, redis_db = net.gateway, settings.REDIS_URL.rsplit("/", 1)[1]
        env = {
            **os.environ, **s3_server.env(bucket), "AWS_S3_ENDPOINT_URL": f"http://{gw}:{ports['s3']}",
            "DATABASE_URL": f"postgres://{db['USER']}@{gw}:{ports['pg']}/{db['NAME']}",
            "REDIS_URL": f"redis://{gw}:{ports['redis']}/{redis_db}", "DEBUG": "0",
            "SECRET_KEY": "multinode-test-secret-key-" + "x" * 40, "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": f"127.0.0.1,{net.address(0)},{net.address(1)}", "DJANGO_SETTINGS_MODULE": "spbe_portal.settings",
            "GUNICORN_WORKERS": "2", "MEDIA_ROOT": str(tmp_path / "no-media-on-nodes"),
        }  # fmt: skip
        gunicorn = [sys.executable, "-m", "gunicorn", "spbe_portal.wsgi", "--bind", f"0.0.0.0:{NODE_PORT}",
                    "--workers", "2", "--timeout", "30"]  # fmt: skip
        for host in (0, 1):
            net.run(host, gunicorn, env, tmp_path / f"node{host}.log", settings.BASE_DIR)
        net.run(2, [sys.executable, "-m", "celery", "-A", "spbe_portal", "worker", "--concurrency", "1",
                    "--without-heartbeat", "--without-mingle", "--without-gossip"],
                env, tmp_path / "worker.log", settings.BASE_DIR)  # fmt: skip
        nodes = [f"http://{net.address(host)}:{NODE_PORT}" for host in (0, 1)]
        for node in nodes:
            wait_until(partial(up, node), 90, f"node {node}")
        port = free_port()
        nginx = subprocess.Popen(
            ["nginx", "-c", str(nginx_conf(tmp_path, port, [n.removeprefix("http://") for n in nodes])),
             "-p", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: up(base), 30, "nginx")
        settings_for_test(s3_server, bucket)
        yield Stack(base, nodes[0], nodes[1], net, tmp_path / "node0.log")
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=15)
        net.down()


def settings_for_test(s3_server: Any, bucket: str) -> None:
    """This process reads the same bucket as the nodes (for the checks after the load)."""
    from django.test.utils import override_settings

    values = s3_server.settings(bucket)
    values["STORAGES"] = {**settings.STORAGES, **values["STORAGES"]}
    override = override_settings(**values)
    override.enable()
    settings._multinode_override = override


@pytest.fixture(autouse=True)
def _restore_settings() -> Iterator[None]:
    yield
    override = getattr(settings, "_multinode_override", None)
    if override is not None:
        override.disable()
        del settings._multinode_override  # type: ignore[misc]


@pytest.fixture
def place(db: None) -> Place:
    del db  # requested for database access
    place = make_place(small_framework(), "siak")
    for user in place.users.values():
        # gunicorn runs the production hashers (the test settings use MD5 for speed).
        user.password = _pbkdf2(PASSWORD)
        user.save(update_fields=["password"])
    return place


def _pbkdf2(password: str) -> str:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    return PBKDF2PasswordHasher().encode(password, "multinodesalt", iterations=1000)


def session(base: str, username: str) -> requests.Session:
    client = requests.Session()
    client.get(f"{base}/accounts/login/", timeout=10)
    answer = client.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        timeout=10,
    )
    assert answer.status_code == 200 and "Keluar" in answer.text, answer.text[:500]
    return client


def on(client: requests.Session) -> requests.Session:
    """The same browser session, talking to another node (the cookies carried over)."""
    other = requests.Session()
    for cookie in client.cookies:
        other.cookies.set(cookie.name, cookie.value or "")
    return other


def test_any_node_serves_what_another_stored(stack: Stack, place: Place) -> None:
    content = corpus.pdf() + b"%" + os.urandom(200_000)  # a comment after %%EOF keeps it a PDF
    a = session(stack.node_a, "opd_a.siak")
    upload = reverse("assessment:evidence-upload")
    answer = a.post(
        f"{stack.node_a}{upload}",
        data={"kind": "file", "title": "Lewat A", "document_date": "2026-01-15", "csrfmiddlewaretoken": a.cookies["csrftoken"]},
        files={"file": ("laporan.pdf", content, "application/pdf")}, timeout=30,
    )  # fmt: skip
    assert answer.status_code == 200, answer.text[:500]
    version = EvidenceVersion.objects.get(evidence__title="Lewat A")
    b = on(a)
    download = b.get(f"{stack.node_b}{reverse('assessment:evidence-download', args=[version.pk])}", timeout=30)
    assert download.status_code == 200 and hashlib.sha256(download.content).hexdigest() == version.sha256
    assert download.content == content

    # A report asked for on B, built by the worker in the third namespace, downloaded via A.
    sekda_b = session(stack.node_b, "sekda.siak")
    asked = sekda_b.post(
        f"{stack.node_b}/laporan/evaluasi/{place.evaluation.pk}/minta/",
        data={"kind": "csv", "csrfmiddlewaretoken": sekda_b.cookies["csrftoken"]}, timeout=30,
    )  # fmt: skip
    assert asked.status_code == 200
    report = Report.objects.get(evaluation=place.evaluation, kind="csv")
    wait_until(lambda: Report.objects.get(pk=report.pk).status == ReportStatus.DONE, 90, "the worker's report")
    report.refresh_from_db()
    got = on(sekda_b).get(f"{stack.node_a}/laporan/{report.pk}/unduh/", timeout=30)
    assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == report.sha256


@pytest.mark.usefixtures("place")
def test_a_lockout_counted_on_a_holds_on_b(stack: Stack) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client = requests.Session()
        client.get(f"{stack.node_a}/accounts/login/", timeout=10)
        client.post(
            f"{stack.node_a}/accounts/login/",
            data={"username": "opd_a.siak", "password": "salah", "csrfmiddlewaretoken": client.cookies["csrftoken"]},
            timeout=10,
        )
    client = requests.Session()
    client.get(f"{stack.node_b}/accounts/login/", timeout=10)
    locked = client.post(
        f"{stack.node_b}/accounts/login/",
        data={"username": "opd_a.siak", "password": PASSWORD, "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        timeout=10,
    )
    # The right password, on the other node: still refused, because the count is in the database.
    assert locked.status_code == 429 and "Keluar" not in locked.text


@pytest.mark.usefixtures("place")
def test_losing_node_a_under_load_leaves_b_serving_and_nothing_half_written(stack: Stack, tmp_path: Path) -> None:
    pdf = tmp_path / "load.pdf"
    pdf.write_bytes(corpus.pdf())
    users, seconds, kill_at = 50, 30, 10
    prefix = tmp_path / "load"
    staff = session(stack.nginx, "opd_a.siak")
    load = subprocess.Popen(
        [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locust_multinode.py")), "--headless",
         "-u", str(users), "-r", "25", "-t", f"{seconds}s", "--host", stack.nginx, "--csv", str(prefix),
         "--only-summary", "--stop-timeout", "10"],
        env={**os.environ, "LOAD_SESSION": str(staff.cookies["sessionid"]), "LOAD_CSRF": str(staff.cookies["csrftoken"]),
             "LOAD_PDF": str(pdf)},
        stdout=(tmp_path / "locust.log").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    time.sleep(kill_at)
    for pid in subprocess.run(
        ["ip", "netns", "pids", stack.net.names[0]], capture_output=True, text=True
    ).stdout.split():
        os.kill(int(pid), signal.SIGKILL)  # node A is lost: its master and workers, mid-request
    assert not up(stack.node_a)
    load.wait(timeout=seconds + 60)

    with (Path(f"{prefix}_stats.csv")).open() as handle:
        total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    requests_done, failures = int(total["Request Count"]), int(total["Failure Count"])
    # At most the requests in flight at the kill fail (one per user); nginx retries the rest on B.
    assert requests_done >= users and failures <= users, (tmp_path / "locust.log").read_text()[-3000:]

    # After the loss every request succeeds, through B.
    after = session(stack.nginx, "sekda.siak")
    for _ in range(20):
        assert after.get(f"{stack.nginx}/bukti/", timeout=10).status_code == 200

    # Nothing half-written: every version has its object and checksum; every evidence row its
    # history; an object written by a request that died before its commit is an orphan that
    # storage_check finds and removes (at most one per request in flight).
    uploaded = Evidence.objects.filter(title="Beban")
    assert uploaded.exists()
    assert all(e.history.filter(history_type="+").exists() for e in uploaded)
    found = audit()
    assert found.missing_evidence == [] and found.missing_reports == []
    assert len(found.orphans) <= users
    print(
        f"load: {requests_done} requests, {failures} failed, {uploaded.count()} uploads, {len(found.orphans)} orphans"
    )
    repair(found, grace=timedelta(0))
    assert audit().clean
