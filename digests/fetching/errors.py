"""The one exception the fetcher raises, so the pipeline can log and back off by kind."""

from __future__ import annotations

from typing import Literal

FetchErrorKind = Literal[
    "blocked-url",
    "bad-url",
    "timeout",
    "too-large",
    "http-status",
    "network",
    "too-many-redirects",
    "refused-redirect",
]


class FetchError(Exception):
    """A feed could not be fetched; `kind` is stable for code, the message is for self-hosters.

    `status` carries the HTTP status for `http-status` errors (and is None otherwise), so a
    caller can tell a permanent 404/410 from a passing 503 without parsing the message;
    `retry_after` carries the server's `Retry-After` header when it sent one.
    """

    def __init__(
        self,
        kind: FetchErrorKind,
        message: str,
        *,
        status: int | None = None,
        retry_after: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind: FetchErrorKind = kind
        self.status = status
        self.retry_after = retry_after  # the server's Retry-After header, as sent

    def __repr__(self) -> str:
        return f"FetchError({self.kind!r}, {str(self)!r}, status={self.status!r})"
