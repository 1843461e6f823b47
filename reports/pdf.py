"""HTML string -> PDF bytes with WeasyPrint, fetching nothing but the portal's own static files.

The report HTML carries user text (explanations, notes, evidence titles). Django's autoescaping
keeps it from becoming markup, and the URL fetcher below makes sure that even markup which got
through could not reach the network (SSRF) or read files outside the static directories: it
serves only `file://` paths that resolve (symlinks included) under STATIC_ROOT or
STATICFILES_DIRS and raises for anything else, `http(s)` and `data:` included.

Fonts: the print stylesheet names "DejaVu Sans" (Debian's fonts-dejavu-core, installed by
scripts/system-deps.sh); WeasyPrint finds it through fontconfig and embeds the subset it uses,
so the PDF prints the same anywhere. This module imports WeasyPrint (1-1.5 s), so
`reports.rendering` imports it only when a PDF is built.
"""

from __future__ import annotations

import logging
import mimetypes
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders

# WeasyPrint logs every layout step at INFO (fifteen lines per report in the worker's log, and
# some at import). Quiet that unless the deployment configured the logger itself (LOGGING).
_progress = logging.getLogger("weasyprint.progress")
if _progress.level == logging.NOTSET:
    _progress.setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

STYLESHEET = "reports/print.css"
# Images the portal itself supplies in memory (the instansi's emblem, already re-encoded as PNG):
# the HTML names them with a URL under this prefix and the fetcher serves exactly those bytes.
MEMORY_PREFIX = "file:///portal-memory/"


class RefusedURLError(ValueError):
    """A report tried to load something other than one of the portal's static files."""


def static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT), *(Path(str(d)) for d in settings.STATICFILES_DIRS)]
    return [root.resolve() for root in roots]


class StaticFilesFetcher(URLFetcher):
    """Serves `file://` URLs under the static roots; refuses (raises) everything else."""

    def __init__(self, roots: list[Path] | None = None, memory: dict[str, bytes] | None = None) -> None:
        super().__init__(timeout=5, allowed_protocols={"file"}, allow_redirects=False)
        self.roots = roots if roots is not None else static_roots()
        self.memory = memory or {}

    def fetch(self, url: str, _headers: Any = None) -> Any:
        if url.startswith(MEMORY_PREFIX) and url in self.memory:
            return URLFetcherResponse(url, self.memory[url], {"Content-Type": "image/png"})
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURLError(f"only the portal's static files may be loaded, not {url[:200]}")
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            raise RefusedURLError(f"no such static file: {url[:200]}") from exc
        if not path.is_file() or not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedURLError(f"outside the static directories: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


def base_url() -> str:
    """The static directory the print stylesheet lives in, so relative URLs resolve inside it."""
    return stylesheet_path().parent.parent.as_uri() + "/"


@lru_cache(maxsize=1)
def stylesheet_path() -> Path:
    found = finders.find(STYLESHEET)
    if not found:
        raise FileNotFoundError(STYLESHEET)
    return Path(str(found)).resolve()


def render_pdf(html: str, memory: dict[str, bytes] | None = None) -> bytes:
    """Read and parse the stylesheet per document (a few milliseconds): a FontConfiguration shared
    between documents saved nothing measurable (bench/report_bench.py) and is not thread-safe.
    `memory`: PNG images by URL (MEMORY_PREFIX + name) that the portal supplies itself."""
    fetcher = StaticFilesFetcher(memory=memory)
    fonts = FontConfiguration()
    css = CSS(filename=str(stylesheet_path()), base_url=base_url(), url_fetcher=fetcher, font_config=fonts)
    document = HTML(string=html, base_url=base_url(), url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[css], font_config=fonts)
    return pdf
