"""Staff accounts: password hashing, login, API tokens, roles and departments.

Passwords are hashed with argon2. API tokens are signed (itsdangerous) and carry the user's token
generation, so changing a password or disabling an account revokes every token at once.
"""

import time
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from engine import access, audit, clock, sessions
from engine.config import current
from engine.db import reading, transaction
from engine.errors import Conflict, Invalid, NotFound, Unauthorized
from engine.models import Department, Role, User

BUILTIN_ROLES = {
    "drafter": "起草人",
    "dept_reviewer": "部门审核人",
    "secrecy_reviewer": "保密审查员",
    "leader": "分管领导",
    "head": "主要负责人",
    "publisher": "公开专员",
    "admin": "管理员",
    "liaison": "政务公开联络员",
    "gongkai_office": "政务公开办",
}
TOKEN_MAX_AGE = 12 * 3600
# Tuned for a 2-core server: argon2id with 19 MiB, 2 passes and 1 lane (OWASP's minimum for
# argon2id) instead of argon2-cffi's default 64 MiB, 3 passes, 4 lanes, whose 4 lanes cannot run at
# once on 2 cores and made login the slowest call under load. Older hashes are upgraded at login.
# Guessing stays throttled by the login lockout (web.auth.login).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# A real hash to verify against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _hasher.hash("not-a-password")


MIN_PASSWORD = 8
MIN_STRENGTH = 3  # zxcvbn's score (0-4): 3 is "safely unguessable" (about 10^10 guesses) offline
PRODUCT_WORDS = ("gongkai", "政务公开", "zhengwugongkai")  # guessed first by anyone attacking this product
# zxcvbn's warnings, in the words a user reads here.
WARNINGS = {
    "Straight rows of keys are easy to guess.": "键盘上连续的一排键很容易猜到",
    "Short keyboard patterns are easy to guess.": "键盘上的简短图形很容易猜到",
    'Repeats like "aaa" are easy to guess.': "重复的字符（如 aaa）很容易猜到",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': "重复的片段（如 abcabc）很容易猜到",
    "Sequences like abc or 6543 are easy to guess.": "顺序字符（如 abc、6543）很容易猜到",
    "Recent years are easy to guess.": "近年的年份很容易猜到",
    "Dates are often easy to guess.": "日期很容易猜到",
    "This is a top-10 common password.": "这是最常见的十个密码之一",
    "This is a top-100 common password.": "这是最常见的一百个密码之一",
    "This is a very common password.": "这是非常常见的密码",
    "This is similar to a commonly used password.": "与常见密码过于相似",
    "A word by itself is easy to guess.": "单个词语很容易猜到",
    "Names and surnames by themselves are easy to guess.": "单独的姓名很容易猜到",
    "Common names and surnames are easy to guess.": "常见的姓名很容易猜到",
}


