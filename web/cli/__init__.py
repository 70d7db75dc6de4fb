"""The `gongkai` command: one sub-command per noun (init, serve, worker, deploy, reindex, user, deid,
audit-published, verify, reseal)."""

import json
import sys
from pathlib import Path

import click

from engine import bootstrap, config


def _load_settings():
    """The settings, or the command stops with the message saying what to fix (no traceback)."""
    try:
        return config.load()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def _settings():
    return config.configure(_load_settings())


@click.group()
def main():
    """gongkai: government information disclosure workflows."""


@main.command()
@click.option("--demo", is_flag=True, help="Also create the demo users (password gongkai-demo).")
def init(demo):
    """Create or upgrade the database and deploy the shipped diagrams."""
    from engine import storage
    from engine.errors import Invalid

    settings = _settings()
    try:
        storage.check()  # an object store's missing bucket or refused credentials: said before anything else
    except storage.StorageError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        result = bootstrap.init(settings, demo=demo)
    except Invalid as exc:
        click.echo(exc.message, err=True)
        for err in exc.details or []:
            click.echo(f"  {err['element_id']}: {err['message']}", err=True)
        sys.exit(1)
    click.echo(f"deployed: {', '.join(result['deployed']) or 'nothing'}")
    if result["demo_users"]:
        click.echo(f"demo users: {', '.join(result['demo_users'])} (password {bootstrap.DEMO_PASSWORD})")


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Web processes (default: one per core).")
@click.option("--threads", type=click.IntRange(min=1), default=8, show_default=True,
              help="Threads per web process.")
@click.option("--dev", is_flag=True, help="Werkzeug's development server with the reloader.")
@click.option("--no-worker", is_flag=True, help="Serve the web app only; run `gongkai worker` elsewhere.")
def serve(host, port, workers, threads, dev, no_worker):
    """Run the web app on gunicorn and one supervised worker; Ctrl-C or SIGTERM stops both."""
    from web.cli.serve import run

    _load_settings()  # refuse bad settings before anything starts
    run(host, port, workers=workers, threads=threads, dev=dev, with_worker=not no_worker)


