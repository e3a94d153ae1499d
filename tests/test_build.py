"""The repository's own hub, built for real with ``mkdocs build --strict``."""

from __future__ import annotations

import html as html_lib
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from councillor_hub.readability import MAX_GRADE, fk_grade, html_text_blocks
from councillor_hub.toolkit import Toolkit

from .conftest import FIXTURES, REPO, make_project, mkdocs_build

EDIT_BASE = "https://github.com/councillor-hub/councillor-hub/edit/main/"


@pytest.fixture(scope="module")
def kit(upstream_kit: Toolkit) -> Toolkit:
    return upstream_kit


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def main_content(html: str) -> str:
    start = html.index('<article class="md-content__inner md-typeset">')
    return html[start : html.index("</article>", start)]


def test_every_page_kind_is_generated(upstream_site: Path, kit: Toolkit) -> None:
    expected = ["platforms", "tools", "programme", "start", "guides", "learning-log"]
    expected += [f"platforms/{p.id}" for p in kit.items("platform")]
    expected += [f"programme/{s.id}" for s in kit.items("sprint")]
    expected += [f"programme/{s.id}/{w.id}" for s in kit.items("sprint") for w in s.worksheets]
    expected += [f"programme/{s.id}/pack" for s in kit.items("sprint")]
    expected += [f"programme/materials/{m.id}" for m in kit.items("material")]
    expected += [f"start/{p.id}" for p in kit.items("persona")]
    expected += [f"guides/{g.id}" for g in kit.items("guide")]
    missing = [path for path in expected if not (upstream_site / path / "index.html").exists()]
    assert missing == []
    assert not (REPO / "docs" / "platforms").exists(), "nothing may be written into docs/"


def test_comparison_page_links_every_platform(upstream_site: Path, kit: Toolkit) -> None:
    html = page(upstream_site, "platforms")
    for p in kit.items("platform"):
        assert f'href="{p.id}/"' in html


def test_generated_pages_edit_their_yaml_source(upstream_site: Path) -> None:
    assert f'href="{EDIT_BASE}content/toolkits/platforms/facebook.yml"' in page(upstream_site, "platforms/facebook")
    assert f'href="{EDIT_BASE}content/toolkits/lessons/sprint-1.yml"' in page(upstream_site, "programme/sprint-1")
    assert f'href="{EDIT_BASE}content/toolkits/tools.yml"' in page(upstream_site, "tools")
    assert f'href="{EDIT_BASE}docs/about.md"' in page(upstream_site, "about")


@dataclass
class MenuItem:
    title: str = ""
    href: str | None = None
    children: list[MenuItem] = field(default_factory=list)

    def child(self, title: str) -> MenuItem:
        return next(c for c in self.children if c.title == title)

    @property
    def pages(self) -> list[str]:
        """The pages linked in this part of the menu (not the current page's own contents)."""
        return [c.href for c in self.children if c.href and not c.href.startswith("#")]


class _MenuParser(HTMLParser):
    """Material's primary menu as a tree: each ``li.md-nav__item`` with its link's title and address."""

    def __init__(self) -> None:
        super().__init__()
        self.stack = [MenuItem()]
        self.lis: list[bool] = []
        self.grabbing: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "li":
            self.lis.append("md-nav__item" in classes)
            if self.lis[-1]:
                item = MenuItem()
                self.stack[-1].children.append(item)
                self.stack.append(item)
        elif tag in ("a", "label") and "md-nav__link" in classes and len(self.stack) > 1:
            item = self.stack[-1]
            if tag == "a" and item.href is None:
                item.href = dict(attrs).get("href")
            if not item.title:
                self.grabbing, self.text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self.grabbing:
            self.stack[-1].title = " ".join("".join(self.text).split())
            self.grabbing = None
        if tag == "li" and self.lis.pop():
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.grabbing:
            self.text.append(data)


def menu(html: str) -> MenuItem:
    parser = _MenuParser()
    parser.feed(html[html.index("md-sidebar--primary") : html.index("md-sidebar--secondary")])
    return parser.stack[0]


