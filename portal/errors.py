"""The one error type services raise when they refuse a request."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal a person can understand: `code` is stable for API clients, `message` is
    translated for people, `status` is the HTTP status the API answers with."""

    def __init__(self, code: str, message, status: int = 409):
        super().__init__(str(message))
        self.code, self.message, self.status = code, str(message), status

    def __str__(self):
        return self.message
