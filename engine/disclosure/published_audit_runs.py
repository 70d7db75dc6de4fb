"""The re-check of published texts as a worker's job (复查已公开 → 重新检查, `POST /api/published-audit/runs`).

A run is a row (`PublishedAuditRun`): who asked, which documents (those the asker answers for),
how far it got. The rq job only carries its id. The job takes a lease on the row, re-checks the
documents after `cursor` one transaction each (replacing their open suspects, advancing the
cursor), and beats while it works; a job lost with Redis or a worker that died leaves a stale
lease that the periodic sweep hands to a new job, which continues after the last document done.
Asking while a run of yours is queued or running returns that run: two clicks make one run.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from engine import access, audit, clock, config, queue, users
from engine.db import after_commit, reading, transaction
from engine.disclosure import published_audit
from engine.errors import NotFound
from engine.models import Document, PublishedAuditRun

log = logging.getLogger(__name__)

JOB = "workers.jobs.run_published_audit"
SYSTEM = "system"  # the command line: every published document
UNFINISHED = ("queued", "running")
BATCH = 50  # document ids read per query; each document is still its own transaction


def request_run(actor) -> dict:
    """Queue a re-check of the published documents `actor` answers for (or return the one of theirs
    still queued or running); `actor` is a user or SYSTEM."""
    if actor != SYSTEM:
        published_audit.check_may_audit(actor)
    name = SYSTEM if actor == SYSTEM else actor.username
    with transaction() as s:
        running = s.scalar(select(PublishedAuditRun).where(PublishedAuditRun.requested_by == name,
                                                           PublishedAuditRun.status.in_(UNFINISHED))
                           .order_by(PublishedAuditRun.id.desc()).limit(1))
        if running is not None:
            return as_dict(running)
        total = s.scalar(_scope(select(func.count(Document.id)), actor))
        run = PublishedAuditRun(requested_by=name, user_id=None if actor == SYSTEM else actor.id,
                                status="queued", documents_total=total or 0)
        s.add(run)
        s.flush()
        audit.record(s, "published_audit_requested", actor=actor, run_id=run.id, documents=run.documents_total)
        after_commit(s, lambda run_id=run.id: queue.enqueue_retried(JOB, run_id))
        return as_dict(run)


def _scope(query, actor):
    query = query.where(Document.status == "published")
    if actor == SYSTEM:
        return query
    return query.where(access.take_down_clause(actor)).params(access.params(actor))


def perform(run_id: int) -> str:
    """Run (or continue) one re-check; the job's body. Returns what happened."""
    lease = _claim(run_id)
    if lease is None:
        return "skipped"
    actor = _actor(run_id)
    try:
        while (ids := _next_documents(run_id, actor)):
            for doc_id in ids:
                if not _check_document(run_id, lease, doc_id):
                    return "superseded"  # another job took the lease over
        _finish(run_id, lease, actor)
        return "done"
    except Exception as exc:
        _failed_try(run_id, lease, exc)
        raise


def _claim(run_id: int) -> str | None:
    """Take the run's lease: a queued run, or a running one whose job stopped beating."""
    with transaction() as s:
        run = s.get(PublishedAuditRun, run_id, with_for_update=True)
        if run is None or run.status not in UNFINISHED:
            return None
        if run.status == "running" and not _stale(run):
            return None  # its job is alive: this one is a duplicate
        run.status, run.lease, run.heartbeat_at = "running", str(uuid.uuid4()), clock.now()
        run.started_at = run.started_at or run.heartbeat_at
        return run.lease


def _stale(run: PublishedAuditRun) -> bool:
    beat = run.heartbeat_at or run.created_at
    return clock.now() - beat > timedelta(seconds=config.current().worker_dead_after)


def _actor(run_id: int):
    with reading() as s:
        run = s.get(PublishedAuditRun, run_id)
        user_id = run.user_id
    if user_id is None:
        return SYSTEM
    actor = users.get(user_id)
    if actor is None:
        raise NotFound(f"用户 {user_id} 不存在 (the user who asked for the re-check is gone)")
    return actor


def _next_documents(run_id: int, actor) -> list[int]:
    with reading() as s:
        cursor = s.get(PublishedAuditRun, run_id).cursor
        return list(s.scalars(_scope(select(Document.id), actor).where(Document.id > cursor)
                              .order_by(Document.id).limit(BATCH)))