def test_menu_shows_the_routes_first_with_every_page_in_its_section(upstream_site: Path, kit: Toolkit) -> None:
    """Issue 13: the menu's 60 links hid the few routes that matter. Sections open one at a time at
    their index page, long sections are grouped, and every page is still in the menu."""
    top = menu(page(upstream_site, "tools"))
    titles = [item.title for item in top.children]
    assert titles[:3] == ["Home", "Where do I start?", "Platforms"], titles
    assert len(titles) <= 9, titles
    for title, index in [("Where do I start?", "start"), ("Platforms", "platforms"), ("Guides", "guides")]:
        assert top.child(title).href == f"../{index}/", f"{title} opens at its index page"

    assert top.child("Where do I start?").pages == [f"../start/{p.id}/" for p in kit.items("persona")]
    assert top.child("Platforms").pages == [f"../platforms/{p.id}/" for p in kit.items("platform")]
    programme = top.child("Programme")
    assert programme.pages == [f"../programme/{s.id}/" for s in kit.ordered_sprints()] + [
        f"../programme/questionnaires/{q.id}/" for q in kit.items("questionnaire")
    ]
    worksheets = programme.child("Worksheets and planning sheets").pages
    assert worksheets == [f"../programme/{s.id}/{w.id}/" for s in kit.ordered_sprints() for w in s.item.worksheets]

    guides = top.child("Guides")
    assert guides.pages == [], "guides sit in groups by audience"
    by_group = {group.title: group.pages for group in guides.children}
    assert list(by_group)[0] == "For councillors"
    assert sorted(link for links in by_group.values() for link in links) == sorted(
        f"../guides/{g.id}/" for g in kit.items("guide")
    )
    assert "../guides/staying-safe/" in by_group["For councillors"]
    assert "../guides/running-a-workshop-day/" in by_group["For facilitators and mentors"]
    assert "../learning-log-guide/" in top.child("Learning log").pages
    html = page(upstream_site, "tools")
    assert "learning-log/posts/" not in html[html.index("md-sidebar--primary") : html.index("md-sidebar--secondary")]


def test_home_page_leads_with_its_routes_not_the_menu(upstream_site: Path) -> None:
    html = page(upstream_site, "")
    assert 'data-md-type="navigation" hidden' in html, "no menu beside the home page's cards"
    content = main_content(html)
    for route in ("start/", "platforms/", "guides/", "tools/", "programme/", "learning-log/"):
        assert f'href="{route}"' in content
    # The cards are real cards: one list item each, their text inside them (not run together).
    assert len(re.findall(r"<li>\s*<p><strong><a href=", content)) == 6
    assert "online.- " not in content and "online.</li>" in content


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace("\u00b6", "").split())


def _repeats_its_label(label: str) -> bool:
    """ "Masterclass: Skills masterclass": the word before the colon said again after it."""
    before, colon, after = label.partition(":")
    words = before.split()
    return bool(colon and words and len(words[-1]) > 2 and words[-1].lower() in after.lower().split())


