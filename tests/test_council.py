"""A council's own hub: settings, overlay by id, places, pre-election notice, built for real."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from councillor_hub.errors import ContentError
from councillor_hub.loading import load_toolkit
from councillor_hub.project import Project

from .conftest import make_project, mkdocs_build
from .fork import make_fork, write_overlay

BEFORE_NOTICE = "2027-03-25"
DURING = "2027-04-20"


@pytest.fixture(scope="module")
def fork(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_fork(tmp_path_factory.mktemp("fork") / "hub")


@pytest.fixture(scope="module")
def fork_site(fork: Path) -> Path:
    site = fork.parent / "site"
    result = mkdocs_build(fork, site, env={"COUNCILLOR_HUB_TODAY": DURING})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return site


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def content(html: str) -> str:
    start = html.index('<article class="md-content__inner md-typeset">')
    return html[start : html.index("</article>", start)]


def test_settings_name_the_hub_and_set_links_logo_and_colours(fork_site: Path) -> None:
    home = page(fork_site, "")
    assert "<title>Cardiff Councillor Hub</title>" in home
    assert '<h1 id="cardiff-councillor-hub">Cardiff Councillor Hub' in home
    assert "councillors at Cardiff Council" in home
    assert 'src="assets/council/logo.svg" alt=""' in home
    assert (fork_site / "assets/council/logo.svg").is_file()
    assert "--md-primary-fg-color:#0b4a6f" in home
    assert "members@cardiff.example" in content(home)
    facebook = page(fork_site, "platforms/facebook")
    assert (
        'href="https://github.com/cardiff-example/councillor-hub/edit/main/content/toolkits/platforms/facebook.yml"'
        in facebook
    )
    about = page(fork_site, "about")
    assert 'href="https://github.com/cardiff-example/councillor-hub/edit/main/docs/about.md"' in about
    assert '<link rel="canonical" href="https://cardiff.example/hub/about/">' in about
    feed = (fork_site / "learning-log/feed.xml").read_text(encoding="utf-8")
    assert "<id>https://cardiff.example/hub/learning-log/</id>" in feed
    assert "<title>Cardiff Councillor Hub learning log</title>" in feed


def test_hidden_platform_leaves_every_page_cleanly(fork_site: Path) -> None:
    compare = content(page(fork_site, "platforms"))
    assert 'href="x/"' not in compare and ">X<" not in compare
    nav = page(fork_site, "about")
    assert "platforms/x/" not in nav
    buffer = content(page(fork_site, "tools"))
    assert "Works with: Facebook, Instagram" in buffer and ", X," not in buffer
    tombstone = content(page(fork_site, "platforms/x"))
    assert "Not used in Cardiff" in tombstone, "the council's template override is used"
    assert "Cardiff Council does not use this." in tombstone


def test_replaced_and_overridden_items(fork_site: Path) -> None:
    tools = content(page(fork_site, "tools"))
    assert 'id="tool-hootsuite"' not in tools
    assert "Cardiff Council has Canva for Teams. Ask the communications team for a seat." in tools
    assert 'id="tool-cardiff-digital-champions"' in tools
    facebook = content(page(fork_site, "platforms/facebook"))
    assert "Most Cardiff households, across every age group." in facebook


def test_council_guide_page_and_nav(fork_site: Path) -> None:
    guide = content(page(fork_site, "guides/who-helps-in-cardiff"))
    assert "Member Development runs the programme." in guide
    html = page(fork_site, "about")
    nav_links = re.findall(r'<a href="([^"]+)" class="md-nav__link', html)
    assert "../guides/who-helps-in-cardiff/" in nav_links
    assert "../contacts/" in nav_links
    assert "Member Development Team: members@cardiff.example" in content(page(fork_site, "contacts"))


def test_places_fill_the_examples_and_local_search(fork_site: Path) -> None:
    upstream_words = ("Northfield", "Riverside", "Oakfield", "Mill Lane")
    for path in ("programme/sprint-2", "guides/first-steps", "platforms/facebook"):
        text = content(page(fork_site, path))
        assert "Adamsdown" in text, path
        assert not any(word in text for word in upstream_words), path
        assert "{ward" not in text, path
    assert not [p for p in fork_site.rglob("index.html") if "{ward}" in p.read_text(encoding="utf-8")]
    facebook = content(page(fork_site, "platforms/facebook"))
    assert "Cardiff Council on Facebook" in facebook and 'href="https://www.facebook.com/cardiffcouncil"' in facebook
    if "find-people-near-you" in facebook:
        assert "q=Adamsdown" in facebook or "q=Adamsdown+" in facebook


def test_own_nation_only(fork_site: Path) -> None:
    guide = content(page(fork_site, "guides/pre-election-period"))
    assert "In Wales" in guide or "Wales" in guide
    assert 'id="' not in [m for m in re.findall(r"<h2[^>]*>([^<]*Scotland[^<]*)", guide)]
    assert not re.search(r"<h2[^>]*>[^<]*Scotland", guide), "Scotland-only sections are left out of a Welsh hub"


def test_pre_election_notice_follows_the_dates(fork: Path, fork_site: Path, tmp_path: Path) -> None:
    during = page(fork_site, "platforms/facebook")
    notice = re.search(r'<aside class="hub-pre-election"[^>]*>', during)
    assert notice and " hidden" not in notice.group(0)
    assert "Cardiff Council elections, 6 May 2027" in during and "guides/pre-election-period/" in during
    home = page(fork_site, "")
    promo = re.search(r'<div class="hub-pre-election-promo[^>]*>', home)
    assert promo and " hidden" not in promo.group(0)
    before = tmp_path / "before"
    result = mkdocs_build(fork, before, env={"COUNCILLOR_HUB_TODAY": BEFORE_NOTICE})
    assert result.returncode == 0, result.stderr
    notice = re.search(r'<aside class="hub-pre-election"[^>]*>', page(before, "platforms/facebook"))
    assert notice and notice.group(0).endswith(" hidden>"), "built before the notice: hidden until the day comes"
    after = tmp_path / "after"
    result = mkdocs_build(fork, after, env={"COUNCILLOR_HUB_TODAY": "2027-05-07"})
    assert result.returncode == 0, result.stderr
    assert re.search(r'<aside class="hub-pre-election"[^>]*hidden>', page(after, ""))


def test_upstream_has_no_notice(upstream_site: Path) -> None:
    assert "hub-pre-election" not in page(upstream_site, "")


# --- problems a council officer can make, reported with their place ---------------------------


def load(root: Path) -> list[str]:
    try:
        kit = load_toolkit(Project.load(root), on=dt.date(2026, 11, 30))
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return [f"NOTE {n}" for n in kit.notes]


@pytest.fixture
def fork_copy(fork: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "hub"
    shutil.copytree(fork, dest, ignore=shutil.ignore_patterns("site"))
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_override_of_an_id_upstream_does_not_have(fork_copy: Path) -> None:
    edit(fork_copy / "council/overlay.yml", "  tool:canva:", "  tool:canvaa:")
    edit(fork_copy / "council/overlay.yml", "  - platform:x\n", "  - platform:twitter\n")
    found = load(fork_copy)
    assert (
        "council/overlay.yml:8:3: override.tool:canvaa: no tool has the id 'canvaa'; did you mean 'canva'?" in found[1]
    )
    assert found[0].startswith("council/overlay.yml:3:5: hide[0]: no platform has the id 'twitter'")


def test_override_with_a_wrong_value_is_located_in_the_overlay(fork_copy: Path) -> None:
    edit(fork_copy / "council/overlay.yml", "    cost_note: Cardiff", "    cost: cheap\n    cost_note: Cardiff")
    (problem,) = load(fork_copy)
    assert problem.startswith("council/overlay.yml:9:11: override.tool:canva.cost: input should be 'free'")


def test_hiding_referenced_items_reports_every_reference(fork_copy: Path) -> None:
    notes = load(fork_copy)
    assert all(n.startswith("NOTE ") for n in notes)
    text = "\n".join(notes)
    # Tools that worked with X, located at the reference in upstream's file.
    assert re.search(
        r"content/toolkits/tools\.yml:\d+:\d+: tools\[\d+, buffer\]\.platforms\[\d+\]: left out of the page, because platform:x is hidden in council/overlay.yml",
        text,
    )
    assert re.search(r"tools\[\d+, hootsuite\]", text) is None or "now points at" in text


def test_hiding_a_category_hides_its_tools(fork_copy: Path) -> None:
    edit(fork_copy / "council/overlay.yml", "  - platform:x\n", "  - platform:x\n  - category:scheduling\n")
    text = "\n".join(load(fork_copy))
    assert "tools[" in text and "buffer].category: left out as well, because category:scheduling is hidden" in text
    kit = load_toolkit(Project.load(fork_copy), on=dt.date(2026, 11, 30))
    assert kit.get("tool", "buffer") is None
    assert all(step.ref != "tool:buffer" for p in kit.items("persona") for step in p.pathway)


def test_council_item_with_an_upstream_id(fork_copy: Path) -> None:
    edit(fork_copy / "council/content/tools.yml", "id: cardiff-digital-champions", "id: canva")
    (problem,) = load(fork_copy)
    assert problem.startswith("council/content/tools.yml:3:9: tools[0, canva].id: 'canva' is already an upstream tool")
    assert "override it in council/overlay.yml" in problem


def test_settings_mistakes_are_located(fork_copy: Path) -> None:
    settings = fork_copy / "council.yml"
    edit(settings, 'primary: "#0b4a6f"', 'primary: "#ffcc00"')
    edit(
        settings,
        "site_url: https://cardiff.example/hub/",
        "site_url: https://cardiff.example/hub/\nprogramme:\n  private_dir: content/people",
    )
    edit(settings, "logo: council/assets/logo.svg", "logo: council/assets/missing.svg")
    with pytest.raises(ContentError) as caught:
        Project.load(fork_copy)
    found = "\n".join(str(p) for p in caught.value.problems)
    assert "council.yml:9:12: colours.primary: #ffcc00 has a contrast of 1.51:1 with white" in found
    assert "choose a darker shade, such as #" in found
    caught_after = [str(p) for p in caught.value.problems]
    assert len(caught_after) == 1, "field errors first; paths are checked once the settings are valid"
    edit(settings, 'primary: "#ffcc00"', 'primary: "#0b4a6f"')
    with pytest.raises(ContentError) as caught:
        Project.load(fork_copy)
    found = "\n".join(str(p) for p in caught.value.problems)
    assert "council.yml:6:7: logo: there is no file council/assets/missing.svg" in found
    assert "programme.private_dir: programme records must stay out of the published site" in found


def test_unknown_place_token_is_located(fork_copy: Path) -> None:
    guide = fork_copy / "council/content/guides/who-helps-in-cardiff.yml"
    edit(guide, "Member Development runs", "In {wrad}, Member Development runs")
    (problem,) = load(fork_copy)
    assert problem.startswith("council/content/guides/who-helps-in-cardiff.yml:10:9: sections[0, teams].paragraphs[0]:")
    assert "unknown place token {wrad}; did you mean {ward}?" in problem


def test_check_command_on_a_fork_reports_notes_and_passes(fork: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "councillor_hub.cli", "check"], capture_output=True, text=True, cwd=fork, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "(note)" in result.stdout and "OK:" in result.stdout
    where = subprocess.run(
        [sys.executable, "-m", "councillor_hub.cli", "where", "registry"], capture_output=True, text=True, cwd=fork
    )
    assert where.stdout.strip() == "council/learning-log/feeds.yml"


def test_upstream_view_ignores_the_overlay(fork: Path) -> None:
    kit = load_toolkit(Project.load(fork, upstream=True), on=dt.date(2026, 11, 30))
    assert kit.get("platform", "x") is not None and kit.get("tool", "cardiff-digital-champions") is None


def test_a_project_without_council_yml_builds_like_upstream(tmp_path: Path) -> None:
    project = make_project(tmp_path / "plain")
    assert not (project / "council.yml").exists()
    assert Project.load(project).settings == Project.load(project, upstream=True).settings
    write_overlay(project)
    assert Project.load(project).settings.name == "Cardiff Council"


def test_a_template_mistake_names_the_template_and_line(fork_copy: Path, tmp_path: Path) -> None:
    template = fork_copy / "council/templates/hidden.md.j2"
    template.write_text("# Not used\n\n{{ home }}\n{{ hub_name.nmae.upper() }}\n", encoding="utf-8")
    result = mkdocs_build(fork_copy, tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "council/templates/hidden.md.j2:4: UndefinedError" in result.stderr
    template.write_text("# Not used\n\n{% if %}\n", encoding="utf-8")
    check = subprocess.run(
        [sys.executable, "-m", "councillor_hub.cli", "check"],
        capture_output=True,
        text=True,
        cwd=fork_copy,
        timeout=300,
    )
    assert check.returncode == 1
    assert "council/templates/hidden.md.j2:3: template syntax: Expected an expression" in check.stderr
