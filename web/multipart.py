"""The files of a multipart request, as the engine takes them (`engine.disclosure.files.Upload`); the
engine passes each through the upload gate (`engine.uploads`)."""

from flask import request

from engine.disclosure.files import Upload


def uploads(field: str) -> list[Upload]:
    """The files sent in `field` (repeated for several); an empty file input sends none."""
    return [Upload(f.filename, f.read()) for f in request.files.getlist(field) if f.filename]