def test_no_page_repeats_its_heading_or_a_label(upstream_site: Path) -> None:
    """Issue 13: "Where do I start?" showed its heading twice; "Masterclass: Skills masterclass"."""
    problems = []
    for html_file in sorted(upstream_site.rglob("index.html")):
        path = html_file.parent.relative_to(upstream_site).as_posix()
        if path.startswith("learning-log/"):
            continue  # titles of facilitators' own posts
        html = html_file.read_text(encoding="utf-8")
        if '<article class="md-content__inner md-typeset">' not in html:
            continue  # slide decks have a page of their own, with no menu (tested in test_slides.py)
        headings = [_text(h) for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", main_content(html), re.S)]
        if headings and headings.count(headings[0]) > 1:
            problems.append(f"{path}: the heading {headings[0]!r} is shown twice")
        title = _text(re.search(r"<title>(.*?)</title>", html, re.S).group(1))  # type: ignore[union-attr]
        labels = [title, *headings, *(item.title for item in _all_items(menu(html)))]
        problems += [f"{path}: {label!r}" for label in dict.fromkeys(labels) if _repeats_its_label(label)]
    assert problems == []


def _all_items(item: MenuItem) -> list[MenuItem]:
    return [item, *(found for child in item.children for found in _all_items(child))]


def test_persona_pathways_and_sprints_link_onwards(upstream_site: Path, kit: Toolkit) -> None:
    persona = kit.items("persona")[0]
    html = main_content(page(upstream_site, f"start/{persona.id}"))
    links = re.findall(r'<li><strong><a href="([^"]+)"', html)
    assert len(links) == len(persona.pathway)
    for link in links:
        target = (upstream_site / "start" / persona.id / link.split("#")[0]).resolve()
        assert (target / "index.html").exists() or target.exists(), link
    sprint = page(upstream_site, "programme/sprint-1")
    assert 'href="network-map/"' in sprint and 'data-hub-readiness="sprint-1"' in sprint


def test_content_meets_the_toolkit_scope(kit: Toolkit) -> None:
    platform_ids = {p.id for p in kit.items("platform")}
    assert platform_ids >= {
        "facebook", "x", "instagram", "linkedin", "youtube", "tiktok", "whatsapp",
        "nextdoor", "bluesky", "threads", "mastodon", "local-forums-and-email-lists",
    }  # fmt: skip
    tools = kit.items("tool")
    assert len(tools) >= 40
    per_category = {c.id: sum(t.category == c.id for t in tools) for c in kit.items("category")}
    assert len(per_category) >= 9 and min(per_category.values()) >= 3, per_category
    assert [s.id for s in kit.ordered_sprints()] == ["masterclass", "sprint-1", "sprint-2", "sprint-3"]
    assert {p.id for p in kit.items("persona")} == {
        "perpetual-sceptic",
        "curious-but-cautious",
        "enthusiast",
        "next-generation",
    }
    sprint_1 = next(s for s in kit.items("sprint") if s.id == "sprint-1")
    assert {w.kind for w in sprint_1.worksheets} == {"network-map", "form"}
    for s in kit.items("sprint"):
        assert s.readiness or s.id == "sprint-3"
        assert {m.when for m in s.evaluation} & {"before", "before-and-after"}
        for worksheet in s.worksheets:
            for section in worksheet.sections:
                assert section.help, f"{s.id}/{worksheet.id}/{section.id} has no help text"
                assert all(p.hint for p in section.prompts), f"{s.id}/{worksheet.id}/{section.id}: a prompt has no hint"
        for session in s.sessions:
            for activity in session.activities:
                if activity.kind != "break":
                    # What an activity needs: its materials, or its worksheet (listed with them).
                    needs = activity.materials or activity.worksheet
                    assert activity.steps and needs and activity.facilitator_notes, activity.id


def test_every_guide_page_reads_at_grade_9_or_below(upstream_site: Path, kit: Toolkit) -> None:
    paths = [f"platforms/{p.id}" for p in kit.items("platform")] + ["platforms", "tools", "programme", "start"]
    paths += [f"guides/{g.id}" for g in kit.items("guide")] + [f"start/{p.id}" for p in kit.items("persona")]
    paths += [f"programme/{s.id}" for s in kit.items("sprint")]
    paths += [f"programme/{s.id}/pack" for s in kit.items("sprint")]
    paths += [f"programme/materials/{m.id}" for m in kit.items("material")]
    grades = {path: fk_grade(html_text_blocks(main_content(page(upstream_site, path)))) for path in paths}
    too_hard = {path: grade for path, grade in grades.items() if grade > MAX_GRADE}
    assert too_hard == {}, f"Flesch-Kincaid grade above {MAX_GRADE}: {too_hard}"


LONG_PAGE_WORDS = 1500


def test_every_long_page_opens_with_do_this_first(upstream_site: Path) -> None:
    """Issue 13: a page over about 1,500 words starts with its first steps, in a box under its summary."""
    missing = {}
    for html_file in sorted(upstream_site.rglob("index.html")):
        path = html_file.parent.relative_to(upstream_site).as_posix()
        html = html_file.read_text(encoding="utf-8")
        if path.startswith("learning-log/") or '<article class="md-content__inner md-typeset">' not in html:
            continue
        if path.endswith("/pack"):
            continue  # a printable pack gathers whole pages on purpose; each of them is checked itself
        content = main_content(html)
        words = sum(len(block.split()) for block in html_text_blocks(content))
        if words <= LONG_PAGE_WORDS:
            continue
        first_h2 = re.search(r"<h2[^>]*>(.*?)</h2>", content, re.S)
        if not (first_h2 and first_h2.group(1).startswith("Do this first")):
            missing[path] = words
    assert missing == {}, f"pages over {LONG_PAGE_WORDS} words without 'Do this first' at the top: {missing}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


@pytest.mark.parametrize("watching", ["inotify", "polling"])
def test_serve_rebuilds_when_yaml_changes_or_a_post_arrives(tmp_path: Path, watching: str) -> None:
    """As scripts/serve runs it (--dirty). On Linux edits are noticed through inotify (hooks/serve_watch.py,
    issue 14); COUNCILLOR_HUB_SERVE_POLLING keeps MkDocs' polling, for folders that only polling sees."""
    from .test_learning_log_site import REGISTRY, post, write_posts

    project = make_project(tmp_path / "project", FIXTURES / "mini" / "content")
    (project / "content" / "learning-log").mkdir(parents=True, exist_ok=True)
    (project / "content" / "learning-log" / "feeds.yml").write_text(REGISTRY, encoding="utf-8")
    write_posts(project, [post(1)])
    port = _free_port()
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    if watching == "polling":
        env["COUNCILLOR_HUB_SERVE_POLLING"] = "1"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--dirty",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(project / "mkdocs.yml"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=project,
    )
    base = f"http://127.0.0.1:{port}/councillor-hub/"
    try:
        html = _wait_for(f"{base}platforms/example/", lambda h: "Example Network" in h, server)
        assert "Mostly parents" in html
        yaml_file = project / "content/toolkits/platforms/example.yml"
        yaml_file.write_text(yaml_file.read_text().replace("Mostly parents", "Mostly grandparents"))
        _wait_for(f"{base}platforms/example/", lambda h: "Mostly grandparents" in h, server)
        # A new post, written as the ingester writes files: a temporary file, then renamed into place.
        arrived = tmp_path / "arrived"
        stems = write_posts(arrived, [post(2, title="A reflection that just arrived")])
        (stem,) = stems.values()
        source = arrived / "content" / "learning-log" / "posts" / f"{stem}.md"
        posts = project / "content" / "learning-log" / "posts"
        temporary = posts / f".{stem}.md.tmp"
        temporary.write_bytes(source.read_bytes())
        temporary.rename(posts / f"{stem}.md")
        _wait_for(f"{base}learning-log/posts/{stem}/", lambda h: "A reflection that just arrived" in h, server)
        time.sleep(3)  # nothing changes now: nothing must be rebuilt
    finally:
        server.terminate()
        server.wait(timeout=20)
        assert server.stderr is not None
        log = server.stderr.read().decode("utf-8", "replace")
        server.stderr.close()
    assert ("Watching for edits with inotify" in log) == (watching == "inotify"), log[-3000:]
    # Two edits, each at most two rebuilds (a write can straddle MkDocs' 0.1 s wait). inotify also
    # reports files being read: heard as changes, each build's reading would start another.
    assert log.count("Detected file changes") <= 4, log[-3000:]


