"""Settings, read from the environment and validated once by `load()` (never at import time).

`configure(settings)` wires the database and the queue; the web app, the CLI, the workers and the
tests all start through it.
"""

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from engine import db, queue
from engine.storage_backends import beside, validate_url


@dataclass
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str | None
    secret_key: str
    queue_name: str = "gongkai"
    job_retries: int = 3
    retry_backoff: tuple = (2, 10, 60)
    # A worker beats every `worker_heartbeat` s; one silent for `worker_dead_after` s is dead and
    # its job runs again. The outbox sweep runs every `sweep_every` s and leaves rows younger than
    # `sweep_grace` s alone (their job may be on its way into Redis).
    worker_heartbeat: float = 5.0
    worker_dead_after: float = 30.0
    sweep_every: int = 15
    sweep_grace: int = 30
    agency_name: str = "示例县人民政府办公室"
    public_base_url: str = "http://127.0.0.1:5000"
    public_url_set: bool = False  # GONGKAI_PUBLIC_URL given: else pages link to the host they are served from
    webhook_url: str | None = None
    webhook_secret: str = ""
    # smtp://[user:password@]host[:port] (smtps:// for TLS from the start; ?starttls=1 to upgrade)
    smtp_url: str | None = None
    mail_from: str = ""
    # Reverse proxies whose X-Forwarded-For / -Proto are believed: "10.0.0.1, 192.168.0.0/16".
    trusted_proxies: str = ""
    # Who may read /metrics and the detail of /healthz without a staff login: a Bearer token, and/or
    # addresses or networks ("10.0.0.5, 10.1.0.0/16"). Neither set: only staff.
    metrics_token: str = ""
    metrics_allow: str = ""
    # Keys that seal stored originals (engine.crypto): "k2:base64,k1:base64", the first one seals.
    seal_keys: str = ""
    # Where stored files and the static export go (engine.storage_backends): the data folder when
    # None, else s3://bucket/prefix?endpoint=… (shared by every host) or a folder path. The export
    # follows the files into an object store (prefix/export/) unless GONGKAI_EXPORT_URL says otherwise.
    storage_url: str | None = None
    export_url: str | None = None
    extra: dict = field(default_factory=dict)


def load(overrides: dict | None = None) -> Settings:
    """Build settings from GONGKAI_* / DATABASE_URL / REDIS_URL and `overrides`; raise on bad values."""
    env = {**os.environ, **{k: str(v) for k, v in (overrides or {}).items() if isinstance(v, str | Path)}}
    data_dir = Path(env.get("GONGKAI_DATA_DIR", "./instance")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'gongkai.db'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url[len("postgres://"):]
    if not database_url.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg://")):
        raise ValueError(f"DATABASE_URL must be sqlite:/// or postgresql://, got {database_url!r}")
    redis_url = env.get("REDIS_URL") or None
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"REDIS_URL must start with redis:// or unix://, got {redis_url!r}")
    storage_url = validate_url("GONGKAI_STORAGE_URL", env.get("GONGKAI_STORAGE_URL"))
    shared = shared_services(database_url, redis_url, storage_url)
    return Settings(data_dir=data_dir, database_url=database_url, redis_url=redis_url,
                    secret_key=_secret_key(env, data_dir, shared),
                    storage_url=storage_url,
                    export_url=(validate_url("GONGKAI_EXPORT_URL", env.get("GONGKAI_EXPORT_URL"))
                                or beside(storage_url, "export")),
                    agency_name=env.get("GONGKAI_AGENCY_NAME", Settings.agency_name),
                    public_base_url=env.get("GONGKAI_PUBLIC_URL", Settings.public_base_url),
                    public_url_set=bool(env.get("GONGKAI_PUBLIC_URL")),
                    webhook_url=env.get("GONGKAI_WEBHOOK_URL") or None,
                    webhook_secret=env.get("GONGKAI_WEBHOOK_SECRET", ""),
                    smtp_url=_smtp_url(env.get("GONGKAI_SMTP_URL") or None),
                    mail_from=env.get("GONGKAI_MAIL_FROM", ""),
                    trusted_proxies=env.get("GONGKAI_TRUSTED_PROXIES", ""),
                    metrics_token=env.get("GONGKAI_METRICS_TOKEN", ""),
                    metrics_allow=env.get("GONGKAI_METRICS_ALLOW", ""),
                    seal_keys=_seal_keys(env, shared),
                    **_worker_timing(env))


