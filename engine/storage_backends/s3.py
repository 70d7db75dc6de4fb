"""An S3-compatible object store (MinIO, Ceph, the clouds' object stores) through boto3.

boto3 rather than the `minio` client: it is the reference S3 SDK, finds credentials the standard
way (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws, instance roles), retries
throttling, 5xx answers and dropped connections with backoff, streams large files as multipart
uploads, and signs time-limited download links. Every operation here is safe to retry: a key is
written whole or not at all (the same bytes, for a content-addressed file), reads and deletes are
idempotent. Objects are written without an ACL, so they stay as private as the bucket.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qs, quote, unquote, urlsplit

import boto3
from boto3.exceptions import Boto3Error
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from engine.storage_backends import StorageError

URL_FORM = ("s3://[ACCESS_KEY:SECRET_KEY@]bucket[/prefix]"
            "[?endpoint=http://host:9000&region=…&addressing=path|virtual&sse=AES256|aws:kms&tries=5]")
OPTIONS = {"endpoint", "region", "addressing", "sse", "tries"}
MISSING = {"NoSuchKey", "404", "NotFound"}
# Above this a file goes up in parts (s3transfer's multipart upload), each retried alone.
MULTIPART_FROM = 16 * 1024 * 1024


def parse_url(url: str, name: str = "GONGKAI_STORAGE_URL") -> dict:
    """The parts of an s3:// URL; ValueError naming the variable and what to fix."""
    parts = urlsplit(url)
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = set(options) - OPTIONS
    if not parts.hostname or unknown:
        what = f"unknown option(s) {', '.join(sorted(unknown))}" if unknown else "no bucket"
        raise ValueError(f"{name}: {what}; the form is {URL_FORM}")
    endpoint = options.get("endpoint")
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ValueError(f"{name}: endpoint must start with http:// or https://, got {endpoint!r}")
    if options.get("addressing", "path") not in ("path", "virtual"):
        raise ValueError(f"{name}: addressing must be path or virtual, got {options['addressing']!r}")
    if not options.get("tries", "5").isdigit() or int(options.get("tries", "5")) < 1:
        raise ValueError(f"{name}: tries must be a whole number from 1, got {options['tries']!r}")
    return {"bucket": parts.hostname, "prefix": parts.path.strip("/"), "endpoint": endpoint,
            "region": options.get("region"), "sse": options.get("sse"), "tries": int(options.get("tries", "5")),
            # MinIO and Ceph answer at one host for every bucket: path style unless told otherwise.
            "addressing": options.get("addressing", "path" if endpoint else "virtual"),
            "access_key": unquote(parts.username) if parts.username else None,
            "secret_key": unquote(parts.password) if parts.password else None}


class S3Backend:
    def __init__(self, bucket: str, prefix: str = "", endpoint: str | None = None, region: str | None = None,
                 addressing: str = "path", sse: str | None = None, tries: int = 5, access_key: str | None = None,
                 secret_key: str | None = None):
        self.bucket, self.prefix, self.endpoint, self.sse = bucket, prefix, endpoint, sse
        config = Config(
            retries={"max_attempts": tries, "mode": "standard"}, connect_timeout=5, read_timeout=60,
            s3={"addressing_style": addressing}, signature_version="s3v4",  # v2 links are refused by most stores
            # botocore adds CRC checksums to every upload by default since 1.36; several
            # S3-compatible stores refuse them. Only when the operation requires one.
            request_checksum_calculation="when_required", response_checksum_validation="when_required")
        session = boto3.session.Session(aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                                        region_name=region)
        self.client = session.client("s3", endpoint_url=endpoint, config=config,
                                     region_name=region or session.region_name or "us-east-1")

    @classmethod
    def from_url(cls, url: str) -> S3Backend:
        return cls(**parse_url(url))

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _extra(self, content_type: str) -> dict:
        extra = {"ContentType": content_type}
        if self.sse:
            extra["ServerSideEncryption"] = self.sse
        return extra

    def write(self, key: str, data, content_type: str) -> None:
        with self._errors("写入 (write)", key):
            if isinstance(data, bytes | bytearray) and len(data) < MULTIPART_FROM:
                self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=bytes(data),
                                       **self._extra(content_type))
                return
            stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
            self.client.upload_fileobj(stream, self.bucket, self._key(key), ExtraArgs=self._extra(content_type))

    def read(self, key: str) -> bytes:
        with self._errors("读取 (read)", key):
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
            try:
                return body.read()
            finally:
                body.close()

    def open(self, key: str):
        with self._errors("读取 (read)", key):
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]

    def exists(self, key: str) -> bool:
        try:
            with self._errors("查询 (look up)", key):
                self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except FileNotFoundError:
            return False

    def delete(self, key: str) -> None:
        with self._errors("删除 (delete)", key):
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def delete_tree(self, prefix: str) -> None:
        """Remove every key under `prefix/`, a thousand per request (the most S3 takes at once)."""
        if not prefix.strip("/"):
            raise ValueError("refusing to delete the whole store")
        with self._errors("删除 (delete)", prefix + "/"):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self._key(prefix.strip("/") + "/"))
            for page in pages:
                keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                if keys:
                    self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})

    def url(self, key: str, seconds: int, filename: str | None) -> str | None:
        params = {"Bucket": self.bucket, "Key": self._key(key)}
        if filename:
            params["ResponseContentDisposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        with self._errors("签发下载链接 (sign a link)", key):
            return self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=int(seconds))

    def address(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}"

    def check(self) -> None:
        try:
            with self._errors("访问存储桶 (reach the bucket)", ""):
                self.client.head_bucket(Bucket=self.bucket)
        except FileNotFoundError:  # HEAD answers a bare 404 for a missing bucket
            raise StorageError(f"存储桶不存在 (NoSuchBucket): {self.address('')}"
                               + (f" at {self.endpoint}" if self.endpoint else "")) from None

    def _errors(self, action: str, key: str):
        return _Translated(self, action, key)


class _Translated:
    """Turn boto3's errors into FileNotFoundError (no such key) or StorageError naming the store."""

    def __init__(self, backend: S3Backend, action: str, key: str):
        self.where = backend.address(key) + (f" at {backend.endpoint}" if backend.endpoint else "")
        self.action = action

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, _tb):
        if isinstance(exc, ClientError):
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            if code in MISSING:
                raise FileNotFoundError(f"no such stored object: {self.where}") from None
            raise StorageError(f"对象存储拒绝{self.action}：{self.where}：{code} {error.get('Message', '')}".strip()) from exc
        if isinstance(exc, BotoCoreError | Boto3Error):
            raise StorageError(f"对象存储{self.action}失败（已重试）：{self.where}：{exc}") from exc
        return False
