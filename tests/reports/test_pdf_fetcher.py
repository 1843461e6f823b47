"""The PDF renderer loads the portal's own static files and nothing else."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.conf import settings

from reports.pdf import RefusedURLError, StaticFilesFetcher, base_url, render_pdf

STYLESHEET = Path(settings.BASE_DIR) / "static" / "reports" / "print.css"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        "file://evil.example/share/x.css",
        "data:text/css,body{}",
        "ftp://example.com/x",
        STYLESHEET.parent.as_uri() + "/../../manage.py",  # climbs out of static/
        STYLESHEET.parent.as_uri() + "/missing.css",
    ],
)
def test_refuses_anything_but_an_existing_static_file(url: str) -> None:
    with pytest.raises(RefusedURLError):
        StaticFilesFetcher().fetch(url)


def test_refuses_a_symlink_out_of_the_static_directory(tmp_path: Path) -> None:
    root = tmp_path / "static"
    root.mkdir()
    (root / "inside.css").write_text("p {}")
    (root / "escape.css").symlink_to("/etc/passwd")
    fetcher = StaticFilesFetcher(roots=[root.resolve()])
    assert fetcher.fetch((root / "inside.css").as_uri()).read() == b"p {}"
    with pytest.raises(RefusedURLError):
        fetcher.fetch((root / "escape.css").as_uri())


def test_serves_the_print_stylesheet_and_resolves_relative_urls_in_static() -> None:
    response = StaticFilesFetcher().fetch(STYLESHEET.as_uri())
    assert response.read().startswith(b"/*") and response.content_type == "text/css"
    assert base_url() == STYLESHEET.parent.parent.resolve().as_uri() + "/"


def test_a_document_pointing_elsewhere_renders_without_fetching_it(caplog: pytest.LogCaptureFixture) -> None:
    html = (
        '<link rel="stylesheet" href="http://example.com/x.css"><img src="file:///etc/passwd">'
        '<img src="https://example.com/pixel.png"><p>Isi laporan</p>'
    )
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF-")
    refused = [r for r in caplog.records if "static files" in r.getMessage() or "outside" in r.getMessage()]
    assert len(refused) >= 2, [r.getMessage() for r in caplog.records]
