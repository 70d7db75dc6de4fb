"""Two hosts of one installation: two `gongkai serve` processes with data folders of their own, one
PostgreSQL, one Redis and one object store (a real local S3 server) between them. What the first
receives the second's worker de-identifies and publishes; sessions and tokens made on one are good
on the other; without a shared secret key a host refuses to start and says what to set."""

import base64
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
import redis as redis_lib

from engine import bootstrap, clock
from tests.conftest import PG_DSN, _pg_available
from tests.support import workers
from tests.support.s3 import free_port

ROOT = Path(__file__).resolve().parents[2]
BODY = "关于公布低保名单的通知。户主李四，身份证号110101199003074573，电话13912341234。"
pytestmark = pytest.mark.postgres
# The servers and the worker keep the test's moved date, as `gongkai worker` processes of the tests do.
LAUNCH = "from tests.support import clock; clock.follow_parent(); from web.cli import main; main({args!r})"


@pytest.fixture
def shared(tmp_path, s3_server, redis_url):
    """What the hosts share: a PostgreSQL schema of its own, the run's Redis database, a bucket."""
    if not _pg_available() or not redis_url:
        if os.environ.get("CI"):
            pytest.fail("the two-host test needs PostgreSQL and a Redis server")
        pytest.skip("PostgreSQL or Redis not reachable")
    schema = f"gk_2h_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    redis_lib.Redis.from_url(redis_url).flushdb()  # no job of another test reaches these hosts
    bucket = s3_server.new_bucket()
    env = {**os.environ, "DATABASE_URL": f"{PG_DSN}?options=-csearch_path%3D{schema}", "REDIS_URL": redis_url,
           "GONGKAI_STORAGE_URL": s3_server.url(bucket), "GONGKAI_SECRET_KEY": "shared-" + uuid.uuid4().hex,
           "GONGKAI_SEAL_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
           "AWS_EC2_METADATA_DISABLED": "true", **workers.FAST_TIMING}
    started: list[subprocess.Popen] = []
    try:
        yield env, bucket, started
    finally:
        for proc in started:
            workers.stop(proc)
        redis_lib.Redis.from_url(redis_url).flushdb()
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _gongkai(env: dict, data_dir: Path, *args, log: Path) -> subprocess.Popen:
    data_dir.mkdir(exist_ok=True)
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-c", LAUNCH.format(args=list(args))], cwd=ROOT, start_new_session=True,
                                env={**env, "GONGKAI_DATA_DIR": str(data_dir)}, stdout=out, stderr=out)


def _host(shared, tmp_path, name: str, with_worker: bool) -> str:
    """Start a host (`serve --no-worker`, and `gongkai worker` beside it); return its base URL."""
    env, _bucket, started = shared
    port = free_port()
    log = tmp_path / f"{name}.log"
    started.append(_gongkai(env, tmp_path / name, "serve", "--port", str(port), "--workers", "1", "--threads", "4",
                            "--no-worker", log=log))
    if with_worker:
        started.append(_gongkai(env, tmp_path / name, "worker", log=log))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/login", timeout=5)
            return base
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"host {name} did not answer: {log.read_text(errors='replace')[-2000:]}")


