"""A request's pauses as stored (correction, consultation, fees), the deadline
recomputed from them, and the waiting process told when that deadline moves outside its own steps.

Everything here runs inside the caller's transaction; the arithmetic itself is `deadlines`.
"""

from datetime import date

from sqlalchemy import select

from engine import clock
from engine.models import ProcessInstance, RequestPause
from engine.requests import deadlines
from engine.workflow import state, transition


def of(session, req) -> list[RequestPause]:
    return list(session.scalars(select(RequestPause).where(RequestPause.request_id == req.id)
                                .order_by(RequestPause.id)))


def open_pause(session, req, reason: str, on: date, note: str | None = None) -> RequestPause:
    pause = RequestPause(request_id=req.id, reason=reason, started_on=on, note=note)
    session.add(pause)
    session.flush()
    return pause


def close_pause(session, req, reason: str, on: date) -> RequestPause | None:
    """End the open pause of `reason` on `on` (never before it started)."""
    for pause in of(session, req):
        if pause.reason == reason and pause.ended_on is None:
            pause.ended_on = max(on, pause.started_on)
            return pause
    return None


def clock_of(session, req, as_of: date | None = None) -> deadlines.Clock:
    spans = [deadlines.Pause(p.reason, p.started_on, p.ended_on) for p in of(session, req)]
    return deadlines.reply_clock(req.receipt_on, spans, req.extension_days or 0, as_of or clock.today(),
                           delay_days=req.delay_days or 0)


def refresh_clock(session, req) -> deadlines.Clock:
    """Recompute and store the reply deadline after an event that moves it."""
    session.flush()
    reply_clock = clock_of(session, req)
    req.due_on, req.due_provisional, req.updated_at = reply_clock.due_on, reply_clock.provisional, clock.now()
    return reply_clock


def follow_process(session, req) -> None:
    """Let the request's waiting process follow a deadline moved outside any of its steps (an Art. 35
    delay, a fee notice's recorded delivery): one transition with no step of its own, whose hook
    (`procedure.mirror`) recomputes the clock and pushes it into the task data, step due dates and
    timers, which are then rescheduled — the same path an approved extension takes."""
    row = session.get(ProcessInstance, req.instance_id) if req.instance_id else None
    if row is not None and row.status not in state.ENDED:
        transition.run(session, row.id, None)