def check_password(password, username: str | None = None, field: str = "password") -> None:
    """Raise Invalid, saying why in Chinese, for a password that is too short, contains the user name
    or is guessable: zxcvbn's score, counting this product's own words as the first guesses."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise Invalid(f"密码至少 {MIN_PASSWORD} 位 (password needs at least {MIN_PASSWORD} characters)",
                      fields={field: ["too short"]})
    if len(password) > 200:
        raise Invalid("密码最多 200 位 (password at most 200 characters)", fields={field: ["too long"]})
    if username and username.lower() in password.lower():
        raise Invalid("密码不能包含用户名，请换一个 (password contains the user name)", fields={field: ["user name"]})
    why = weakness(password, username)
    if why:
        raise Invalid(f"密码太容易被猜到：{why}。请使用更长、更少见的组合，如几个不相关的词语加数字和符号 "
                      f"(password too easy to guess)", fields={field: ["too weak"]})


def weakness(password: str, username: str | None = None) -> str | None:
    """Why a password is guessable (in Chinese), or None when its zxcvbn score reaches MIN_STRENGTH."""
    from zxcvbn import zxcvbn  # its dictionaries take a moment to load: on first use, not at import

    words = [w for w in (username, *PRODUCT_WORDS, current().agency_name) if w]
    result = zxcvbn(password[:72], user_inputs=words)  # zxcvbn's own cap: longer costs time, not strength
    if result["score"] >= MIN_STRENGTH:
        return None
    reasons = []
    ours = [m["token"] for m in result["sequence"] if m.get("dictionary_name") == "user_inputs"]
    if ours:
        reasons.append(f"含有本系统、本单位或用户名中的词语（{'、'.join(dict.fromkeys(ours))}）")
    warning = WARNINGS.get(result["feedback"]["warning"])
    if warning:
        reasons.append(warning)
    reasons.append(f"强度评分 {result['score']}/4，至少需要 {MIN_STRENGTH}")
    return "；".join(reasons)


def hash_password(password: str, username: str | None = None, checked: bool = True) -> str:
    """The argon2 hash of a password judged strong enough (`checked=False`: the public demo password)."""
    if checked:
        check_password(password, username)
    return _hasher.hash(password)


def authenticate(username: str, password: str) -> User:
    """Return the active user with these credentials or raise Unauthorized; records the login."""
    with transaction() as s:
        user = s.scalar(select(User).where(User.username == (username or "")))
        if not _password_matches(user, password or ""):
            audit.record(s, "login_failed", actor=username or "?")
            raise Unauthorized("用户名或密码错误 (wrong username or password)")
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        audit.record(s, "login", actor=user)
        return user


def _password_matches(user, password) -> bool:
    try:
        _hasher.verify(user.password_hash if user and user.active else _DUMMY_HASH, password)
    except (VerifyMismatchError, InvalidHashError):
        return False
    return bool(user and user.active)


def issue_token(user: User, secret: str) -> str:
    return URLSafeTimedSerializer(secret, salt="api-token").dumps([user.id, user.token_generation])


def user_for_token(token: str, secret: str) -> User:
    uid, generation, issued_at = _verified(token, secret)
    if uid is None or clock.timestamp() - issued_at > TOKEN_MAX_AGE:
        raise Unauthorized("令牌无效或已过期 (invalid or expired token)")
    user = get_cached(uid)
    if user is None or not user.active or user.token_generation != generation:
        raise Unauthorized("令牌已失效 (token revoked)")
    return user


@lru_cache(maxsize=4096)
def _verified(token: str, secret: str) -> tuple:
    """(user id, generation, issued at) of a correctly signed token; (None, None, 0) otherwise.

    Checking the signature is a third of an API call's authentication, and a client sends the
    same token many times: the result is remembered, the age and generation are checked each call.
    """
    try:
        (uid, generation), issued = URLSafeTimedSerializer(secret, salt="api-token").loads(
            token, return_timestamp=True)
        return uid, generation, issued.timestamp()
    except (BadSignature, ValueError, TypeError):
        return None, None, 0.0


def get(user_id) -> User | None:
    with reading() as s:
        return s.get(User, user_id)


# Every API call and page needs its caller; reading the account and its roles each time was a fifth
# of a request's cost. Accounts are cached for a few seconds per process; any change to a user
# committed in this process clears the cache at once, other processes see it within the TTL.
PRINCIPAL_TTL_SECONDS = 5.0
_principals: dict = {}


def get_cached(user_id) -> User | None:
    entry = _principals.get(user_id)
    now = time.monotonic()
    if entry is not None and entry[0] > now:
        return entry[1]
    user = get(user_id)
    if user is not None:
        _principals[user_id] = (now + PRINCIPAL_TTL_SECONDS, user)
    return user


def forget_cached_users() -> None:
    _principals.clear()
    _names.clear()


_names: dict = {}


def display_names() -> dict[str, str]:
    """Map user names to the names people know them by (history, records, lists), cached like accounts."""
    entry = _names.get("all")
    now = time.monotonic()
    if entry is not None and entry[0] > now:
        return entry[1]
    with reading() as s:
        names = {u: d or u for u, d in s.execute(select(User.username, User.display_name))}
    _names["all"] = (now + PRINCIPAL_TTL_SECONDS, names)
    return names


@event.listens_for(Session, "before_flush")
def _note_user_changes(session, _context, _instances):
    if any(isinstance(o, User | Role) for o in (*session.new, *session.dirty, *session.deleted)):
        session.info["users_changed"] = True


@event.listens_for(Session, "after_commit")
def _clear_after_user_changes(session):
    if session.info.pop("users_changed", False):
        forget_cached_users()


def by_username(username: str) -> User | None:
    with reading() as s:
        return s.scalar(select(User).where(User.username == username))


def ensure_roles(session) -> dict[str, Role]:
    """Create the built-in roles if missing; return all roles by key."""
    roles = {r.key: r for r in session.scalars(select(Role))}
    for key, name in BUILTIN_ROLES.items():
        if key not in roles:
            roles[key] = Role(key=key, name=name)
            session.add(roles[key])
    return roles


def role_keys() -> set[str]:
    with reading() as s:
        return set(s.scalars(select(Role.key))) | set(BUILTIN_ROLES)


def add_role(actor: User, key: str, name: str) -> Role:
    access.require_admin(actor)
    if not key or not key.replace("_", "").isalnum() or not key.islower():
        raise Invalid("角色键只能是小写字母、数字和下划线 (role key: lower-case letters, digits, _)",
                      fields={"key": ["invalid"]})
    with transaction() as s:
        if s.scalar(select(Role).where(Role.key == key)):
            raise Invalid(f"角色 {key} 已存在 (role exists)", fields={"key": ["exists"]})
        role = Role(key=key, name=name or key)
        s.add(role)
        audit.record(s, "role_added", actor=actor, key=key)
        return role


def department_id_for(session, value) -> int | None:
    """The id of the department named (or numbered) `value`; None for no value; Invalid if unknown.

    Diagrams and API callers name departments (`"财政局"`); ids are accepted too.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        found = session.scalar(select(Department.id).where(Department.id == value))
    else:
        found = session.scalar(select(Department.id).where(Department.name == str(value).strip()))
    if found is None:
        raise Invalid(f"没有名为“{value}”的部门 (no such department)", fields={"department": ["unknown"]})
    return found


