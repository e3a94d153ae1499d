"""The learning log in the built site: pages, pagination, links, and hostile feed text kept inert.

Posts here are written straight into the post store (as the ingester would after sanitising),
then the real site is built with MkDocs and the HTML inspected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from councillor_hub.learning_log_pages import PER_PAGE, well_formed_xml
from councillor_hub.posts import Post, render_post_file
from councillor_hub.rendering import TemplateProblem

from .conftest import FIXTURES, make_project, mkdocs_build

REGISTRY = """\
tags:
  - id: rural
    name: Rural wards
feeds:
  - id: jo-facilitator
    name: Jo Facilitator
    url: https://blog.example.org/feed/
    site_url: https://blog.example.org/
    licence: CC BY 4.0
    consent: Email from Jo, 3 November 2026
  - id: sam-mentor
    name: Sam Mentor
    url: https://sam.example.net/rss
    licence: All rights reserved; reproduced with permission
    consent: Signed form, 1 October 2026
"""

N = 2 * PER_PAGE + 5  # posts: two full index pages and five on the third
# U+FFFE and U+0001 are not allowed anywhere in XML: they once made the hub's Atom feed unreadable (issue #15).
HOSTILE_TITLE = '</title><script>alert("t")</script>\ufffe\x01\n---\ntemplate: ../../evil\n{{ config.extra }}'
XML_SAFE_TITLE = HOSTILE_TITLE.replace("\ufffe", "").replace("\x01", "")
HOSTILE_BODY = """<p>Safe paragraph with <a href="https://example.org/x" rel="nofollow">a link</a>.\ufffe</p>
<p>--8<-- "mkdocs.yml"</p>
--8<-- ".git/config"
{{ config.site_name }} {% include "mkdocs.yml" %}
!!! danger "fake admonition"
    injected
