"""Stored files: the same interface on the data folder and on a real S3-compatible server, private
objects, clear errors, and the refusal to start a shared installation without a shared secret key."""

import hashlib
import io
import os
import stat
import urllib.request

import pytest

from engine import config, storage
from engine.storage_backends import StorageError

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # no database involved


@pytest.fixture(params=["local", "s3"])
def store(request, app, settings):
    """The app's storage on each backend; yields a function listing what the backend holds."""
    if request.param == "local":
        root = settings.data_dir / "files"
        yield lambda: sorted(p.name for p in root.rglob("*") if p.is_file())
        return
    server, bucket = request.getfixturevalue("object_store")
    yield lambda: [key.rsplit("/", 1)[-1] for key in server.keys(bucket, "files/")]

SEAL_KEYS = "k1:" + "QUFB" * 8  # 24 bytes of base64 = 32 bytes: any value shared by every host



def test_a_file_is_stored_once_under_its_sha256_and_read_back(store):
    content = "户主李四，身份证号110101199003074573".encode()
    digest = storage.put(content)
    assert digest == hashlib.sha256(content).hexdigest()
    assert storage.put(content) == digest  # the same bytes again: still one file
    assert store() == [digest]
    assert storage.get(digest) == content and storage.get_text(digest) == content.decode()
    assert storage.exists(digest)
    with storage.open_stream(digest) as stream:
        assert stream.read(6) == content[:6]


def test_a_stream_is_stored_in_chunks_and_deleted(store, monkeypatch):
    monkeypatch.setattr(storage, "SPOOL_IN_MEMORY", 1024)  # past it the stream is spooled to disk
    content = os.urandom(3 * 1024 * 1024 + 17)
    digest, size = storage.put_stream(io.BytesIO(content))
    assert (digest, size) == (hashlib.sha256(content).hexdigest(), len(content))
    assert storage.get(digest) == content
    storage.delete(digest)
    assert not storage.exists(digest) and store() == []
    with pytest.raises(FileNotFoundError):
        storage.get(digest)


def test_a_malformed_name_is_refused_before_the_store_is_asked(store):
    for bad in ("", "../secret_key", "A" * 64, "0" * 63):
        with pytest.raises(KeyError):
            storage.get(bad)


def test_local_files_are_private_to_the_service_account(app, settings):
    digest = storage.put(b"withheld")
    path = settings.data_dir / "files" / digest[:2] / digest
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert storage.url(digest) is None  # the application serves a local file itself


def test_objects_carry_no_public_grant_and_links_expire(object_store):
    server, bucket = object_store
    digest = storage.put(b"original with personal data")
    grants = server.client().get_object_acl(Bucket=bucket, Key=f"files/{digest[:2]}/{digest}")["Grants"]
    assert [g["Grantee"].get("URI") for g in grants if g["Grantee"]["Type"] == "Group"] == []
    link = storage.url(digest, seconds=60, filename="原件.txt")
    assert "X-Amz-Expires=60" in link and "X-Amz-Signature=" in link
    with urllib.request.urlopen(link, timeout=10) as resp:
        assert resp.read() == b"original with personal data"
        assert "attachment" in resp.headers["Content-Disposition"]


def test_a_missing_bucket_and_an_unreachable_store_are_named(object_store):
    server, _bucket = object_store
    settings = config.current()
    settings.storage_url = server.url("no-such-bucket", tries=1)
    with pytest.raises(StorageError, match="no-such-bucket.*NoSuchBucket"):
        storage.put(b"x")
    with pytest.raises(StorageError, match="no-such-bucket"):
        storage.check()
    closed = server.url("gk-any", tries=2).replace(server.endpoint, "http://127.0.0.1:9")
    settings.storage_url = closed
    with pytest.raises(StorageError, match=r"127\.0\.0\.1:9"):
        storage.get("0" * 64)


def test_storage_urls_are_checked_when_settings_load(settings):
    base = {"GONGKAI_DATA_DIR": str(settings.data_dir), "GONGKAI_SECRET_KEY": "k", "GONGKAI_SEAL_KEYS": SEAL_KEYS}
    with pytest.raises(ValueError, match="GONGKAI_STORAGE_URL.*no bucket"):
        config.load({**base, "GONGKAI_STORAGE_URL": "s3:///files"})
    with pytest.raises(ValueError, match="GONGKAI_STORAGE_URL.*unknown option.*endpont"):
        config.load({**base, "GONGKAI_STORAGE_URL": "s3://b/files?endpont=http://x"})
    with pytest.raises(ValueError, match="GONGKAI_EXPORT_URL"):
        config.load({**base, "GONGKAI_EXPORT_URL": "ftp://portal/export"})
    loaded = config.load({**base, "GONGKAI_STORAGE_URL": "s3://b/files?endpoint=http://127.0.0.1:9000"})
    assert loaded.export_url == "s3://b/files/export?endpoint=http://127.0.0.1:9000"  # beside the files


@pytest.mark.parametrize("shared", [
    {"GONGKAI_STORAGE_URL": "s3://b/files?endpoint=http://127.0.0.1:9000"},
    {"DATABASE_URL": "postgresql://db.example.internal/gongkai"},
    {"REDIS_URL": "redis://10.0.0.5:6379/0"},
])
def test_a_shared_installation_without_shared_keys_is_refused(settings, monkeypatch, tmp_path, shared):
    monkeypatch.delenv("GONGKAI_SECRET_KEY", raising=False)
    monkeypatch.delenv("GONGKAI_SEAL_KEYS", raising=False)
    base = {"GONGKAI_DATA_DIR": str(tmp_path / "host-b")}
    with pytest.raises(ValueError, match=f"GONGKAI_SECRET_KEY is not set.*{next(iter(shared))}"):
        config.load({**base, **shared, "GONGKAI_SEAL_KEYS": SEAL_KEYS})
    assert not (tmp_path / "host-b" / "secret_key").exists()  # nothing generated on the way
    with pytest.raises(ValueError, match=f"GONGKAI_SEAL_KEYS is not set.*{next(iter(shared))}"):
        config.load({**base, **shared, "GONGKAI_SECRET_KEY": "the-same-on-every-host"})
    loaded = config.load({**base, **shared, "GONGKAI_SECRET_KEY": "the-same-on-every-host", "GONGKAI_SEAL_KEYS": SEAL_KEYS})
    assert (loaded.secret_key, loaded.seal_keys) == ("the-same-on-every-host", SEAL_KEYS)
    # One machine with its own database and Redis: keys made for its data folder are enough.
    local = config.load({**base, "DATABASE_URL": "postgresql://127.0.0.1:5432/test", "REDIS_URL": "redis://localhost/1"})
    assert len(local.secret_key) == 64 and local.seal_keys == ""
