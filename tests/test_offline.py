"""The offline copy of the hub (issue 12): the archive, its links, and the published link to it.

The archive is made once per session by the publishing build's own step (``offline_published``
in tests/conftest.py); tests/browser/test_offline.py opens it from ``file://`` in Chromium.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest

from councillor_hub.i18n import ENGLISH
from councillor_hub.offline import ARCHIVE, FOLDER, MARKER, OFFLINE_VARIABLE, SHIM, megabytes
from councillor_hub.site import page_url, relative_url
from councillor_hub.toolkit import Toolkit

LINK = re.compile(r'\b(?:href|src)="([^"]*)"')


def local_links(html: str) -> list[str]:
    """Links and sources on a page that point inside the site (no scheme, not just an anchor)."""
    links = []
    for raw in LINK.findall(html):
        if re.match(r"^[a-z][a-z0-9+.-]*:", raw, re.I) or raw.startswith(("#", "//")):
            continue
        links.append(raw)
    return links


def test_links_name_their_files_without_directory_urls() -> None:
    assert page_url("platforms/facebook.md", directory_urls=False) == "platforms/facebook.html"
    assert page_url("index.md", directory_urls=False) == "index.html"
    assert page_url("cy/learning-log/index.md", directory_urls=False) == "cy/learning-log/index.html"
    assert page_url("learning-log/feed.xml", directory_urls=False) == "learning-log/feed.xml"
    tag, facilitator = "learning-log/tags/sprint-1.md", "learning-log/facilitators/jo.md"
    assert relative_url(tag, facilitator, directory_urls=False) == "../facilitators/jo.html"
    assert relative_url(tag, facilitator) == "../../facilitators/jo/"
    assert relative_url("index.md", "programme/sprint-1.md#readiness", directory_urls=False) == (
        "programme/sprint-1.html#readiness"
    )
    assert relative_url("cy/index.md", "downloads/x.zip") == "../downloads/x.zip"


def test_the_archive_holds_the_whole_hub_in_one_folder(offline_published: Path, upstream_kit: Toolkit) -> None:
    with zipfile.ZipFile(offline_published / "downloads" / ARCHIVE) as archive:
        names = set(archive.namelist())
    assert {n.split("/")[0] for n in names} == {FOLDER}
    expected = [
        "index.html",
        "search/search_index.js",  # search without fetch()
        SHIM,  # Web Workers from file://, from the hub itself
        "assets/vendor/reveal/reveal.js",
        "downloads/sprint-1-pack.pdf",  # the site's other downloads travel with it
    ]
    for sprint in upstream_kit.items("sprint"):
        expected.append(f"programme/{sprint.id}.html")
        expected += [f"programme/{sprint.id}/{w.id}.html" for w in sprint.worksheets]
        expected += [f"programme/{sprint.id}/slides/{s.id}.html" for s in sprint.sessions]
    missing = [path for path in expected if f"{FOLDER}/{path}" not in names]
    assert missing == []
    assert not [n for n in names if n.endswith(".zip")], "an archive inside the archive"


def test_the_published_home_page_offers_the_archive_with_its_size(offline_published: Path) -> None:
    html = (offline_published / "index.html").read_text(encoding="utf-8")
    size = megabytes((offline_published / "downloads" / ARCHIVE).stat().st_size, ENGLISH)
    assert (
        f'<a href="downloads/{ARCHIVE}" download>Download the hub for offline use</a> (a ZIP file of {size} MB)' in html
    )
    assert MARKER not in html


def test_the_offline_copy_says_what_it_is(offline_copy: Path) -> None:
    html = (offline_copy / "index.html").read_text(encoding="utf-8")
    assert "This is the offline copy of the hub" in html
    assert MARKER not in html and "Download the hub for offline use" not in html


def test_every_link_in_the_offline_copy_opens_a_file(offline_copy: Path) -> None:
    """From file:// a link to a folder shows a file listing, and a missing file shows nothing."""
    pages = sorted(offline_copy.rglob("*.html"))
    assert len(pages) > 50
    broken: list[str] = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for link in local_links(html):
            path = unquote(link.split("#", 1)[0].split("?", 1)[0])
            if not path:
                continue
            target = (page.parent / path).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(offline_copy)}: {link}")
    assert broken == [], f"{len(broken)} links open no file, e.g. {broken[:10]}"


def test_the_offline_copy_loads_only_its_own_classic_scripts(offline_copy: Path) -> None:
    for page in sorted(offline_copy.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'type="module"' not in tag, f"{page}: ES modules do not load from file://"
            src = re.search(r'src="([^"]+)"', tag)
            assert src is None or not re.match(r"^(https?:)?//", src.group(1)), f"{page}: {tag}"
        assert "unpkg.com" not in html
    home = (offline_copy / "index.html").read_text(encoding="utf-8")
    assert f'<script src="{SHIM}"></script>' in home


def test_the_everyday_build_is_not_the_offline_one(upstream_site: Path) -> None:
    """The offline plugin is on only for the archive: the published site keeps directory URLs."""
    home = (upstream_site / "index.html").read_text(encoding="utf-8")
    assert "iframe-worker" not in home
    assert 'href="programme/"' in home
    assert not (upstream_site / "search" / "search_index.js").exists()
    assert MARKER in home, "overrides/hub/_offline.md.j2 lost the marker the archive step fills in"


@pytest.mark.parametrize(("size", "shown"), [(1_556_079, "1.6"), (12_345_678, "12.3"), (999, "0.0")])
def test_sizes_read_in_megabytes(size: int, shown: str) -> None:
    assert megabytes(size, ENGLISH) == shown


def test_learning_log_links_name_their_files_in_an_offline_build(tmp_path: Path) -> None:
    """The learning log's links are made by the hub, not by MkDocs: they must follow the build too."""
    from .conftest import FIXTURES, make_project, mkdocs_build
    from .test_learning_log_site import REGISTRY, post, write_posts

    project = make_project(tmp_path / "project", FIXTURES / "mini" / "content")
    (project / "content" / "learning-log").mkdir(parents=True, exist_ok=True)
    (project / "content" / "learning-log" / "feeds.yml").write_text(REGISTRY)
    write_posts(project, [post(n, tags=["sprint-1"]) for n in range(1, 4)])
    site = tmp_path / "site"
    result = mkdocs_build(project, site, strict=False, env={OFFLINE_VARIABLE: "true"})
    assert result.returncode == 0, result.stderr
    checked = 0
    for page in [site / "programme/sprint-1.html", *sorted((site / "learning-log").rglob("*.html"))]:
        html = page.read_text(encoding="utf-8")
        for link in local_links(html):
            path = link.split("#", 1)[0]
            if path:
                checked += 1
                assert (page.parent / path).resolve().is_file(), f"{page.relative_to(site)}: {link}"
    assert checked > 100
    sprint = (site / "programme/sprint-1.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="\.\./learning-log/posts/[^"/]+\.html">Reflection number 3</a>', sprint)
