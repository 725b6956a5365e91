class ApplicationError(Exception):
    """A domain rule refused the operation; `field_errors` maps field names to messages."""

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class PermissionDenied(ApplicationError):
    """The user is known and may see the object, but may not do this to it."""
