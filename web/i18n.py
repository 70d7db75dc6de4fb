"""Chinese by default, English as the second locale (Flask-Babel)."""

from flask import request, session
from flask_babel import Babel

LOCALES = ("zh", "en")


def select_locale():
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in LOCALES:
        return chosen
    return "zh"


def init_app(app) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "zh")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_locale)

    @app.before_request
    def remember_locale():
        if request.args.get("lang") in LOCALES:
            session["lang"] = request.args["lang"]
