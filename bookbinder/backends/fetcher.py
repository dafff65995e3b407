"""The one door through which WeasyPrint reads anything: a table of the build's own files.

Reviewed like a web server's router. A URL is served only when it is a key of the table the
build made (`bookbinder:fonts/<file>` for the book face, `bookbinder:images/<name>` for images
bundled with the stories); there is no path arithmetic, no `file:`, `data:` or network access,
so nothing a story says can make the renderer open a socket or a local file. Every URL asked
for is recorded in `requested`, which the tests read.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Union

from weasyprint.urls import URLFetcher, URLFetcherResponse

SCHEME = "bookbinder:"
Body = Union[bytes, Path]

_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
          ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml", ".css": "text/css"}


class ResourceFetcher(URLFetcher):
    """Serves `bookbinder:<name>` for the names in `files`; refuses every other URL."""

    def __init__(self, files: Mapping[str, Body]) -> None:
        super().__init__(allowed_protocols=set())  # urllib is never reached: fetch() below answers alone
        self.files = {SCHEME + name: body for name, body in files.items()}
        self.requested: list[str] = []

    def fetch(self, url, headers=None) -> URLFetcherResponse:
        self.requested.append(url)
        body = self.files.get(url)
        if body is None:
            raise ValueError(f"bookbinder refuses to fetch {url[:120]!r}: not a file of this build")
        data = body.read_bytes() if isinstance(body, Path) else body
        suffix = url[url.rfind("."):].lower() if "." in url else ""
        return URLFetcherResponse(url, data, {"Content-Type": _TYPES.get(suffix, "application/octet-stream")})