def _check_document(run_id: int, lease: str, doc_id: int) -> bool:
    """Re-check one document and advance the run past it, in one transaction; False when the
    lease is no longer this job's."""
    with reading() as s:
        doc = s.get(Document, doc_id)
        found = published_audit.scan(doc, published_audit.policy_for(s, doc.category)) \
            if doc is not None and doc.status == "published" else []
    with transaction() as s:
        run = s.get(PublishedAuditRun, run_id, with_for_update=True)
        if run.lease != lease or run.status != "running":
            return False
        published_audit.replace_open(s, doc_id, found, run_id)
        run.cursor, run.heartbeat_at = doc_id, clock.now()
        run.documents_done += 1
        run.suspects += len(found)
    return True


def _finish(run_id: int, lease: str, actor) -> None:
    with transaction() as s:
        run = s.get(PublishedAuditRun, run_id, with_for_update=True)
        if run.lease != lease:
            return
        run.status, run.finished_at, run.lease, run.error = "done", clock.now(), None, None
        run.documents_total = max(run.documents_total, run.documents_done)
        audit.record(s, "published_audit_run", actor=actor, run_id=run.id, documents=run.documents_done,
                     suspects=run.suspects)


def _failed_try(run_id: int, lease: str, exc: Exception) -> None:
    """Count a failed try; after the configured number of tries the run ends as failed (shown on
    the page with its error), before that rq's retry continues it after the last document done."""
    with transaction() as s:
        run = s.get(PublishedAuditRun, run_id, with_for_update=True)
        if run is None or run.lease != lease:
            return
        run.attempts += 1
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        run.lease, run.heartbeat_at = None, None
        run.status = "failed" if run.attempts >= max(config.current().job_retries, 1) else "queued"
        if run.status == "failed":
            run.finished_at = clock.now()


def sweep(grace_seconds: int | None = None) -> int:
    """Give a new job to each run whose job was lost (queued, or running without a heartbeat for
    longer than a worker may be silent). Periodic; returns how many were handed out."""
    grace = timedelta(seconds=config.current().sweep_grace if grace_seconds is None else grace_seconds)
    now = clock.now()
    with reading() as s:
        runs = list(s.scalars(select(PublishedAuditRun).where(PublishedAuditRun.status.in_(UNFINISHED))))
    lost = [r.id for r in runs if (r.status == "queued" and now - (r.heartbeat_at or r.created_at) > grace)
            or (r.status == "running" and _stale(r))]
    for run_id in lost:
        log.info("published audit run %s: its job was lost, enqueued again", run_id)
        queue.enqueue_retried(JOB, run_id)
    return len(lost)


def get(actor, run_id: int) -> dict:
    """One run, for the user who asked for it or an admin (others: not found)."""
    published_audit.check_may_audit(actor)
    with reading() as s:
        run = s.get(PublishedAuditRun, access.as_id(run_id)) if access.as_id(run_id) else None
        access.visible(run, run is not None and access.may_see_audit_run(actor, run), "没有这次复查 (no such re-check)")
        return as_dict(run)


def get_any(run_id: int) -> dict:
    """One run, whoever asked (the command line)."""
    with reading() as s:
        run = s.get(PublishedAuditRun, run_id)
        if run is None:
            raise NotFound("没有这次复查 (no such re-check)")
        return as_dict(run)


def recent(actor, limit: int = 20) -> list[dict]:
    """The latest runs `actor` may see: their own, or every run for an admin."""
    published_audit.check_may_audit(actor)
    query = select(PublishedAuditRun).order_by(PublishedAuditRun.id.desc()).limit(limit)
    query = query.where(access.audit_run_clause(actor))
    with reading() as s:
        return [as_dict(r) for r in s.scalars(query)]


def as_dict(run: PublishedAuditRun) -> dict:
    return {"id": run.id, "status": run.status, "requested_by": run.requested_by,
            "documents_total": run.documents_total, "documents_done": run.documents_done,
            "suspects": run.suspects, "attempts": run.attempts, "error": run.error,
            "created_at": run.created_at.isoformat(),
            "started_at": run.started_at.isoformat() if run.started_at else None,
            "finished_at": run.finished_at.isoformat() if run.finished_at else None}