@main.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--fork", is_flag=True, help="Fork a child per job (rq's Worker) instead of running jobs in process.")
@click.option("--no-fork", is_flag=True, hidden=True, help="The default; kept for old scripts.")
def worker(burst, fork, no_fork):
    """Run a worker: queued jobs, timers and the periodic sweeps."""
    _settings()
    from workers.worker import run

    run(burst=burst, fork=fork and not no_fork)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def deploy(files):
    """Deploy BPMN (.bpmn) and DMN (.dmn) files."""
    from engine.errors import Invalid
    from engine.workflow import definitions

    _settings()
    paths = sorted((Path(f) for f in files), key=lambda p: p.suffix != ".dmn")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        try:
            if path.suffix == ".dmn":
                definitions.save_decision_file(None, path.name, text)
                click.echo(f"{path.name}: saved")
                continue
            deployed = definitions.deploy(None, text)
        except Invalid as exc:
            click.echo(f"{path.name}: {exc.message}", err=True)
            for err in exc.details or []:
                click.echo(f"  {err['element_id'] or '-'}: {err['message']}", err=True)
            sys.exit(1)
        state = "deployed" if deployed.created else "unchanged"
        click.echo(f"{path.name}: {deployed.key} v{deployed.version} {state}")


@main.command("import-historical")
@click.argument("path", type=click.Path(exists=True))
@click.option("--as", "username", required=True, help="The drafter or admin doing the import.")
@click.option("--department-id", type=int, default=None, help="Admins: the department the files belong to.")
def import_historical(path, username, department_id):
    """Import historical documents (a CSV file or a folder of .docx) for attribute determination."""
    from engine import users
    from engine.disclosure import historical
    from engine.errors import DomainError

    _settings()
    actor = users.by_username(username)
    if actor is None:
        raise click.ClickException(f"no user {username}")
    source = Path(path)
    try:
        if source.is_dir():
            rows = historical.rows_from_docx([(p.name, p.read_bytes()) for p in sorted(source.glob("*.docx"))])
        else:
            rows = historical.rows_from_csv(source.read_bytes())
        result = historical.import_documents(actor, rows, department_id)
    except DomainError as exc:
        raise click.ClickException(f"{exc.message} {json.dumps(exc.fields, ensure_ascii=False)}") from exc
    click.echo(f"imported {result['imported']} documents; determination tasks created")


@main.command()
def reindex():
    """Rebuild the search indexes from the database (after loading data from an old portal)."""
    from engine.search import index

    _settings()
    result = index.rebuild(progress=lambda n: n % 10_000 == 0 and click.echo(f"  {n} documents", err=True))
    rate = result["documents"] / result["seconds"] if result["seconds"] else 0.0
    click.echo(f"indexed {result['documents']} published documents and {result['instances']} process instances "
               f"in {result['seconds']:.1f} s ({rate:.0f} documents/s)")


@main.group()
def user():
    """Manage staff accounts."""


@user.command("add")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", "roles", multiple=True, required=True, help="Role key; repeat for several.")
@click.option("--department", required=True)
@click.option("--name", "display_name", default=None)
def user_add(username, password, roles, department, display_name):
    """Add a staff account."""
    from engine import users
    from engine.errors import Invalid

    _settings()
    try:
        users.create_user(username, password, list(roles), department, display_name)
    except Invalid as exc:
        click.echo(f"{exc.message} {json.dumps(exc.fields, ensure_ascii=False)}", err=True)
        sys.exit(1)
    click.echo(f"user {username} added")


@main.command("audit-published")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--queue", "queued", is_flag=True, help="hand the run to the workers and print its id")
def audit_published(fmt, queued):
    """Re-check every published text with today's detector and list what it finds."""
    from engine.disclosure import published_audit, published_audit_runs

    _settings()
    run = published_audit_runs.request_run(published_audit_runs.SYSTEM)
    if queued:
        click.echo(f"复查任务 {run['id']} 已交给后台处理 ({run['status']})")
        return
    published_audit_runs.perform(run["id"])  # the same path a worker takes, in this process
    summary = {"documents": 0, "suspects": 0, **_counts(published_audit_runs.get_any(run["id"]))}
    items = published_audit.suspects("system")
    if fmt == "json":
        click.echo(json.dumps({**summary, "items": items}, ensure_ascii=False, indent=1))
        return
    click.echo(f"已复查 {summary['documents']} 件已公开文件，发现疑似个人信息 {summary['suspects']} 处")
    for item in items:
        click.echo(f"\n[{item['document_id']}] {item['title']}（索引号 {item['index_no'] or '—'}）")
        for s in item["suspects"]:
            click.echo(f"  {s['field_name']} · {s['kind']}: {s['context']}")


def _counts(run: dict) -> dict:
    return {"run": run["id"], "status": run["status"], "documents": run["documents_done"], "suspects": run["suspects"]}


@main.command()
@click.argument("document_id", type=int)
def verify(document_id):
    """Check a document's review records: the hash chain and each reviewer's signature."""
    from engine.disclosure import documents
    from engine.errors import NotFound

    _settings()
    try:
        result = documents.verify_chain(document_id)
    except NotFound as exc:
        click.echo(exc.message, err=True)
        sys.exit(2)
    for r in result["checked"]:
        if r["signed"]:
            signed = "签名有效" if r["ok"] else "已签名"
        else:
            signed = "无签名（早于签名启用）" if r["ok"] else "无签名"
        state = "通过" if r["ok"] else f"未通过：{r['problem']}"
        click.echo(f"#{r['seq']} {r['stage']} {r['reviewer']} {r['hash_algorithm']} {signed} {state}")
    if not result["intact"]:
        click.echo(f"文件 {document_id} 的第 {result['broken_at']} 条审查记录未通过校验：{result['problem']}", err=True)
        sys.exit(1)
    click.echo(f"文件 {document_id} 的 {result['records']} 条审查记录完整，签名有效 (intact)")


@main.command()
def reseal():
    """Seal every stored original again with the first key of GONGKAI_SEAL_KEYS (key rotation)."""
    from engine import sealed

    _settings()
    click.echo(f"resealed: {sealed.reseal()}")


def _register_optional():
    try:
        from web.cli.deid import deid_command
    except ImportError:
        return
    main.add_command(deid_command)


_register_optional()