[click](javascript:alert(1))
<div markdown="1">*not markdown*</div>"""


def post(
    n: int,
    *,
    feed: str = "jo-facilitator",
    title: str | None = None,
    tags: list[str] | None = None,
    retired: bool = False,
) -> tuple[Post, str]:
    when = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC) + dt.timedelta(days=n)
    pid = hashlib.sha256(f"{feed}\0{n}".encode()).hexdigest()[:16]
    p = Post(
        id=pid,
        feed=feed,
        title=title or f"Reflection number {n}",
        author="Jo" if feed == "jo-facilitator" else None,
        link=f"https://blog.example.org/{n}/",
        guid=f"urn:post:{n}",
        published=when,
        first_seen=when,
        tags=tags or [],
        licence="CC BY 4.0",
        retired=retired,
    )
    return p, f"<p>Body of post {n}. Networks matter.</p>"


def write_posts(project: Path, posts: list[tuple[Post, str]]) -> dict[str, str]:
    folder = project / "content" / "learning-log" / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    stems = {}
    for p, body in posts:
        stem = f"{p.published:%Y-%m-%d}-post-{p.id[:6]}"
        (folder / f"{stem}.md").write_text(render_post_file(p, body), encoding="utf-8")
        stems[p.id] = stem
    return stems


@pytest.fixture(scope="module")
def log_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    project = make_project(tmp_path_factory.mktemp("log") / "project", FIXTURES / "mini" / "content")
    (project / "content" / "learning-log").mkdir(parents=True, exist_ok=True)
    (project / "content" / "learning-log" / "feeds.yml").write_text(REGISTRY)
    posts = [post(n, tags=["sprint-1"] if n % 3 == 0 else None) for n in range(1, N)]
    posts.append(post(N, feed="sam-mentor", title=HOSTILE_TITLE, tags=["rural"]))
    posts[-1] = (posts[-1][0], HOSTILE_BODY)
    posts.append(post(N + 1, title="Retired post", retired=True))
    stems = write_posts(project, posts)
    site = project.parent / "site"
    result = mkdocs_build(project, site, strict=False)
    assert result.returncode == 0, result.stderr
    return site, stems


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_index_is_paginated_newest_first(log_site: tuple[Path, dict[str, str]]) -> None:
    site, _ = log_site
    first = read(site, "learning-log")
    titles = re.findall(r'class="hub-log-item__title" lang="[a-z]+"><a href="[^"]+">([^<]+)</a>', first)
    assert len(titles) == PER_PAGE
    assert titles[1:4] == [f"Reflection number {N - i}" for i in (1, 2, 3)]
    assert "(page 1 of 3)" in first and "<span>Page 1 of 3</span>" in first
    assert 'href="page-2/" rel="next"' in first
    third = read(site, "learning-log/page-3")
    assert 'href="../page-2/" rel="prev"' in third
    assert third.count('class="hub-log-item"') == 5
    assert "Retired post" not in first + read(site, "learning-log/page-2") + third


def test_facilitator_tag_and_post_pages_link_together(log_site: tuple[Path, dict[str, str]]) -> None:
    site, stems = log_site
    jo = read(site, "learning-log/facilitators/jo-facilitator")
    assert "Reflections by Jo Facilitator" in jo and f"{N - 1} reflections" in jo
    tag = read(site, "learning-log/tags/sprint-1")
    assert tag.count('class="hub-log-item"') == (N - 1) // 3
    assert 'href="../../../programme/sprint-1/"' in tag
    post_page = read(site, f"learning-log/posts/{stems[post(9)[0].id]}")
    assert 'href="../../facilitators/jo-facilitator/"' in post_page
    assert 'href="https://blog.example.org/9/" rel="nofollow noopener noreferrer ugc"' in post_page
    assert 'href="../../tags/sprint-1/"' in post_page
    assert "Licence: CC BY 4.0" in post_page
    # The menu is rendered once and reused on every post (RenderMemo): it must still be there, with
    # links that work from the post's own depth, each section folded to its own page (issue 14).
    assert 'href="../../../platforms/" class="md-nav__link' in post_page
    assert 'href="../../../platforms/example/"' not in post_page


def test_sprint_page_shows_reflections_tagged_to_it(log_site: tuple[Path, dict[str, str]]) -> None:
    site, stems = log_site
    sprint = read(site, "programme/sprint-1")
    assert "Reflection number 102" in sprint
    assert f'href="../../learning-log/posts/{stems[post(102)[0].id]}/"' in sprint
    assert sprint.count('class="hub-log-item"') == 10, "the newest ten, then a link to them all"
    assert f"The newest 10 of {(N - 1) // 3}" in sprint and 'href="../../learning-log/tags/sprint-1/"' in sprint
    assert "Reflection number 9<" not in sprint
    assert "hub:fragment" not in sprint


def test_hostile_feed_text_stays_inert(log_site: tuple[Path, dict[str, str]]) -> None:
    site, stems = log_site
    hostile_id = post(N, feed="sam-mentor")[0].id
    page = read(site, f"learning-log/posts/{stems[hostile_id]}")
    assert "<script>alert" not in page
    assert "&lt;/title&gt;&lt;script&gt;" in page.split("</title>")[0]  # escaped inside <title>
    flat = " ".join(page.split())
    assert (
        '<h1 lang="en">&lt;/title&gt;&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; '
        "--- template: ../../evil {{ config.extra }}</h1>" in flat
    )
    assert "{{ config.extra }}" in page  # shown literally, not evaluated
    assert "{{ config.site_name }}" in page and '{% include "mkdocs.yml" %}' in page
    assert '--8<-- ".git/config"' in page  # no snippet include happened
    assert "site_name:" not in page  # mkdocs.yml was not pulled in
    assert 'class="admonition danger"' not in page
    assert 'href="javascript:' not in page
    assert "<em>not markdown</em>" not in page
    all_html = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "<script>alert" not in all_html
    assert 'href="javascript:' not in all_html
    assert "\ufffe" not in all_html and "\x01" not in all_html, "characters XML forbids are removed everywhere"
    # The title's "---" lines stayed inside the (escaped) title: no front-matter key was created,
    # so the page was still rendered by the normal template with the normal header.
    assert "--- template: ../../evil" in page.split("</title>")[0]
    assert 'class="md-header' in page


def test_search_index_and_atom_feed_carry_escaped_titles(log_site: tuple[Path, dict[str, str]]) -> None:
    site, _ = log_site
    search = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>alert" not in search
    assert '"location":"learning-log/posts/' in search.replace(" ", "")
    assert '"location":"learning-log/page-2/' not in search.replace(" ", ""), "listing pages stay out of search"
    assert "Body of post 9." in search
    assert "Reproduced from the author" not in search, "the post footer is page furniture, not content"
    tree = ET.parse(site / "learning-log" / "feed.xml")  # well-formed, whatever the titles held
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in tree.getroot().findall("a:entry/a:title", ns)]
    assert len(titles) == 50, "the feed carries the newest 50"
    assert titles[0] is not None and " ".join(titles[0].split()) == " ".join(XML_SAFE_TITLE.split()), (
        "the hostile title is text in the feed, not markup"
    )
    assert "Retired post" not in titles


def test_theme_memo_changes_nothing(log_site: tuple[Path, dict[str, str]]) -> None:
    """Posts reuse Material's blocks rendered once per build (overrides/learning-log-post.html, issue 14):
    every page is byte for byte what rendering each block on each page gives, hostile titles included."""
    site, _ = log_site
    unmemoised = site.parent / "site-without-memo"
    result = mkdocs_build(site.parent / "project", unmemoised, strict=False, env={"COUNCILLOR_HUB_THEME_MEMO": "off"})
    assert result.returncode == 0, result.stderr
    pages = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert len([p for p in pages if p.parts[:2] == ("learning-log", "posts")]) == N
    assert [p for p in pages if (site / p).read_bytes() != (unmemoised / p).read_bytes()] == []


def test_a_feed_template_that_makes_broken_xml_stops_the_build() -> None:
    """A council's override of the Atom template with a mistake must not publish a broken feed."""
    with pytest.raises(TemplateProblem, match=r"my-atom\.xml\.j2: .*not well-formed XML: mismatched tag: line 1"):
        well_formed_xml("<feed><entry></feed>", "my-atom.xml.j2")
    assert well_formed_xml("<feed>a\ufffeb\x0c</feed>", "t") == "<feed>ab</feed>"
