"""The browser's own name of an uploaded file, kept whole for display.

Django's MultiPartParser keeps only what follows the last "/" or "\\" of a part's file name (it
treats the name as a path), so "a</script>.pdf" arrives as "script>.pdf". This parser also
remembers each file's name exactly as sent, on the uploaded file (`sent_name`), and
`assessment.uploads.display_name` cleans it for display. The name is never used as a path on disk
or in the bucket: stored objects get generated keys (`assessment.models.evidence.evidence_path`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList
from django.utils.encoding import force_str


class NameKeepingParser(MultiPartParser):
    _sent: str | None = None

    def sanitize_file_name(self, file_name: str) -> str | None:
        self._sent = file_name  # the part's file name as sent; Django's cut version goes on as before
        return super().sanitize_file_name(file_name)

    def handle_file_complete(self, old_field_name: str, counters: list[int]) -> None:
        # A file is completed before the next part's name is read, so `_sent` is still its name.
        field = force_str(old_field_name, self._encoding, errors="replace")  # type: ignore[attr-defined]
        before = len(self._files.getlist(field))  # type: ignore[attr-defined]
        super().handle_file_complete(old_field_name, counters)
        files = self._files.getlist(field)  # type: ignore[attr-defined]
        if len(files) > before and self._sent is not None:
            files[-1].sent_name = self._sent


def _parse_file_upload(request: HttpRequest, meta: Any, post_data: Any) -> Any:
    """`HttpRequest.parse_file_upload` with the parser above."""
    request.upload_handlers = ImmutableList(
        request.upload_handlers, warning="You cannot alter upload handlers after the upload has been processed."
    )
    return NameKeepingParser(meta, post_data, request.upload_handlers, request.encoding).parse()


def keep_upload_names(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware, first in the list: before anything reads `request.POST` (the CSRF check does)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request.parse_file_upload = lambda meta, post_data: _parse_file_upload(request, meta, post_data)  # type: ignore[method-assign,assignment]
        return get_response(request)

    return middleware
