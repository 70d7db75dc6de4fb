"""Set up an installation: schema, built-in roles, shipped diagrams and (optionally) demo users."""

from pathlib import Path

from sqlalchemy import select

from engine import schema, users
from engine.config import Settings
from engine.db import transaction
from engine.errors import Invalid
from engine.models import User
from engine.workflow import definitions
from engine.workflow.definitions import SHIPPED

DEMO_PASSWORD = "gongkai-demo"
DEMO_USERS = (
    # username, display name, roles, department
    ("drafter1", "张起草", ["drafter"], "办公室"),
    ("reviewer1", "李审核", ["dept_reviewer"], "办公室"),
    ("secrecy1", "王保密", ["secrecy_reviewer"], "办公室"),
    ("leader1", "赵领导", ["leader"], "办公室"),
    ("head1", "钱主任", ["head"], "办公室"),
    ("publisher1", "孙公开", ["publisher"], "办公室"),
    ("admin", "系统管理员", ["admin"], "办公室"),
    ("drafter2", "周起草", ["drafter"], "财政局"),
    ("reviewer2", "吴审核", ["dept_reviewer"], "财政局"),
    # The year's work plan: the office that issues it and a liaison in each department, so that the
    # tasks of a plan created on a fresh installation reach someone.
    ("office1", "钱公开办", ["gongkai_office"], "办公室"),
    ("liaison1", "郑联络", ["liaison"], "办公室"),
    ("liaison2", "冯联络", ["liaison"], "财政局"),
)


def init(settings: Settings, demo: bool = False, directory: Path = SHIPPED) -> dict:
    """Migrate the schema, ensure roles, deploy the shipped DMN and BPMN files, add demo users."""
    schema.upgrade(settings.database_url)
    with transaction() as s:
        users.ensure_roles(s)
    deployed = deploy_directory(directory)
    created = create_demo_users() if demo else []
    return {"deployed": deployed, "demo_users": created}


def deploy_directory(directory: Path) -> list[str]:
    """Deploy every .dmn then every .bpmn in `directory`; identical files are no-ops."""
    for path in sorted(directory.glob("*.dmn")):
        definitions.save_decision_file(None, path.name, path.read_text(encoding="utf-8"))
    out, problems = [], []
    for path in sorted(directory.glob("*.bpmn")):
        try:
            deployed = definitions.deploy(None, path.read_text(encoding="utf-8"), starter_roles=_starter_roles(path))
        except Invalid as exc:
            problems.extend({**e, "element_id": f"{path.name}#{e['element_id']}"} for e in exc.details or [])
            continue
        out.append(f"{deployed.key} v{deployed.version}")
    if problems:
        raise Invalid("部分流程图未能部署 (some shipped diagrams have errors)", details=problems)
    return out


def _starter_roles(path: Path) -> list[str]:
    # The shipped procedures are started by domain services (a drafter's submission, a request),
    # not directly; only the generic approval may be started by drafters through the API.
    return ["drafter"] if path.stem == "general_approval" else []


def create_demo_users() -> list[str]:
    created = []
    with transaction() as s:
        for username, name, roles, dept in DEMO_USERS:
            if s.scalar(select(User.id).where(User.username == username)) is None:
                users.create_user(username, DEMO_PASSWORD, roles, dept, display_name=name, session=s,
                                  password_hash=_demo_hash())
                created.append(username)
    return created


_demo = {}


def _demo_hash() -> str:
    # One hash for the one demo password: argon2 is slow on purpose, eight times is noticeable.
    if "hash" not in _demo:
        _demo["hash"] = users.hash_password(DEMO_PASSWORD, checked=False)  # public on purpose
    return _demo["hash"]
