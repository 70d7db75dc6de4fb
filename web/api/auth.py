"""POST /api/login: exchange a username and password for a Bearer token."""

from flask import current_app

from engine import users
from web import auth
from web.api import bp
from web.api.schemas import LoginAnswerSchema, LoginSchema, parse, respond


@bp.post("/login")
def login():
    """Log in.
    ---
    post:
      summary: Exchange credentials for a Bearer token
      requestBody: {content: {application/json: {schema: LoginSchema}}}
      responses:
        200: {content: {application/json: {schema: LoginAnswerSchema}}}
        401: {description: wrong username or password}
        429: {description: too many failed attempts}
    """
    body = parse(LoginSchema)
    user = auth.login(body["username"], body["password"])
    return respond(LoginAnswerSchema, {"token": users.issue_token(user, current_app.config["SECRET_KEY"]),
                                       "user": {"id": user.id, "username": user.username,
                                                "roles": sorted(user.role_keys)}})