def _worker_timing(env) -> dict:
    names = {"worker_heartbeat": ("GONGKAI_WORKER_HEARTBEAT", float),
             "worker_dead_after": ("GONGKAI_WORKER_DEAD_AFTER", float),
             "sweep_every": ("GONGKAI_SWEEP_EVERY", int), "sweep_grace": ("GONGKAI_SWEEP_GRACE", int)}
    out = {}
    for field_name, (var, kind) in names.items():
        if env.get(var):
            try:
                out[field_name] = kind(env[var])
            except ValueError:
                raise ValueError(f"{var} must be a number of seconds, got {env[var]!r}") from None
            if out[field_name] < 0 or (out[field_name] == 0 and field_name != "sweep_grace"):
                raise ValueError(f"{var} must be positive, got {env[var]!r}")
    return out


def _smtp_url(url):
    if url and not url.startswith(("smtp://", "smtps://")):
        raise ValueError(f"GONGKAI_SMTP_URL must start with smtp:// or smtps://, got {url!r}")
    return url


def _secret_key(env, data_dir: Path, shared: list[str]) -> str:
    """GONGKAI_SECRET_KEY, or a key generated for this data folder when nothing is shared.

    Sessions and API tokens are signed with it: hosts that share the database, Redis or the store
    with others must all sign with the same key, or a session made on one is refused by the next.
    """
    if env.get("GONGKAI_SECRET_KEY"):
        return env["GONGKAI_SECRET_KEY"]
    generated = data_dir / "secret_key"
    _require_shared_key("GONGKAI_SECRET_KEY", "同一个密钥", shared,
                        "the same random value on every host (for example the output of "
                        "`python3 -c 'import secrets; print(secrets.token_hex(32))'`)"
                        + (f"; to keep this host's sessions and tokens valid, use the key in {generated}"
                           if generated.exists() else ""))
    return _instance_secret(data_dir)


def _seal_keys(env, shared: list[str]) -> str:
    """GONGKAI_SEAL_KEYS, or "" for the key file the data folder makes for itself (engine.crypto).

    Hosts that share the database or the store read each other's sealed files, so they must all
    hold the same keys, or each is unable to open what the others sealed.
    """
    if env.get("GONGKAI_SEAL_KEYS"):
        return env["GONGKAI_SEAL_KEYS"]
    _require_shared_key("GONGKAI_SEAL_KEYS", "同一组封存密钥", shared,
                        "the same keys on every host, for example `k1:` followed by the output of "
                        "`python3 -c 'import base64,secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())'`")
    return ""


def _require_shared_key(variable: str, what_zh: str, shared: list[str], how: str) -> None:
    """Refuse a key of this host's own where other hosts share the installation's services: a key
    made per data folder would differ on every host, which is the failure the variable prevents."""
    if shared:
        raise ValueError(
            f"未设置 {variable}：本安装与其他机器共用 {'、'.join(shared)}，各主机必须使用{what_zh}。"
            f" {variable} is not set, but this installation shares {', '.join(shared)} with other hosts: "
            f"set {variable} to {how}")


def shared_services(database_url: str, redis_url: str | None, storage_url: str | None) -> list[str]:
    """The services named in the settings that other machines can reach too: an object store, or a
    database or Redis on another host. Empty for an installation that lives on one machine."""
    shared = []
    if database_url.startswith("postgresql") and not _is_local(*_database_hosts(database_url)):
        shared.append("DATABASE_URL")
    if redis_url and not redis_url.startswith("unix://") and not _is_local(urlsplit(redis_url).hostname):
        shared.append("REDIS_URL")
    if storage_url and storage_url.startswith("s3://"):
        shared.append("GONGKAI_STORAGE_URL")
    return shared


def _database_hosts(url: str) -> list:
    parts = urlsplit(url)
    return [parts.hostname, *parse_qs(parts.query).get("host", [])]


def _is_local(*hosts) -> bool:
    """True when every host is this machine: none (a Unix socket), a socket folder, localhost or loopback."""
    for host in hosts:
        if not host or host.startswith("/") or host == "localhost":
            continue
        try:
            if ipaddress.ip_address(host).is_loopback:
                continue
        except ValueError:
            pass
        return False
    return True


def _instance_secret(data_dir: Path) -> str:
    # No secret in the repo: each installation makes its own on first start and keeps it private.
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


_current: dict = {}


def configure(settings: Settings) -> Settings:
    """Make `settings` current: connect the database and the queue."""
    _current["settings"] = settings
    db.configure(settings.database_url)
    queue.configure(settings)
    return settings


def current() -> Settings:
    if "settings" not in _current:
        raise RuntimeError("engine.config.configure() has not been called")
    return _current["settings"]
