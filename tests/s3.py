"""A real S3-compatible server for tests: moto's standalone server as its own process on loopback.

It speaks the S3 HTTP protocol, so boto3 and django-storages go through their real network
code; nothing of boto3 is patched. Each test gets a fresh bucket, so "nothing left in the
bucket" is a statement about that test alone.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from typing import Any
from urllib.error import URLError
from urllib.request import urlopen

ACCESS_KEY = "spbe-test-key"
SECRET_KEY = "spbe-test-secret"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MotoServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, seconds: float = 60) -> MotoServer:
        env = {**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"moto server exited with {self.process.returncode}")
            try:
                with urlopen(f"{self.url}/moto-api/", timeout=2):  # noqa: S310 (our own loopback server)
                    return self
            except (URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"moto server did not answer within {seconds} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.url, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )  # fmt: skip

    def new_bucket(self) -> str:
        name = f"spbe-{uuid.uuid4().hex[:20]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def settings(self, bucket: str) -> dict[str, Any]:
        """The Django settings the portal derives from AWS_STORAGE_BUCKET_NAME and friends."""
        from boto3.s3.transfer import TransferConfig

        return {
            "STORAGES": {"default": {"BACKEND": "storages.backends.s3.S3Storage"}},
            "AWS_STORAGE_BUCKET_NAME": bucket, "AWS_S3_ENDPOINT_URL": self.url, "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_ACL": None,
            "AWS_S3_MAX_MEMORY_SIZE": 2_621_440, "AWS_S3_TRANSFER_CONFIG": TransferConfig(use_threads=False),
        }  # fmt: skip

    def env(self, bucket: str) -> dict[str, str]:
        """The same, as the environment of a portal process (gunicorn, Celery worker)."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket, "AWS_S3_ENDPOINT_URL": self.url, "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }  # fmt: skip