def _wait_for(url: str, ready, server: subprocess.Popen[bytes]) -> str:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "mkdocs serve exited"
        try:
            html = _get(url)
            if ready(html):
                return html
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not show the change in time")


def test_build_stops_with_every_content_problem_and_no_traceback(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "mini" / "content")
    platform = project / "content/toolkits/platforms/example.yml"
    platform.write_text(platform.read_text().replace("  effort: low", "  effort: huge"))
    guide = project / "content/toolkits/guides/first-steps.yml"
    guide.write_text(guide.read_text().replace("title: First steps", "title: First steps\ntitle: Again"))
    result = mkdocs_build(project, tmp_path / "site", strict=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/toolkits/guides/first-steps.yml:3:1: title: duplicate key (first set on line 2)" in result.stderr
    assert "content/toolkits/platforms/example.yml:10:11: at_a_glance.effort: input should be" in result.stderr
    assert "2 problems found in the hub's content." in result.stderr
    assert not (tmp_path / "site" / "platforms").exists()


def test_a_twin_in_a_language_the_hub_does_not_publish_is_left_out(upstream_site: Path) -> None:
    # docs/about.cy.md is the Welsh twin of docs/about.md: an English-only hub publishes neither it nor cy/.
    assert (upstream_site / "about" / "index.html").exists()
    assert not (upstream_site / "about.cy").exists()
    assert not (upstream_site / "cy").exists()


def test_a_welsh_hub_has_welsh_furniture_and_hand_written_twins(tmp_path: Path, upstream_kit: Toolkit) -> None:
    # Only the words that do not depend on content translations, so editing the English never breaks this.
    project = make_project(tmp_path / "project")
    (project / "council.yml").write_text("languages: [en, cy]\n", encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    start = page(site, "cy/start")
    assert '<html lang="cy"' in start
    assert "Y pedwar man cychwyn" in main_content(start)
    for persona in upstream_kit.items("persona"):
        assert "Eich llwybr drwy" in main_content(page(site, f"cy/start/{persona.id}"))
    assert "Sut i ddefnyddio" in main_content(page(site, "cy/how-to-use"))  # docs/how-to-use.cy.md
    assert not (site / "cy" / "how-to-use.cy").exists()
