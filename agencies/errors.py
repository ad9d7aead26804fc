class ApplicationError(Exception):
    """A business rule refused the request. The message is safe to show the user (already translated)."""

    def __init__(self, message: str, *, code: str = "invalid", extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}


class ConflictError(ApplicationError):
    """An update named an older version than the one stored: nothing was written."""

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message, code="conflict", extra={"current_version": current_version})
        self.current_version = current_version
