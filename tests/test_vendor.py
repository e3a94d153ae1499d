"""The browser libraries the hub publishes are the npm versions package-lock.json pins, copied as they are.

scripts/vendor-assets copies them into docs/assets/vendor/ and records where each came from in
SOURCE.txt; the copies are committed so that serving and building never need npm.
"""

from __future__ import annotations

import json

import pytest

from .conftest import REPO

VENDOR = REPO / "docs" / "assets" / "vendor"
# package -> (folder under docs/assets/vendor, {file in the package: copy})
COPIES = {
    "reveal.js": (
        "reveal",
        {
            "dist/reveal.js": "reveal.js",
            "dist/reveal.css": "reveal.css",
            "dist/plugin/notes.js": "plugin/notes.js",
            "LICENSE": "LICENSE",
        },
    ),
    "iframe-worker": ("iframe-worker", {"shim/index.js": "shim.js", "LICENSE": "LICENSE"}),
}


def locked_version(package: str) -> str:
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    return str(lock["packages"][f"node_modules/{package}"]["version"])


@pytest.mark.parametrize("package", sorted(COPIES))
def test_vendored_copy_is_the_pinned_version(package: str) -> None:
    folder, files = COPIES[package]
    source = (VENDOR / folder / "SOURCE.txt").read_text(encoding="utf-8")
    assert source.startswith(f"{package} {locked_version(package)} from npm"), "run scripts/vendor-assets"
    for copy in files.values():
        assert (VENDOR / folder / copy).is_file(), copy


@pytest.mark.parametrize("package", sorted(COPIES))
def test_vendored_files_match_npm(package: str) -> None:
    installed = REPO / "node_modules" / package
    if not installed.is_dir():
        pytest.skip("node_modules is not installed (scripts/install-browser runs npm ci)")
    if json.loads((installed / "package.json").read_text(encoding="utf-8"))["version"] != locked_version(package):
        pytest.skip(f"node_modules holds another version of {package}; run npm ci")
    folder, files = COPIES[package]
    for original, copy in files.items():
        assert (VENDOR / folder / copy).read_bytes() == (installed / original).read_bytes(), (
            f"{folder}/{copy} differs from npm's {package}/{original}: run scripts/vendor-assets"
        )
