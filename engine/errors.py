"""Domain errors raised by the engine.

The web layer maps each class to one HTTP status in a single error handler; workers log them.
Nothing here knows about HTTP.
"""


class DomainError(Exception):
    """Base of all errors the engine raises on purpose."""

    code = "error"

    def __init__(self, message, fields=None, details=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.details = details


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Unauthorized(DomainError):
    code = "unauthorized"


class Conflict(DomainError):
    code = "conflict"


class Gone(DomainError):
    """The thing existed and was deliberately removed (a document taken down from the catalogue)."""

    code = "gone"


class Invalid(DomainError):
    """Input that breaks a rule; `fields` maps field names to messages, `details` may list errors."""

    code = "invalid"