class Browser:
    """urllib with a cookie jar: cookies are not per port, so one jar is one browser for both hosts
    (as behind one load balancer)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def open(self, url, data=None, headers=None, method=None):
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
        try:
            with self.opener.open(request, timeout=30) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def api(self, method, url, token, body=None):
        data = json.dumps(body).encode() if body is not None else None
        status, text = self.open(url, data=data, method=method, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        return status, json.loads(text) if text else {}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at (302 to the login page)


def _token(base, username) -> str:
    status, body = Browser().api("POST", f"{base}/api/login", "", {"username": username,
                                                                "password": bootstrap.DEMO_PASSWORD})
    assert status == 200, body
    return body["token"]


def _do_task(base, token, doc_id, data):
    client = Browser()
    status, listing = client.api("GET", f"{base}/api/tasks?scope=available&document_id={doc_id}", token)
    assert status == 200 and len(listing["items"]) == 1, listing
    task_id = listing["items"][0]["id"]
    assert client.api("POST", f"{base}/api/tasks/{task_id}/claim", token)[0] == 200
    status, body = client.api("POST", f"{base}/api/tasks/{task_id}/complete", token, {"data": data})
    assert status == 200, body


def _wait_for(what, check, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {seconds} s")


@pytest.mark.parametrize("missing, made_file", [("GONGKAI_SECRET_KEY", "secret_key"),
                                                 ("GONGKAI_SEAL_KEYS", "seal_keys")])
def test_a_host_without_the_shared_keys_refuses_to_start(shared, tmp_path, missing, made_file):
    env, _bucket, _started = shared
    env = {k: v for k, v in env.items() if k != missing}
    port = free_port()
    proc = _gongkai(env, tmp_path / "host-c", "serve", "--port", str(port), log=tmp_path / "c.log")
    assert proc.wait(60) != 0
    said = (tmp_path / "c.log").read_text()
    assert missing in said and "GONGKAI_STORAGE_URL" in said and "Traceback" not in said
    assert not (tmp_path / "host-c" / made_file).exists()  # no key of its own that others could not read


def test_two_hosts_share_work_sessions_tokens_and_files(shared, tmp_path, s3_server):
    env, bucket, _started = shared
    init = _gongkai(env, tmp_path / "host-a", "init", "--demo", log=tmp_path / "init.log")
    assert init.wait(180) == 0, (tmp_path / "init.log").read_text()[-2000:]
    a = _host(shared, tmp_path, "host-a", with_worker=False)  # web only: it cannot de-identify
    b = _host(shared, tmp_path, "host-b", with_worker=True)

    # A browser session made on A is good on B; a stranger's browser is sent to the login page.
    browser = Browser()
    status, page = browser.open(f"{a}/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    status, _ = browser.open(f"{a}/login", {"username": "reviewer1", "password": bootstrap.DEMO_PASSWORD,
                                            "csrf_token": csrf})
    assert status == 302
    assert browser.open(f"{b}/inbox")[0] == 200
    assert Browser().open(f"{b}/inbox")[0] == 302

    # An API token from B works on A.
    drafter = _token(b, "drafter1")
    formed = (clock.today() - timedelta(days=3)).isoformat()
    status, created = Browser().api("POST", f"{a}/api/documents", drafter, {
        "title": "低保名单公示", "category": "general", "attribute": "proactive", "formed_on": formed,
        "body": BODY, "channels": ["catalogue", "static_export"]})
    assert status == 201, created
    doc_id = created["id"]
    _do_task(b, _token(a, "reviewer1"), doc_id, {"decision": "approve", "opinion": "同意"})
    _do_task(a, _token(b, "secrecy1"), doc_id, {"decision": "approve", "opinion": "同意"})

    # Only B runs a worker: it reads the original A received from the store and de-identifies it.
    publisher = _token(a, "publisher1")
    _wait_for("the de-identification on host B", lambda: Browser().api(
        "GET", f"{a}/api/tasks?scope=available&document_id={doc_id}", publisher)[1].get("items"))
    _do_task(a, publisher, doc_id, {"decision": "confirm"})

    def published(base):
        status, body = Browser().open(f"{base}/api/public/documents/{doc_id}")
        return json.loads(body) if status == 200 else None

    public = _wait_for("the publication by host B", lambda: published(a))
    assert published(b) == public
    assert public["title"] == "低保名单公示" and "110101199003074573" not in public["text"]
    assert "13912341234" not in public["text"] and "139****1234" in public["text"]

    # Every file is in the shared store; neither host's data folder holds one.
    keys = s3_server.keys(bucket)
    assert sum(k.startswith("files/") for k in keys) >= 2  # at least the original and the redacted text
    assert f"files/export/{doc_id}.json" in keys  # the static export follows the files
    for host in ("host-a", "host-b"):
        assert not (tmp_path / host / "files").exists() and not (tmp_path / host / "export").exists()
        assert not (tmp_path / host / "secret_key").exists()