def ensure_department(session, name: str) -> Department:
    dept = session.scalar(select(Department).where(Department.name == name))
    if dept is None:
        dept = Department(name=name)
        session.add(dept)
        session.flush()
    return dept


def create_user(username, password, roles, department, display_name=None, actor=None, session=None,
                password_hash=None) -> User:
    """Create a staff account; `actor` must be an admin unless called by the CLI (actor None)."""
    if actor is not None:
        access.require_admin(actor)
    if not username or len(username) > 80:
        raise Invalid("用户名无效 (invalid username)", fields={"username": ["invalid"]})
    if session is None:
        with transaction() as s:
            return create_user(username, password, roles, department, display_name, actor, s, password_hash)
    all_roles = ensure_roles(session)
    unknown = [r for r in roles if r not in all_roles]
    if unknown:
        raise Invalid(f"未知角色 (unknown roles): {', '.join(unknown)}", fields={"roles": unknown})
    if session.scalar(select(User).where(User.username == username)):
        raise Invalid(f"用户 {username} 已存在 (user exists)", fields={"username": ["exists"]})
    user = User(username=username, display_name=display_name or username,
                password_hash=password_hash or hash_password(password, username), roles=[all_roles[r] for r in roles],
                department=ensure_department(session, department) if department else None)
    session.add(user)
    session.flush()
    audit.record(session, "user_added", actor=actor or "cli", username=username, roles=list(roles))
    return user


def set_out_of_office(actor: User, out: bool, substitute_username: str | None) -> None:
    """Hand the actor's new personal tasks to a colleague while away."""
    with transaction() as s:
        me = s.get(User, actor.id)
        substitute = None
        if out:
            substitute = s.scalar(select(User).where(User.username == (substitute_username or "")))
            if substitute is None or substitute.id == me.id or not substitute.active:
                raise Invalid("请指定一位在岗同事作为代理人 (name an active colleague as substitute)",
                              fields={"substitute": ["invalid"]})
        me.out_of_office, me.substitute_id = out, substitute.id if substitute else None
        audit.record(s, "out_of_office", actor=me, out=out, substitute=substitute_username)


def user_dict(user: User) -> dict:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "department": user.department.name if user.department else None,
            "department_id": user.department_id, "roles": sorted(user.role_keys), "active": user.active,
            "out_of_office": user.out_of_office, "locked": user.locked_at is not None}


