"""Accounts: change my own password; an admin lists users, resets a password, disables, enables or
unlocks a user.

Each of these ends the account's browser sessions and API tokens (see engine.users).
"""

from flask import current_app

from engine import lockout, users
from web.api import bp
from web.api.schemas import (
    NewPasswordSchema,
    PasswordChangeSchema,
    TokenSchema,
    UserListSchema,
    UserSchema,
    parse,
    respond,
)
from web.auth import require_user


@bp.post("/me/password")
def change_my_password():
    """Change my password.
    ---
    post:
      summary: Check the current password, set the new one; every session and token ends, a new token is returned
      requestBody: {content: {application/json: {schema: PasswordChangeSchema}}}
      responses:
        200: {content: {application/json: {schema: TokenSchema}}}
        422: {description: current password wrong, or the new one too short or too common}
    """
    actor = require_user()
    body = parse(PasswordChangeSchema)
    user = users.change_password(actor, body["current_password"], body["new_password"])
    return respond(TokenSchema, {"token": users.issue_token(user, current_app.config["SECRET_KEY"])})


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id):
    """Reset a user's password (admin).
    ---
    post:
      requestBody: {content: {application/json: {schema: NewPasswordSchema}}}
      responses: {200: {content: {application/json: {schema: UserSchema}}}}
    """
    actor = require_user()
    return respond(UserSchema, users.reset_password(actor, user_id, parse(NewPasswordSchema)["password"]))


@bp.post("/users/<int:user_id>/disable")
def disable_user(user_id):
    """Disable a user (admin): their sessions and tokens end.
    ---
    post:
      responses: {200: {content: {application/json: {schema: UserSchema}}}}
    """
    return respond(UserSchema, users.set_active(require_user(), user_id, False))


@bp.get("/users")
def list_users():
    """Every staff account with its state: active, out of office, locked (admin).
    ---
    get:
      responses: {200: {content: {application/json: {schema: UserListSchema}}}}
    """
    return respond(UserListSchema, {"items": users.list_users(require_user())})


@bp.post("/users/<int:user_id>/unlock")
def unlock_user(user_id):
    """Unlock an account locked after too many failed logins (admin); its failures are forgotten.
    ---
    post:
      responses: {200: {content: {application/json: {schema: UserSchema}}}}
    """
    return respond(UserSchema, lockout.unlock(require_user(), user_id))


@bp.post("/users/<int:user_id>/enable")
def enable_user(user_id):
    """Enable a user again (admin); they log in anew.
    ---
    post:
      responses: {200: {content: {application/json: {schema: UserSchema}}}}
    """
    return respond(UserSchema, users.set_active(require_user(), user_id, True))
