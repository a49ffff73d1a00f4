"""Response bodies decoded under a size limit, so a small gzip bomb cannot fill memory.

httpx would inflate each network chunk in one call (a 64 KiB chunk of zeros can become
~64 MiB before anyone counts it); here zlib is asked for at most "limit + 1" bytes at a time,
so memory never holds more than the limit however the body is compressed.
"""

from __future__ import annotations

import zlib


class BodyTooLargeError(Exception):
    """The decoded body passed the size limit."""


class BodyEncodingError(Exception):
    """The body's Content-Encoding is unknown to us or its bytes do not decode."""


_GZIP_MAGIC = b"\x1f\x8b"


class BoundedBody:
    """Collects raw chunks, inflating gzip/deflate, and refuses to hold more than `limit` bytes."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        encoding = (content_encoding or "identity").strip().lower()
        if encoding in {"", "identity", "none"}:
            self._mode = "identity"
        elif encoding in {"gzip", "x-gzip"}:
            self._mode = "gzip"
        elif encoding == "deflate":
            self._mode = "deflate"
        else:
            raise BodyEncodingError(f"unsupported Content-Encoding {content_encoding!r}")
        self._limit = limit
        self._parts: list[bytes] = []
        self._size = 0
        self._inflater = self._new_inflater()
        self._started = False
        self._finished_member = False

    def _new_inflater(self) -> zlib._Decompress:
        # gzip: wbits 16+MAX; deflate: try the zlib wrapper first (RFC 9110), raw as fallback.
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self._mode == "gzip" else zlib.MAX_WBITS)

    @property
    def size(self) -> int:
        """Decoded bytes kept so far."""
        return self._size

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise BodyTooLargeError(f"more than {self._limit} bytes")
        if data:
            self._parts.append(data)

    def feed(self, chunk: bytes) -> None:
        """Add one raw chunk from the network."""
        if self._mode == "identity":
            self._keep(chunk)
            return
        try:
            self._inflate(chunk)
        except zlib.error as exc:
            raise BodyEncodingError(f"corrupt {self._mode} body: {exc}") from None

    def _inflate(self, data: bytes) -> None:
        if self._mode == "deflate" and not self._started and data:
            self._started = True
            try:
                probe = zlib.decompressobj(zlib.MAX_WBITS)
                probe.decompress(data[:2])
            except zlib.error:
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        while data:
            if self._finished_member:
                # A second gzip member continues the body; anything else is trailing junk
                # that browsers ignore, and so do we.
                if self._mode != "gzip" or not data.startswith(_GZIP_MAGIC):
                    return
                self._inflater = self._new_inflater()
                self._finished_member = False
            out = self._inflater.decompress(data, self._limit - self._size + 1)
            self._keep(out)
            if self._inflater.eof:
                self._finished_member = True
                data = self._inflater.unused_data
            else:
                data = self._inflater.unconsumed_tail

    def finish(self) -> bytes:
        """The whole decoded body; raises if a compressed body stopped half-way."""
        if self._mode != "identity":
            try:
                self._keep(self._inflater.flush())
            except zlib.error as exc:
                raise BodyEncodingError(f"corrupt {self._mode} body: {exc}") from None
            if not self._inflater.eof and not self._finished_member and self._size == 0:
                raise BodyEncodingError(f"truncated {self._mode} body")
        return b"".join(self._parts)
