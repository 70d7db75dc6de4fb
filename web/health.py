"""`/healthz` for load balancers and `/metrics` for Prometheus.

Anyone gets `/healthz`'s bare 200 or 503; its detail (which check failed, and why) and `/metrics`
go to staff and to the monitor named in settings (GONGKAI_METRICS_TOKEN as a Bearer token, or an
address in GONGKAI_METRICS_ALLOW): they tell an attacker which part of the system is down.
The metrics are counts (no names, no content), built per scrape from `engine.monitoring` into a
registry of their own, so every web process answers the same.
"""

import hmac

from flask import Blueprint, Response, current_app, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily

from engine import monitoring
from web.auth import current_user
from web.proxies import contains, parse_networks
from web.ratelimit import client_ip

bp = Blueprint("health", __name__)
DURATION_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 300)


def init_app(app, settings) -> None:
    app.extensions["gongkai_monitor"] = (settings.metrics_token,
                                         parse_networks(settings.metrics_allow, "GONGKAI_METRICS_ALLOW"))
    app.register_blueprint(bp)


def _is_monitor() -> bool:
    """The configured monitor (token or address), or a staff member."""
    token, networks = current_app.extensions["gongkai_monitor"]
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and offered and hmac.compare_digest(offered.encode(), token.encode()):
        return True
    return contains(networks, client_ip()) or current_user() is not None


@bp.get("/healthz")
def healthz():
    result = monitoring.health()
    status = 200 if result["ok"] else 503
    return jsonify(result if _is_monitor() else {"ok": result["ok"]}), status


@bp.get("/metrics")
def metrics():
    if not _is_monitor():
        return Response("forbidden: set GONGKAI_METRICS_TOKEN or GONGKAI_METRICS_ALLOW\n", status=403,
                        content_type="text/plain; charset=utf-8")
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Snapshot())
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


class _Snapshot:
    """A prometheus collector that reads one `monitoring.snapshot()` per scrape."""

    def collect(self):
        snap = monitoring.snapshot()
        yield _labelled("gongkai_queue_jobs", "Jobs in the rq queue and its registries", ["state"],
                        [((state,), n) for state, n in snap["queue"].items() if state != "workers_alive"])
        if "workers_alive" in snap["queue"]:
            yield GaugeMetricFamily("gongkai_workers_alive", "Workers with a fresh heartbeat",
                                    value=snap["queue"]["workers_alive"])
        yield _labelled("gongkai_jobs", "Service-task jobs (outbox rows) by operation and status",
                        ["operation", "status"], [((op, st), n) for op, st, n, _ in snap["outbox"]])
        failures = {}
        for op, _st, _n, attempts in snap["outbox"]:
            failures[op] = failures.get(op, 0) + (attempts or 0)
        yield _labelled("gongkai_job_failed_tries", "Failed tries of service-task jobs (worker lost included)",
                        ["operation"], [((op,), n) for op, n in failures.items()])
        yield _durations(snap["durations"])
        yield GaugeMetricFamily("gongkai_incidents_open", "Open incidents", value=snap["open_incidents"])
        yield _labelled("gongkai_tasks_open", "Open human tasks by role", ["role"],
                        [((role,), n) for role, n, _ in snap["tasks"]])
        yield _labelled("gongkai_tasks_overdue", "Open human tasks past their due time by role", ["role"],
                        [((role,), overdue) for role, _, overdue in snap["tasks"]])
        yield GaugeMetricFamily("gongkai_requests_near_deadline",
                                "Open information requests due within 3 working days",
                                value=snap["requests_near_deadline"])
        yield GaugeMetricFamily("gongkai_requests_overdue", "Open information requests past their legal deadline",
                                value=snap["requests_overdue"])
        yield GaugeMetricFamily("gongkai_timers_due", "Timers past their due time, not yet fired",
                                value=snap["timers_due"])


def _labelled(name, doc, labels, samples):
    family = GaugeMetricFamily(name, doc, labels=labels)
    for values, number in samples:
        family.add_metric(list(values), number)
    return family


def _durations(rows):
    """Seconds from hand-over to the worker until the job finished, for jobs done in the last hour."""
    family = HistogramMetricFamily("gongkai_job_duration_seconds",
                                   "Service-task job time from hand-over to done (last hour)", labels=["operation"])
    by_operation = {}
    for op, seconds in rows:
        by_operation.setdefault(op, []).append(seconds)
    for op, values in by_operation.items():
        buckets = [(str(bound), sum(v <= bound for v in values)) for bound in DURATION_BUCKETS]
        buckets.append(("+Inf", len(values)))
        family.add_metric([op], buckets, sum_value=sum(values))
    return family
