class ApplicationError(Exception):
    """A domain rule refused the operation; `field_errors` maps field names to messages."""

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class PermissionDenied(ApplicationError):
    """The user is known and may see the object, but may not do this to it."""


class StaleEdit(ApplicationError):
    """Someone saved the row after this edit was opened; nothing was saved over their change."""

    def __init__(self, message: str, *, current, changed_by: str, changed_at):
        super().__init__(message)
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at
