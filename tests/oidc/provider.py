"""Runs tests/oidc/provider.mjs (the npm package oidc-provider, an OpenID Certified implementation)
with Node on 127.0.0.1, and walks its own login page with requests to get an authorization code.

Node and the package are installed by scripts/system-deps.sh (npm ci in tests/oidc).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import requests

from tests.conftest import require_service

HERE = Path(__file__).parent
SCRIPT = HERE / "provider.mjs"
CLIENT_ID, CLIENT_SECRET = "spbe-portal", "spbe-portal-secret"
KEY = "uji"

# The test accounts of the provider: the login name picks one, any password is accepted.
USERS = {
    "asn.dikenal": {"nip": "198001012006041001", "name": "ASN Dikenal"},
    "asn.tanpa.akun": {"nip": "199909092020121999", "name": "ASN Tanpa Akun"},
    "asn.nonaktif": {"nip": "198703032012011003", "name": "ASN Nonaktif"},
    "asn.lain": {"nip": "198001012006041001", "name": "Orang lain, NIP sama"},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class RunningProvider:
    issuer: str

    def settings(self, label: str = "SSO Uji") -> dict[str, str]:
        """One entry of settings.SSO_PROVIDERS, as spbe_portal.settings builds it from OIDC_*."""
        empty = dict.fromkeys(
            ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint"), ""
        )
        return {"label": label, "issuer": self.issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "scopes": "openid profile nip", "nip_claim": "nip", "sign_algo": "RS256", **empty}  # fmt: skip


@contextmanager
def run_provider(redirect_bases: list[str]) -> Iterator[RunningProvider]:
    node = shutil.which("node")
    require_service(node is not None, "Node.js (apt-get install nodejs npm)")
    require_service((HERE / "node_modules" / "oidc-provider").exists(), "oidc-provider (scripts/system-deps.sh)")
    port = free_port()
    env = {**os.environ, "OIDC_TEST_PORT": str(port), "OIDC_TEST_REDIRECT_URIS": ",".join(redirect_bases),
           "OIDC_TEST_PROVIDER_KEYS": f"{KEY},kedua", "OIDC_TEST_USERS": json.dumps(USERS)}  # fmt: skip
    process = subprocess.Popen([str(node), str(SCRIPT)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read().decode() if process.stdout else "provider exited")
            time.sleep(0.1)
        else:
            raise RuntimeError("oidc-provider did not start")
        yield RunningProvider(issuer)
    finally:
        process.terminate()
        process.wait(timeout=10)


def sign_in_at_provider(authorize_url: str, login: str, stop_at: str) -> str:
    """Follow the provider from the authorization request through its login page; return the
    first redirect that leaves for `stop_at` (the portal's callback with code and state)."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith(stop_at):
                return url
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"[^>]*method="post"', response.text)
        assert form, response.text[:500]
        url = urljoin(url, unescape(form.group(1)))
        response = browser.post(url, data={"prompt": "login", "login": login, "password": "apa saja"},
                                allow_redirects=False, timeout=10)  # fmt: skip
        assert response.is_redirect, response.text[:500]
        url = urljoin(url, response.headers["Location"])
        if url.startswith(stop_at):
            return url
    raise AssertionError("the provider never redirected back")
