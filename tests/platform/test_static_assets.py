"""The pages' CSS and JavaScript: vendored as recorded, cached for a year, and a new URL when they change."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from werkzeug.test import Client

STATIC = Path(__file__).resolve().parents[2] / "shared" / "web" / "static"
ASSET = re.compile(r'(?:href|src)="(/static/([^"?]+)\?v=([0-9a-f]+))"')


def test_every_vendored_file_matches_the_sha256_recorded_next_to_it():
    table = (STATIC / "vendor" / "VENDOR.md").read_text()
    recorded = dict(re.findall(r"\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|", table))
    files = sorted(p.name for p in (STATIC / "vendor").iterdir() if p.name != "VENDOR.md")
    assert sorted(recorded) == files
    for name, digest in recorded.items():
        assert hashlib.sha256((STATIC / "vendor" / name).read_bytes()).hexdigest() == digest, name


def test_a_page_links_its_assets_by_content_hash_and_they_are_cached_for_a_year(app):
    client = Client(app)
    page = client.get("/login").get_data(as_text=True)
    assets = ASSET.findall(page)
    assert {name for _url, name, _v in assets} == {"school.css", "vendor/htmx-2.0.11.min.js"}
    for url, name, version in assets:
        content = (STATIC / name).read_bytes()
        # The version is the file's own hash, so an edited stylesheet is fetched anew, not kept for a year.
        assert hashlib.sha256(content).hexdigest().startswith(version)
        answer = client.get(url)
        try:
            assert answer.status_code == 200
            assert answer.get_data() == content
            assert "max-age=31536000" in answer.headers["Cache-Control"]
        finally:
            answer.close()  # a file sent by send_file stays open until the response is closed
