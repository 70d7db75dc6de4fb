"""POST /api/login: exchange a username and password for a Bearer token."""

from flask import current_app, jsonify

from engine import users
from web import auth
from web.api import bp
from web.api.schemas import LoginSchema, parse


@bp.post("/login")
def login():
    """Log in.
    ---
    post:
      summary: Exchange credentials for a Bearer token
      requestBody: {content: {application/json: {schema: LoginSchema}}}
      responses:
        200: {content: {application/json: {schema: TokenSchema}}}
        401: {description: wrong username or password}
        429: {description: too many failed attempts}
    """
    body = parse(LoginSchema)
    user = auth.login(body["username"], body["password"])
    return jsonify(token=users.issue_token(user, current_app.config["SECRET_KEY"]),
                   user={"id": user.id, "username": user.username, "roles": sorted(user.role_keys)})
