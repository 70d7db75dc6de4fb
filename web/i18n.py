"""Chinese by default, English as the second locale (Flask-Babel).

The English catalogue (`web/translations/en/LC_MESSAGES/messages.po`) is compiled to its `.mo`
when the app starts and the `.po` is newer, so a checkout never serves stale translations.
"""

import logging
from pathlib import Path

from flask import request, session
from flask_babel import Babel, get_locale

LOCALES = ("zh", "en")
TRANSLATIONS = Path(__file__).parent / "translations"
log = logging.getLogger(__name__)


def select_locale():
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in LOCALES:
        return chosen
    return "zh"


def html_lang() -> str:
    return "en" if str(get_locale()) == "en" else "zh-CN"


def compile_catalogues() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        try:
            with po.open("rb") as src:
                catalog = read_po(src)
            with mo.open("wb") as dst:
                write_mo(dst, catalog)
        except OSError:  # a read-only installation ships its compiled catalogue
            log.warning("could not compile %s", po)


def init_app(app) -> None:
    compile_catalogues()
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "zh")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals["html_lang"] = html_lang

    @app.before_request
    def remember_locale():
        if request.args.get("lang") in LOCALES:
            session["lang"] = request.args["lang"]
