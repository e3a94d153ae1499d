"""The repository's own hub, built for real with ``mkdocs build --strict``."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
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


def test_navigation_groups_generated_pages(upstream_site: Path, kit: Toolkit) -> None:
    html = page(upstream_site, "about")
    nav_links = set(re.findall(r'<a href="([^"]+)" class="md-nav__link', html))
    for p in kit.items("platform"):
        assert f"../platforms/{p.id}/" in nav_links
    for s in kit.items("sprint"):
        assert f"../programme/{s.id}/" in nav_links
    for g in kit.items("guide"):
        assert f"../guides/{g.id}/" in nav_links
    assert not any("learning-log/posts/" in link for link in nav_links)


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_serve_rebuilds_when_yaml_changes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "mini" / "content")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        cwd=project,
    )
    url = f"http://127.0.0.1:{port}/councillor-hub/platforms/example/"
    try:
        html = _wait_for(url, lambda h: "Example Network" in h, server)
        assert "Mostly parents" in html
        yaml_file = project / "content/toolkits/platforms/example.yml"
        yaml_file.write_text(yaml_file.read_text().replace("Mostly parents", "Mostly grandparents"))
        _wait_for(url, lambda h: "Mostly grandparents" in h, server)
    finally:
        server.terminate()
        server.wait(timeout=20)
        assert server.stderr is not None
        server.stderr.close()


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
