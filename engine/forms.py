"""User-task forms as the engine uses them: the latest version saved in the database, else the shipped file.

An admin's edit is stored as a new numbered version (like a diagram), the shipped file being
version 1, so every web machine and worker sees the same form and a reinstall loses nothing.
Each process remembers the current version for a few seconds; a save in this process is seen at once.
"""

import hashlib
import json
import time

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import forms as shipped
from engine import access, audit
from engine.db import reading, transaction
from engine.errors import Conflict, Invalid, NotFound
from engine.models import FormVersion

CACHE_SECONDS = 5.0
input_components = shipped.input_components
option_keys = shipped.option_keys
_current: dict = {}  # key -> (expires, (version, sha256, schema) or None)


def current(key: str):
    """(version, sha256, schema) of the latest saved version of `key`, or None when none was saved."""
    entry = _current.get(key)
    if entry is not None and entry[0] > time.monotonic():
        return entry[1]
    with reading() as s:
        row = s.scalar(select(FormVersion).where(FormVersion.key == key).order_by(FormVersion.version.desc()).limit(1))
        value = (row.version, row.sha256, row.schema) if row is not None else None
    _current[key] = (time.monotonic() + CACHE_SECONDS, value)
    return value


def exists(key: str) -> bool:
    return shipped.valid_key(key) and (shipped.exists(key) or current(key) is not None)


def load(key: str) -> dict:
    """The current schema of form `key`; KeyError when there is none."""
    saved = current(key) if shipped.valid_key(key) else None
    if saved is not None:
        return saved[2]
    return shipped.load(key)


def keys() -> list[str]:
    return [row["key"] for row in listing()]


def listing() -> list[dict]:
    """Every form with its current version: 1 for a shipped file nobody edited."""
    latest = select(FormVersion.key, func.max(FormVersion.version).label("version")).group_by(FormVersion.key).subquery()
    with reading() as s:
        saved = {r.key: {"key": r.key, "version": r.version, "created_by": r.created_by, "created_at": r.created_at}
                 for r in s.scalars(select(FormVersion).join(latest, (FormVersion.key == latest.c.key)
                                                             & (FormVersion.version == latest.c.version)))}
    shipped_only = {k: {"key": k, "version": 1, "created_by": None, "created_at": None}
                    for k in shipped.form_keys() if k not in saved}
    return sorted({**shipped_only, **saved}.values(), key=lambda row: row["key"])


def validate_data(key: str, data: dict) -> tuple[dict, dict]:
    """Validate a task's form data against the current version of its form."""
    saved = current(key) if shipped.valid_key(key) else None
    if saved is None:
        return shipped.validate_data(key, data)
    return shipped.validate_data(key, data, schema=saved[2], tag=saved[1])


def save(actor, key: str, schema) -> int:
    """Store an admin's edit as the next version (the shipped file becomes version 1 first)."""
    access.require_admin(actor)
    try:
        shipped.check(key, schema)
    except ValueError as exc:
        raise Invalid(f"表单无效 (invalid form): {exc}", fields={"schema": [str(exc)]}) from exc
    schema = {**schema, "id": schema.get("id") or key}
    try:
        with transaction() as s:
            latest = s.scalar(select(func.max(FormVersion.version)).where(FormVersion.key == key)) or 0
            if latest == 0 and shipped.exists(key):
                s.add(_version(key, 1, shipped.load(key), "system"))
                latest = 1
            s.add(_version(key, latest + 1, schema, actor.username))
            audit.record(s, "form_saved", actor=actor, key=key, version=latest + 1)
    except IntegrityError:  # another admin saved this form at the same moment
        raise Conflict("表单刚被他人保存，请刷新后重试 (saved by someone else just now; reload)") from None
    _current.pop(key, None)
    return latest + 1


def _version(key, number, schema, who) -> FormVersion:
    text = json.dumps(schema, ensure_ascii=False, sort_keys=True)
    return FormVersion(key=key, version=number, schema=schema, created_by=who,
                       sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


def versions(actor, key: str) -> list[dict]:
    """The saved versions of a form, newest first (admins)."""
    access.require_admin(actor)
    if not exists(key):
        raise NotFound("表单不存在 (no such form)")
    with reading() as s:
        rows = s.scalars(select(FormVersion).where(FormVersion.key == key).order_by(FormVersion.version.desc()))
        return [{"version": r.version, "sha256": r.sha256, "created_by": r.created_by,
                 "created_at": r.created_at.isoformat()} for r in rows]