def list_users(actor: User) -> list[dict]:
    """Return every staff account (admin only)."""
    access.require_admin(actor)
    with reading() as s:
        return [user_dict(u) for u in s.scalars(select(User).order_by(User.username))]


def list_roles() -> list[dict]:
    """Return every role as {key, name}, built-in ones included (role keys are lane names)."""
    with reading() as s:
        stored = {r.key: r.name for r in s.scalars(select(Role))}
    return [{"key": k, "name": n} for k, n in sorted({**BUILTIN_ROLES, **stored}.items())]


def list_departments(actor: User) -> list[dict]:
    access.require_admin(actor)
    with reading() as s:
        return [{"id": d.id, "name": d.name} for d in s.scalars(select(Department).order_by(Department.name))]


def department_names() -> dict[int, str]:
    """Map department ids to names (for showing a task's department)."""
    with reading() as s:
        return dict(s.execute(select(Department.id, Department.name)).all())


def add_department(actor: User, name: str) -> dict:
    access.require_admin(actor)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid("请填写部门名称 (department name required, at most 100 characters)",
                      fields={"name": ["invalid"]})
    with transaction() as s:
        if s.scalar(select(Department).where(Department.name == name)):
            raise Invalid(f"部门 {name} 已存在 (department exists)", fields={"name": ["exists"]})
        dept = ensure_department(s, name)
        audit.record(s, "department_added", actor=actor, name=name)
        return {"id": dept.id, "name": dept.name}


def colleagues(actor: User, role: str | None = None, department_id: int | None = None) -> list[dict]:
    """Return active colleagues of `actor` (same department unless admin), optionally with `role`."""
    department_id = department_id if access.is_admin(actor) and department_id else actor.department_id
    with reading() as s:
        query = select(User).where(User.active.is_(True), User.id != actor.id).order_by(User.username)
        if department_id is not None:
            query = query.where(User.department_id == department_id)
        found = [u for u in s.scalars(query) if role is None or access.holds_role(u, role)]
        return [user_dict(u) for u in found]


def _ended(s, user: User, reason: str) -> None:
    """Revoke everything the account holds: API tokens (new generation) and browser sessions."""
    user.token_generation = (user.token_generation or 0) + 1
    sessions.end_all(s, user.id, reason)


def change_password(actor: User, current: str, new: str) -> User:
    """The user's own change: the current password is checked; every session and token ends."""
    with transaction() as s:
        me = s.get(User, actor.id)
        if not isinstance(current, str) or not _password_matches(me, current):
            raise Invalid("当前密码不正确 (current password is wrong)", fields={"current_password": ["wrong"]})
        check_password(new, me.username, field="new_password")
        me.password_hash = _hasher.hash(new)
        _ended(s, me, "password_changed")
        audit.record(s, "password_changed", actor=me)
        return me


def _managed_user(s, actor: User, user_id: int) -> User:
    access.require_admin(actor)
    user = s.get(User, user_id) if isinstance(user_id, int) and 0 < user_id < 2**31 else None
    if user is None:
        raise NotFound("没有这个用户 (no such user)")
    return user


def reset_password(actor: User, user_id: int, new: str) -> dict:
    """An admin sets a new password; the user's sessions and tokens end."""
    with transaction() as s:
        user = _managed_user(s, actor, user_id)
        check_password(new, user.username)
        user.password_hash = _hasher.hash(new)
        _ended(s, user, "password_reset")
        audit.record(s, "password_reset", actor=actor, username=user.username)
        return user_dict(user)


def set_active(actor: User, user_id: int, active: bool) -> dict:
    """Disable or enable an account (admin); disabling ends its sessions and tokens for good."""
    with transaction() as s:
        user = _managed_user(s, actor, user_id)
        if user.id == actor.id and not active:
            raise Conflict("不能停用自己的账号 (you cannot disable your own account)")
        if user.active and not active:
            _ended(s, user, "disabled")
        user.active = active
        audit.record(s, "user_enabled" if active else "user_disabled", actor=actor, username=user.username)
        return user_dict(user)
