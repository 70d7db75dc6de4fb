"""Saved inbox filters: a user names a search (tab, text, process, task, due date) to reuse it.

A filter belongs to one user; every lookup says for whom, so nobody reads or deletes another's.
"""


from sqlalchemy import delete, select

from engine.db import reading, transaction
from engine.errors import Invalid, NotFound
from engine.models import SavedFilter

KEYS = ("tab", "q", "process", "name", "due_before", "sort")
MAX_PER_USER = 30


def _as_dict(row: SavedFilter) -> dict:
    return {"id": row.id, "name": row.name, "params": dict(row.params or {})}


def list_for(actor) -> list[dict]:
    """Return the actor's saved filters, by name."""
    with reading() as s:
        rows = s.scalars(select(SavedFilter).where(SavedFilter.user_id == actor.id).order_by(SavedFilter.name))
        return [_as_dict(r) for r in rows]


def save(actor, name: str, params: dict) -> dict:
    """Save (or overwrite) the actor's filter `name`; only the known inbox parameters are kept."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid("请填写筛选名称（最多 100 字）(name the filter)", fields={"name": ["required"]})
    clean = {k: str(v)[:200] for k, v in (params or {}).items() if k in KEYS and v not in (None, "")}
    with transaction() as s:
        row = s.scalar(select(SavedFilter).where(SavedFilter.user_id == actor.id, SavedFilter.name == name))
        if row is None:
            count = len(s.scalars(select(SavedFilter.id).where(SavedFilter.user_id == actor.id)).all())
            if count >= MAX_PER_USER:
                raise Invalid(f"最多保存 {MAX_PER_USER} 个筛选 (too many saved filters)", fields={"name": ["limit"]})
            row = SavedFilter(user_id=actor.id, name=name)
            s.add(row)
        row.params = clean
        s.flush()
        return _as_dict(row)


def remove(actor, filter_id: int) -> None:
    """Delete one of the actor's filters; NotFound when it is not theirs."""
    with transaction() as s:
        done = s.execute(delete(SavedFilter).where(SavedFilter.id == filter_id, SavedFilter.user_id == actor.id))
        if not done.rowcount:
            raise NotFound("筛选不存在 (no such filter)")
