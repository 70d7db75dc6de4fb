"""A real S3-compatible server for the tests: moto's standalone server (`moto[server]` from PyPI)
started as a subprocess on 127.0.0.1 on a free port, spoken to over HTTP by boto3 as the product
speaks to MinIO or a cloud store. One server per test process; each test gets a bucket of its own.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import boto3
import pytest

from engine import config

ACCESS_KEY, SECRET_KEY = "gongkai-test", "gongkai-test-secret"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class S3Server:
    """`python -m moto.server` on a free port; `stop()` ends it."""

    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "AWS_EC2_METADATA_DISABLED": "true"}
        self.proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=2)
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("the S3 test server (moto.server) exited at start") from None
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the S3 test server (moto.server) did not answer within 60 s")

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION,
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)

    def new_bucket(self) -> str:
        name = f"gk-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def url(self, bucket: str, prefix: str = "files", **options) -> str:
        query = "&".join(f"{k}={v}" for k, v in {"endpoint": self.endpoint, "region": REGION, **options}.items())
        return f"s3://{ACCESS_KEY}:{SECRET_KEY}@{bucket}/{prefix}?{query}"

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def object_store(app, s3_server):
    """The app's files and static export in a fresh bucket of the S3 server: (server, bucket)."""
    bucket = s3_server.new_bucket()
    settings = config.current()
    settings.storage_url, settings.export_url = s3_server.url(bucket), s3_server.url(bucket, "export")
    yield s3_server, bucket
    settings.storage_url = settings.export_url = None
